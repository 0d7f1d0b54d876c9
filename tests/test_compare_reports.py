"""The comparison reports as files: the workbook read back (and drawn by LibreOffice), the PDF parsed."""

from __future__ import annotations

import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pdfplumber
import pytest

from estimator.analysis.compare import compare
from estimator.analysis.report_pdf import write_comparison_pdf
from estimator.analysis.report_xlsx import FIRST_TRADE_COLUMN, write_comparison_xlsx
from estimator.cli import main
from estimator.model import Programme
from estimator.store import Project
from tests.test_compare import hospitals


def test_workbook_figures_and_native_charts(tmp_path: Path) -> None:
    prog = hospitals()
    prog.facilities[0].name = "=HYPERLINK(\"http://x\")"  # a typed name is text, never a formula
    out = tmp_path / "cmp.xlsx"
    write_comparison_xlsx(compare(prog), out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Summary", "Facilities", "Trades per m²", "Outliers", "Charts"]
    fac = wb["Facilities"]
    assert [c.value for c in fac[1]][:8] == ["Facility", "Facility type", "Governorate", "Floor area m²", "Beds", "Total",
                                             "Per m²", "Per bed"]
    assert fac.cell(2, 1).value == "=HYPERLINK(\"http://x\")" and fac.cell(2, 1).data_type == "s"
    h4 = [c.value for c in fac[5]]
    assert h4[0] == "H4" and Decimal(str(h4[5])) == Decimal("1700") and Decimal(str(h4[6])) == Decimal("17")
    assert [fac.cell(1, c).value for c in (FIRST_TRADE_COLUMN, FIRST_TRADE_COLUMN + 1)] == ["Plastering", "Painting"]
    outliers = wb["Outliers"]
    assert outliers.cell(2, 1).value == "H4" and "3.5 times the median" in outliers.cell(2, 9).value
    charts = wb["Charts"]._charts
    assert len(charts) == 2
    stacked, per_type = charts
    assert stacked.grouping == "stacked" and stacked.overlap == 100
    assert [s.tx.v for s in stacked.series] == ["Plastering", "Painting"]
    assert stacked.series[1].val.numRef.f == "'Facilities'!$J$2:$J$6"
    assert len(per_type.series) == 3  # minimum, median, maximum per m² by type
    assert per_type.series[1].val.numRef.f.startswith("'Summary'!$F$")


@pytest.mark.libreoffice
@pytest.mark.libreoffice
def test_libreoffice_draws_the_workbook_charts(tmp_path: Path, sample_programme: Programme) -> None:
    out = tmp_path / "cmp.xlsx"
    write_comparison_xlsx(compare(sample_programme), out)
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(out)], check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", str(tmp_path / "cmp.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Total per facility by trade (USD)" in text
    assert "Cost per m² of floor by facility type (USD)" in text
    assert "Al-Qaniya Hospital" in text and "Removal and demolition" in text


def test_pdf_report_has_charts_tables_and_reasons(tmp_path: Path) -> None:
    prog = hospitals()
    prog.facilities[1].name = "مستشفى الأمل"  # an Arabic name is shaped and drawn in the Arabic font
    out = tmp_path / "cmp.pdf"
    write_comparison_pdf(compare(prog), out)
    with pdfplumber.open(out) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        pages = len(pdf.pages)
        fills = {tuple(round(v, 3) for v in r["non_stroking_color"]) for p in pdf.pages for r in p.rects
                 if r.get("non_stroking_color") and len(r["non_stroking_color"]) == 3}
        fonts = {ch["fontname"] for p in pdf.pages for ch in p.chars}
    assert "Total per facility by trade (USD)" in text
    assert "Cost per m² of floor by facility type" in text
    assert "Painting costs 7.00 USD per m² of floor" in text
    assert "1,700.00" in text and "17.00" in text
    assert f"Page {pages} of {pages}" in text
    # the bars of the first two trades are drawn in their palette colours (E69F00, 56B4E9)
    assert (0.902, 0.624, 0.0) in fills and (0.337, 0.706, 0.914) in fills
    assert any("Amiri" in f for f in fonts)


def test_cli_writes_both_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "h.boq"
    Project.create(path, hospitals()).close()
    xlsx, pdf = tmp_path / "r.xlsx", tmp_path / "r.pdf"
    assert main(["compare", str(path), "--json", "--xlsx", str(xlsx), "--pdf", str(pdf)]) == 0
    captured = capsys.readouterr()
    assert captured.out.lstrip().startswith("{") and f"wrote {xlsx}" in captured.err
    assert xlsx.stat().st_size > 0 and pdf.read_bytes().startswith(b"%PDF")
    # a report into a folder that does not exist: a message, and no file anywhere
    assert main(["compare", str(path), "--xlsx", str(tmp_path / "nope" / "r.xlsx")]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "nope").exists()
