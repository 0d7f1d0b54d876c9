"""Regenerate the window's translation source and compile it; or check that it is complete.

    python scripts/translations.py            # lupdate ui/ -> ui/i18n/boq_ar.ts, lrelease -> ui/i18n/boq_ar.qm
    python scripts/translations.py --check    # exit 1 if lupdate would leave anything untranslated or
                                              # the committed .qm is not the compiled .ts (nothing is written)

The tools are the ones PySide6 ships (`pyside6-lupdate`, `pyside6-lrelease`). lupdate reads every
`self.tr("...")`, `QCoreApplication.translate("Context", "...")` and `QT_TRANSLATE_NOOP(...)` in ui/;
new texts arrive in the .ts as `type="unfinished"` and are translated there (Qt Linguist, or any
editor: the .ts is XML). Translations use the source's `{name}` fields, and no others: a field the
source does not have would break `.format()`; one it has may be left out (an English plural "s").
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET  # our own .ts, written by lupdate: not an outside file
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UI = ROOT / "ui"
I18N = UI / "i18n"
LANGUAGES = ("ar",)
FIELD = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)[^{}]*\}")


def tool(name: str) -> str:
    """`pyside6-lupdate` / `pyside6-lrelease` next to this Python, else on PATH."""
    here = Path(sys.executable).parent
    for candidate in (here / name, here / f"{name}.exe"):
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install PySide6 (pip install -e '.[dev]')")
    return found


def sources() -> list[Path]:
    return sorted(p for p in UI.rglob("*.py") if I18N not in p.parents)


def ts_path(lang: str) -> Path:
    return I18N / f"boq_{lang}.ts"


def qm_path(lang: str) -> Path:
    return I18N / f"boq_{lang}.qm"


def lupdate(ts: Path, lang: str) -> None:
    files = [str(p.relative_to(ROOT)) for p in sources()]
    subprocess.run([tool("pyside6-lupdate"), *files, "-no-obsolete", "-locations", "none", "-source-language", "en",
                    "-target-language", lang, "-ts", str(ts)], cwd=ROOT, check=True, capture_output=True, text=True)


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run([tool("pyside6-lrelease"), "-nounfinished", str(ts), "-qm", str(qm)], check=True,
                   capture_output=True, text=True)


@dataclass(frozen=True)
class Problem:
    context: str
    source: str
    what: str

    def __str__(self) -> str:
        return f"{self.context}: {self.source!r}: {self.what}"


def problems(ts: Path) -> list[Problem]:
    """Untranslated, unfinished or field-breaking messages of a .ts file."""
    found = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            translation = message.find("translation")
            if translation is None:
                found.append(Problem(name, source, "no translation"))
                continue
            kind = translation.get("type")
            forms = [f.text or "" for f in translation.iter("numerusform")] or [translation.text or ""]
            if kind in ("unfinished", "vanished", "obsolete"):
                found.append(Problem(name, source, f"type={kind}"))
            elif any(not form.strip() for form in forms):
                found.append(Problem(name, source, "empty translation"))
            else:
                allowed = set(FIELD.findall(source))
                for form in forms:
                    extra = set(FIELD.findall(form)) - allowed
                    if extra:
                        found.append(Problem(name, source, f"fields not in the source: {sorted(extra)}"))
    return found


def check() -> list[str]:
    """What is wrong, without writing: lupdate into a copy of each .ts, then compile that copy."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for lang in LANGUAGES:
            copy = Path(tmp) / ts_path(lang).name
            if ts_path(lang).exists():
                shutil.copy(ts_path(lang), copy)
            lupdate(copy, lang)
            out += [f"{ts_path(lang).name}: {p}" for p in problems(copy)]
            if copy.read_bytes() != ts_path(lang).read_bytes():
                out.append(f"{ts_path(lang).name} is not what lupdate gives for ui/: run python scripts/translations.py")
            compiled = Path(tmp) / qm_path(lang).name
            lrelease(ts_path(lang), compiled)
            if not qm_path(lang).exists() or compiled.read_bytes() != qm_path(lang).read_bytes():
                out.append(f"{qm_path(lang).name} is not the compiled {ts_path(lang).name}: run python scripts/translations.py")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a translation is missing or stale")
    args = parser.parse_args(argv)
    if args.check:
        found = check()
        for line in found:
            print(line)
        print("translations: complete" if not found else f"translations: {len(found)} problem(s)")
        return 1 if found else 0
    for lang in LANGUAGES:
        lupdate(ts_path(lang), lang)
        lrelease(ts_path(lang), qm_path(lang))
        left = problems(ts_path(lang))
        print(f"{ts_path(lang).relative_to(ROOT)}: {len(left)} message(s) to translate; "
              f"compiled {qm_path(lang).relative_to(ROOT)}")
        for p in left:
            print(f"  {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
