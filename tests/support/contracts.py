"""The hand-checked contract example (tests/test_contracts*.py, the kill and fuzz tests, docs).

One programme, two lots. Lot 1, "Harim Health Centre", is tendered as revision "Rev 0" and awarded
on a returned workbook priced with openpyxl as a bidder would (the real unpriced export):

    1.1 Excavation            100 m3  x  12.50 =  1,250.00
    1.2 Reinforced concrete    40 m3  x 185.25 =  7,410.00
    1.3 Plastering            300 m2  x   8.75 =  2,625.00
    1.4 Mobilisation            1 LS  x 715.00 =    715.00
                                    contract sum 12,000.00

Particulars of lot 1: retention 10 % capped at 5 % of the contract sum, advance 20 %.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import openpyxl

from estimator.cli.main import main
from estimator.export.xlsx_layout import letters
from estimator.model import Bill, Facility, Item, Programme
from estimator.particulars import LotParticulars
from estimator.store import Project

BID_RATES = {"1.1": Decimal("12.50"), "1.2": Decimal("185.25"), "1.3": Decimal("8.75"), "1.4": Decimal("715.00")}
OTHER_RATES = {"1.1": Decimal("21.40"), "1.2": Decimal("96.00")}


def programme() -> Programme:
    harim = Facility("Harim Health Centre", governorate="Idlib", name_ar="مركز حارم الصحي", bills=[Bill("Works", "الأعمال", [
        Item("Excavation in any material", Decimal("100"), "m3", "1.1", "حفريات بجميع أنواع التربة", rate=Decimal("11")),
        Item("Reinforced concrete to slabs", Decimal("40"), "m3", "1.2", "خرسانة مسلحة للبلاطات", rate=Decimal("170")),
        Item("Cement plaster to walls", Decimal("300"), "m2", "1.3", "لياسة إسمنتية للجدران", rate=Decimal("8")),
        Item("Mobilisation and site set-up", Decimal("1"), "ls", "1.4", "التجهيز والتحضير للموقع", rate=Decimal("700")),
    ])])
    salqin = Facility("Al-Amal Hospital, Salqin", governorate="Idlib", bills=[Bill("Works", items=[
        Item("Roof waterproofing", Decimal("250"), "m2", "1.1", rate=Decimal("20")),
        Item("Solar panels rehabilitation", Decimal("30"), "nr", "1.2", rate=Decimal("90")),
    ])])
    prog = Programme("Rehabilitation of health facilities", currency="USD", reference="NWS-REHAB-2027-01",
                     organisation="Health Programme NW Syria", issue_date=dt.date(2027, 1, 10),
                     facilities=[harim, salqin])
    prog.lot_overrides[harim.uid] = LotParticulars(retention=Decimal("10"), retention_cap=Decimal("5"),
                                                   advance=Decimal("20"), defects_liability_days=365,
                                                   completion_days=180)
    prog.lot_overrides[salqin.uid] = LotParticulars(retention=Decimal("5"), advance=Decimal("10"))
    return prog


@dataclass
class Example:
    boq: Path
    bid: Path
    other_bid: Path
    folder: Path


def bid(tender: Path, rates: dict[str, Decimal], sheet: int, out: Path) -> Path:
    """The tender workbook with `rates` typed (by item reference) on the `sheet`-th lot sheet."""
    col = letters("en")
    wb = openpyxl.load_workbook(tender)
    sheets = [ws for ws in wb.worksheets if ws[f"{col['uid']}5"].value == "uid"]
    ws = sheets[sheet]
    for row in range(6, ws.max_row + 1):
        ref = ws[f"{col['item']}{row}"].value
        if ws[f"{col['uid']}{row}"].value and str(ref) in rates:
            ws[f"{col['rate']}{row}"] = float(rates[str(ref)])
    wb.save(out)
    return out


def make(folder: Path) -> Example:
    """The example programme with tender revision "Rev 0" and the two returned bids (not yet awarded)."""
    boq = folder / "programme.boq"
    Project.create(boq, programme()).close()
    assert main(["tender", "issue", str(boq), "--name", "Rev 0", "--date", "2027-01-10"]) == 0
    tender = folder / "tender.xlsx"
    assert main(["export", str(boq), "--xlsx", str(tender), "--unpriced"]) == 0
    return Example(boq, bid(tender, BID_RATES, 0, folder / "bid-harim.xlsx"),
                   bid(tender, OTHER_RATES, 1, folder / "bid-salqin.xlsx"), folder)


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("\n".join(",".join(f'"{c}"' for c in row) for row in rows) + "\n", encoding="utf-8")
    return path
