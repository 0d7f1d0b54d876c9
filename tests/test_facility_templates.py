"""Facility templates: the bundled ones price inside their DOMAIN benchmarks at three sizes, their
expressions never run code, and every mistake in a template file is reported with file and row."""

import copy
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from estimator import edits, paths
from estimator.cli import main
from estimator.errors import UserError
from estimator.expr import ExpressionError, evaluate
from estimator.facility_templates import BENCHMARKS, load_templates
from estimator.model import MEASURED, Programme
from estimator.money import round_money
from estimator.pricing import price
from estimator.rates import current_library
from estimator.sample import new_programme
from estimator.template_build import build_facility, preview

D = Decimal
# Three sizes per template (small, typical, large) and, for the rehabilitation, each damage level.
SIZES: dict[str, list[dict[str, str]]] = {
    "newbuild-phc-annexes": [
        {},
        {"area": "1200", "storeys": "2"},
        {"area": "2000", "storeys": "3", "mosque_area": "150", "shops": "6", "well_depth": "150"},
    ],
    "phc-rehabilitation": [
        {"area": a, "storeys": s, "damage": d}
        for d in ("light", "moderate", "heavy")
        for a, s in (("150", "1"), ("450", "1"), ("1500", "2"))
    ],
    "dialysis-unit": [{"chairs": "8", "area": "220"}, {"chairs": "12", "area": "340"}, {"chairs": "24", "area": "680"}],
    "physiotherapy-centre": [{"area": "180"}, {"area": "400"}, {"area": "900", "storeys": "2"}],
    "prosthetic-workshop": [{"area": "180", "workstations": "3"}, {"area": "350"}, {"area": "900", "workstations": "16"}],
    "radiotherapy-bunker": [
        {"length": "6", "width": "5", "primary": "1.2", "secondary": "0.8", "roof": "1.0", "maze": "4"},
        {},
        {"length": "10", "width": "9", "primary": "2.8", "secondary": "1.6", "roof": "2.4", "maze": "8"},
        {"concrete": "high-density", "primary": "1.6", "secondary": "0.9", "roof": "1.3"},
    ],
}
WANTED = ("PHC rehabilitation", "Dialysis unit", "Physiotherapy centre", "Prosthetic-limb workshop",
          "Radiotherapy bunker, one linac", "New-build PHC with annexes")


def test_benchmarks_are_the_domain_figures() -> None:
    # shared/DOMAIN.md: new build 405-520 (health centre), 600-950 (specialised); rehabilitation
    # 5-15 / 15-40 / 40-70 % of new build; a radiotherapy bunker "several times a clinic's rate".
    assert BENCHMARKS["new-build health centre"] == (D(405), D(520))
    assert BENCHMARKS["new-build specialised centre"] == (D(600), D(950))
    assert BENCHMARKS["rehabilitation, light damage"] == (D("20.25"), D(78))
    assert BENCHMARKS["rehabilitation, moderate damage"] == (D("60.75"), D(208))
    assert BENCHMARKS["rehabilitation, heavy damage"] == (D(162), D(364))
    assert BENCHMARKS["specialised fit-out of an existing building"] == (D(240), D("665"))
    low, high = BENCHMARKS["radiotherapy bunker"]
    assert low >= 2 * 405 and high <= 8 * 520


def test_bundled_templates_load_clean_and_cover_the_issue() -> None:
    found = load_templates(book=current_library().book)
    assert found.problems == []
    titles = [t.title for t in found.templates.values()]
    for wanted in WANTED:
        assert any(title.startswith(wanted) for title in titles), wanted
    assert set(SIZES) == set(found.templates)


@pytest.mark.parametrize("name", sorted(SIZES))
def test_each_template_prices_inside_its_benchmark_at_three_sizes(name: str) -> None:
    lib = current_library()
    template = load_templates(book=lib.book).get(name)
    programme = new_programme("check")
    areas = set()
    for given in SIZES[name]:
        built = build_facility(template, given, lib.book, f"{name} {given}")
        facility = built.facility
        assert facility.facility_type == template.facility_type and facility.floor_area
        assert facility.items() and all(i.quantity > 0 and i.rate_code for i in facility.items())
        total = preview(programme, facility, lib.book)
        assert all(not ln.error for bt in total.bills for ln in bt.lines)
        per_m2 = round_money(total.total / facility.floor_area)
        low, high = BENCHMARKS[template.benchmark(built.values)]
        assert low <= per_m2 <= high, (given, per_m2, template.benchmark(built.values))
        areas.add(facility.floor_area)
    assert len(areas) >= 3  # three different sizes, not one size three times


def test_a_new_build_comes_to_the_indicators_not_307_per_m2() -> None:
    """The issue's finding: a new build priced at about 307 USD/m² because items and MEP were missing."""
    lib = current_library()
    template = load_templates(book=lib.book).get("newbuild-phc-annexes")
    built = build_facility(template, {"mosque_area": "0", "shops": "0", "well_depth": "0"}, lib.book, "Main building")
    total = preview(new_programme("x"), built.facility, lib.book)
    trades = {lib.book.rate(ln.item.rate_code).trade for bt in total.bills for ln in bt.lines}
    for trade in ("Low current systems", "HVAC", "Medical gases", "Fire safety", "Lift", "False ceilings and partitions",
                  "Storm water drainage", "Electrical networks", "Water supply"):
        assert trade in trades
    assert D(405) <= total.total / built.facility.floor_area <= D(520)


def test_the_sample_new_build_is_priced_like_the_indicators(sample_programme: Programme) -> None:
    est = price(sample_programme)
    new_build = next(f for f in est.facilities if "new build" in f.facility.name)
    # the indicators are for the building works: the lot's provisional sums and dayworks are not in them
    works = sum(ln.amount for b in new_build.bills for ln in b.lines if ln.item.kind == MEASURED)
    assert works < new_build.total  # the sample's lots carry sums and dayworks too
    per_m2 = works / new_build.facility.floor_area
    assert D(405) <= per_m2 <= D(520), per_m2


def test_damage_level_orders_the_cost_and_picks_the_benchmark() -> None:
    lib = current_library()
    template = load_templates(book=lib.book).get("phc-rehabilitation")
    totals = []
    for damage in ("light", "moderate", "heavy"):
        built = build_facility(template, {"damage": damage}, lib.book, damage)
        totals.append(preview(new_programme("x"), built.facility, lib.book).total)
        assert template.benchmark(built.values) == f"rehabilitation, {damage} damage"
    assert totals[0] < totals[1] < totals[2]


@pytest.mark.parametrize(
    ("qty", "message"),
    [
        ("__import__('os').system('echo hacked')", "unexpected"),
        ("area.real", "unexpected '.'"),
        ("open(area)", "unknown function 'open'"),
        ("volume * 2", "unknown name(s) volume"),
        ("area ** 2", "unexpected '*'"),
        ("[area]", "unexpected '['"),
    ],
)
def test_template_expressions_refuse_code(tmp_path: Path, qty: str, message: str) -> None:
    text = (paths.rates_dir() / "templates" / "physiotherapy-centre.toml").read_text(encoding="utf-8")
    line_no = next(n for n, line in enumerate(text.splitlines(), 1) if '"PR-010"' in line)
    quoted = qty.replace('"', "'")
    bad = text.replace('{ code = "PR-010", qty = "1" }', f'{{ code = "PR-010", qty = "{quoted}" }}')
    (tmp_path / "physio.toml").write_text(bad, encoding="utf-8")
    found = load_templates(tmp_path, current_library().book)
    assert found.templates == {}
    assert [(p.source, p.row) for p in found.problems] == [("physio.toml", line_no)]
    assert message in found.problems[0].message
    with pytest.raises(ExpressionError):
        evaluate(qty, {"area": D(1)})


def test_template_mistakes_are_reported_with_file_and_row(tmp_path: Path) -> None:
    text = (paths.rates_dir() / "templates" / "dialysis-unit.toml").read_text(encoding="utf-8")
    lines = text.splitlines()
    row = {code: n for n, line in enumerate(lines, 1) for code in ("DL-010", "DL-080", "HV-050") if f'"{code}"' in line}
    text = text.replace('{ code = "DL-010", qty = "chairs + 2" }', '{ code = "DL-999", qty = "chairs + 2" }')
    text = text.replace('{ code = "DL-080", qty = "1" }', '{ code = "DL-080", qty = "1", unit = "m2" }')
    text = text.replace('{ code = "HV-050", qty = "fresh" }', '{ code = "HV-050", qty = "fresh - 1" }')
    (tmp_path / "dialysis.toml").write_text(text, encoding="utf-8")
    (tmp_path / "broken.toml").write_text('name = "x"\ntitle = \n', encoding="utf-8")
    found = load_templates(tmp_path, current_library().book)
    got = {(p.source, p.row): p.message for p in found.problems}
    assert "rate code 'DL-999' is not in the rate library" in got[("dialysis.toml", row["DL-010"])]
    assert "cannot be billed per 'nr'" in got[("dialysis.toml", row["DL-080"])]
    assert any(src == "broken.toml" and r == 2 and "not valid TOML" in m for (src, r), m in got.items())
    # a negative quantity is only found by evaluating (at the defaults and at each parameter's extremes)
    text = text.replace("DL-999", "DL-010").replace(', unit = "m2"', "")
    (tmp_path / "dialysis.toml").write_text(text, encoding="utf-8")
    found = load_templates(tmp_path, current_library().book)
    assert [(p.source, p.row) for p in found.problems if p.source == "dialysis.toml"] == [("dialysis.toml", row["HV-050"])]
    assert "is negative" in found.problems[-1].message or "negative" in str(found.problems)


def test_rates_check_lists_template_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "rates"
    shutil.copytree(paths.rates_dir(), folder, ignore=shutil.ignore_patterns("sample"))
    assert main(["rates", "check", str(folder)]) == 0
    assert "6 facility templates, no problems" in capsys.readouterr().out
    path = folder / "templates" / "phc-rehabilitation.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('"ceil(months / 3)"', '"ceil(weeks / 3)"'), encoding="utf-8")
    assert main(["rates", "check", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "templates/phc-rehabilitation.toml, row" in err and "unknown name(s) weeks" in err


def test_parameters_are_checked() -> None:
    lib = current_library()
    template = load_templates(book=lib.book).get("dialysis-unit")
    for given, message in ((({"chairs": "2"}), "outside 4 to 40"), ({"chairs": "7.5"}, "not a whole number"),
                           ({"seats": "4"}, "has no parameter 'seats'"), ({"chairs": "many"}, "not a valid number")):
        with pytest.raises(UserError, match=message):
            build_facility(template, given, lib.book, "x")
    rehab = load_templates(book=lib.book).get("phc-rehabilitation")
    with pytest.raises(UserError, match="not one of light, moderate, heavy"):
        build_facility(rehab, {"damage": "severe"}, lib.book, "x")


def test_add_facility_is_one_undoable_edit(sample_programme: Programme) -> None:
    lib = current_library()
    before = copy.deepcopy(sample_programme)
    template = load_templates(book=lib.book).get("radiotherapy-bunker")
    built = build_facility(template, {}, lib.book, "Bunker", "Idlib")
    edit = edits.add_facility(sample_programme, lib.book, built.facility)
    edit.apply(sample_programme)
    assert sample_programme.facilities[-1] is built.facility and "RT-100" in sample_programme.rates
    expected = preview(before, built.facility, lib.book).total
    assert price(sample_programme).facilities[-1].total == expected
    edit.inverse().apply(sample_programme)
    assert [f.name for f in sample_programme.facilities] == [f.name for f in before.facilities]
    assert set(sample_programme.rates.rates) == set(before.rates.rates)


def test_cli_template_list_show_apply(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["template", "list"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in SIZES)
    assert main(["template", "show", "dialysis-unit", "--param", "chairs=12", "--param", "area=340"]) == 0
    out = capsys.readouterr().out
    assert "DL-010" in out and "chairs=12" in out and "USD per m²" in out and "240-665" in out
    path = tmp_path / "p.boq"
    assert main(["new", str(path)]) == 0
    assert main(["template", "apply", str(path), "--facility", "Dialysis unit, Idlib", "--template", "dialysis-unit",
                 "--param", "chairs=12", "--param", "area=340", "--governorate", "Idlib", "--name-ar", "وحدة غسيل الكلى"]) == 0
    out = capsys.readouterr().out
    from estimator.store import load

    programme = load(path)
    facility = programme.facilities[0]
    assert (facility.facility_type, facility.floor_area, facility.beds, facility.governorate) == ("dialysis unit", D(340), 12, "Idlib")
    total = price(programme).facilities[0].total
    assert f"total {total:,.2f} USD" in out
    for args, message in (
        (["--param", "chairs=2"], "outside 4 to 40"),
        (["--param", "chairs"], "write NAME=VALUE"),
        (["--template", "no-such"], "no facility template 'no-such'"),
    ):
        base = ["template", "apply", str(path), "--facility", "Other", "--template", "dialysis-unit"]
        if args[0] == "--template":
            base = base[:-2]
        assert main([*base, *args]) == 1
        assert message in capsys.readouterr().err
    assert main(["template", "apply", str(path), "--facility", "Dialysis unit, Idlib", "--template", "dialysis-unit"]) == 1
    assert "already has a facility" in capsys.readouterr().err
    assert len(load(path).facilities) == 1  # nothing half-added


def test_pick_and_sqrt() -> None:
    assert evaluate("pick(damage, 0.1, 0.3, 0.6)", {"damage": D(2)}) == D("0.3")
    assert evaluate("4 * sqrt(400)") == D(80)
    for text in ("pick(4, 1, 2, 3)", "pick(1.5, 1, 2)", "sqrt(-1)"):
        with pytest.raises(ExpressionError):
            evaluate(text)


def test_apply_prices_in_the_programme_currency(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from estimator.store import load

    path = tmp_path / "try.boq"
    assert main(["new", str(path), "--currency", "TRY"]) == 0
    assert main(["template", "apply", str(path), "--facility", "Bunker", "--template", "radiotherapy-bunker"]) == 0
    out = capsys.readouterr().out
    programme = load(path)
    est = price(programme)
    assert est.problems == [] and f"total {est.subtotal:,.2f} TRY" in out
    per_m2 = round_money(est.subtotal / programme.facilities[0].floor_area)
    assert f"{per_m2:,.2f} TRY per m²" in out
