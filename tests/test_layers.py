"""Imports follow the layers, and no module imports itself back (README, "Layout").

A static scan of every module of estimator/ and ui/ (every `import`, at the top, inside functions
and under TYPE_CHECKING alike): each module sits in a layer, found by the longest prefix of its
dotted name in LAYERS (`estimator.store` covers `estimator.store`, `estimator.store.*` and
`estimator.store_*`), and may import only modules of its own layer or the layers below. A new
module no prefix covers fails here until its layer is written down.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("estimator", "ui")

# lowest first; a module may import its own layer and those before it
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("primitives", ("estimator.messages", "estimator.errors", "estimator.money", "estimator.units", "estimator.limits",
                    "estimator.particulars", "estimator.settings", "estimator.paths", "estimator.atomic",
                    "estimator.journal", "estimator.readers", "estimator.schema_check", "estimator.textmatch",
                    "estimator.expr", "estimator.sheet", "estimator.gcpause")),
    ("model", ("estimator.model", "estimator.rates.book", "estimator.edits", "estimator.imports",
               "estimator.duplicate", "estimator.find", "estimator.facility_templates",
               "estimator.programme_limits", "estimator.kinds", "estimator.particulars_edit")),
    ("pricing", ("estimator.pricing", "estimator.live", "estimator.cell_input", "estimator.clipboard",
                 "estimator.worklist", "estimator.properties", "estimator.check", "estimator.template_build",
                 "estimator.revision_diff")),
    ("rates and store", ("estimator.rates", "estimator.reprice", "estimator.store", "estimator.outputs", "estimator.sample",
                         "estimator.synthetic", "estimator.demo_programmes", "estimator.backups")),
    ("exports and analysis", ("estimator.export", "estimator.analysis", "estimator.revisions",
                              "estimator.revision_reports", "estimator.variance", "estimator.contracts")),
    ("cli and ui", ("estimator.cli", "estimator.__main__", "estimator.server", "ui")),
]
ROOTS = {"estimator": "primitives"}  # the package itself (its __init__ holds only the version)


@dataclass(frozen=True)
class Import:
    source: str  # importing module
    target: str  # imported module of estimator/ or ui/
    path: Path
    line: int

    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def imports(mods: dict[str, Path]) -> list[Import]:
    def known(name: str) -> str | None:
        while name and name not in mods:
            name = name.rpartition(".")[0]
        return name or None

    found = []
    for name, path in mods.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join([*up, base] if base else up)
                # `from estimator import limits` imports the module estimator.limits
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in mods else base for a in node.names]
            for target in targets:
                resolved = known(target)
                if resolved is not None and resolved != name:
                    found.append(Import(name, resolved, path, node.lineno))
    return sorted(set(found), key=lambda e: (e.source, e.line, e.target))


def layer_of(module: str) -> str | None:
    if module in ROOTS:
        return ROOTS[module]
    best: tuple[int, str] | None = None
    for layer, prefixes in LAYERS:
        for prefix in prefixes:
            covers = module == prefix or module.startswith((f"{prefix}.", f"{prefix}_"))
            if covers and (best is None or len(prefix) > best[0]):
                best = (len(prefix), layer)
    return None if best is None else best[1]


def cycles(edges: list[Import]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    graph: dict[str, set[str]] = {}
    for e in edges:
        graph.setdefault(e.source, set()).add(e.target)
        graph.setdefault(e.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


MODULES = modules()
IMPORTS = imports(MODULES)
ORDER = [name for name, _ in LAYERS]


def test_the_scan_sees_the_modules_and_their_imports() -> None:
    # the scan itself can fail: it must find the known modules and the model's import of the settings
    assert {"estimator.model", "estimator.pricing", "ui.main_window", "estimator.export.pdf"} <= MODULES.keys()
    assert any(e.source == "estimator.model" and e.target == "estimator.settings" for e in IMPORTS)
    assert any(e.source == "ui.main_window" and e.target == "ui.file_actions" for e in IMPORTS)


def test_every_module_has_a_layer() -> None:
    missing = [f"{name} ({path.relative_to(ROOT)})" for name, path in MODULES.items() if layer_of(name) is None]
    assert not missing, ("modules in no layer; add a prefix for each to LAYERS in tests/test_layers.py (and the "
                         "README's Layout):\n  " + "\n  ".join(missing))


def test_imports_go_down_the_layers() -> None:
    upward = []
    for e in IMPORTS:
        source, target = layer_of(e.source), layer_of(e.target)
        if source is None or target is None:
            continue  # reported by test_every_module_has_a_layer
        if ORDER.index(target) > ORDER.index(source):
            upward.append(f"{e.where()}: {e.source} (layer {source!r}) imports {e.target} (layer {target!r}), "
                          f"a layer above it")
    assert not upward, ("imports must go down the layers (" + " < ".join(ORDER) + "); move the code that needs "
                        "the higher module up, or what it uses down:\n  " + "\n  ".join(upward))


def test_no_import_cycles() -> None:
    found = cycles(IMPORTS)
    lines = []
    for component in found:
        members = set(component)
        lines.append(" <-> ".join(component) + ":")
        lines += [f"    {e.where()}: {e.source} imports {e.target}" for e in IMPORTS
                  if e.source in members and e.target in members]
    assert not found, "import cycles (type-only imports count: they are cycles too):\n  " + "\n  ".join(lines)


def test_the_engine_never_imports_qt_or_the_window() -> None:
    wrong = [f"{e.where()}: {e.source} imports {e.target}" for e in IMPORTS
             if e.source.startswith("estimator") and e.target.startswith("ui")]
    for name, path in MODULES.items():
        if name.startswith("estimator"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                    wrong += [f"{path.relative_to(ROOT)}:{node.lineno}: {name} imports {n}" for n in names
                              if n.split(".")[0] in ("PySide6", "PyQt6", "PyQt5", "shiboken6")]
    assert not wrong, "estimator/ is the engine, without Qt:\n  " + "\n  ".join(wrong)


def test_a_layer_violation_and_a_cycle_are_caught(tmp_path: Path) -> None:
    # the checks themselves, on made-up edges
    fake = [Import("estimator.model", "estimator.pricing", ROOT / "estimator/model.py", 1),
            Import("estimator.pricing", "estimator.model", ROOT / "estimator/pricing.py", 2)]
    assert cycles(fake) == [["estimator.model", "estimator.pricing"]]
    assert ORDER.index(layer_of("estimator.pricing") or "") > ORDER.index(layer_of("estimator.model") or "")
    assert layer_of("estimator.store_schema") == "rates and store"
    assert layer_of("estimator.rates.book") == "model" and layer_of("estimator.rates.library") == "rates and store"
    assert layer_of("estimator.nowhere") is None
