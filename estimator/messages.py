"""The engine's messages to the user, in English and Arabic: one catalogue.

An error or a problem found in a file carries a `Message`: a code and its fields, e.g.
`Message("unknown_unit", text="sqm")`. `text("en")` is the English message (what `str()` of the
error has always been, what the CLI prints and the tests read); `text("ar")` the Arabic, in the
wording of the Arabic documents (templates/tender/ar). The window shows messages in its language;
the CLI in English unless `BOQ_LANG=ar` or `boq --lang ar`.

Fields are filled with `str.format`. A field that is itself a Message is rendered in the same
language; a field that is a fixed English phrase listed in PHRASES (a column or setting name, a
hint) is translated; anything else (names, codes, units, numbers, file names) is shown as given.
A message without fields may be given as its English text alone: its code is the text, and its
Arabic is found in PHRASES. An English text with no Arabic is shown in English (never nothing).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

LANGUAGES = ("en", "ar")


def language() -> str:
    """The language of engine messages for this process: BOQ_LANG (en or ar), English by default."""
    return "ar" if os.environ.get("BOQ_LANG", "").strip().lower().startswith("ar") else "en"


class Message:
    """A code and its fields; rendered on demand in either language."""

    __slots__ = ("code", "fields")

    def __init__(self, code: str, /, **fields: object) -> None:
        if code not in EN:
            raise KeyError(f"no message {code!r} in estimator.messages.EN")
        self.code, self.fields = code, fields

    def text(self, lang: str | None = None) -> str:
        lang = lang or language()
        template = AR.get(self.code, EN[self.code]) if lang == "ar" else EN[self.code]
        return template.format(**{k: field(v, lang) for k, v in self.fields.items()})

    def __str__(self) -> str:
        return self.text("en")

    def __repr__(self) -> str:
        return f"Message({self.code!r}, **{self.fields!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.code, self.fields) == (other.code, other.fields)

    def __hash__(self) -> int:
        return hash(self.code)


def field(value: object, lang: str) -> object:
    """A field as shown in `lang`: a Message rendered, a known phrase translated, the rest as given."""
    if isinstance(value, Message):
        return value.text(lang)
    if lang == "ar" and isinstance(value, str):
        return PHRASES.get(value, value)
    return value


def phrase(text: str, lang: str | None = None) -> str:
    """A fixed English text in `lang` (itself when the catalogue has no Arabic for it)."""
    return PHRASES.get(text, text) if (lang or language()) == "ar" else text


def render(value: str | Message, lang: str | None = None) -> str:
    return value.text(lang) if isinstance(value, Message) else phrase(value, lang)


# ---- the catalogue ------------------------------------------------------------------------------
# EN is the reference: every code has an English text, byte for byte what the engine printed before
# the catalogue existed (tests assert on them). AR has the same codes and fields (tests check both).

EN: Mapping[str, str] = {
    # estimator.errors
    "problems": "{what}: {count} problem{s}, nothing was changed",
    "and_more": "  ... and {count} more",
    "at_row": "{where}, row {row}",
    "at_column": "{where}, column {column!r}",
    "problem": "{where}: {message}",
    "invalid_number": "{what}: {text!r} is not a valid number; {hint}",
    "unknown_unit": "unknown unit {text!r}; use m, m2, m3, cm, mm, ft, ft2, kg, t, l, nr, set, item, ls, "
                    "day, hour, kW or kWp (see `boq units`)",
    "incompatible_units": "{prefix}quantity in {unit!r} cannot be billed per {billing_unit!r} "
                          "(different kinds of measure); measure it in the rate's unit or choose another rate",
    "currency_mismatch": "cannot add {first} to {second}; convert with an exchange rate first",
    "invalid_currency": "currency {text!r} is not a three-letter ISO code; use one such as USD, TRY or SYP",
    "missing_exchange_rate": "no exchange rate for {currency} against {base}; add one with `boq fx FILE {currency} RATE`",
    "unknown_rate": "{prefix}rate code {code!r} is not in the programme or the rate library",
    "project_file": "{path}: {message}",
    "cancelled": "{what} cancelled; nothing was written",
    # estimator.store (the .boq file); texts without fields are in PHRASES
    "file_unreadable": "cannot be read ({reason})",
    "folder_missing": "folder {folder} does not exist",
    "cannot_lock": "cannot be locked for writing ({reason}); is the folder read-only?",
    "file_damaged": "is damaged or not a valid project ({reason}); open a backup copy",
    "newer_format": "was saved by a newer BoQ Estimator (file format {version}, this version reads up to {newest}); "
                    "update the program to open it",
    # estimator.limits
    "where": "{where}: {message}",
    "too_large": "{what} {value} is larger than {most}, the most a BoQ can print and add up to the cent; {hint}",
    "not_percentage": "{what} {value} must be a percentage between 0 and {most}",
    "bad_coefficient": "coefficient {value} must be between 0 and 1,000,000,000",
    "text_too_long": "{prefix}{field} has {length:,} characters, more than the {most:,} allowed; shorten it",
    # estimator.settings
    "bad_exchange_rate": "exchange rate for {code}: {text} must be greater than zero and between {low} and {high}",
    "bad_markup": "{name}: {value} is not a percentage between {low} and {high}",
    "inexact_rate": "exchange rate for {code}: {rate} is not the value of {exact}",
    "no_rate_to_switch": "no exchange rate for {new} against {old}: add one before switching the currency to {new}",
    # estimator.worklist (import problems)
    "worklist": "work list {source}",
    "too_many_columns": "has {count:,} columns; a work list has at most {most:,} (delete the columns after the last one used)",
    "too_many_rows": "has more than {most:,} rows; split it into several work lists",
    "formula_without_value": "holds the formula {formula} but no saved value (formulas are never calculated here); open "
                             "the file in Excel or LibreOffice and save it again, or type the value",
    "empty_worklist": "is empty: it needs a header row with {columns}",
    "column_twice": "column for {column} appears twice",
    "missing_columns": "header lacks required column(s) {missing} (found: {found})",
    "is_empty": "is empty",
    "negative_quantity": "{quantity} is negative; enter omissions as a separate credit item with a positive quantity",
    "negative_rate": "{rate} is negative",
    "no_fx_in_programme": "no exchange rate for {currency} in this programme; add one with `boq fx FILE {currency} RATE`",
    "code_not_in_library": "rate code {code!r} is not in the rate library; find one with `boq rates search TEXT`",
    "no_code_or_rate": "the item has neither a Code from the rate library nor a Rate; give one of them",
    "unit_mismatch": "{facility}, {description!r}: quantity measured in {unit} cannot be billed per {billing} ({what}); "
                     "measure it in a unit of the same kind",
    "rate_of_code": "rate {code}",
    "sum_needs_rate": "a {kind} needs its amount in Rate (e.g. quantity 1, unit LS, rate 5000): bidders do not price it",
    "attendance_needs_percent": "profit and attendance needs the percentage in Rate (e.g. 10 for 10 %); its Quantity is "
                                "the prime cost sum it applies to",
    "attendance_in_percent": "{text!r}: a profit and attendance line is priced in %; write % in Unit",
    "not_whole_beds": "beds: {text!r} is not a whole number",
    "unknown_item_type": "item type {text!r} is not known: use one of {choices} (or PS, PC, daywork)",
    # estimator.pricing (item kinds and the tender copy)
    "no_attendance_percent": "has no percentage for profit and attendance: give it an own rate (e.g. 10 for 10 %)",
    # estimator.particulars (the tender particulars: boq particulars, the settings and properties dialogs)
    "particular_percent": "{at}{name} is {value} %; give a percentage from 0 to 100",
    "particular_amount": "{at}{name} is {value}; give an amount of 0 or more",
    "particular_days": "{at}{name} is {value} days; give 0 to 36500 days",
    "max_lots": "maximum lots per bidder is {value}; give 1 or more, or none",
    "missing_rate_rule": "missing-rate rule {value!r}: use one of {choices}",
    "abnormally_low": "abnormally low threshold is {value} %; give 0 to 100",
    "unknown_particular": "{at}unknown particular {name!r}; use one of {choices}",
    "not_whole_days": "{at}{name}: {text!r} is not a whole number of days",
    "cannot_clear": "{at}cannot clear {name!r}: a lot overrides only {choices}",
    "yes_or_no": "{at}{name}: {text!r}; write yes or no",
    "not_whole": "{at}{name}: {text!r} is not a whole number",
    "set_key_value": "--set {text!r}: write KEY=VALUE, e.g. --set bid_security=2500",
    "no_lot_number": "--lot {text}: the programme has {count} lot(s); give a number from 1 to {count}",
    "no_lots_yet": "--lot {text}: the programme has no lots yet",
    "no_lot_named": "--lot {text!r}: no lot (facility) of that name; give its number or its exact name",
    "fixed_sums_without_amount": "cannot issue the tender copy: {count} provisional or prime cost sum(s) have no "
                                 "amount (give each an own rate, the amount of 1 LS):\n{listed}",
    "facility_field_differs": "{facility}: {column} {value} differs from {first} given in row {row}",
    "grand_total_too_large": "{problem} (it has {total:,f} {currency} without it); split the programme into several files",
    # estimator.check (before exporting)
    "no_arabic_facility": "facility name has no Arabic; printed in English",
    "no_bills": "facility has no bills",
    "no_arabic_bill": "bill name has no Arabic; printed in English",
    "no_items": "bill has no items",
    "not_priced": "not priced: {error}",
    "zero_quantity": "quantity is zero",
    "estimating_note": "description reads like an estimating note ({note!r}); it is printed in the tender: move it to the notes",
    "attendance_on": "profit and attendance is on {amount}, but {said}; give it that sum as its quantity",
    "no_pc_sum_above": "no prime cost sum above it in this bill",
    "pc_sum_above": "the prime cost sum above it is {amount}",
    "bill_order": "{kind} after the {other} of bill {bill!r}: a bill of quantities lists measured work, then provisional "
                  "and prime cost sums, then dayworks; move the bill",
    "no_arabic_description": "no Arabic description; printed in English: {description}",
    # estimator.cell_input (what is typed into the window's BoQ table)
    "cell_bad_quantity": "quantity: {text!r} is not a number; type e.g. 12.5, 1200 ft2 or 2*(4.5+3.2)",
    "cell_negative_quantity": "quantity {text!r} is negative; enter an omission as a separate credit item",
    "cell_unit_mismatch": "quantity in {unit} cannot be billed per {billed}; type it in {billed} or a unit of the same kind",
    "cell_bad_rate": "rate: {text!r} is not a number; type e.g. 950 or 950 TRY",
    "cell_negative_rate": "rate {text!r} is negative",
    # estimator.revisions
    "revision_name": "a {what} needs a name of 1 to {most} characters, e.g. \"Rev 0\"",
    "revision_issued": "{path}: {what} {name!r} was already issued and never changes; give the new one another name "
                       "(e.g. the next revision number)",
    # ui.document (the window's own)
    "read_only_window": "{path} is open read-only (another window has it); use File > Save As to work on a copy",
    "edit_failed": "{label}: not done, nothing was changed ({why})",
    "edit_too_large": "a figure would be too large to price; check the quantity and the rate",
    "edit_stale": "what it changes was changed or deleted since, by someone else on the server",
    # estimator.server (the shared server): what failed, and what the server was doing
    "server_connect": "cannot connect to {url}: {text}{hint}",
    "server_bad_url": "{url} is not a valid server address ({text})",
    "server_refused": "{what}: the server refused it ({text}); your account may only read (role "
                      "boq_viewer) or the facility is locked by someone else",
    "server_no_schema": "{what}: the database has no BoQ Estimator tables ({text}); run `boq server init URL` first",
    "server_cancelled": "{what}: the server cancelled it ({text}); nothing was changed",
    "server_lost": "{what}: the connection to the server was lost ({text}); the server kept the state from before this change",
    "doing_listen": "listening for changes",
    "doing_read_locks": "reading the facility locks",
    "doing_lock": "locking a facility",
    "doing_role": "reading your role",
    "doing_open": "opening {where}",
    "doing_edit": "saving an edit to {where}",
    "doing_lock_in": "locking a facility in {where}",
    "doing_unlock_in": "unlocking a facility in {where}",
    "doing_locks_of": "reading the locks of {where}",
    "doing_library_push": "pushing the rate library to {url}",
    "doing_library_pull": "pulling the rate library from {url}",
    "doing_library_history": "reading the rate library history on {url}",
    "doing_create": "creating {where}",
    "doing_init": "initialising {url}",
    "doing_grant": "granting {role} to {user}",
    "doing_list": "listing {url}",
    "doing_changes": "reading changes of {where}",
    "doing_push": "pushing to {where}",
    "doing_read": "reading {where}",
    "doing_records": "exchanging revisions and contracts with {where}",
}

AR: Mapping[str, str] = {
    "problems": "{what}: عدد المشكلات {count}، ولم يُغيَّر شيء",
    "and_more": "  ... و{count} غيرها",
    "at_row": "{where}، السطر {row}",
    "at_column": "{where}، العمود «{column}»",
    "problem": "{where}: {message}",
    "invalid_number": "{what}: «{text}» ليس رقماً صحيحاً؛ {hint}",
    "unknown_unit": "وحدة غير معروفة «{text}»؛ استخدم m أو m2 أو m3 أو cm أو mm أو ft أو ft2 أو kg أو t أو l أو nr "
                    "أو set أو item أو ls أو day أو hour أو kW أو kWp (انظر `boq units`)",
    "incompatible_units": "{prefix}لا يمكن تسعير كمية مقيسة بـ«{unit}» لكل «{billing_unit}» (نوعان مختلفان من القياس)؛ "
                          "قِس الكمية بوحدة السعر أو اختر سعراً آخر",
    "currency_mismatch": "لا يمكن جمع {first} إلى {second}؛ حوّل العملة بسعر صرف أولاً",
    "invalid_currency": "العملة «{text}» ليست رمز ISO من ثلاثة أحرف؛ استخدم رمزاً مثل USD أو TRY أو SYP",
    "missing_exchange_rate": "لا يوجد سعر صرف لـ{currency} مقابل {base}؛ أضف سعراً بالأمر `boq fx FILE {currency} RATE`",
    "unknown_rate": "{prefix}رمز السعر «{code}» غير موجود في البرنامج ولا في مكتبة الأسعار",
    "project_file": "{path}: {message}",
    "cancelled": "أُلغي {what}؛ لم يُكتب شيء",
    "file_unreadable": "لا يمكن قراءته ({reason})",
    "folder_missing": "المجلد {folder} غير موجود",
    "cannot_lock": "لا يمكن حجزه للكتابة ({reason})؛ هل المجلد للقراءة فقط؟",
    "file_damaged": "الملف تالف أو ليس برنامجاً صالحاً ({reason})؛ افتح نسخة احتياطية",
    "newer_format": "حُفظ بإصدار أحدث من BoQ Estimator (صيغة الملف {version}، وهذا الإصدار يقرأ حتى الصيغة {newest})؛ "
                    "حدّث البرنامج لفتحه",
    "where": "{where}: {message}",
    "too_large": "{what} {value} أكبر من {most}، وهو أكبر رقم يمكن طباعته في جدول الكميات وجمعه بدقة السنت؛ {hint}",
    "not_percentage": "{what} {value} يجب أن يكون نسبة مئوية بين 0 و{most}",
    "bad_coefficient": "المعامل {value} يجب أن يكون بين 0 و1,000,000,000",
    "text_too_long": "{prefix}في {field} {length:,} حرفاً، أكثر من الحد المسموح ({most:,})؛ اختصره",
    "bad_exchange_rate": "سعر الصرف لـ{code}: {text} يجب أن يكون أكبر من الصفر وبين {low} و{high}",
    "bad_markup": "{name}: {value} ليست نسبة مئوية بين {low} و{high}",
    "inexact_rate": "سعر الصرف لـ{code}: {rate} لا يساوي {exact}",
    "no_rate_to_switch": "لا يوجد سعر صرف لـ{new} مقابل {old}: أضف سعراً قبل تغيير العملة إلى {new}",
    "worklist": "قائمة الأعمال {source}",
    "too_many_columns": "فيها {count:,} عموداً؛ الحد الأقصى لقائمة الأعمال {most:,} عموداً (احذف الأعمدة بعد آخر عمود مستخدم)",
    "too_many_rows": "فيها أكثر من {most:,} سطر؛ قسّمها إلى عدة قوائم أعمال",
    "formula_without_value": "فيها الصيغة {formula} دون قيمة محفوظة (لا تُحسب الصيغ هنا)؛ افتح الملف في Excel أو "
                             "LibreOffice واحفظه مرة أخرى، أو اكتب القيمة",
    "empty_worklist": "فارغة: يلزمها سطر عناوين فيه {columns}",
    "column_twice": "عمود {column} مكرر",
    "missing_columns": "ينقص سطرَ العناوين العمود أو الأعمدة المطلوبة {missing} (الموجود: {found})",
    "is_empty": "فارغ",
    "negative_quantity": "{quantity} قيمة سالبة؛ أدخل الحذوفات بنداً دائناً مستقلاً بكمية موجبة",
    "negative_rate": "{rate} قيمة سالبة",
    "no_fx_in_programme": "لا يوجد في هذا البرنامج سعر صرف لـ{currency}؛ أضف سعراً بالأمر `boq fx FILE {currency} RATE`",
    "code_not_in_library": "رمز السعر «{code}» غير موجود في مكتبة الأسعار؛ ابحث عن رمز بالأمر `boq rates search TEXT`",
    "no_code_or_rate": "ليس للبند رمز من مكتبة الأسعار (Code) ولا سعر (Rate)؛ أعطه أحدهما",
    "unit_mismatch": "{facility}، «{description}»: لا يمكن تسعير كمية مقيسة بـ{unit} لكل {billing} ({what})؛ "
                     "قِسها بوحدة من النوع نفسه",
    "rate_of_code": "السعر {code}",
    "sum_needs_rate": "يحتاج {kind} إلى مبلغه في عمود السعر (Rate) (مثلاً الكمية 1، الوحدة LS، "
                      "السعر 5000): لا يسعّره مقدمو العروض",
    "attendance_needs_percent": "تحتاج الأرباح والخدمات إلى النسبة المئوية في عمود السعر (Rate) (مثلاً 10 لـ10 %)؛ "
                                "وكميتها هي مبلغ الكلفة الأساسية الذي تُطبَّق عليه",
    "attendance_in_percent": "«{text}»: بند الأرباح والخدمات يُسعَّر بنسبة مئوية؛ اكتب % في عمود الوحدة",
    "not_whole_beds": "الأسرّة: «{text}» ليس عدداً صحيحاً",
    "unknown_item_type": "نوع البند «{text}» غير معروف: استخدم أحد الأنواع {choices} (أو PS أو PC أو daywork)",
    "no_attendance_percent": "لا نسبة مئوية للأرباح والخدمات: أعطه سعراً خاصاً (مثلاً 10 لـ10 %)",
    "particular_percent": "{at}{name} قيمته {value} %؛ أعطِ نسبة مئوية من 0 إلى 100",
    "particular_amount": "{at}{name} قيمته {value}؛ أعطِ مبلغاً يساوي الصفر أو أكثر",
    "particular_days": "{at}{name} مدته {value} يوماً؛ أعطِ من 0 إلى 36500 يوم",
    "max_lots": "الحد الأقصى للحصص لكل مقدم عرض {value}؛ أعطِ 1 أو أكثر، أو لا شيء",
    "missing_rate_rule": "قاعدة السعر الناقص «{value}»: استخدم إحدى القواعد {choices}",
    "abnormally_low": "حد العرض المنخفض بشكل غير طبيعي {value} %؛ أعطِ من 0 إلى 100",
    "unknown_particular": "{at}شرط غير معروف «{name}»؛ استخدم أحد الشروط {choices}",
    "not_whole_days": "{at}{name}: «{text}» ليس عدداً صحيحاً من الأيام",
    "cannot_clear": "{at}لا يمكن مسح «{name}»: تغيّر الحصة الشروط {choices} فقط",
    "yes_or_no": "{at}{name}: «{text}»؛ اكتب yes أو no",
    "not_whole": "{at}{name}: «{text}» ليس عدداً صحيحاً",
    "set_key_value": "--set «{text}»: اكتب KEY=VALUE، مثلاً --set bid_security=2500",
    "no_lot_number": "--lot {text}: في البرنامج {count} حصة؛ أعطِ رقماً من 1 إلى {count}",
    "no_lots_yet": "--lot {text}: لا حصص في البرنامج بعد",
    "no_lot_named": "--lot «{text}»: لا حصة (منشأة) بهذا الاسم؛ أعطِ رقمها أو اسمها كما هو",
    "fixed_sums_without_amount": "لا يمكن إصدار نسخة المناقصة: عدد المبالغ الاحتياطية أو مبالغ التكلفة الأولية التي لا مبلغ "
                                 "لها {count} (أعطِ كلاً منها سعراً خاصاً هو مبلغ 1 LS):\n{listed}",
    "facility_field_differs": "{facility}: {column} {value} يخالف {first} المذكور في السطر {row}",
    "grand_total_too_large": "{problem} (مجموعه {total:,f} {currency} دونها)؛ قسّم البرنامج إلى عدة ملفات",
    "no_arabic_facility": "ليس لاسم المنشأة نص عربي؛ يُطبع بالإنكليزية",
    "no_bills": "ليس في المنشأة أقسام",
    "no_arabic_bill": "ليس لاسم القسم نص عربي؛ يُطبع بالإنكليزية",
    "no_items": "ليس في القسم بنود",
    "not_priced": "غير مسعّر: {error}",
    "zero_quantity": "الكمية صفر",
    "estimating_note": "بيان الأعمال يشبه ملاحظة تسعير («{note}»)، وهو يُطبع في وثائق المناقصة: انقلها إلى الملاحظات",
    "attendance_on": "الأرباح والخدمات محسوبة على {amount}، لكن {said}؛ اجعل ذلك المبلغ كميتها",
    "no_pc_sum_above": "لا يوجد فوقها مبلغ كلفة أساسية في هذا القسم",
    "pc_sum_above": "مبلغ الكلفة الأساسية فوقها هو {amount}",
    "bill_order": "{kind} بعد {other} في القسم «{bill}»: يسرد جدول الكميات الأعمال المقيسة، ثم المبالغ الاحتياطية "
                  "ومبالغ الكلفة الأساسية، ثم أعمال المياومة؛ انقل القسم",
    "no_arabic_description": "ليس لبيان الأعمال نص عربي؛ يُطبع بالإنكليزية: {description}",
    "cell_bad_quantity": "الكمية: «{text}» ليست رقماً؛ اكتب مثلاً 12.5 أو 1200 ft2 أو 2*(4.5+3.2)",
    "cell_negative_quantity": "الكمية «{text}» سالبة؛ أدخل الحذف بنداً دائناً مستقلاً",
    "cell_unit_mismatch": "لا يمكن تسعير كمية مقيسة بـ{unit} لكل {billed}؛ اكتبها بـ{billed} أو بوحدة من النوع نفسه",
    "cell_bad_rate": "السعر: «{text}» ليس رقماً؛ اكتب مثلاً 950 أو 950 TRY",
    "cell_negative_rate": "السعر «{text}» سالب",
    "revision_name": "يحتاج {what} إلى اسم من 1 إلى {most} حرفاً، مثلاً \"Rev 0\"",
    "revision_issued": "{path}: صدر {what} «{name}» من قبل ولا يتغير أبداً؛ أعطِ الجديد اسماً آخر (مثلاً رقم الإصدار التالي)",
    "read_only_window": "{path} مفتوح للقراءة فقط (تفتحه نافذة أخرى)؛ استخدم ملف › حفظ باسم للعمل على نسخة",
    "edit_failed": "{label}: لم يُنفَّذ، ولم يُغيَّر شيء ({why})",
    "edit_too_large": "سينتج رقم أكبر من أن يُسعَّر؛ راجع الكمية والسعر",
    "edit_stale": "ما يغيّره تغيّر أو حُذف منذ ذلك الحين، غيّره شخص آخر على الخادم",
    "server_connect": "تعذّر الاتصال بـ {url}: {text}{hint}",
    "server_bad_url": "{url} ليس عنوان خادم صالحاً ({text})",
    "server_refused": "{what}: رفض الخادم ذلك ({text})؛ قد يكون حسابك للقراءة فقط (الدور "
                      "boq_viewer) أو أن المنشأة مقفلة من شخص آخر",
    "server_no_schema": "{what}: لا تحوي قاعدة البيانات جداول BoQ Estimator ({text})؛ شغّل `boq server init URL` أولاً",
    "server_cancelled": "{what}: ألغى الخادم ذلك ({text})؛ لم يُغيَّر شيء",
    "server_lost": "{what}: انقطع الاتصال بالخادم ({text})؛ أبقى الخادم الحال التي كانت قبل هذا التغيير",
    "doing_listen": "الاستماع إلى التغييرات",
    "doing_read_locks": "قراءة أقفال المنشآت",
    "doing_lock": "قفل منشأة",
    "doing_role": "قراءة دور حسابك",
    "doing_open": "فتح {where}",
    "doing_edit": "حفظ تعديل على {where}",
    "doing_lock_in": "قفل منشأة في {where}",
    "doing_unlock_in": "فك قفل منشأة في {where}",
    "doing_locks_of": "قراءة أقفال {where}",
    "doing_library_push": "رفع مكتبة الأسعار إلى {url}",
    "doing_library_pull": "سحب مكتبة الأسعار من {url}",
    "doing_library_history": "قراءة سجل مكتبة الأسعار على {url}",
    "doing_create": "إنشاء {where}",
    "doing_init": "تهيئة {url}",
    "doing_grant": "منح الدور {role} إلى {user}",
    "doing_list": "عرض برامج {url}",
    "doing_changes": "قراءة تغييرات {where}",
    "doing_push": "الرفع إلى {where}",
    "doing_read": "قراءة {where}",
    "doing_records": "تبادل الإصدارات والعقود مع {where}",
}

# Fixed English texts (messages without fields, and the English words that fill fields) -> Arabic.
PHRASES: Mapping[str, str] = {
    # hints and nouns filled into messages
    "; store the password with `boq server password URL` (kept in the system keyring)":
        "؛ احفظ كلمة المرور بالأمر `boq server password URL` (تُحفظ "
        "في حلقة مفاتيح النظام)",
    "; create the database (createdb) and run `boq server init URL`": "؛ أنشئ قاعدة البيانات (createdb) وشغّل `boq "
                                                                      "server init URL`",
    "; is the server running and the address right?": "؛ هل الخادم يعمل والعنوان صحيح؟",
    "programme particulars: ": "الشروط العامة للمناقصة: ",
    "lot particulars: ": "شروط الحصة: ",
    "write a plain number such as 1234.5": "اكتب رقماً بسيطاً مثل 1234.5",
    "the file was not written by BoQ Estimator or is damaged": "لم يكتب BoQ Estimator هذا الملف أو أنه تالف",
    "use a three-letter ISO code such as USD, TRY or SYP": "استخدم رمز ISO من ثلاثة أحرف مثل USD أو TRY أو SYP",
    "check the quantity, the rate, its unit and the exchange rate": "راجع الكمية والسعر ووحدته وسعر الصرف",
    "check the coefficients, prices and exchange rates of its build-up": "راجع معاملات تحليل السعر وأسعاره وأسعار الصرف",
    "quantity": "الكمية",
    "rate": "السعر",
    "the Rate unit": "وحدة السعر",
    "floor area": "المساحة الطابقية",
    "beds": "الأسرّة",
    "currency code": "رمز العملة",
    "exchange rate": "سعر الصرف",
    "contingency": "احتياطي للطوارئ",
    "overheads and profit": "المصاريف العامة والربح",
    "tax": "الضريبة",
    "operation": "العملية",
    "export": "التصدير",
    "amount": "المبلغ",
    "the programme's grand total with this work list": "المجموع الكلي للبرنامج مع قائمة الأعمال هذه",
    "description": "بيان الأعمال",
    "description (Arabic)": "بيان الأعمال (عربي)",
    "notes": "الملاحظات",
    "name": "الاسم",
    "reference": "الرقم المرجعي",
    "code": "الرمز",
    "unit": "الوحدة",
    "currency": "العملة",
    "text": "النص",
    # estimator.pricing
    "has no rate: give it a rate code from the library or an own rate":
        "ليس له سعر: أعطه رمز سعر من المكتبة أو سعراً خاصاً",
    # estimator.cell_input
    "an item needs a description": "يحتاج البند إلى بيان أعمال",
    "the amount is quantity x rate; change one of those instead": "المبلغ = الكمية × السعر؛ غيّر أحدهما بدلاً منه",
    # estimator.revisions
    "the programme has no items; there is no tender to issue": "ليس في البرنامج بنود؛ لا توجد مناقصة لإصدارها",
    "tender revision": "إصدار المناقصة",
    "estimate baseline": "أساس التقدير",
    # estimator.store: the .boq file
    "no such file; create one with `boq new` or `boq demo`": "لا يوجد ملف بهذا الاسم؛ أنشئ ملفاً بالأمر `boq new` أو `boq demo`",
    "is a folder, not a .boq project file": "مجلد وليس ملف برنامج ‎.boq",
    "is not a regular file (a pipe or a device), not a .boq project file":
        "ليس ملفاً عادياً (أنبوب أو جهاز)، وليس ملف برنامج ‎.boq",
    "is not a BoQ Estimator project file (not an SQLite database)":
        "ليس ملف برنامج BoQ Estimator (ليس قاعدة بيانات SQLite)",
    "is an SQLite database but not a BoQ Estimator project file": "قاعدة بيانات SQLite لكنه ليس ملف برنامج BoQ Estimator",
    "is being written by another program; try again in a moment": "يكتب فيه برنامج آخر الآن؛ أعد المحاولة بعد قليل",
    "is open in another window or command; close it there first": "مفتوح في نافذة أو أمر آخر؛ أغلقه هناك أولاً",
    "is open read-only": "مفتوح للقراءة فقط",
    "already exists; choose another name or delete it first": "موجود مسبقاً؛ اختر اسماً آخر أو احذفه أولاً",
    "already exists; choose another name": "موجود مسبقاً؛ اختر اسماً آخر",
    "cannot be backed up: no such file": "لا يمكن أخذ نسخة احتياطية منه: الملف غير موجود",
    "is no longer a BoQ Estimator file of a format this version reads":
        "لم يعد ملف BoQ Estimator بصيغة يقرؤها هذا الإصدار",
    # estimator.model: the kinds of item
    "provisional sum": "مبلغ احتياطي",
    "prime cost sum": "مبلغ الكلفة الأساسية",
    "daywork": "أعمال المياومة",
    "profit and attendance": "الأرباح والخدمات",
    # estimator.check: the kinds of finding
    "unpriced": "غير مسعّر",
    "zero quantity": "كمية صفرية",
    "empty": "فارغ",
    "no Arabic": "دون نص عربي",
    "nothing to check": "لا شيء يستدعي المراجعة",
    "attendance": "الأرباح والخدمات",
    "bill order": "ترتيب الأقسام",
    "dayworks": "أعمال المياومة",
    "provisional and prime cost sums": "المبالغ الاحتياطية ومبالغ الكلفة الأساسية",
    "measured work": "الأعمال المقيسة",
    # estimator.worklist: the work list's columns (HEADER_NAMES), as named in messages
    "Facility": "المنشأة",
    "Section": "القسم",
    "Description": "بيان الأعمال",
    "Description (Arabic)": "بيان الأعمال (عربي)",
    "Quantity": "الكمية",
    "Unit": "الوحدة",
    "Code": "الرمز",
    "Rate": "السعر",
    "Currency": "العملة",
    "Rate unit": "وحدة السعر",
    "Governorate": "المحافظة",
    "District": "المنطقة",
    "Section (Arabic)": "القسم (عربي)",
    "Facility (Arabic)": "المنشأة (عربي)",
    "Facility type": "نوع المنشأة",
    "Floor area (m2)": "المساحة الطابقية (م2)",
    "Beds": "الأسرّة",
    "Provisional": "تقديري",
    "Notes": "الملاحظات",
}


def missing_arabic() -> list[str]:
    """Codes with no Arabic text, or whose Arabic uses a field the English does not give (a test keeps this empty)."""
    import string

    out = []
    for code, english in EN.items():
        arabic = AR.get(code)
        if arabic is None:
            out.append(f"{code}: no Arabic")
            continue
        given = {name for _, name, _, _ in string.Formatter().parse(english) if name}
        used = {name for _, name, _, _ in string.Formatter().parse(arabic) if name}
        if used - given:
            out.append(f"{code}: Arabic uses {sorted(used - given)}, not given")
    out += [f"{code}: Arabic for a code English does not have" for code in AR if code not in EN]
    return out
