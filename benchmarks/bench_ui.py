"""The window: first paint of a generated programme, and the time from editing one quantity to the
updated grand total, next to a floor of plain Qt doing the least comparable work.

- first paint: open the .boq file in a new main window, show it, until the BoQ table has painted.
  Floor: an empty QApplication showing a plain QTableView over a trivial model with as many rows
  (facilities x items, 8 text columns), until it has painted.
- edit to total: `setData` of a quantity typed with a unit on the BoQ model (parse, undoable edit,
  incremental re-pricing, tree and totals bar updated); then the same until the event loop has
  painted what changed; then the worst case, a forced repaint of the whole table. Mean of 10
  edits each. The save to the .boq file follows the paint from the event loop; it is measured on
  its own (one changed item, `Project.save()`). Floor: `setData` + paint on the plain table.
Each figure is measured in a fresh process (QApplication and imports made before the clock starts).
Run: python -m benchmarks.bench_ui [--facilities 80 --items 300]  (offscreen unless QT_QPA_PLATFORM is set)
"""

from __future__ import annotations

import argparse
import os
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from benchmarks.common import Result, cpu_timed, measure, table

EDITS = 10


def _app() -> Any:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    folder = tempfile.mkdtemp(prefix="boq-bench-ui-")
    os.environ["BOQ_DATA_DIR"] = folder
    from ui.qt import QApplication, QSettings

    app = QApplication.instance() or QApplication(["bench"])
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
    return app


def _programme_file(facilities: int, items: int) -> Path:
    from estimator.store import Project
    from estimator.synthetic import generate

    path = Path(tempfile.mkdtemp(prefix="boq-bench-ui-")) / "bench.boq"
    Project.create(path, generate(facilities, items, seed=1)).close()
    return path


def _wait_for_paint(app: Any, widget: Any) -> None:
    from ui.qt import QEvent, QObject

    class Watch(QObject):
        seen = False

        def eventFilter(self, obj: Any, event: Any) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.seen = True
            return False

    watch = Watch()
    widget.installEventFilter(watch)
    while not watch.seen:
        app.processEvents()
    widget.removeEventFilter(watch)


def _window(path: Path) -> Any:
    from ui.dialogs import RecordingDialogs
    from ui.main_window import MainWindow
    from ui.settings import AppSettings

    window = MainWindow(AppSettings(), RecordingDialogs())
    if not window.files.open_path(path):
        raise RuntimeError(f"could not open {path}")
    window.show()
    return window


class _PlainModel:
    """A trivial table model: text cells from a list, nothing else (built lazily to keep Qt out of the parent)."""

    @staticmethod
    def make(rows: list[tuple[str, ...]]) -> Any:
        from ui.qt import QAbstractTableModel, QModelIndex, Qt

        class Plain(QAbstractTableModel):
            def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
                return 0 if parent.isValid() else len(rows)

            def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
                return 0 if parent.isValid() else 8

            def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
                if role == Qt.ItemDataRole.DisplayRole:
                    return rows[index.row()][index.column()]
                return None

            def setData(self, index: Any, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
                row = list(rows[index.row()])
                row[index.column()] = str(value)
                rows[index.row()] = tuple(row)
                self.dataChanged.emit(index, index)
                return True

            def flags(self, index: Any) -> Any:
                return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

        return Plain()


def _plain_rows(facilities: int, items: int) -> list[tuple[str, ...]]:
    return [(f"{r // 30 + 1}.{r % 30 + 1}", f"Description of item {r}", "بيان الأعمال", f"{r * 1.5:,.2f}", "m²", "PL-010",
             "5.19", f"{r * 7.785:,.2f}") for r in range(facilities * items)]


def first_paint(facilities: int, items: int) -> tuple[float, float, float, float]:
    """(window seconds, peak MB, floor seconds, floor peak MB), best of 3 fresh processes each."""

    def setup() -> Any:
        app = _app()
        import ui.main_window  # noqa: F401  (imports are not what is measured)

        return app, _programme_file(facilities, items)

    def work(state: Any) -> None:
        app, path = state
        window = _window(path)
        _wait_for_paint(app, window.table.viewport())
        state_window.append(window)  # keep it (and its file lock) out of the timing

    def floor_setup() -> Any:
        return _app(), _plain_rows(facilities, items)

    def floor_work(state: Any) -> None:
        from ui.qt import QTableView

        app, rows = state
        view = QTableView()
        view.setModel(_PlainModel.make(rows))
        view.resize(1200, 800)
        view.show()
        _wait_for_paint(app, view.viewport())
        state_window.append(view)

    state_window: list[Any] = []
    runs = [measure(setup, work, repeat=1) for _ in range(3)]
    floors = [measure(floor_setup, floor_work, repeat=1) for _ in range(3)]
    best, floor = min(runs), min(floors)
    return best[0], best[1], floor[0], floor[1]


def edit_latency(facilities: int, items: int) -> list[tuple[str, float, float, float | None]]:
    """(what, seconds per edit, peak MB, floor seconds) for edit-to-total, with and without paint, and the save."""

    def setup() -> Any:
        app = _app()
        window = _window(_programme_file(facilities, items))
        _wait_for_paint(app, window.table.viewport())
        doc = window.doc
        middle = doc.programme.facilities[len(doc.programme.facilities) // 2]
        bill = max(middle.bills, key=lambda b: sum(doc.live.line(i.uid).unit == "m2" for i in b.items))
        window.tree.setCurrentIndex(window.tree_model.bill_index(bill.uid))
        app.processEvents()
        rows = [r for r, i in enumerate(bill.items) if doc.live.line(i.uid).unit == "m2"]
        return {"app": app, "window": window, "n": 0, "rows": rows}

    def edits(paint: str) -> Any:
        def work(state: Any) -> None:
            from estimator.cell_input import Col

            window, app = state["window"], state["app"]
            window.doc.save_delay = 60_000  # the save is measured on its own, below
            model = window.boq_model
            for _ in range(EDITS):
                state["n"] += 1
                before = window.totals.grand.text()
                row = state["rows"][state["n"] % len(state["rows"])]
                model.setData(model.index(row, Col.QTY), f"{1000 + state['n']} ft2")  # measured in ft², billed per m²
                if paint == "event loop":
                    app.processEvents()
                elif paint == "full":
                    window.table.viewport().repaint()
                    window.totals.repaint()
                if window.totals.grand.text() == before:
                    raise RuntimeError("the grand total did not change")
        return work

    def save(state: Any) -> None:
        from estimator.edits import set_fields

        doc = state["window"].doc
        doc.save_delay = 60_000  # saved below, as the event loop's timer would
        state["n"] += 1
        bill = doc.programme.facilities[3].bills[2]
        doc.push(set_fields(bill, bill.items[4], {"quantity": Decimal(state["n"])}))
        doc.save_now()  # writes what the edit changed (`Project.save(changed=...)`)

    def floor_setup() -> Any:
        from ui.qt import QTableView

        app = _app()
        view = QTableView()
        view.setModel(_PlainModel.make(_plain_rows(facilities, items)))
        view.resize(1200, 800)
        view.show()
        _wait_for_paint(app, view.viewport())
        return {"view": view, "n": 0}

    def floor_work(state: Any) -> None:
        from ui.qt import QApplication

        view = state["view"]
        model = view.model()
        for _ in range(EDITS):
            state["n"] += 1
            model.setData(model.index(state["n"] % 20, 3), f"{1000 + state['n']}")
            QApplication.processEvents()

    floor, _ = measure(floor_setup, floor_work, repeat=5)
    results = []
    for name, paint in (("edit quantity -> grand total", ""), ("edit quantity -> total painted", "event loop"),
                        ("edit quantity -> whole table repainted", "full")):
        seconds, peak = measure(setup, edits(paint), repeat=5)
        results.append((name, seconds / EDITS, peak, floor / EDITS if paint == "event loop" else None))
    save_timed, save_cpu = cpu_timed(save)
    seconds, peak = measure(setup, save_timed, repeat=5)
    results.append((f"edit -> saved (the edit pushed, then the save the event loop runs; CPU {save_cpu.value * 1000:.1f} ms)",
                    seconds, peak, None))
    return results


def run(facilities: int, items: int) -> list[Result]:
    size = f"{facilities} x {items}"
    seconds, peak, floor, _ = first_paint(facilities, items)
    results = [Result("window first paint", size, seconds, peak, "QTableView, trivial model, same rows", floor)]
    for name, per_edit, peak, floor_edit in edit_latency(facilities, items):
        floor_name = "QTableView setData + paint" if floor_edit is not None else ""
        results.append(Result(name, size, per_edit, peak, floor_name, floor_edit))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--facilities", type=int, default=80)
    parser.add_argument("--items", type=int, default=300, help="items per facility")
    args = parser.parse_args()
    results = run(args.facilities, args.items)
    print(table(results))
    print()
    for r in results:  # the table has 3 decimals of a second; edits take well under a millisecond
        floor = f" (floor {r.floor_seconds * 1000:.2f} ms)" if r.floor_seconds is not None else ""
        print(f"{r.name}: {r.seconds * 1000:.2f} ms{floor}")


if __name__ == "__main__":
    main()
