"""Engine messages in English and Arabic from one catalogue (estimator.messages).

English stays what it was (the CLI's default, and what other tests assert on); Arabic comes from the
same codes and fields, in the window (BOQ_LANG set by the window) and in the CLI with --lang ar or
BOQ_LANG=ar. Real things: a work list written and imported, the `boq` command run as a user runs it.
"""

from __future__ import annotations

import ast
import re
import string
from decimal import Decimal
from pathlib import Path

import pytest

from estimator import messages, settings
from estimator.errors import (
    Cancelled,
    FileLocked,
    IncompatibleUnits,
    InvalidNumber,
    Problem,
    UnknownRate,
    UnknownUnit,
    ValidationFailed,
    localized,
)
from estimator.messages import AR, EN, PHRASES, Message
from estimator.rates import current_library
from estimator.store import load
from estimator.units import factor, parse_unit
from estimator.worklist import import_worklist
from tests.test_cli import boq
from tests.test_worklist import HEADER, _programme, _write

ROOT = Path(__file__).resolve().parent.parent
ARABIC = re.compile("[\u0600-\u06ff]")


def test_the_catalogue_has_arabic_for_every_code_with_the_same_fields() -> None:
    assert messages.missing_arabic() == []
    for code, english in EN.items():
        fields = {name for _, name, _, _ in string.Formatter().parse(english) if name}
        words = re.sub(r"\{[^}]*\}", "", AR[code])
        assert ARABIC.search(words) or not re.search("[A-Za-z]", words), code  # Arabic, or fields and punctuation
        Message(code, **dict.fromkeys(fields, 1)).text("ar")  # every field it needs is one English gives
    assert all(ARABIC.search(arabic) for arabic in PHRASES.values())


def test_every_code_used_in_the_source_is_in_the_catalogue() -> None:
    used = set()
    for path in [*ROOT.joinpath("estimator").rglob("*.py"), *ROOT.joinpath("ui").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "Message" \
                    and node.args and isinstance(node.args[0], ast.Constant):
                used.add((path.name, node.args[0].value))
    assert len(used) > 30
    assert [u for u in used if u[1] not in EN] == []


@pytest.mark.parametrize(("make", "english", "arabic"), [
    (lambda: UnknownUnit("sqft"), "unknown unit 'sqft'; use m, m2, m3, cm, mm, ft, ft2, kg, t, l, nr, set, item, ls, "
     "day, hour, kW or kWp (see `boq units`)", "وحدة غير معروفة «sqft»"),
    (lambda: IncompatibleUnits("kg", "m3", "row 4"), "row 4: quantity in 'kg' cannot be billed per 'm3' (different kinds "
     "of measure); measure it in the rate's unit or choose another rate", "لا يمكن تسعير كمية مقيسة بـ«kg» لكل «m3»"),
    (lambda: InvalidNumber("quantity", "12,5,0"), "quantity: '12,5,0' is not a valid number; write a plain number such "
     "as 1234.5", "الكمية: «12,5,0» ليس رقماً صحيحاً؛ اكتب رقماً بسيطاً مثل 1234.5"),
    (lambda: UnknownRate("XX-999"), "rate code 'XX-999' is not in the programme or the rate library",
     "رمز السعر «XX-999» غير موجود"),
    (lambda: FileLocked("a.boq", "is open in another window or command; close it there first"),
     "a.boq: is open in another window or command; close it there first", "a.boq: مفتوح في نافذة أو أمر آخر؛ أغلقه هناك أولاً"),
    (lambda: Cancelled("export"), "export cancelled; nothing was written", "أُلغي التصدير؛ لم يُكتب شيء"),
])
def test_errors_keep_their_english_and_have_arabic(make, english: str, arabic: str) -> None:  # type: ignore[no-untyped-def]
    exc = make()
    assert str(exc) == english == localized(exc, "en")
    assert arabic in localized(exc, "ar")


def test_the_language_follows_boq_lang(monkeypatch: pytest.MonkeyPatch) -> None:
    exc = UnknownUnit("sqft")
    monkeypatch.delenv("BOQ_LANG", raising=False)
    assert localized(exc) == str(exc)
    monkeypatch.setenv("BOQ_LANG", "ar")
    assert localized(exc).startswith("وحدة غير معروفة")
    assert str(exc).startswith("unknown unit")  # str() is English whatever the language


def test_unit_and_setting_errors_raised_by_the_engine_in_arabic() -> None:
    with pytest.raises(UnknownUnit) as unit:
        parse_unit("furlongs")
    assert "«furlongs»" in unit.value.in_language("ar")
    with pytest.raises(IncompatibleUnits) as kinds:
        factor("kg", "m2")
    assert "نوعان مختلفان من القياس" in kinds.value.in_language("ar")
    with pytest.raises(settings.InvalidSetting) as bad:
        settings.markup(Decimal("250"), "contingency")
    assert str(bad.value).startswith("contingency: 250 is not a percentage between")
    assert bad.value.in_language("ar").startswith("احتياطي للطوارئ: 250 ليست نسبة مئوية بين")


def test_import_problems_in_arabic_name_row_column(minilib: Path, tmp_path: Path) -> None:
    bad = HEADER + "\nTest Hospital,Idlib,hospital,2500,Concrete,RC-020,Slab by area,,40,m2,,,\n" \
                   ",,,,Concrete,,Rate-less item,,-3,m3,,,\n"
    with pytest.raises(ValidationFailed) as info:
        import_worklist(_programme(), _write(tmp_path, bad), current_library().book)
    exc = info.value
    english, arabic = str(exc).splitlines(), exc.in_language("ar").splitlines()
    assert english[0] == "work list wl.csv: 3 problems, nothing was changed"
    assert arabic[0] == "قائمة الأعمال wl.csv: عدد المشكلات 3، ولم يُغيَّر شيء"
    assert len(arabic) == len(english) == 4
    by_column = {p.column: p for p in exc.problems}
    assert set(by_column) == {"Unit", "Quantity", "Code"}
    assert "row 2, column 'Unit': Test Hospital, 'Slab by area': quantity measured in m2 cannot be billed per m3" \
        in str(by_column["Unit"])
    assert by_column["Unit"].text("ar").startswith("wl.csv، السطر 2، العمود «الوحدة»: Test Hospital، «Slab by area»: "
                                                   "لا يمكن تسعير كمية مقيسة بـm2 لكل m3 (السعر RC-020)")
    assert by_column["Quantity"].what("ar") == "-3 قيمة سالبة؛ أدخل الحذوفات بنداً دائناً مستقلاً بكمية موجبة"
    assert all(ARABIC.search(line) for line in arabic)
    assert Problem.of("f", Message("is_empty"), 3, "Facility") == Problem("f", "is empty", 3, "Facility")


def test_the_cli_speaks_arabic_with_lang_or_boq_lang(tmp_path: Path) -> None:
    missing = tmp_path / "none.boq"
    english = boq("price", missing)
    assert english.returncode == 1
    assert english.stderr.strip() == f"boq price: {missing}: no such file; create one with `boq new` or `boq demo`"
    for run in (boq("--lang", "ar", "price", missing), boq("price", missing, env={"BOQ_LANG": "ar"})):
        assert run.returncode == 1
        assert run.stderr.strip() == f"boq price: {missing}: لا يوجد ملف بهذا الاسم؛ أنشئ ملفاً بالأمر `boq new` أو `boq demo`"
    with pytest.raises(Exception) as opened:
        load(missing)
    assert localized(opened.value, "en") in english.stderr


def test_a_commands_own_lang_is_the_documents_not_the_messages(tmp_path: Path) -> None:
    """`boq export --lang ar` asks for Arabic documents; the messages stay English (only `boq --lang ar` changes them)."""
    run = boq("export", tmp_path / "none.boq", "--xlsx", tmp_path / "x.xlsx", "--lang", "ar")
    assert run.returncode == 1
    assert "no such file" in run.stderr
