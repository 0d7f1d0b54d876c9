"""Every export is a valid file whatever the model holds, and refuses the same texts with the same message.

Control characters (ESC, SUB, NUL, BEL, C1 controls), non-characters (U+FFFE, U+FFFF), lone
surrogates and byte-order marks are put in every text a document prints: programme, facility,
bill and item names, Arabic names, notes, governorate, reference, organisation, and the sheet
names and page headers/footers derived from them. The workbook is unpacked and every XML part
parsed back with a strict XML parser (expat), then opened by LibreOffice; the PDF is read back with
pdftotext. Before: sheet names and footers carried the characters raw and the workbook was
malformed while the export said "wrote"; a PDF of a 50-million-character description never ended.
"""

from __future__ import annotations

import subprocess
import time
import xml.etree.ElementTree as ET
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from estimator import limits, programme_limits
from estimator.export.pdf import write_pdf
from estimator.export.xlsx import write_xlsx
from estimator.model import Item, Programme
from estimator.pricing import price
from tests.reliability.states import make_programme
from tests.support import libreoffice

BAD = "\x00\x1b\x1a\x07\x0b\x7f\x85\x9b\ufffe\uffff\ud800\udfff\ufeff\r"


def _dirty(text: str) -> str:
    return f"{BAD[:4]}{text}{BAD[4:]}"


def _hostile() -> Programme:
    prog = make_programme(2, 6)
    prog.name, prog.reference, prog.organisation = _dirty("Programme"), _dirty("REF-1"), _dirty("Org")
    for n, fac in enumerate(prog.facilities):
        fac.name, fac.name_ar = _dirty(f"Facility {n}"), _dirty("مستشفى")
        fac.governorate, fac.district, fac.notes = _dirty("Idlib"), _dirty("Harim"), _dirty("note")
        for bill in fac.bills:
            bill.name, bill.name_ar = _dirty(bill.name), _dirty("القسم")
            for item in bill.items:
                item.description, item.description_ar = _dirty(item.description), _dirty("أعمال")
                item.notes = _dirty("n")
    return prog


def _parse_every_part(path: Path) -> list[str]:
    """Every XML part of the workbook parsed strictly; returns the parts' names."""
    names = []
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            data = zf.read(info)
            if info.filename.endswith((".xml", ".rels")):
                ET.fromstring(data)  # expat: an illegal character is "not well-formed (invalid token)"
                assert not any(c in data.decode("utf-8") for c in "\x1b\x1a\x07\x85\x9b\ufffe\uffff\ufeff")
                names.append(info.filename)
    return names


@pytest.mark.parametrize(("lang", "priced"), [("en", True), ("both", False), ("ar", True)])
def test_the_workbook_is_valid_xml_whatever_the_model_holds(tmp_path: Path, lang: str, priced: bool) -> None:
    prog = _hostile()
    out = tmp_path / "boq.xlsx"
    write_xlsx(prog, out, priced=priced, lang=lang)
    parts = _parse_every_part(out)
    assert "xl/workbook.xml" in parts and "docProps/core.xml" in parts
    with zipfile.ZipFile(out) as zf:
        sheet = zf.read("xl/worksheets/sheet2.xml").decode()
        assert "Facility 0" in sheet or "مستشفى" in sheet
        assert "<oddFooter>" in sheet or lang == "ar"


@pytest.mark.libreoffice
def test_libreoffice_opens_it_and_gets_the_totals(tmp_path: Path) -> None:
    prog = _hostile()
    out = tmp_path / "boq.xlsx"
    write_xlsx(prog, out, priced=True, lang="both")
    values = libreoffice.computed(out, tmp_path / "lo")
    names = list(values)
    assert "Facility 0" in names[1] and "\x1b" not in "".join(names)
    total = price(programme_limits.for_export(prog)).grand_total
    flat = [c for row in values[names[0]] for c in row if isinstance(c, (int, float))]
    assert any(abs(Decimal(str(c)) - total) < Decimal("0.005") for c in flat)


def test_the_pdf_prints_the_cleaned_texts(tmp_path: Path) -> None:
    out = tmp_path / "pack.pdf"
    write_pdf(_hostile(), out, priced=True, lang="en")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Facility 0" in text and "REF-1" in text
    assert not any(c in text for c in "\x1b\x1a\x07\ufffe\uffff")


def test_the_exported_model_is_a_clean_copy_and_the_original_is_untouched() -> None:
    prog = _hostile()
    clean = programme_limits.for_export(prog)
    assert clean is not prog and clean.name == "Programme" and prog.name == _dirty("Programme")
    assert clean.facilities[0].bills[0].items[0].uid == prog.facilities[0].bills[0].items[0].uid
    plain = make_programme(1, 3)
    assert programme_limits.for_export(plain) is plain  # nothing to clean: no copy


@pytest.mark.parametrize("size", [40_000, 50_000_000])
def test_a_description_too_long_is_refused_by_both_exports_with_the_same_message(tmp_path: Path, size: int) -> None:
    prog = make_programme(1, 2)
    prog.facilities[0].bills[0].items.append(Item("w" * size, Decimal("1"), "m2", ref="1.9", rate=Decimal("2")))
    messages = []
    start = time.monotonic()
    for write, name in ((write_xlsx, "boq.xlsx"), (write_pdf, "pack.pdf")):
        with pytest.raises(limits.TextTooLong) as info:
            write(prog, tmp_path / name, priced=True, lang="en")
        messages.append(str(info.value))
        assert not (tmp_path / name).exists()
    assert time.monotonic() - start < 60
    assert messages[0] == messages[1]
    assert f"item '1.9': description has {size:,} characters, more than the 32,767 allowed" in messages[0]


def test_typed_text_gets_the_same_check(tmp_path: Path) -> None:
    with pytest.raises(limits.TextTooLong, match="Description: description has 40,000 characters, more than the 32,767"):
        limits.typed("Description", "x" * 40_000)
    assert limits.typed("Rate code", "PL-010  Internal cement plaster, 2 coats, 20 mm") == \
        "PL-010  Internal cement plaster, 2 coats, 20 mm"  # the completer's text
    assert limits.typed("Description", " wall\x1b\u0085 ") == "wall"


def test_boq_new_cleans_and_bounds_the_name(tmp_path: Path) -> None:
    from estimator.store import load
    from tests.reliability.test_hostile_magnitudes import _cli

    done = _cli(tmp_path, "new", str(tmp_path / "a.boq"), "--name", "\x1b[2JClinic\x07 \ufeffHarim")
    assert done.returncode == 0, done.stderr
    assert load(tmp_path / "a.boq").name == "[2JClinic Harim"
    done = _cli(tmp_path, "new", str(tmp_path / "b.boq"), "--name", "N" * 300)
    assert done.returncode == 1 and done.stderr.startswith("boq new: --name: name has 300 characters, more than the 200")
    assert not (tmp_path / "b.boq").exists()


def test_the_comparison_reports_are_valid_whatever_the_model_holds(tmp_path: Path) -> None:
    """Found after the merge: `boq compare --xlsx` wrote U+FFFE and ESC from facility names raw (three sheets
    not well-formed) and the PDF printed ESC; the report writers now clean text as the BoQ exports do."""
    from estimator.analysis.compare import compare
    from estimator.analysis.report_pdf import write_comparison_pdf
    from estimator.analysis.report_xlsx import write_comparison_xlsx

    comparison = compare(_hostile())
    write_comparison_xlsx(comparison, tmp_path / "c.xlsx")
    assert _parse_every_part(tmp_path / "c.xlsx")
    write_comparison_pdf(comparison, tmp_path / "c.pdf")
    shown = subprocess.run(["pdftotext", str(tmp_path / "c.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert "Facility 0" in shown and not any(c in shown for c in "\x1b\x1a\x07\ufffe\uffff")
