"""Issue 16, money structure: provisional sums, prime cost sums with the bidder's profit and attendance,
daywork schedules and per-lot particulars, through pricing, work lists, the command line, the .boq file,
tender revisions and both exports (PDF parsed back with pdftotext; workbook read back with openpyxl and
recalculated by LibreOffice)."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from estimator import revisions
from estimator.cli.main import main
from estimator.errors import UserError, ValidationFailed
from estimator.export.pdf import write_pdf
from estimator.export.xlsx import write_xlsx
from estimator.export.xlsx_layout import HEADER_ROW, TENDER_SHEET, letters, read_tender
from estimator.model import (
    DAYWORK,
    FIXED_SUMS,
    MEASURED,
    PC_ATTENDANCE,
    PC_SUM,
    PERCENT,
    PROVISIONAL_SUM,
    Bill,
    Facility,
    Item,
    Markups,
    Programme,
    renumber,
)
from estimator.money import percent_of
from estimator.particulars import LotParticulars, TenderParticulars, edit_tender
from estimator.pricing import Line, price, tender_view
from estimator.store import Project, load
from estimator.worklist import import_worklist
from tests.support.libreoffice import convert

D = Decimal


def tender_programme(charge_tax: bool = False) -> Programme:
    """Two lots, each with measured work, a provisional sum, a PC sum and its profit and attendance,
    and a daywork schedule; 5 % contingency, 10 % overheads and 11 % tax on the estimate."""
    lots = []
    for n, name in enumerate(("Harim General Hospital", "Bardaqli Health Centre"), start=1):
        measured = Bill("1 Plastering", items=[
            Item("Internal cement plaster, 2 coats", D("120.5"), "m2", rate=D("7.25"), rate_currency="USD"),
            Item("Steel door 90x210", D(3), "nr", rate=D("153.333"), rate_currency="USD")])
        sums = Bill("2 Provisional sums and prime cost sums", items=[
            Item("Provisional sum for unforeseen repairs", D(1), "ls", rate=D(2500 * n), kind=PROVISIONAL_SUM),
            Item("Prime cost sum for medical gas outlets", D(1), "ls", rate=D("8000"), kind=PC_SUM),
            Item("Add for profit and attendance on the PC sum above", D("8000"), PERCENT, rate=D("12.5"),
                 kind=PC_ATTENDANCE)])
        days = Bill("3 Daywork schedule", items=[
            Item("Labour: skilled tradesman", D(10), "day", rate=D(30), kind=DAYWORK),
            Item("Plant: backhoe loader with operator", D(8), "hour", rate=D(35), kind=DAYWORK),
            Item("Materials: cement", D(1), "t", rate=D(115), kind=DAYWORK)])
        lots.append(Facility(name, "Idlib", bills=[measured, sums, days]))
    programme = Programme("Tender money", reference="NWS-T-16", organisation="Test NGO", revision="0",
                          issue_date=dt.date(2026, 11, 1), markups=Markups(D(5), D(10), D(11)), facilities=lots)
    programme.particulars = edit_tender(TenderParticulars(), {"bid_security": "1500", "completion_days": "120",
                                                              "bidders_charge_tax": "yes" if charge_tax else "no"})
    programme.lot_overrides[lots[0].uid] = LotParticulars(completion_days=150, bid_security=D(3000))
    for facility in lots:
        renumber(facility)
    return programme


def lines(programme: Programme) -> list[Line]:
    return [ln for ft in price(programme).facilities for bt in ft.bills for ln in bt.lines]


def test_pricing_of_each_kind_and_the_bidders_view() -> None:
    programme = tender_programme()
    est = price(programme)
    by_desc = {ln.item.description: ln for ln in est.facilities[0].bills[1].lines}
    pa = by_desc["Add for profit and attendance on the PC sum above"]
    assert (pa.quantity, pa.unit, pa.rate, pa.amount) == (D("8000.00"), PERCENT, D("12.50"), D("1000.00"))
    assert by_desc["Provisional sum for unforeseen repairs"].amount == D("2500.00")
    # the engineer's estimate keeps every markup
    assert [m.name for m in est.markups] == ["Contingency", "Overheads & profit", "Tax"]
    # the tender copy: fixed sums at their amounts, the rest for bidders, no employer's markups
    view = tender_view(programme, est)
    assert view.markups == [] and view.grand_total == view.subtotal == D("2500") + D("5000") + 2 * D("8000")
    for ln in (ln for ft in view.facilities for bt in ft.bills for ln in bt.lines):
        assert (ln.amount != 0) == (ln.item.kind in FIXED_SUMS)
    # when bidders charge the tax, it is the one markup their summary adds
    taxed = tender_programme(charge_tax=True)
    assert [m.name for m in tender_view(taxed, price(taxed)).markups] == ["Tax"]


def test_attendance_without_a_percentage_is_a_problem_named() -> None:
    programme = tender_programme()
    programme.facilities[0].bills[1].items[2].rate = None
    est = price(programme)
    assert any("profit and attendance" in p and "2.3" in p for p in est.problems)


def _pdf_text(path: Path) -> str:
    run = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, timeout=120, check=True)
    return run.stdout


def test_unpriced_pdf_has_the_fixed_sums_and_no_employers_markups(tmp_path: Path) -> None:
    programme = tender_programme()
    write_pdf(programme, tmp_path / "tender.pdf", priced=False, workers=0)
    write_pdf(programme, tmp_path / "estimate.pdf", priced=True, workers=0)
    tender, estimate = _pdf_text(tmp_path / "tender.pdf"), _pdf_text(tmp_path / "estimate.pdf")
    markup_line = re.compile(r"^\s*(Contingency|Overheads & profit|Tax) \(\d+(\.\d+)? % of subtotal\)", re.M)
    assert [m.group(1) for m in markup_line.finditer(estimate)] == ["Contingency", "Overheads & profit", "Tax"]
    assert not markup_line.search(tender)
    # the provisional sums, with their rate and amount, in the tender copy
    for amount in ("2,500.00", "5,000.00"):
        assert re.search(rf"Provisional sum for unforeseen repairs\s+LS\s+1\.00\s+{amount}\s+{amount}", tender)
    assert re.search(r"Prime cost sum for medical gas outlets\s+LS\s+1\.00\s+8,000\.00\s+8,000\.00", tender)
    # profit and attendance: the PC sum as quantity, the bidder's % and amount left blank
    assert re.search(r"profit and attendance on the PC sum above\s+%\s+8,000\.00\s*$", tender, re.M)
    assert re.search(r"profit and attendance on the PC sum above\s+%\s+8,000\.00\s+12\.50\s+1,000\.00", estimate)
    # dayworks: provisional quantities, rates and amounts left for the bidder
    for desc, qty in (("Labour: skilled tradesman", "10.00"), ("Plant: backhoe loader with operator", "8.00")):
        assert re.search(rf"{re.escape(desc)}\s+\w+\s+{qty}\s*$", tender, re.M), desc
        assert re.search(rf"{re.escape(desc)}\s+\w+\s+{qty}\s+\d", estimate), desc
    assert "Grand total" in tender


def _bidder_fills(tender: Path, out: Path, programme: Programme) -> None:
    """A bidder types the engineer's rates into the rate cells (by uid); fixed sums are left alone."""
    wb = openpyxl.load_workbook(tender)
    info = read_tender(wb[TENDER_SHEET].iter_rows(values_only=True))
    assert info is not None
    col = letters("en")
    rates = {ln.item.uid: ln for ln in lines(programme)}
    for sheet in info.facilities:
        ws = wb[sheet.sheet]
        for r in range(HEADER_ROW + 1, ws.max_row + 1):
            ln = rates.get(ws[f"{col['uid']}{r}"].value)
            if ln is None:
                continue
            cell = ws[f"{col['rate']}{r}"]
            if ln.item.kind in FIXED_SUMS:
                assert cell.protection.locked and cell.value == float(ln.rate)  # printed, locked
            else:
                assert cell.value is None and not cell.protection.locked
                cell.value = float(ln.rate)
    wb.save(out)


def _summary_csv(xlsx: Path, outdir: Path) -> list[list[str]]:
    """The General Summary (the first sheet) as LibreOffice computes it (`soffice --convert-to csv`)."""
    import csv

    path = convert(xlsx, "csv", outdir)
    return [row for row in csv.reader(path.read_text(encoding="utf-8").splitlines()) if any(row)]


def _amount(text: str) -> Decimal:
    return D(text.replace(",", ""))


@pytest.mark.libreoffice
@pytest.mark.parametrize("charge_tax", [False, True])
def test_tender_workbook_recalculates_to_the_bidders_total(tmp_path: Path, charge_tax: bool) -> None:
    programme = tender_programme(charge_tax)
    est = price(programme)
    tender = tmp_path / "tender.xlsx"
    write_xlsx(programme, tender, priced=False)
    blank = _summary_csv(tender, tmp_path / "lo1")
    labels = [row[1] for row in blank]
    assert "Contingency" not in labels and "Overheads & profit" not in labels
    assert ("Tax" in labels) == charge_tax
    fixed = D("2500") + D("5000") + 2 * D("8000")  # nothing priced yet: the fixed sums alone
    grand = next(row for row in blank if row[1] == "Grand total")
    assert _amount(grand[3]) == fixed + (percent_of(fixed, D(11)) if charge_tax else 0)
    lot_rows = [row for row in blank if row[0] in ("1", "2")]
    assert [_amount(r[3]) for r in lot_rows] == [D("10500"), D("13000")]

    bid = tmp_path / "bid" / "bid.xlsx"
    bid.parent.mkdir()
    _bidder_fills(tender, bid, programme)
    filled = _summary_csv(bid, tmp_path / "lo2")
    lots = [_amount(r[3]) for r in filled if r[0] in ("1", "2")]
    assert lots == [ft.total for ft in est.facilities]  # measured + fixed sums + P&A + dayworks
    subtotal = next(_amount(r[3]) for r in filled if r[1].startswith("Subtotal"))
    assert subtotal == est.subtotal
    tax = est.markups[-1].amount if charge_tax else D(0)
    assert next(_amount(r[3]) for r in filled if r[1] == "Grand total") == est.subtotal + tax
    assert est.grand_total > est.subtotal + tax  # the estimate's contingency and overheads stay the employer's


def test_priced_workbook_keeps_every_markup(tmp_path: Path) -> None:
    programme = tender_programme()
    write_xlsx(programme, tmp_path / "estimate.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "estimate.xlsx").worksheets[0]
    labels = [ws[f"B{r}"].value for r in range(1, ws.max_row + 1)]
    assert {"Contingency", "Overheads & profit", "Tax"} <= set(labels)


def test_tender_copy_refuses_a_provisional_sum_without_an_amount(tmp_path: Path) -> None:
    programme = tender_programme()
    programme.facilities[1].bills[1].items[0].rate = None
    for write in (write_xlsx, write_pdf):
        with pytest.raises(UserError, match=r"(?s)provisional or prime cost sum.*Bardaqli Health Centre.*2\.1"):
            write(programme, tmp_path / "out", priced=False)
        assert not (tmp_path / "out").exists()


def test_boq_file_round_trip_and_tender_revision_freeze_kinds_and_particulars(tmp_path: Path) -> None:
    programme = tender_programme()
    path = tmp_path / "t.boq"
    Project.create(path, programme).close()
    back = load(path)
    assert [i.kind for f in back.facilities for b in f.bills for i in b.items] == \
           [i.kind for f in programme.facilities for b in f.bills for i in b.items]
    assert back.particulars == programme.particulars and back.lot_overrides == programme.lot_overrides
    assert back.lot_particulars(back.facilities[0]).bid_security == D(3000)
    assert back.lot_particulars(back.facilities[1]).bid_security == D(1500)

    assert main(["tender", "issue", str(path), "--name", "Rev 0", "--date", "2026-11-01"]) == 0
    with Project.open(path) as project:  # after issue: a provisional sum becomes measured, a lot's security changes
        item = project.programme.facilities[0].bills[1].items[0]
        item.kind = MEASURED
        project.programme.lot_overrides.clear()
        project.save()
    with Project.open(path, readonly=True) as project:
        rev = revisions.load(project, "Rev 0")
    assert rev.facilities[0].bills[1].items[0].kind == PROVISIONAL_SUM
    assert rev.lot_particulars(rev.facilities[0]).bid_security == D(3000)
    out = tmp_path / "rev0.pdf"
    assert main(["export", str(path), "--revision", "Rev 0", "--pdf", str(out), "--unpriced"]) == 0
    assert re.search(r"Provisional sum for unforeseen repairs\s+LS\s+1\.00\s+2,500\.00\s+2,500\.00", _pdf_text(out))
    draft = tmp_path / "draft.pdf"
    assert main(["export", str(path), "--pdf", str(draft), "--unpriced"]) == 0
    assert not re.search(r"Provisional sum for unforeseen repairs\s+LS\s+1\.00\s+2,500\.00", _pdf_text(draft))


def test_cli_particulars_show_set_clear_and_refuse_bad_values(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "t.boq"
    Project.create(path, tender_programme()).close()
    assert main(["particulars", str(path), "--set", "retention=10", "--set", "max_lots_per_bidder=1"]) == 0
    assert main(["particulars", str(path), "--lot", "2", "--set", "completion_days=75", "--set", "bid_security=800"]) == 0
    capsys.readouterr()
    assert main(["particulars", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["programme"]["retention"] == "10" and data["programme"]["max_lots_per_bidder"] == "1"
    assert data["lots"][1]["overrides"] == {"completion_days": "75", "bid_security": "800"}
    assert data["lots"][1]["particulars"]["retention"] == "10"  # the programme's default
    assert data["lots"][0]["particulars"]["bid_security"] == "3000"
    assert main(["particulars", str(path), "--lot", "Bardaqli Health Centre", "--clear", "bid_security"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"bid_security\s+1500\s+\(programme default\)", out)
    assert re.search(r"completion_days\s+75\s+\(this lot\)", out)
    assert load(path).lot_particulars(load(path).facilities[1]).completion_days == 75

    for args, message in (
        (["--set", "retention=150"], "retention is 150 %; give a percentage from 0 to 100"),
        (["--lot", "1", "--set", "completion_days=soon"], "lot 1 (Harim General Hospital): completion_days: 'soon' "
                                                          "is not a whole number of days"),
        (["--lot", "1", "--set", "bid_security=-5"], "bid security is -5; give an amount of 0 or more"),
        (["--set", "bid_security=2%"], "bid_security: '2%' is not a valid number"),
        (["--lot", "1", "--set", "max_lots_per_bidder=2"], "unknown particular 'max_lots_per_bidder'"),
        (["--set", "bidders_charge_tax=maybe"], "bidders_charge_tax: 'maybe'; write yes or no"),
        (["--lot", "9"], "the programme has 2 lot(s); give a number from 1 to 2"),
        (["--set", "retention"], "write KEY=VALUE"),
        (["--set", "extra.site_visit=12 January 2027"], "unknown particular 'extra.site_visit'"),  # boq tender-info's
    ):
        assert main(["particulars", str(path), *args]) == 1, args
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err, (args, err)
    assert load(path).particulars.lot.retention == D(10)  # the refused changes left the file as it was


def test_work_list_item_type_column(tmp_path: Path) -> None:
    head = "Facility,Section,Description,Quantity,Unit,Rate,Item type\n"
    good = head + ("Lot A,1 Sums,Provisional sum for repairs,1,LS,2500,PS\n"
                   "Lot A,1 Sums,PC sum for gas outlets,1,LS,8000,PC sum\n"
                   "Lot A,1 Sums,Profit and attendance on the PC sum,8000,%,10,profit and attendance\n"
                   "Lot A,2 Daywork schedule,Labour: mason,10,day,30,أعمال يومية\n"
                   "Lot A,3 Plaster,Plaster,12,m2,7,\n")
    (tmp_path / "good.csv").write_text(good, encoding="utf-8")
    programme = Programme("x")
    from estimator.rates.book import RateBook
    import_worklist(programme, tmp_path / "good.csv", RateBook())
    kinds = [i.kind for i in programme.facilities[0].items()]
    assert kinds == [PROVISIONAL_SUM, PC_SUM, PC_ATTENDANCE, DAYWORK, MEASURED]
    assert price(programme).facilities[0].bills[0].total == D("2500") + D("8000") + D("800")
    bad = head + ("Lot A,1 Sums,Provisional sum for repairs,1,LS,,PS\n"
                  "Lot A,1 Sums,Attendance,8000,LS,10,attendance\n"
                  "Lot A,1 Sums,Something,1,LS,10,bonus\n")
    (tmp_path / "bad.csv").write_text(bad, encoding="utf-8")
    with pytest.raises(ValidationFailed) as failed:
        import_worklist(Programme("y"), tmp_path / "bad.csv", RateBook())
    text = str(failed.value)
    assert "row 2" in text and "Rate" in text and "provisional sum needs its amount" in text
    assert "row 3" in text and "write % in Unit" in text
    assert "row 4" in text and "item type 'bonus' is not known" in text


def test_sample_has_sums_dayworks_and_lot_particulars(sample_programme: Programme) -> None:
    kinds = {i.kind for f in sample_programme.facilities for i in f.items()}
    assert kinds == {MEASURED, PROVISIONAL_SUM, PC_SUM, PC_ATTENDANCE, DAYWORK}
    for facility in sample_programme.facilities:
        assert any(b.name.endswith("Daywork schedule") and b.items for b in facility.bills), facility.name
        assert any(i.kind == PROVISIONAL_SUM for i in facility.items()), facility.name
    periods = {sample_programme.lot_particulars(f).completion_days for f in sample_programme.facilities}
    securities = {sample_programme.lot_particulars(f).bid_security for f in sample_programme.facilities}
    assert len(periods) >= 3 and len(securities) >= 3 and D(0) not in securities
    assert not price(sample_programme).problems


def test_an_addendum_says_when_an_item_type_or_a_fixed_sum_changes(tmp_path: Path) -> None:
    import copy

    from estimator.export.pdf.addendum import write_addendum
    from estimator.revision_diff import diff

    before = tender_programme()
    after = copy.deepcopy(before)
    sums = after.facilities[0].bills[1].items
    sums[0].rate = D("4000")  # the provisional sum raised: its printed amount changes
    after.facilities[1].bills[2].items[0].kind = MEASURED  # a daywork line becomes measured work
    result = diff(before, after)
    found = {(c.kind, c.ref, c.old, c.new) for c in result.changes}
    assert found == {("fixed sum", "2.1", "2,500.00", "4,000.00"), ("item type", "3.1", "daywork", "measured")}
    write_addendum(result, 1, tmp_path / "addendum.pdf")
    text = _pdf_text(tmp_path / "addendum.pdf")
    assert "Fixed sum" in text and "Item type" in text  # the kinds of change, wrapped in their column
    # the replacement page prints the new amount of the provisional sum
    assert re.search(r"Provisional sum for unforeseen\s+LS\s+1\.00\s+4,000\.00\s+4,000\.00", text)


def test_check_finds_attendance_off_its_prime_cost_sum() -> None:
    from estimator.check import ATTENDANCE, check

    programme = tender_programme()
    assert not [f for f in check(programme) if f.kind == ATTENDANCE]
    programme.facilities[1].bills[1].items[1].rate = D("9000")  # the PC sum rises; its attendance line did not follow
    [found] = [f for f in check(programme) if f.kind == ATTENDANCE]
    assert found.where.endswith("2.3") and "on 8,000.00, but the prime cost sum above it is 9,000.00" in found.message


@pytest.mark.parametrize("charge_tax", [False, True])
def test_boq_price_shows_the_kinds_and_the_estimate_as_bidders_price_it(tmp_path: Path, charge_tax: bool,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    programme = tender_programme(charge_tax)
    est = price(programme)
    path = tmp_path / "t.boq"
    Project.create(path, programme).close()
    capsys.readouterr()
    assert main(["price", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert sum(D(v) for v in data["by_kind"].values()) == est.subtotal
    assert D(data["by_kind"]["provisional sum"]) == D("7500.00") and D(data["by_kind"]["profit and attendance"]) == 2000
    tax = est.markups[-1].amount if charge_tax else 0
    assert D(data["bidders_total"]) == est.subtotal + tax < est.grand_total
    assert main(["price", str(path)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"of which provisional and PC sums\s+23,500\.00", out)
    assert re.search(rf"Estimate as bidders price it.*\s{re.escape(f'{est.subtotal + tax:,.2f}')}$", out, re.M)


def test_a_tender_copy_drawn_by_worker_processes_is_the_same(sample_programme: Programme, tmp_path: Path) -> None:
    """Lots drawn in worker processes print the fixed sums and leave the rest blank, as in one process."""
    write_pdf(sample_programme, tmp_path / "one.pdf", priced=False, workers=0)
    write_pdf(sample_programme, tmp_path / "many.pdf", priced=False, workers=2)
    one, many = _pdf_text(tmp_path / "one.pdf"), _pdf_text(tmp_path / "many.pdf")
    assert one == many
    assert len(re.findall(r"Provisional sum for unforeseen repairs found on opening up\s+LS\s+1\.00\s+[\d,]+\.00", many)) \
        == len(sample_programme.facilities)


def test_particulars_edits_apply_and_invert() -> None:
    from estimator.edits import StaleEdit
    from estimator.particulars import edit_tender
    from estimator.particulars_edit import set_lot_particulars, set_particulars

    programme = tender_programme()
    before = programme.particulars
    edit = set_particulars(programme, edit_tender(before, {"retention": "7.5"}))
    assert edit is not None and set_particulars(programme, before) is None  # no change, no edit
    edit.apply(programme)
    assert programme.particulars.lot.retention == D("7.5")
    with pytest.raises(StaleEdit):
        edit.apply(programme)  # made for the state before
    edit.inverse().apply(programme)
    assert programme.particulars == before
    lot = programme.facilities[0]
    clear = set_lot_particulars(programme, lot.uid, LotParticulars())
    assert clear is not None
    clear.apply(programme)
    assert lot.uid not in programme.lot_overrides and programme.lot_particulars(lot).bid_security == D(1500)
    clear.inverse().apply(programme)
    assert programme.lot_particulars(lot).bid_security == D(3000)


def test_check_finds_a_bill_out_of_the_boq_order() -> None:
    from estimator.check import ORDER, check

    programme = tender_programme()
    assert not [f for f in check(programme) if f.kind == ORDER]
    bills = programme.facilities[1].bills
    bills.insert(0, bills.pop(2))  # the daywork schedule first
    [found] = [f for f in check(programme) if f.kind == ORDER and f.facility_uid == programme.facilities[1].uid][:1]
    assert found.where == "Bardaqli Health Centre › 1 Plastering"
    assert "measured work after the dayworks of bill '3 Daywork schedule'" in found.message


def test_attendance_follows_its_prime_cost_sum_into_another_currency() -> None:
    programme = tender_programme()
    programme.set_fx("TRY", D("42.35"), dt.date(2026, 11, 1))
    for item in (i for f in programme.facilities for i in f.items()):
        item.rate_currency = "USD" if item.rate is not None else ""
    programme.rebase("TRY")
    sums = price(programme).facilities[0].bills[1].lines
    pc, pa = sums[1], sums[2]
    assert pc.amount == D("338800.00") and pa.quantity == pc.amount and pa.rate == D("12.50")
    assert pa.amount == D("42350.00")
