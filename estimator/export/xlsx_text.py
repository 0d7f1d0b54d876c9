"""The words of the Excel BoQ in English and Arabic.

`text(key, lang)` gives one cell's text: English, Arabic, or for a bilingual workbook ("both") the
English line above the Arabic line. `pair(key, lang)` gives the texts of a row that has an English
and an Arabic description column: (English, Arabic) when bilingual, else (text, None).
"""

from __future__ import annotations

# key -> (English, Arabic); `{name}` placeholders are filled by text()/pair().
TEXTS: dict[str, tuple[str, str]] = {
    "item": ("Item", "بند"),
    "description": ("Description", "بيان الأعمال"),
    "description_ar": ("Description (Arabic)", "بيان الأعمال (عربي)"),
    "unit": ("Unit", "الوحدة"),
    "quantity": ("Quantity", "الكمية"),
    "rate": ("Rate ({currency})", "سعر الوحدة ({currency})"),
    "amount": ("Amount ({currency})", "المبلغ ({currency})"),
    "no": ("No.", "رقم"),
    "lot": ("Facility / lot", "المنشأة / الحصة"),
    "percent": ("%", "%"),
    "reference": ("Tender ref.", "مرجع المناقصة"),
    "currency": ("Currency", "العملة"),
    "revision": ("Revision", "الإصدار"),
    "date": ("Date", "التاريخ"),
    "facility": ("Facility", "المنشأة"),
    "organisation": ("Organisation", "الجهة"),
    "summary_sheet": ("General Summary", "الملخص العام"),
    "subtotal": ("Subtotal", "المجموع الفرعي"),
    "grand_total": ("Grand total", "المجموع الكلي"),
    "Contingency": ("Contingency", "احتياطي للطوارئ"),
    "Overheads & profit": ("Overheads & profit", "مصاريف عامة وأرباح"),
    "Tax": ("Tax", "ضريبة"),
    # Arabic sentences name a bill by its Arabic name or its number, and the facility not at all
    # (its name is in the sheet's header): an English name inside an Arabic sentence reads badly.
    "bill_total": ("Total of {bill}, carried to summary", "مجموع {bill}، منقول إلى الخلاصة"),
    "bill_number": ("Bill {number}", "القسم {number}"),
    "bills_summary": ("Summary of bills: {facility}", "خلاصة الأقسام"),
    "facility_total": ("Total of {facility}, carried to the General Summary", "مجموع المنشأة، منقول إلى الملخص العام"),
    "bidder": ("To be completed by the bidder", "يملؤها مقدم العرض"),
    "company": ("Company name", "اسم الشركة"),
    "bid_date": ("Date", "التاريخ"),
    "signature": ("Signature", "التوقيع"),
    "stamp": ("Stamp", "الختم"),
    "priced_kind": ("Bill of quantities: priced estimate", "جدول الكميات: التقدير المسعّر"),
    "tender_kind": ("Bill of quantities for pricing", "جدول الكميات للتسعير"),
    # "صفحة &P من &N" comes out as "صفحة1 من  6" in LibreOffice's footers; "x / y" survives the bidi
    "page": ("Page &P of &N", "صفحة &P / &N"),
    "sign_every_page": ("Bidder's signature and stamp:", "توقيع وختم مقدم العرض"),
    "prompt_title": ("Unit rate", "سعر الوحدة"),
    "prompt": ("Enter your unit rate in {currency}, a number of 0 or more, for the unit in the Unit column.",
               "أدخل سعر الوحدة بعملة {currency}، رقماً يساوي الصفر أو أكبر، للوحدة المبينة في عمود الوحدة."),
    "error_title": ("Not a valid rate", "سعر غير صالح"),
    "error": ("A rate is a number of 0 or more, e.g. 125.50. Leave the cell empty if you do not price the item.",
              "السعر رقم يساوي الصفر أو أكبر، مثل 125.50. اترك الخلية فارغة إن لم تسعّر البند."),
}


Value = str | tuple[str, str]  # a placeholder's value, or its (English, Arabic) values


def _fill(template: str, values: dict[str, Value], arabic: bool) -> str:
    if not values:
        return template
    return template.format(**{k: v if isinstance(v, str) else v[arabic] for k, v in values.items()})


def text(key: str, lang: str, **values: Value) -> str:
    english, arabic = TEXTS[key]
    if lang == "en":
        return _fill(english, values, False)
    if lang == "ar":
        return _fill(arabic, values, True)
    return f"{_fill(english, values, False)}\n{_fill(arabic, values, True)}"


def pair(key: str, lang: str, **values: Value) -> tuple[str, str | None]:
    english, arabic = TEXTS[key]
    if lang == "both":
        return _fill(english, values, False), _fill(arabic, values, True)
    return text(key, lang, **values), None
