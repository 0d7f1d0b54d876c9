"""The Arabic translation of the window is complete and compiled (scripts/translations.py --check).

lupdate runs over ui/ into a temporary copy of ui/i18n/boq_ar.ts: a text added with self.tr() and not
translated yet comes out `type="unfinished"` and fails here; so does a translation that uses a
`{field}` the English does not give (it would break `.format()`), and a .qm not compiled from the .ts.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("translations", ROOT / "scripts" / "translations.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["translations"] = module  # its dataclass looks its module up
    spec.loader.exec_module(module)
    return module


def test_lupdate_leaves_nothing_untranslated_and_the_qm_is_compiled() -> None:
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "translations.py"), "--check"], capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "translations: complete" in run.stdout


def test_the_check_finds_unfinished_empty_and_broken_translations(tmp_path: Path) -> None:
    ts = tmp_path / "x.ts"
    ts.write_text("""<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ar" sourcelanguage="en">
<context>
    <name>MainWindow</name>
    <message><source>&amp;File</source><translation>&amp;ملف</translation></message>
    <message><source>Saved {path}</source><translation type="unfinished"></translation></message>
    <message><source>Export</source><translation></translation></message>
    <message><source>Copied {cells} cell{s}</source><translation>نُسخت الخلايا: {cells}</translation></message>
    <message><source>Wrote {path}</source><translation>كُتب {file}</translation></message>
</context>
</TS>
""", encoding="utf-8")
    found = {(p.source, p.what) for p in _tool().problems(ts)}
    assert found == {("Saved {path}", "type=unfinished"), ("Export", "empty translation"),
                     ("Wrote {path}", "fields not in the source: ['file']")}


@pytest.mark.parametrize("text", ["Grand total {grand_total} {cur}", "Restore backup of {when:%Y-%m-%d %H:%M}"])
def test_fields_are_read_with_their_format(text: str) -> None:
    assert _tool().FIELD.findall(text) in (["grand_total", "cur"], ["when"])
