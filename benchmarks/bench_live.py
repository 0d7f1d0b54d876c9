"""One edit in a live server window, end to end, in CPU seconds (issue 21), next to its floor.

Two working copies (A and B, as two windows hold them) of one programme on a throwaway PostgreSQL
cluster (tests/support/postgres.py). Each round A changes one item's quantity:

- **edit -> committed** (A's process): the edit applied to A's programme and its live estimate, the
  working copy saved (`Project.save(changed=...)`, as the window does) and the change sent to the
  server. Before (main): `workcopy.sync`, the whole programme compared with the base and the base
  recorded whole. After: `WorkingCopy.push`, the rows the save wrote, each checked against its version.
- **remote change -> applied** (B's process): B hears of A's commit and shows it. Before: `workcopy.sync`
  (the server's programme read and merged) and the window re-opening the file (`Project.open` and a new
  live estimate). After: `WorkingCopy.fetch` (rows with a version above B's) turned into edits applied
  in place (`incoming.edits`, live estimate updated), the save, and `took`.
- **floor**: one raw `UPDATE boq.items ... ; COMMIT` through psycopg (after `boq.begin_change`), on a
  second copy of the programme (so that it is not a colleague's commit to the measured one).

With `--window` the same two figures are taken through two real windows (offscreen, one process): the
edit pushed on A's undo stack and saved (models, totals bar, the server link sending it), and B's link
taking it in (on main: `ServerLink.sync`, which re-opens the document and rebuilds the views).

Figures are the client's CPU seconds (`time.process_time`), median of the rounds; wall times on this
shared machine mean little. Run on main's code with `--before` (the old path), e.g.:

    .venv/bin/python -m benchmarks.bench_live --sizes 80x300,320x300
    PYTHONPATH=/work/main .venv/bin/python benchmarks/bench_live.py --before --sizes 80x300
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any


def _rounds(facilities: int, items: int, before: bool, rounds: int) -> dict[str, float]:
    from estimator.edits import SetField
    from estimator.live import LiveEstimate
    from estimator.server.sync import pull_to_file, push_programme
    from estimator.store import Project
    from estimator.synthetic import generate

    cluster, url = _server()
    try:
        programme = generate(facilities, items, seed=1)
        push_programme(url, "bench", programme, None)
        push_programme(url, "floor", programme, None)  # the floor's writes do not count as a colleague's
        folder = Path(tempfile.mkdtemp(prefix="boq-bench-live-"))
        pull_to_file(url, "bench", folder / "a.boq")
        pull_to_file(url, "bench", folder / "b.boq")
        a, b = Project.open(folder / "a.boq"), Project.open(folder / "b.boq")
        live_a, live_b = LiveEstimate(a.programme), LiveEstimate(b.programme)
        wa = wb = None
        if not before:
            from estimator.server.livecopy import WorkingCopy

            wa, wb = WorkingCopy(a.connection, url, "bench"), WorkingCopy(b.connection, url, "bench")
        items_a = [(bill, it) for f in a.programme.facilities for bill in f.bills for it in bill.items]
        edit_cpu, apply_cpu, floor_cpu = [], [], []
        for n in range(rounds):
            bill, item = items_a[(n * 7919) % len(items_a)]
            edit = SetField(bill.uid, item.uid, "quantity", item.quantity, item.quantity + Decimal("1.25"))
            c0 = time.process_time()
            change = edit.apply(a.programme)
            live_a.update(change, a.programme)
            a.save(changed=change)
            if before:
                from estimator.server.workcopy import sync

                sync(a, url, "bench")
            else:
                assert wa is not None
                wa.note_saved(a.last_delta)
                wa.push(a.programme)
            edit_cpu.append(time.process_time() - c0)

            c0 = time.process_time()
            if before:
                from estimator.server.workcopy import sync

                synced = sync(b, url, "bench")
                assert synced.reloaded
                path = b.path
                b.close()
                b = Project.open(path)
                live_b = LiveEstimate(b.programme)
            else:
                assert wb is not None
                fetched = wb.fetch()
                total = None
                for step in wb.edits(b.programme, fetched):
                    ch = step.apply(b.programme)
                    live_b.update(ch, b.programme)
                    total = ch if total is None else total | ch
                wb.took(fetched)
                b.save(changed=total)
                wb.note_saved(b.last_delta)
                assert not wb.has_pending()
            apply_cpu.append(time.process_time() - c0)
            got = next(it for f in b.programme.facilities for bl in f.bills for it in bl.items if it.uid == item.uid)
            assert got.quantity == item.quantity, (got.quantity, item.quantity)

            floor_cpu.append(_floor(url, item.uid))
        a.close()
        b.close()
        if wa is not None and wb is not None:
            wa.close()
            wb.close()
        return {"edit": statistics.median(edit_cpu), "apply": statistics.median(apply_cpu),
                "floor": statistics.median(floor_cpu)}
    finally:
        cluster.stop()


def _window_rounds(facilities: int, items: int, rounds: int) -> dict[str, float]:
    """The same two figures through two real windows (offscreen): the edit pushed on A's undo stack and
    saved (models, totals, ServerLink), and B's link taking it in (before: re-opening the document)."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("BOQ_DATA_DIR", tempfile.mkdtemp(prefix="boq-bench-data-"))
    import psycopg

    from estimator.edits import SetField
    from estimator.server import admin
    from estimator.server.sync import push_programme
    from estimator.synthetic import generate
    from ui.dialogs import RecordingDialogs
    from ui.qt import QApplication, QSettings

    cluster, url = _server()
    try:
        with psycopg.connect(cluster.url(), autocommit=True) as conn:
            conn.execute("CREATE ROLE bench_b LOGIN")
        admin.grant(url, "bench_b", "estimator")
        url_b = cluster.url(url.rsplit("/", 1)[1], "bench_b")
        programme = generate(facilities, items, seed=1)
        push_programme(url, "bench", programme, None)
        push_programme(url, "floor", programme, None)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
        app = QApplication.instance() or QApplication([])
        from ui.main_window import MainWindow
        from ui.settings import AppSettings

        wins: list[Any] = []
        for where in (url, url_b):
            win = MainWindow(AppSettings(), RecordingDialogs())
            assert win.server.open(where, "bench")
            win.server.link.timer.stop()  # measured by hand below
            wins.append(win)
        a, b = wins
        edit_cpu, apply_cpu, floor_cpu = [], [], []
        for n in range(rounds):
            items_a = [(bill, it) for f in a.doc.programme.facilities for bill in f.bills for it in bill.items]
            bill, item = items_a[(n * 7919) % len(items_a)]
            c0 = time.process_time()
            a.doc.push(SetField(bill.uid, item.uid, "quantity", item.quantity, item.quantity + Decimal("1.25")))
            a.doc.save_now()  # what the event loop runs right after the edit; the link sends it on `saved`
            edit_cpu.append(time.process_time() - c0)
            app.processEvents()
            link = b.server.link
            c0 = time.process_time()
            if hasattr(link, "take_in"):
                link.take_in()
            else:
                link.sync()  # main: merge and re-open the window's document
            apply_cpu.append(time.process_time() - c0)
            app.processEvents()
            got = next(it for f in b.doc.programme.facilities for bl in f.bills for it in bl.items if it.uid == item.uid)
            assert got.quantity == item.quantity, (got.quantity, item.quantity)
            floor_cpu.append(_floor(url, item.uid))
        for win in wins:
            win.server.link.stop()
            win.close()
        return {"edit": statistics.median(edit_cpu), "apply": statistics.median(apply_cpu),
                "floor": statistics.median(floor_cpu)}
    finally:
        cluster.stop()


def _server() -> tuple[Any, str]:
    """A throwaway PostgreSQL cluster (the caller stops it) and a database on it set up by `boq server init`."""
    from estimator.server import admin
    from tests.support.postgres import Cluster, binaries

    bindir = binaries()
    if bindir is None:
        raise SystemExit("PostgreSQL is not installed (initdb/pg_ctl)")
    cluster = Cluster(bindir)
    try:
        url = cluster.database()
        admin.init(url)
    except BaseException:
        cluster.stop()
        raise
    return cluster, url


def _floor(url: str, uid: str) -> float:
    import psycopg

    with psycopg.connect(url) as conn:
        pid = conn.execute("SELECT id FROM boq.programmes WHERE name = 'floor'").fetchone()[0]  # type: ignore[index]
        conn.commit()
        c0 = time.process_time()
        conn.execute("SELECT boq.begin_change(%s)", (pid,))
        conn.execute("UPDATE boq.items SET notes = notes WHERE programme_id = %s AND uid = %s", (pid, uid))
        conn.commit()
        return time.process_time() - c0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="80x300", help="FACILITIESxITEMS,... (default 80x300)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--before", action="store_true", help="the whole-programme path (workcopy.sync + reopen)")
    parser.add_argument("--window", action="store_true", help="through two real windows (offscreen), either code")
    args = parser.parse_args(argv)
    label = "window" if args.window else "before (whole programme)" if args.before else "after (by change)"
    print("| size | path | edit -> committed, CPU s | remote change -> applied, CPU s | floor: raw UPDATE, CPU s |")
    print("|---|---|---:|---:|---:|")
    for size in args.sizes.split(","):
        f, i = (int(x) for x in size.split("x"))
        out: dict[str, Any] = (_window_rounds(f, i, args.rounds) if args.window else
                               _rounds(f, i, args.before, args.rounds))
        print(f"| {f} x {i} | {label} | {out['edit']:.4f} | {out['apply']:.4f} | {out['floor']:.4f} |", flush=True)


if __name__ == "__main__":
    main()
