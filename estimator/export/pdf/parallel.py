"""The tender pack on every core: runs of lots drawn in worker processes, joined into one file.

The pack is cut into parts that each start on a fresh page: the front (cover, tender texts), runs
of lots (every BoQ, collection and summary page is one full-page `TablePage`) and the tail (the
General Summary and the form of bid). This process draws the front and the tail; each worker a run
of lots. Pages are drawn and kept until every part's page count is known, then each part numbers
its pages "Page x of y" from its place in the whole pack and writes its file, and `join` puts the
files together in order. A run's page count is known once it is laid out, before it is drawn, so
no one waits long for the numbers.

Workers are forked where this process has a single thread (the command line: nothing is imported
again) and spawned otherwise (the window: forking a process that has Qt threads is unsafe).
A pack under `MIN_ITEMS` items is drawn in one process: starting workers would cost more than they
save. A forked worker starts in milliseconds; a spawned one imports reportlab and the engine again
(about 0.4 s of CPU), so spawning pays only for larger packs (benchmarks/README.md has the figures).
On an error, Cancel or Ctrl+C the workers are stopped and their files removed with their temporary
folder; the pack itself is written with `atomic_output`, so nothing half-written is ever left under
its name.
"""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing as mp
import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from estimator.atomic import atomic_output
from estimator.errors import UserError
from estimator.export import Progress
from estimator.export.pdf import fonts, texts
from estimator.export.pdf.document import Decorations, PackDocument, canvas_class
from estimator.export.pdf.join import join
from estimator.export.pdf.layout import langs
from estimator.export.pdf.voice import Voice
from estimator.model import Programme
from estimator.pricing import Estimate, price, tender_view

FrontAndTail = Callable[[Programme, Estimate, Voice, bool], tuple[list[Any], list[Any]]]
LotStory = Callable[[Estimate, Voice, bool, int], list[Any]]

# Below this many items one process is faster, by how workers start (see benchmarks/README.md).
MIN_ITEMS = {"fork": 1000, "spawn": 12000}


def cpus() -> int:
    """CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def plan_workers(programme: Programme, workers: int | None) -> int:
    """How many worker processes to draw the lots in; 0 means draw everything here."""
    if workers is None:
        workers = cpus() if cpus() > 1 and programme.item_count() >= MIN_ITEMS[start_method()] else 0
    return max(0, min(workers, len(programme.facilities)))


def start_method() -> str:
    """`fork` where it is safe and available (one thread: the command line), else `spawn`."""
    try:
        single = len(os.listdir("/proc/self/task")) == 1
    except OSError:
        single = False
    return "fork" if single and sys.platform.startswith("linux") else "spawn"


def runs(estimate: Estimate, count: int) -> list[tuple[int, int]]:
    """`count` contiguous runs of lots (start, end), with about the same number of items each."""
    sizes = [sum(len(b.lines) for b in f.bills) + 20 for f in estimate.facilities]  # + a lot's fixed pages
    total, out, start, done = sum(sizes), [], 0, 0
    for i in range(1, count):
        target = total * i / count
        end = start
        while end < len(sizes) - (count - i) and done + sizes[end] / 2 < target:
            done += sizes[end]
            end += 1
        end = max(end, start + 1)
        out.append((start, end))
        start = end
    out.append((start, len(sizes)))
    return out


def _voice(lang: str) -> Voice:
    return Voice(lang, {code: texts.labels(code) for code in langs(lang)})


def _document(path: Path, programme: Programme, progress: Progress | None, lots: int) -> PackDocument:
    return PackDocument(path, programme.name, programme.organisation, progress, lots, hold=True)


def _draw(doc: PackDocument, story: list[Any], programme: Programme, voice: Voice, priced: bool) -> Any:
    doc.build(story, canvasmaker=canvas_class(Decorations(programme, voice, priced)))
    return doc.canv


def _worker(conn: Connection, part: Programme, first_lot: int, priced: bool, lang: str, path: Path,
            lot_story: LotStory) -> None:
    """Draw the lots of `part` (numbered from `first_lot`) to `path`, talking to the parent over `conn`:
    ("pages", n) once laid out, ("lot", n) as each lot is drawn, then it waits for (first page, total
    pages), writes the file and says ("done", None); ("error", (is a UserError, message)) on failure."""
    try:
        fonts.register()
        voice = _voice(lang)
        estimate = price(part)
        story = lot_story(estimate if priced else tender_view(part, estimate), voice, priced, first_lot)
        conn.send(("pages", len(story)))
        lots = len(part.facilities)
        canvas = _draw(_document(path, part, lambda done, _: conn.send(("lot", done)), lots), story, part, voice, priced)
        first, total = conn.recv()
        canvas.finish(first, total)
        conn.send(("done", None))
    except BaseException as exc:  # reported to the parent, which raises it there
        with contextlib.suppress(OSError):  # the parent is gone (cancelled): nothing to tell
            conn.send(("error", (isinstance(exc, UserError), str(exc) if isinstance(exc, UserError)
                                 else traceback.format_exc())))
    finally:
        conn.close()


def write_parallel(programme: Programme, estimate: Estimate, path: Path | str, *, priced: bool, lang: str,
                   progress: Progress | None, workers: int, front_and_tail: FrontAndTail, lot_story: LotStory) -> None:
    """The pack drawn by `workers` processes (lots) and this one (front and tail); see the module docstring.

    The pack's parts are the package's (`estimator.export.pdf.front_and_tail` and `.lot_story`), given
    here rather than imported, so the package and this module do not import each other.
    """
    lots = len(estimate.facilities)
    voice = _voice(lang)
    front, tail = front_and_tail(programme, estimate, voice, priced)  # reads every template before starting
    ctx: Any = mp.get_context(start_method())  # typeshed's BaseContext lacks Process
    with tempfile.TemporaryDirectory(prefix="boq-pdf-") as tmp:
        folder = Path(tmp)
        procs: list[tuple[Any, Connection]] = []
        try:
            for index, (start, end) in enumerate(runs(estimate, workers)):
                part = dataclasses.replace(programme, facilities=programme.facilities[start:end])
                parent, child = ctx.Pipe()
                proc = ctx.Process(target=_worker, args=(child, part, start + 1, priced, lang, folder / f"lots{index}.pdf",
                                                          lot_story),
                                   daemon=True, name=f"boq-pdf-{index}")
                proc.start()
                child.close()
                procs.append((proc, parent))
            canvases = [_draw(_document(folder / "front.pdf", programme, None, lots), front, programme, voice, priced),
                        _draw(_document(folder / "tail.pdf", programme, None, lots), tail, programme, voice, priced)]
            _collect(procs, canvases, progress, lots)
            for proc, _ in procs:
                proc.join()
            parts = [folder / "front.pdf", *(folder / f"lots{i}.pdf" for i in range(len(procs))), folder / "tail.pdf"]
            with atomic_output(path) as out, out.open("wb") as fh:
                join(parts, fh)
        finally:
            for proc, conn in procs:
                conn.close()
                if proc.is_alive():
                    proc.terminate()
                proc.join()


def _collect(procs: list[tuple[Any, Connection]], canvases: list[Any], progress: Progress | None, lots: int) -> None:
    """Relay the workers' progress, give every part its page numbers when all counts are known, and
    wait until every worker has written its part; a worker's failure is raised here."""
    counts: list[int | None] = [None] * len(procs)
    pending = {conn: i for i, (_, conn) in enumerate(procs)}
    done = 0
    numbered = False
    while pending:
        ready: list[Any] = wait(list(pending))  # the connections it was given
        for conn in ready:
            index = pending[conn]
            try:
                kind, value = conn.recv()
            except (EOFError, OSError):  # the worker died (killed, out of memory)
                procs[index][0].join(timeout=5)
                code = procs[index][0].exitcode
                raise RuntimeError(f"PDF worker {index} stopped unexpectedly (exit code {code})") from None
            if kind == "pages":
                counts[index] = value
            elif kind == "lot":
                done += 1
                if progress is not None:
                    progress(done, lots)
            elif kind == "done":
                del pending[conn]
            else:
                is_user, message = value
                raise UserError(message) if is_user else RuntimeError(f"PDF worker {index} failed:\n{message}")
        if not numbered and None not in counts:
            front, tail = canvases
            sizes = [len(front._pages), *(c or 0 for c in counts), len(tail._pages)]
            total = sum(sizes)
            first = 1 + sizes[0]
            for (_, conn), size in zip(procs, sizes[1:-1], strict=True):
                conn.send((first, total))
                first += size
            front.finish(1, total)
            tail.finish(first, total)
            numbered = True
