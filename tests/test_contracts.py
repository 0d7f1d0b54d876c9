"""After award, end to end through `boq contract`: the hand-checked example of tests/support/contracts.py.

Contract (lot 1, awarded on the returned workbook): 1,250.00 + 7,410.00 + 2,625.00 + 715.00 = 12,000.00.
Retention 10 % capped at 5 % of 12,000.00 = 600.00. Advance 20 % of 12,000.00 = 2,400.00, recovered pro
rata: recovered to date = 2,400.00 x gross / 12,000.00 = 20 % of the gross value to date.

Period 1: 1.1 60 m3 x 12.50 = 750.00; 1.4 100 % of 715.00 = 715.00; gross 1,465.00.
  retention 10 % = 146.50 (under the cap); recovery 20 % x 1,465.00 = 293.00;
  net 1,465.00 - 146.50 - 293.00 = 1,025.50; previous 0.00; due 1,025.50.
Period 2: 1.1 100 x 12.50 = 1,250.00; 1.2 25.5 x 185.25 = 4,723.875 -> 4,723.88 (half-up);
  1.3 120.4 x 8.75 = 1,053.50; 1.4 715.00; gross 7,742.38.
  retention 774.238 -> 774.24, above the cap -> 600.00; recovery 20 % x 7,742.38 = 1,548.476 -> 1,548.48;
  net 7,742.38 - 600.00 - 1,548.48 = 5,593.90; previous 1,025.50; due 4,568.40.
VO-1 (approved): 1.3 from 300 to 340 m2: 2,975.00 - 2,625.00 = +350.00; added V1.1 handrail 12 m x 45.60
  (agreed) = 547.20; value 897.20; revised contract sum 12,897.20.
  (Before VO-1, plastering measured at 310 m2 > 300 m2 is refused.)
Period 3: 1.2 36 x 185.25 = 6,669.00; 1.3 310 x 8.75 = 2,712.50; V1.1 6 x 45.60 = 273.60; 1.1 and 1.4
  as before (1,250.00, 715.00); gross 11,620.10; materials on site 500.00; valuation 12,120.10.
  retention 1,212.01 -> cap 600.00; recovery 20 % x 11,620.10 = 2,324.02 (materials do not count);
  net 12,120.10 - 600.00 - 2,324.02 = 9,196.08; previous 1,025.50 + 4,568.40 = 5,593.90; due 3,602.18.
Final (period 4): 1.2 40 = 7,410.00; 1.3 338 x 8.75 = 2,957.50; V1.1 12 x 45.60 = 547.20; 1.1 1,250.00;
  1.4 715.00; final account 12,879.70. Retention: min(1,287.97, 600.00) = 600.00, half released -> 300.00;
  advance recovered in full 2,400.00; net 12,879.70 - 300.00 - 2,400.00 = 10,179.70; previous 9,196.08;
  due 983.62.
Release (period 5), not before 2027-07-31 + 365 days = 2028-07-30: retention 0; net 12,879.70 - 2,400.00 =
  10,479.70; previous 10,179.70; due 300.00 (the half still held).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from estimator.cli.main import main
from estimator.contracts import storage
from estimator.contracts.award import find_lot
from estimator.store import Project
from tests.support.contracts import Example, make, write_csv

D = Decimal


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Example:
    return make(tmp_path_factory.mktemp("contracts"))


def _certificate(boq: Path, capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    capsys.readouterr()
    assert main(["contract", "certificate", str(boq), "--lot", "1", *args, "--json"]) == 0
    return dict(json.loads(capsys.readouterr().out))


def _figures(cert: dict[str, object]) -> tuple[str, ...]:
    keys = ("gross_to_date", "materials_on_site", "retention", "advance_recovery", "net_to_date", "previous_certified",
            "amount_due")
    return tuple(str(cert[k]) for k in keys)


def test_the_hand_checked_example(example: Example, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    boq = tmp_path / "programme.boq"
    boq.write_bytes(example.boq.read_bytes())
    assert main(["contract", "award", str(boq), "--lot", "1", "--bid", str(example.bid), "--contractor",
                 "Al-Bina Contracting", "--date", "2027-02-01"]) == 0
    out = capsys.readouterr().out
    assert "contract sum 12,000.00 USD" in out and "tender revision 'Rev 0'" in out
    assert "retention 10 % (capped at 5 % of the contract sum); advance 20 %" in out

    m1 = write_csv(tmp_path / "m1.csv", [["item", "quantity", "percent"], ["1.1", "60", ""], ["1.4", "", "100"]])
    assert main(["contract", "measure", str(boq), "--lot", "1", "--period", "1", str(m1), "--date", "2027-02-28"]) == 0
    c1 = _certificate(boq, capsys, "--period", "1", "--date", "2027-02-28")
    assert _figures(c1) == ("1465.00", "0.00", "146.50", "293.00", "1025.50", "0.00", "1025.50")
    assert (c1["lot"], c1["period"], c1["currency"], c1["advance"]) == ("Harim Health Centre", 1, "USD", "2400.00")

    m2 = write_csv(tmp_path / "m2.csv", [["Item", "Quantity"], ["1.1", "100"], ["1.2", "25.5"], ["1.3", "120.4"]])
    assert main(["contract", "measure", str(boq), "--lot", "1", "--period", "2", str(m2), "--date", "2027-03-31"]) == 0
    c2 = _certificate(boq, capsys, "--period", "2", "--date", "2027-03-31")
    assert _figures(c2) == ("7742.38", "0.00", "600.00", "1548.48", "5593.90", "1025.50", "4568.40")
    concrete = next(i for i in c2["items"] if i["ref"] == "1.2")  # type: ignore[attr-defined]
    assert (concrete["cumulative_quantity"], concrete["cumulative_value"], concrete["this_value"]) == \
        ("25.5", "4723.88", "4723.88")

    # beyond the contract quantity without a variation: refused, naming the item and both quantities
    m3 = write_csv(tmp_path / "m3.csv", [["item", "quantity"], ["1.2", "36"], ["1.3", "310"], ["V1.1", "6"]])
    capsys.readouterr()
    assert main(["contract", "measure", str(boq), "--lot", "1", "--period", "3", str(m3)]) == 1
    err = capsys.readouterr().err
    assert "m3.csv, row 3, column 'quantity': item 1.3 'Cement plaster to walls': cumulative quantity 310 m² is " \
           "above the contract quantity 300.00 m²; refused" in err
    assert "row 4, column 'item': item 'V1.1' is not in the contract" in err
    assert "nothing was changed" in err

    vo = write_csv(tmp_path / "vo1.csv", [
        ["action", "item", "quantity", "description", "unit", "rate", "source"],
        ["change", "1.3", "340", "", "", "", ""],
        ["add", "V1.1", "12", "Steel handrail to access ramp", "m", "45.60", "agreed"]])
    assert main(["contract", "vary", str(boq), str(vo), "--lot", "1", "--name", "VO-1", "--date", "2027-04-10"]) == 0
    out = capsys.readouterr().out
    assert "value 897.20 USD; revised contract sum 12,897.20" in out

    assert main(["contract", "measure", str(boq), "--lot", "1", "--period", "3", str(m3), "--date", "2027-04-30"]) == 0
    c3 = _certificate(boq, capsys, "--period", "3", "--date", "2027-04-30", "--materials", "500")
    assert _figures(c3) == ("11620.10", "500.00", "600.00", "2324.02", "9196.08", "5593.90", "3602.18")
    assert (c3["contract_sum"], c3["revised_sum"], c3["valuation"]) == ("12000.00", "12897.20", "12120.10")
    # what is printed is what is summed: the item values add up to the gross, this period's to the difference
    items = c3["items"]
    assert sum(D(i["cumulative_value"]) for i in items) == D("11620.10")  # type: ignore[attr-defined]
    assert sum(D(i["this_value"]) for i in items) == D("11620.10") - D("7742.38")  # type: ignore[attr-defined]

    # a certificate is issued once: asked again, it is reprinted as issued, not recomputed
    again = _certificate(boq, capsys, "--period", "3")
    assert again == c3
    assert main(["contract", "certificate", str(boq), "--lot", "1", "--period", "3", "--materials", "900"]) == 1
    assert "already certified" in capsys.readouterr().err

    m4 = write_csv(tmp_path / "m4.csv", [["item", "quantity"], ["1.2", "40"], ["1.3", "338"], ["V1.1", "12"]])
    assert main(["contract", "measure", str(boq), "--lot", "1", "--period", "4", str(m4), "--date", "2027-07-31"]) == 0
    c4 = _certificate(boq, capsys, "--period", "4", "--date", "2027-07-31", "--final")
    assert _figures(c4) == ("12879.70", "0.00", "300.00", "2400.00", "10179.70", "9196.08", "983.62")
    assert c4["kind"] == "final"

    assert main(["contract", "certificate", str(boq), "--lot", "1", "--period", "5", "--release", "--date",
                 "2028-07-29"]) == 1
    assert "ends on 2028-07-30" in capsys.readouterr().err
    c5 = _certificate(boq, capsys, "--period", "5", "--release", "--date", "2028-07-30")
    assert _figures(c5) == ("12879.70", "0.00", "0.00", "2400.00", "10479.70", "10179.70", "300.00")
    # every certificate's amount due adds up to the final account less the advance
    total = sum(D(str(c["amount_due"])) for c in (c1, c2, c3, c4, c5))
    assert total == D("12879.70") - D("2400.00")

    # nothing more after the final certificate; nothing was ever overwritten
    assert main(["contract", "measure", str(boq), "--lot", "1", "--period", "6", str(m4)]) == 1
    with Project.open(boq, readonly=True) as project:
        kinds = [k for (k,) in project.connection.execute("SELECT kind FROM contract_log ORDER BY seq")]
        ledger = storage.ledger(project, find_lot(project.programme, "1").uid)
    assert kinds == ["award", "measurement", "certificate", "measurement", "certificate", "variation", "measurement",
                     "certificate", "measurement", "certificate", "certificate"]
    assert ledger is not None and [c.amount_due for c in ledger.certificates] == \
        [D("1025.50"), D("4568.40"), D("3602.18"), D("983.62"), D("300.00")]


def test_pending_variation_counts_only_once_approved(example: Example, capsys: pytest.CaptureFixture[str],
                                                     tmp_path: Path) -> None:
    boq = tmp_path / "programme.boq"
    boq.write_bytes(example.boq.read_bytes())
    assert main(["contract", "award", str(boq), "--lot", "1", "--bid", str(example.bid)]) == 0
    vo = write_csv(tmp_path / "vo.csv", [["action", "item", "quantity"], ["change", "1.1", "120"], ["omit", "1.4", ""]])
    assert main(["contract", "vary", str(boq), str(vo), "--lot", "1", "--name", "VO-1", "--pending"]) == 0
    # 120 x 12.50 - 1,250.00 = 250.00; omitting 1.4: -715.00; value -465.00, not yet in the sum
    assert "value -465.00 USD; revised contract sum 12,000.00" in capsys.readouterr().out
    measure = write_csv(tmp_path / "m.csv", [["item", "quantity"], ["1.1", "110"]])
    assert main(["contract", "measure", str(boq), "--lot", "1", "--period", "1", str(measure)]) == 1
    assert "above the contract quantity 100.00 m³" in capsys.readouterr().err
    assert main(["contract", "vary", str(boq), "--lot", "1", "--name", "vo-1", "--approve"]) == 0
    assert "revised contract sum 11,535.00" in capsys.readouterr().out
    assert main(["contract", "measure", str(boq), "--lot", "1", "--period", "1", str(measure)]) == 0
    assert main(["contract", "vary", str(boq), str(vo), "--lot", "1", "--name", "VO-1"]) == 1
    assert "already recorded" in capsys.readouterr().err
    capsys.readouterr()
    assert main(["contract", "list", str(boq), "--lot", "1", "--json"]) == 0
    detail = json.loads(capsys.readouterr().out)
    assert detail["revised_sum"] == "11535.00"
    assert detail["variations"][0]["status"] == "approved"


def test_programme_overview(example: Example, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    boq = tmp_path / "programme.boq"
    boq.write_bytes(example.boq.read_bytes())
    assert main(["contract", "list", str(boq)]) == 0
    assert "no lot is awarded yet" in capsys.readouterr().out
    assert main(["contract", "award", str(boq), "--lot", "Al-Amal Hospital, Salqin", "--bid", str(example.other_bid)]) == 0
    assert main(["contract", "award", str(boq), "--lot", "1", "--bid", str(example.bid), "--date", "2027-02-01"]) == 0
    # 250 m2 x 21.40 = 5,350.00; 30 nr x 96.00 = 2,880.00: 8,230.00
    m = write_csv(tmp_path / "m.csv", [["item", "quantity"], ["1.1", "125"]])
    assert main(["contract", "measure", str(boq), "--lot", "2", "--period", "1", str(m)]) == 0
    assert main(["contract", "certificate", str(boq), "--lot", "2", "--period", "1", "--date", "2027-03-01"]) == 0
    capsys.readouterr()
    assert main(["contract", "list", str(boq), "--json"]) == 0
    lots = json.loads(capsys.readouterr().out)["lots"]
    assert [lot["lot"] for lot in lots] == ["Harim Health Centre", "Al-Amal Hospital, Salqin"]  # programme order
    assert (lots[1]["contract_sum"], lots[1]["certified_to_date"], lots[1]["percent_complete"]) == \
        ("8230.00", "2675.00", "32.5")  # 125 x 21.40 = 2,675.00; / 8,230.00 = 32.50 %
    assert lots[1]["history"] == [["2027-03-01", "2675.00"]]
    assert main(["contract", "award", str(boq), "--lot", "1", "--bid", str(example.bid)]) == 1
    assert "already awarded" in capsys.readouterr().err


def test_advance_recovered_between_two_thresholds(example: Example, capsys: pytest.CaptureFixture[str],
                                                  tmp_path: Path) -> None:
    """Starts at 10 %, fully recovered by 60 % of the contract sum: at 7,742.38 (64.52 %) all of it; at 1,465.00
    (12.208 %) (12.208 - 10) / 50 = 0.04417 of 2,400.00 = 106.00 (2,400 x (1465/12000 x 100 - 10) / 50 =
    2,400 x 0.0441666.. = 106.00)."""
    boq = tmp_path / "programme.boq"
    boq.write_bytes(example.boq.read_bytes())
    assert main(["contract", "award", str(boq), "--lot", "1", "--bid", str(example.bid), "--advance-from", "10",
                 "--advance-until", "60"]) == 0
    m1 = write_csv(tmp_path / "m1.csv", [["item", "quantity", "percent"], ["1.1", "60", ""], ["1.4", "", "100"]])
    assert main(["contract", "measure", str(boq), "--lot", "1", "--period", "1", str(m1)]) == 0
    assert _certificate(boq, capsys, "--period", "1", "--draft")["advance_recovery"] == "106.00"
    m2 = write_csv(tmp_path / "m2.csv", [["item", "quantity"], ["1.1", "100"], ["1.2", "25.5"], ["1.3", "120.4"]])
    assert main(["contract", "measure", str(boq), "--lot", "1", "--period", "2", str(m2)]) == 0
    draft = _certificate(boq, capsys, "--period", "2", "--draft")
    assert (draft["advance_recovery"], draft["issued"]) == ("2400.00", False)
    with Project.open(boq, readonly=True) as project:  # a draft records nothing
        assert project.connection.execute("SELECT COUNT(*) FROM contract_log WHERE kind = 'certificate'").fetchone()[0] == 0


@pytest.mark.parametrize(("rows", "message"), [
    ([["item"], ["1.1"]], "give a cumulative quantity or a percentage"),
    ([["quantity"], ["5"]], "the header has no column 'item'"),
    ([["item", "quantity"], ["1.1", "abc"]], "row 2, column 'quantity': item 1.1 quantity: 'abc' is not a valid number"),
    ([["item", "quantity"], ["1.1", "-3"]], "is negative"),
    ([["item", "percent"], ["1.1", "50"]], "is measured by quantity, not as a percentage"),
    ([["item", "percent"], ["1.4", "120"]], "120 % is above 100 %"),
    ([["item", "quantity"], ["1.1", "5"], ["1.1", "6"]], "row 3, column 'item': item 1.1 is measured twice"),
    ([["item", "quantity"], ["=cmd|' /C calc'!A0", "5"]], "is not in the contract"),
])
def test_hostile_measurement_files(example: Example, capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                   rows: list[list[str]], message: str) -> None:
    boq = tmp_path / "programme.boq"
    boq.write_bytes(example.boq.read_bytes())
    assert main(["contract", "award", str(boq), "--lot", "1", "--bid", str(example.bid)]) == 0
    path = write_csv(tmp_path / "m.csv", rows)
    capsys.readouterr()
    assert main(["contract", "measure", str(boq), "--lot", "1", "--period", "1", str(path)]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    with Project.open(boq, readonly=True) as project:
        assert project.connection.execute("SELECT COUNT(*) FROM contract_log WHERE kind = 'measurement'").fetchone()[0] == 0


def test_hostile_files_in_other_forms(example: Example, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    boq = tmp_path / "programme.boq"
    boq.write_bytes(example.boq.read_bytes())
    assert main(["contract", "award", str(boq), "--lot", "1", "--bid", str(example.bid)]) == 0
    cases = {
        "latin1.csv": ("item,quantity\n1.1,5\ncaf\xe9,1\n".encode("latin-1"), "is not UTF-8"),
        "nul.csv": (b"item,quantity\n1.1,\x005\n", "NUL"),
        "long.csv": (b"item,quantity\n1.1," + b"9" * 1_100_000 + b"\n", "longer than"),
        "empty.csv": (b"", "is empty"),
        "zip.csv": (b"PK\x03\x04" + b"\x00" * 100, "is a workbook"),
    }
    for name, (data, message) in cases.items():
        (tmp_path / name).write_bytes(data)
        capsys.readouterr()
        assert main(["contract", "measure", str(boq), "--lot", "1", "--period", "1", str(tmp_path / name)]) == 1, name
        err = capsys.readouterr().err
        assert message in err and name in err, (name, err)
    vo = write_csv(tmp_path / "vo.csv", [["action", "item", "quantity", "source", "code", "description", "unit"],
                                         ["add", "1.1", "3", "agreed", "", "x", "m"],
                                         ["add", "N1", "3", "contract", "9.9", "y", "m"],
                                         ["add", "N2", "3", "library", "NO-SUCH", "z", "m"],
                                         ["rename", "1.2", "", "", "", "", ""],
                                         ["change", "1.2", "40", "", "", "", ""]])
    capsys.readouterr()
    assert main(["contract", "vary", str(boq), str(vo), "--lot", "1", "--name", "VO-9"]) == 1
    err = capsys.readouterr().err
    for text in ("row 2, column 'item': give the added item a reference not used", "row 3, column 'code'",
                 "row 4, column 'code': item N2: rate 'NO-SUCH'", "row 5, column 'action'",
                 "row 6, column 'quantity': item 1.2: the new quantity is the contract quantity"):
        assert text in err, (text, err)


def test_contract_commands_start_light() -> None:
    """`boq contract ... --help` imports none of the heavy libraries (the engine is imported when a command runs)."""
    from tests.test_cli_start import _probe

    for command in (["contract"], ["contract", "certificate"], ["contract", "award"]):
        found = _probe(*command, "--help")
        assert found["code"] == 0 and found["heavy"] == [], command
    assert "--advance-until" in str(_probe("contract", "award", "--help")["out"])
    assert "half the retention" in str(_probe("contract", "certificate", "--help")["out"])


def test_figures_beyond_any_contract_are_refused_before_recording(example: Example, capsys: pytest.CaptureFixture[str],
                                                                  tmp_path: Path) -> None:
    """What is recorded must read back (the reader refuses figures of 10^13 and more as damage)."""
    boq = tmp_path / "programme.boq"
    boq.write_bytes(example.boq.read_bytes())
    assert main(["contract", "award", str(boq), "--lot", "1", "--bid", str(example.bid)]) == 0
    vo = write_csv(tmp_path / "vo.csv", [["action", "item", "quantity", "description", "unit", "rate"],
                                         ["add", "X1", "999999999", "Gold", "kg", "99999999"]])
    assert main(["contract", "vary", str(boq), str(vo), "--lot", "1", "--name", "VO-X"]) == 1
    assert "beyond any contract" in capsys.readouterr().err
    m = write_csv(tmp_path / "m.csv", [["item", "quantity"], ["1.1", "1"]])
    assert main(["contract", "measure", str(boq), "--lot", "1", "--period", "1", str(m)]) == 0
    assert main(["contract", "certificate", str(boq), "--lot", "1", "--period", "1", "--materials", "9e13"]) == 1
    assert "nothing was recorded" in capsys.readouterr().err
    assert main(["contract", "list", str(boq), "--lot", "1"]) == 0
