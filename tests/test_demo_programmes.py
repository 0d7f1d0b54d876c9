"""The illustrative network80 and newbuild programmes, built through the templates, and `boq compare` on them."""

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from estimator.analysis.compare import ALL_TRADES, compare
from estimator.demo_programmes import network80, newbuild
from estimator.pricing import price


def test_network80_has_80_facilities_in_4_governorates_and_meaningful_comparisons() -> None:
    programme = network80()
    assert len(programme.facilities) == 80
    assert len({f.name for f in programme.facilities}) == 80
    assert {f.governorate for f in programme.facilities} == {"Aleppo", "Hama", "Homs", "Idlib"}
    types = {f.facility_type for f in programme.facilities}
    assert {"primary health care centre", "dialysis unit", "physiotherapy centre", "prosthetic limb centre"} <= types
    assert all(f.floor_area and f.name_ar and f.items() for f in programme.facilities)
    assert len({f.floor_area for f in programme.facilities}) > 40  # a spread of sizes
    assert "illustrative" in programme.name.casefold() and "illustrative" in programme.notes.casefold()
    est = price(programme)
    assert est.problems == []
    c = compare(programme, est)
    assert all(g.median_per_m2 is not None and g.median_total > 0 for g in c.by_type + c.by_governorate)
    medians = {g.name: g.median_per_m2 for g in c.by_type}
    assert medians["dialysis unit"] > 3 * medians["primary health care centre"]  # a specialised fit-out costs more
    whole = [o for o in c.outliers if o.trade == ALL_TRADES]
    assert 1 <= len(whole) <= 12  # a few, not none and not most


def test_network80_is_the_same_on_every_run() -> None:
    first, second = price(network80()), price(network80())
    assert [(f.facility.name, f.total) for f in first.facilities] == [(f.facility.name, f.total) for f in second.facilities]


def test_newbuild_has_the_two_health_centres_and_the_radiotherapy_centre() -> None:
    programme = newbuild()
    est = price(programme)
    assert est.problems == []
    places = [(f.facility.governorate, f.facility.district) for f in est.facilities]
    assert places == [("Rif Dimashq", "Qudsaya"), ("Homs", "al-Qusayr"), ("Idlib", "Idlib")]
    qudsaya, qusayr, radio = est.facilities
    assert {b.bill.name for b in qudsaya.bills} >= {"Annex A - Mosque", "Annex B - Commercial shops"}
    assert {b.bill.name for b in qusayr.bills} >= {"Annex B - Commercial shops", "Annex C - Water well"}
    for centre in (qudsaya, qusayr):
        assert Decimal(405) <= centre.total / centre.facility.floor_area <= Decimal(520)
    assert any(ln.item.rate_code == "RT-100" for b in radio.bills for ln in b.lines)
    assert any(ln.item.rate_code == "RT-160" for b in radio.bills for ln in b.lines)


def test_boq_demo_programmes_and_compare(tmp_path: Path) -> None:
    def boq(*args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "estimator", *map(str, args)], capture_output=True, text=True, timeout=300)

    path = tmp_path / "n80.boq"
    run = boq("demo", path, "--programme", "network80")
    assert run.returncode == 0, run.stderr
    assert "80 facilities" in run.stdout
    run = boq("compare", path, "--json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert len(data["by_governorate"]) == 4 and len(data["by_facility_type"]) >= 4
    assert data["outliers"]
    run = boq("demo", tmp_path / "nb.boq", "--programme", "newbuild")
    assert run.returncode == 0 and "3 facilities" in run.stdout, run.stderr
    run = boq("demo", tmp_path / "d.boq")
    assert run.returncode == 0 and "15 facilities" in run.stdout, run.stderr
    run = boq("demo", tmp_path / "x.boq", "--programme", "network81")
    assert run.returncode == 2 and "invalid choice" in run.stderr
