"""Regenerate the README screenshots: the window with the sample programme, as a user sees it.

    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python -m ui.screenshot docs/screenshot-main.png
    bash scripts/screenshots.sh          # the Arabic ones too, captured from the X screen (Xvfb)

    python -m ui.screenshot OUT [--lang ar] [--scene main|problems|export] [--screen]

The window is laid out at 1366 x 768, the laptop screen most of its users have.

Works on a temporary copy of the sample (the user's own files and settings are not touched): picks
a bill, types a quantity in square feet (so the conversion shows in the status bar), searches the
rate library and selects a rate to show its build-up. `problems` then imports a work list with
mistakes (the problems dialog lists them); `export` opens the export dialog. Without --screen the
window is grabbed (works offscreen); with it the whole X screen is captured with ImageMagick's
`import -window root`, dialogs included, as the user would see them.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

BAD_WORKLIST = """Facility,Section,Description,Quantity,Unit,Code
Harim clinic,Works,Internal plaster,1200,ft2,PL-010
Harim clinic,Works,Ceiling repair,twelve,m2,PL-010
Harim clinic,Works,Door frames,-4,nr,
Harim clinic,Works,Screed,30,furlong,PL-010
"""


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.screenshot")
    parser.add_argument("out", nargs="?", type=Path, default=Path("docs/screenshot-main.png"))
    parser.add_argument("--lang", choices=["en", "ar"], default="en")
    parser.add_argument("--scene", choices=["main", "problems", "export"], default="main")
    parser.add_argument("--screen", action="store_true", help="capture the X screen (import -window root)")
    args = parser.parse_args(argv)
    out: Path = args.out.resolve()
    folder = Path(tempfile.mkdtemp(prefix="boq-shot-"))
    os.environ["BOQ_DATA_DIR"] = str(folder / "data")
    from ui.qt import QApplication, QSettings

    app = QApplication([sys.argv[0]])
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder / "settings"))
    from ui import language

    language.apply(app, args.lang)
    from estimator.cell_input import Col
    from ui.app import sample_path
    from ui.dialogs import QtDialogs
    from ui.main_window import MainWindow
    from ui.settings import AppSettings

    window = MainWindow(AppSettings(), QtDialogs())
    window.dialogs = QtDialogs(window)
    window.files.dialogs = window.dialogs
    window.resize(1366, 768)
    window.move(0, 0)
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
    from ui.bidi import select_row

    select_row(panel.table, 0)
    settle(app)
    if args.scene == "export":
        dialog = window.files.export()
        assert dialog is not None
        dialog.move(260, 120)
    elif args.scene == "problems":
        from estimator.errors import ValidationFailed
        from estimator.worklist import import_worklist
        from ui.dialogs import ProblemsDialog

        listing = folder / "worklist-Harim.csv"
        listing.write_text(BAD_WORKLIST, encoding="utf-8")
        try:
            import_worklist(doc.programme, listing, window.library)
            raise AssertionError("the work list has mistakes")
        except ValidationFailed as exc:
            from ui.dialogs import describe
            from ui.qt import QCoreApplication

            problems = ProblemsDialog(QCoreApplication.translate("FileActions", "Import work list"), describe(exc),
                                      exc.problems, window)
            problems.show()
            problems.move(180, 160)
    settle(app)
    out.parent.mkdir(parents=True, exist_ok=True)
    if args.screen:
        done = subprocess.run(["import", "-window", "root", str(out)], capture_output=True, text=True, timeout=60)
        ok = done.returncode == 0
    else:
        ok = window.grab().save(str(out))
    if not ok:
        print(f"could not write {out}", file=sys.stderr)
        return 1
    print(f"wrote {out}")
    window.close()
    return 0


def settle(app: object) -> None:
    import time

    from ui.qt import QApplication

    end = time.monotonic() + 1.0
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.02)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
