"""Saving after an edit (issue 22): the window's save of what the edit changed, next to its floor.

- edit -> saved, by its change: an `estimator.edits` edit applied to an open `Project`, then
  `project.save(changed=change)` (what the window does after every edit): one quantity, and one
  inserted row (the bill renumbered: every row of that bill compared);
- the same edit saved by comparing the whole programme (`project.save()`, the fallback and what
  the window did before);
- floor: raw `sqlite3` on the same file with the same settings (rollback journal, synchronous=FULL)
  doing `BEGIN IMMEDIATE; UPDATE items SET quantity = ? WHERE uid = ?; COMMIT` for one row.

Each figure is wall seconds (best of 7) and CPU seconds; the commit's fsyncs make the wall time,
and both sides pay them. Run: python -m benchmarks.bench_save [--facilities 320 --items 300]
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from benchmarks.common import Result, cpu_timed, measure, table

REPEAT = 7


def run(facilities: int, items: int) -> list[Result]:
    from estimator.store import Project
    from estimator.synthetic import generate

    size = f"{facilities} x {items}"
    folder = Path(tempfile.mkdtemp(prefix="boq-bench-save-"))
    made = folder / "made.boq"
    Project.create(made, generate(facilities, items, seed=1)).close()

    def opened() -> Any:
        path = folder / "work.boq"
        shutil.copyfile(made, path)
        project = Project.open(path)
        targets = [(b, it) for f in project.programme.facilities for b in f.bills for it in b.items]
        return {"project": project, "targets": targets, "n": 0}

    def edit_quantity(state: Any) -> Any:
        from estimator import edits

        state["n"] += 1
        bill, item = state["targets"][state["n"] * 7919 % len(state["targets"])]
        return edits.set_fields(bill, item, {"quantity": item.quantity + state["n"]})

    def insert_row(state: Any) -> Any:
        from estimator import edits
        from estimator.model import Item

        state["n"] += 1
        project = state["project"]
        fac = project.programme.facilities[state["n"] % len(project.programme.facilities)]
        bill = fac.bills[0]
        return edits.insert_items(fac, bill, 0, [Item(f"Inserted {state['n']}", Decimal(state["n"]), "m2")])

    def saving(make: Any, whole: bool) -> Any:
        def work(state: Any) -> None:
            project = state["project"]
            change = make(state).apply(project.programme)
            project.save(changed=None if whole else change)
        return work

    def floor_setup() -> Any:
        path = folder / "floor.boq"
        shutil.copyfile(made, path)
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA synchronous = FULL")  # the store's settings: rollback journal, full sync
        uids = [row[0] for row in conn.execute("SELECT uid FROM items")]
        return {"conn": conn, "uids": uids, "n": 0}

    def floor_work(state: Any) -> None:
        state["n"] += 1
        conn = state["conn"]
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE items SET quantity = ? WHERE uid = ?",
                     (str(Decimal(state["n"])), state["uids"][state["n"] * 7919 % len(state["uids"])]))
        conn.execute("COMMIT")

    floor_timed, floor_cpu = cpu_timed(floor_work)
    floor, _ = measure(floor_setup, floor_timed, repeat=REPEAT)
    floor_name = "raw sqlite3 UPDATE of one row, same settings"
    results = []
    for name, make, whole in (("edit quantity -> saved by its change", edit_quantity, False),
                              ("insert a row (bill renumbered) -> saved by its change", insert_row, False),
                              ("edit quantity -> saved by comparing everything", edit_quantity, True)):
        timed, cpu = cpu_timed(saving(make, whole))
        seconds, peak = measure(opened, timed, repeat=REPEAT)
        results.append(Result(name, size, seconds, peak, floor_name, floor,
                              note=f"CPU seconds {cpu.value:.4f} vs {floor_cpu.value:.4f}"))
    shutil.rmtree(folder, ignore_errors=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--facilities", type=int, default=320)
    parser.add_argument("--items", type=int, default=300, help="items per facility")
    args = parser.parse_args()
    results = run(args.facilities, args.items)
    print(table(results))
    for r in results:
        print(f"{r.name}: {r.note}")


if __name__ == "__main__":
    main()
