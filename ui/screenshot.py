"""Regenerate the README screenshot: the window with the sample programme, as a user sees it.

    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python -m ui.screenshot docs/screenshot-main.png

The window is laid out at 1366 x 768, the laptop screen most of its users have.

Works on a temporary copy of the sample (the user's own files and settings are not touched): picks
a bill, types a quantity in square feet (so the conversion shows in the status bar), searches the
rate library and selects a rate to show its build-up, then grabs the window.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "docs/screenshot-main.png")
    folder = Path(tempfile.mkdtemp(prefix="boq-shot-"))
    os.environ["BOQ_DATA_DIR"] = str(folder / "data")
    from ui.qt import QApplication, QSettings

    app = QApplication([sys.argv[0]])
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder / "settings"))
    from estimator.cell_input import Col
    from ui.app import sample_path
    from ui.dialogs import RecordingDialogs
    from ui.main_window import MainWindow
    from ui.settings import AppSettings

    window = MainWindow(AppSettings(), RecordingDialogs())
    window.resize(1366, 768)
    assert window.files.open_path(sample_path())
    window.show()
    tree, doc = window.tree_model, window.doc
    assert tree is not None and doc is not None and window.boq_model is not None
    bills = [b for f in doc.programme.facilities for b in f.bills]
    bill = max((b for b in bills if any(doc.live.line(i.uid).unit == "m2" for i in b.items)), key=lambda b: len(b.items))
    window.tree.setCurrentIndex(tree.bill_index(bill.uid))
    model = window.boq_model
    row = next(r for r, i in enumerate(bill.items) if doc.live.line(i.uid).unit == "m2")
    model.setData(model.index(row, Col.QTY), "1850 ft2")
    window.table.setCurrentIndex(model.index(row, Col.DESC))
    panel = window.library_panel
    panel.search.setText("plaster")
    panel.table.selectRow(0)
    for _ in range(20):
        app.processEvents()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(out)):
        print(f"could not write {out}", file=sys.stderr)
        return 1
    print(f"wrote {out}")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
