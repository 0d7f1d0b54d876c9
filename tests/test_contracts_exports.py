"""The certificate's workbook and PDF: LibreOffice recalculates the workbook to the certificate's figures to
the cent; the PDF, read back with pdftotext, prints them (English, Arabic and both)."""

from __future__ import annotations

import csv
import json
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from estimator.cli.main import main
from tests.support.contracts import Example, make, write_csv
from tests.support.libreoffice import convert

SUMMARY = {"Contract sum": "contract_sum", "Revised contract sum (approved variations)": "revised_sum",
           "Gross value of work to date": "gross_to_date", "Materials on site": "materials_on_site",
           "Valuation": "valuation", "Less retention held": "retention", "Advance payment": "advance",
           "Less advance recovered to date": "advance_recovery", "Net to date": "net_to_date",
           "Less previous certificates": "previous_certified", "Amount due this certificate": "amount_due"}


@pytest.fixture(scope="module")
def certified(tmp_path_factory: pytest.TempPathFactory) -> tuple[Example, dict[int, dict[str, object]]]:
    """The hand-checked example (tests/test_contracts.py) up to the retention release; each certificate's JSON."""
    folder = tmp_path_factory.mktemp("exports")
    ex = make(folder)
    boq = ex.boq
    assert main(["contract", "award", str(boq), "--lot", "1", "--bid", str(ex.bid), "--date", "2027-02-01"]) == 0
    vo = write_csv(folder / "vo1.csv", [["action", "item", "quantity", "description", "description ar", "unit", "rate"],
                                        ["change", "1.3", "340", "", "", "", ""],
                                        ["add", "V1.1", "12", "Steel handrail to access ramp", "درابزين فولاذي", "m",
                                         "45.60"]])
    steps = [(1, [["1.1", "60", ""], ["1.4", "", "100"]], []),
             (2, [["1.1", "100", ""], ["1.2", "25.5", ""], ["1.3", "120.4", ""]], []),
             (3, [["1.2", "36", ""], ["1.3", "310", ""], ["V1.1", "6", ""]], ["--materials", "500"]),
             (4, [["1.2", "40", ""], ["1.3", "338", ""], ["V1.1", "12", ""], ["1.4", "", "100"]], ["--final"])]
    out: dict[int, dict[str, object]] = {}
    for period, rows, extra in steps:
        if period == 3:
            assert main(["contract", "vary", str(boq), str(vo), "--lot", "1", "--name", "VO-1"]) == 0
        m = write_csv(folder / f"m{period}.csv", [["item", "quantity", "percent"], *rows])
        assert main(["contract", "measure", str(boq), "--lot", "1", "--period", str(period), str(m)]) == 0
        assert main(["contract", "certificate", str(boq), "--lot", "1", "--period", str(period), "--date",
                     f"2027-0{period + 1}-28", *extra]) == 0
    assert main(["contract", "certificate", str(boq), "--lot", "1", "--period", "5", "--release", "--date",
                 "2028-06-01"]) == 0
    return ex, out


def _json(boq: Path, period: int, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    capsys.readouterr()
    assert main(["contract", "certificate", str(boq), "--lot", "1", "--period", str(period), "--json"]) == 0
    return dict(json.loads(capsys.readouterr().out))


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", "").strip() or "0")


@pytest.mark.libreoffice
@pytest.mark.parametrize("period", [1, 2, 3, 4, 5])
def test_libreoffice_recalculates_the_certificate(certified: tuple[Example, dict[int, dict[str, object]]],
                                                  period: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ex, _ = certified
    cert = _json(ex.boq, period, capsys)
    xlsx = tmp_path / f"ipc{period}.xlsx"
    assert main(["contract", "certificate", str(ex.boq), "--lot", "1", "--period", str(period), "--xlsx", str(xlsx)]) == 0
    # the workbook holds formulas, not the figures typed in
    ws = openpyxl.load_workbook(xlsx).active
    assert ws is not None
    formulas = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert any("ROUND(" in f for f in formulas) and any(f.startswith("=SUM(") for f in formulas)
    out = convert(xlsx, "csv:Text - txt - csv (StarCalc):44,34,76", tmp_path / "lo")  # 76: UTF-8
    rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
    seen = {}
    for row in rows:
        if len(row) >= 3 and row[1] in SUMMARY:
            seen[SUMMARY[row[1]]] = _number(row[2])
    assert set(seen) == set(SUMMARY.values())
    for key, value in seen.items():
        assert value == Decimal(str(cert[key])), (period, key, value, cert[key])
    items = {row[0]: row for row in rows if row and row[0] in {i["ref"] for i in cert["items"]}}  # type: ignore[attr-defined]
    for item in cert["items"]:  # type: ignore[attr-defined]
        row = items[item["ref"]]
        assert _number(row[10]) == Decimal(item["cumulative_value"]), (period, item["ref"])
        assert _number(row[11]) == Decimal(item["this_value"]), (period, item["ref"])


def _pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("lang", ["en", "ar", "both"])
def test_the_pdf_prints_the_certificate(certified: tuple[Example, dict[int, dict[str, object]]], lang: str,
                                        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ex, _ = certified
    pdf = tmp_path / f"ipc3-{lang}.pdf"
    assert main(["contract", "certificate", str(ex.boq), "--lot", "1", "--period", "3", "--pdf", str(pdf), "--lang",
                 lang]) == 0
    text = _pdftotext(pdf)
    for figure in ("12,000.00", "12,897.20", "11,620.10", "500.00", "12,120.10", "-600.00", "-2,324.02", "9,196.08",
                   "-5,593.90", "3,602.18", "6,669.00", "273.60"):
        assert figure in text, (lang, figure)
    assert ("Interim payment certificate no. 3" in text) == (lang != "ar")
    assert ("Three thousand six hundred two US dollars and eighteen cents" in text) == (lang != "ar")
    arabic = sum("\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff" for ch in text)
    assert (arabic > 100) == (lang != "en")
    assert "Page 1 of 1" in text  # one page for a five-item certificate, in both languages too


def test_outputs_are_guarded(certified: tuple[Example, dict[int, dict[str, object]]],
                             capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    ex, _ = certified
    before = ex.boq.read_bytes()
    assert main(["contract", "certificate", str(ex.boq), "--lot", "1", "--period", "3", "--pdf", str(ex.boq)]) == 1
    assert "is an input of this command" in capsys.readouterr().err
    other = tmp_path / "notes.pdf"
    other.write_text("my notes")
    assert main(["contract", "certificate", str(ex.boq), "--lot", "1", "--period", "3", "--pdf", str(other)]) == 1
    assert other.read_text() == "my notes" and ex.boq.read_bytes() == before
