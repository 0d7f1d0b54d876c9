"""PDF tender pack: the whole pack (`write_pdf`) against a bare reportlab table of the same rows.

The floor is what any PDF of these rows costs with reportlab: one `Table` per facility (reportlab
splits it over pages and repeats the header), plain grid style, the same embedded font, the
descriptions wrapped with reportlab's own `simpleSplit` and the figures printed with `money.fmt`.
It has no cover, texts, page totals, collections, summaries, Arabic or signature strips, so the
pack can only be slower; the goal is under 1.3x. Pages are counted with `pdfinfo` after timing.
The pack is timed drawn in one process (`workers=0`, the floor's conditions) and in worker
processes (`workers=2`, one per core here): the parallel figure is wall time, which is what a user
waits for; its CPU seconds are those of the parent process only. `--workers 1,2,4,8` shows the
scaling: 1 and 2 are measured; with more workers than cores the figure is simulated by lot count,
i.e. one worker drawing FACILITIES/N lots (the longest a worker would take with N cores) with the
front, the tail and the joining of that smaller pack.
On a machine shared with other work, `--alternate 5` runs one process and 2 workers in turn five
times and gives the median of the five ratios (each pair sees about the same load).
Run: python -m benchmarks.bench_pdf [--facilities 80 --items 300 --lang en --repeat 3 --workers 1,2,4,8 --alternate 5]
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.common import Result, cpu_timed, measure, table


def _programme(facilities: int, items: int) -> Any:
    from estimator.synthetic import generate

    return generate(facilities, items, seed=1)


def _pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def bare_table(programme: Any, path: Path) -> None:
    """One plain reportlab Table per facility with the BoQ rows: the floor."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.platypus import PageBreak, SimpleDocTemplate, Table, TableStyle

    from estimator.export.pdf import fonts
    from estimator.export.pdf.layout import FRAME_W
    from estimator.money import fmt
    from estimator.pricing import price

    fonts.register()
    widths = [34, FRAME_W - 266, 36, 60, 60, 76]
    style = TableStyle([("FONT", (0, 0), (-1, -1), fonts.SANS, 7.8), ("GRID", (0, 0), (-1, -1), 0.4, "black"),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (3, 0), (-1, -1), "RIGHT")])
    story: list[Any] = []
    for facility in price(programme).facilities:
        rows = [["Item", "Description", "Unit", "Quantity", "Rate", "Amount"]]
        for bill in facility.bills:
            for ln in bill.lines:
                desc = "\n".join(simpleSplit(ln.item.description, fonts.SANS, 7.8, widths[1] - 6))
                rows.append([ln.item.ref, desc, ln.unit, fmt(ln.quantity), fmt(ln.rate), fmt(ln.amount)])
        story += [Table(rows, colWidths=widths, repeatRows=1, style=style), PageBreak()]
    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=42.5, rightMargin=42.5).build(story)


def run(facilities: int, items: int, lang: str = "en", repeat: int = 1, workers: tuple[int, ...] = (2,),
        rounds: int = 0) -> list[Result]:
    from estimator.export.pdf import write_pdf

    size = f"{facilities} x {items}"
    folder = Path(tempfile.mkdtemp(prefix="bench_pdf."))
    pack, floor = folder / "pack.pdf", folder / "bare.pdf"
    floor_work, floor_cpu = cpu_timed(lambda p: bare_table(p, floor))
    pack_work, pack_cpu = cpu_timed(lambda p: write_pdf(p, pack, priced=True, lang=lang, workers=0))
    floor_s, floor_mb = measure(lambda: _programme(facilities, items), floor_work, repeat)
    seconds, peak = measure(lambda: _programme(facilities, items), pack_work, repeat)
    pages = _pages(pack)
    note = (f"{pages} pages; bare table {_pages(floor)} pages, {floor_mb:.0f} MB; CPU seconds "
            f"{pack_cpu.value:.2f} vs {floor_cpu.value:.2f} = {pack_cpu.value / floor_cpu.value:.2f}x")
    results = [Result(f"PDF tender pack ({lang})", size, seconds, peak, "bare reportlab Table per facility", floor_s, note)]
    cores = parallel_cpus()
    for count in workers:
        if count <= cores:
            work, cpu = cpu_timed(lambda p, n=count: write_pdf(p, pack, priced=True, lang=lang, workers=n), children=True)
            secs, mb = measure(lambda: _programme(facilities, items), work, repeat)
            how = f"{count} worker{'s' if count > 1 else ''}"
            note = (f"{_pages(pack)} pages (one process: {pages}); {secs / seconds:.2f}x the one-process time; CPU "
                    f"seconds of this process and its workers {cpu.value:.2f} (one process: {pack_cpu.value:.2f})")
        else:
            lots = max(1, facilities // count)
            secs, mb = measure(lambda n=lots: _programme(n, items),
                               lambda p: write_pdf(p, pack, priced=True, lang=lang, workers=1), repeat)
            how = f"{count} workers, simulated"
            note = f"one worker drawing {lots} of {facilities} lots; {secs / seconds:.2f}x the one-process time"
        results.append(Result(f"PDF tender pack ({lang}), {how}", size, secs, mb, "the same pack in one process",
                              seconds, note))
    if rounds:
        results.append(_alternated(facilities, items, lang, pack, min(cores, 2), rounds))
    pack.unlink(missing_ok=True)
    floor.unlink()
    folder.rmdir()
    return results


def _alternated(facilities: int, items: int, lang: str, pack: Path, count: int, rounds: int) -> Result:
    """One process and `count` workers run one after the other, `rounds` times: on a machine whose load
    changes (shared with others) each pair sees about the same load; the median of the ratios counts."""
    import statistics

    from estimator.export.pdf import write_pdf

    pairs = []
    for _ in range(rounds):
        one, _mb = measure(lambda: _programme(facilities, items),
                           lambda p: write_pdf(p, pack, priced=True, lang=lang, workers=0), 1)
        many, _mb = measure(lambda: _programme(facilities, items),
                            lambda p: write_pdf(p, pack, priced=True, lang=lang, workers=count), 1)
        pairs.append((many / one, one, many))
    ratio, one, many = statistics.median_low(pairs)
    note = "ratios of the rounds: " + ", ".join(f"{r:.2f}" for r, _, _ in pairs) + f"; median {ratio:.2f}x"
    return Result(f"PDF tender pack ({lang}), {count} workers, alternated with one process", f"{facilities} x {items}",
                  many, 0, "the same pack in one process, same round", one, note)


def parallel_cpus() -> int:
    from estimator.export.pdf.parallel import cpus

    return cpus()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--facilities", type=int, default=80)
    parser.add_argument("--items", type=int, default=300, help="items per facility")
    parser.add_argument("--lang", choices=("en", "ar", "both"), default="en")
    parser.add_argument("--repeat", type=int, default=1, help="best of this many runs of each")
    parser.add_argument("--workers", default="2", help="comma-separated worker counts, e.g. 1,2,4,8 (default 2)")
    parser.add_argument("--alternate", type=int, default=0, metavar="ROUNDS",
                        help="also run one process and 2 workers one after the other ROUNDS times (a loaded machine)")
    args = parser.parse_args()
    results = run(args.facilities, args.items, args.lang, args.repeat, tuple(int(n) for n in args.workers.split(",")),
                  args.alternate)
    print(table(results))
    for r in results:
        print(f"{r.name}: {r.note}")


if __name__ == "__main__":
    main()
