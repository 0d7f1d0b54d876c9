"""Analysis: comparing facilities and evaluating returned bids, each next to its floor.

- compare: `estimator.analysis.compare.compare` of the whole programme (pricing included: it
  starts from the programme) vs `estimator.pricing.price` alone, the work it cannot avoid.
- bids: `estimator.analysis.bids.evaluate` of 10 returned bids (read, match by uid, check every
  row, correct) and the per-lot analysis `estimator.analysis.lots.evaluate_lots` (bidders,
  per-lot status, ranking, recommendation) vs unzipping the same 10 workbooks and running expat over every sheet with
  no handlers: the least any reading of those files costs.
The bids are the real unpriced export, priced by rewriting each rate cell of the sheet XML (a
different factor per bidder, the amount formulas' cached values set). That is the least a bidder
returns; what bidders really return was opened, filled, recalculated and saved by a spreadsheet
program, which rewrites the whole file its own way (shared strings, its own styles, every cached
value). The second figure ("saved by LibreOffice") evaluates those same filled copies after
LibreOffice loaded, recalculated and saved each one (`tests/support/libreoffice.py`), as Excel
does in the field. Preparing them takes LibreOffice a minute or more at 80 x 300, so by default
that variant runs up to 80 x 300 (`--libreoffice` / `--no-libreoffice` to choose).
Run: python -m benchmarks.bench_analysis [--facilities 80 --items 300 --bids 10 --libreoffice]
"""

from __future__ import annotations

import argparse
import re
import shutil
import tempfile
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from benchmarks.common import Result, measure, table

_ITEM_ROW = re.compile(rb'(<row r="(\d+)"[^>]*>)(.*?)(</row>)', re.S)
_EMPTY_RATE = re.compile(rb'<c r="E(\d+)"( s="\d+")?(?: t="n")? ?/>')
_QUANTITY = re.compile(rb'<c r="D\d+"[^>]*><v>([^<]*)</v>')
_AMOUNT_CACHE = re.compile(rb'(<f>ROUND\(D\d+\*E\d+,2\)</f><v>)[^<]*</v>')


def _price_sheet(xml: bytes, factor: float) -> bytes:
    def row(m: re.Match[bytes]) -> bytes:
        body = m.group(3)
        if b'<c r="G' not in body or b"<f>" not in body:  # item rows have a uid and an amount formula
            return m.group(0)
        rate = f"{(int(m.group(2)) % 97 + 1.25) * factor:.2f}".encode()
        body = _EMPTY_RATE.sub(lambda c: b'<c r="E' + c.group(1) + b'"' + (c.group(2) or b"") + b"><v>" + rate + b"</v></c>",
                               body)
        # what Excel saves after recalculating: the amount formula's cached value is quantity x rate
        qty = _QUANTITY.search(body)
        if qty:
            amount = (Decimal(qty.group(1).decode()) * Decimal(rate.decode())).quantize(Decimal("0.01"), ROUND_HALF_UP)
            body = _AMOUNT_CACHE.sub(lambda c: c.group(1) + str(amount).encode() + b"</v>", body)
        return m.group(1) + body + m.group(4)
    return _ITEM_ROW.sub(row, xml)


def make_bids(tender: Path, folder: Path, count: int) -> list[Path]:
    paths = []
    with zipfile.ZipFile(tender) as zin:
        entries = [(info, zin.read(info.filename)) for info in zin.infolist()]
    for n in range(count):
        path = folder / f"bid{n + 1:02d}.xlsx"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
            for info, data in entries:
                if info.filename.startswith("xl/worksheets/sheet"):
                    data = _price_sheet(data, 0.8 + 0.05 * n)
                zout.writestr(info, data)
        paths.append(path)
    return paths


def saved_by_libreoffice(paths: list[Path], folder: Path) -> list[Path]:
    """Each filled bid loaded, recalculated and saved as xlsx by LibreOffice (into `folder`)."""
    from concurrent.futures import ThreadPoolExecutor

    from tests.support.libreoffice import recalculate

    folder.mkdir(exist_ok=True)
    # one soffice per bid (each with its own profile); two at a time, one per core
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(lambda path: recalculate(path, folder), paths))


def run(facilities: int, items: int, bids: int = 10, libreoffice: bool | None = None) -> list[Result]:
    from estimator.analysis.compare import compare
    from estimator.export.xlsx import write_xlsx
    from estimator.pricing import price
    from estimator.store import Project, load
    from estimator.synthetic import generate

    size = f"{facilities} x {items}"
    folder = Path(tempfile.mkdtemp(prefix="boq-bench-analysis-"))
    boq, tender = folder / "p.boq", folder / "tender.xlsx"
    Project.create(boq, generate(facilities, items, seed=1)).close()
    write_xlsx(load(boq), tender, priced=False)
    paths = make_bids(tender, folder, bids)

    def setup() -> Any:
        return load(boq)

    results = []
    seconds, peak = measure(setup, compare)
    floor, _ = measure(setup, price)
    results.append(Result("compare facilities", size, seconds, peak, "price() alone", floor))
    seconds, peak = measure(setup, lambda prog: _checked(_cba(prog, paths), bids))
    floor, _ = measure(lambda: paths, _expat_floor)
    results.append(Result(f"evaluate {bids} bids", size, seconds, peak, "unzip + bare expat", floor,
                          note=_cpu_note(load(boq), paths)))
    if libreoffice if libreoffice is not None else facilities * items <= 24_000:
        saved = saved_by_libreoffice(paths, folder / "libreoffice")
        seconds, peak = measure(setup, lambda prog: _checked(_cba(prog, saved), bids))
        floor, _ = measure(lambda: saved, _expat_floor)
        mb = sum(p.stat().st_size for p in saved) / len(saved) / 1e6
        results.append(Result(f"evaluate {bids} bids saved by LibreOffice", size, seconds, peak, "unzip + bare expat",
                              floor, note=f"{_cpu_note(load(boq), saved)}; {mb:.1f} MB a bid as saved"))
    shutil.rmtree(folder)
    return results


def _cba(programme: Any, paths: list[Path], workers: int | None = None) -> Any:
    """The evaluation as `boq bids` makes it: the workbooks read (in worker processes where the CPUs
    allow, `bidassess.plan_workers`), then the analysis per lot."""
    from estimator.analysis.bids import evaluate
    from estimator.analysis.lots import evaluate_lots

    ev = evaluate(programme, paths, workers=workers)
    evaluate_lots(programme, ev)
    return ev


def _cpu_note(programme: Any, paths: list[Path]) -> str:
    """CPU seconds of the evaluation in one process, and with the default workers (this process and
    its workers): on a shared machine wall time also counts waiting for a core."""
    import resource
    import time

    def cpu(workers: int | None) -> tuple[float, float]:
        before, children = time.process_time(), resource.getrusage(resource.RUSAGE_CHILDREN)
        _cba(programme, paths, workers)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time() - before, after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime

    one, _ = cpu(1)
    parent, workers = cpu(None)
    return f"{one:.2f} s of CPU in one process; parallel: {parent:.2f} s here + {workers:.2f} s in workers"


def _checked(evaluation: Any, bids: int) -> None:
    """The benchmark measures what it claims: every bid read, fully priced."""
    if len(evaluation.bids) != bids or evaluation.refused or any(b.missing for b in evaluation.bids):
        raise RuntimeError(f"expected {bids} fully priced bids, got {[(b.file, b.missing) for b in evaluation.bids]}, "
                           f"refused {evaluation.refused}")


def _expat_floor(paths: list[Path]) -> None:
    from xml.parsers import expat

    for path in paths:
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.startswith("xl/worksheets/"):
                    parser = expat.ParserCreate()
                    with z.open(name) as fh:
                        parser.ParseFile(fh)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--facilities", type=int, default=80)
    parser.add_argument("--items", type=int, default=300, help="items per facility")
    parser.add_argument("--bids", type=int, default=10)
    parser.add_argument("--libreoffice", action=argparse.BooleanOptionalAction, default=None,
                        help="also evaluate the bids as saved by LibreOffice (default: up to 80 x 300)")
    args = parser.parse_args()
    results = run(args.facilities, args.items, args.bids, args.libreoffice)
    print(table(results))
    for r in results:
        if r.note:
            print(f"{r.name}, {r.size}: {r.note}")


if __name__ == "__main__":
    main()
