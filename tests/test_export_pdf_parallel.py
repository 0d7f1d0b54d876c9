"""The pack drawn by worker processes is the pack drawn by one: same text, pages, numbers and totals.

Both are read back with pdftotext. Also: a cancelled or failed parallel export leaves no file, no
temporary part and no worker process behind.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import re
import signal
import subprocess
import tempfile
from pathlib import Path

import pytest

from estimator.errors import Cancelled
from estimator.export.pdf import parallel, write_pdf
from estimator.model import Programme
from estimator.money import fmt
from estimator.pricing import price
from estimator.synthetic import generate


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def programme() -> Programme:
    return generate(7, 40, seed=3)


@pytest.mark.parametrize(("lang", "workers"), [("en", 2), ("en", 3), ("both", 2), ("ar", 5)])
def test_parallel_pack_has_the_same_text_pages_and_totals(programme: Programme, tmp_path: Path, lang: str,
                                                          workers: int) -> None:
    one, many = tmp_path / "one.pdf", tmp_path / "many.pdf"
    write_pdf(programme, one, lang=lang, workers=0)
    write_pdf(programme, many, lang=lang, workers=workers)
    pages = _pages(one)
    assert _pages(many) == pages > 40
    text = _text(many)
    assert text == _text(one)  # every word, every page, in order, including "Page x of y"
    assert text.count("\f") == pages
    assert f"Page {pages} of {pages}" in text or f"{pages} of {pages}" in text or lang == "ar"
    estimate = price(programme)
    for facility in estimate.facilities:  # lot totals and the grand total, in the summaries
        assert fmt(facility.total) in text
    assert fmt(estimate.grand_total) in text
    # each part's embedded font subsets keep a name of their own in the joined file
    fonts = subprocess.run(["pdffonts", str(many)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    subsets = [line.split()[0] for line in fonts if "+" in line.split()[0]]
    assert len(subsets) > 2 and len(set(subsets)) == len(subsets)


def test_runs_cover_every_lot_once_with_balanced_items(programme: Programme) -> None:
    estimate = price(generate(9, 30, seed=1))
    for count in (1, 2, 3, 9):
        found = parallel.runs(estimate, count)
        assert len(found) == count and found[0][0] == 0 and found[-1][1] == 9
        assert all(a < b for a, b in found) and all(found[i][1] == found[i + 1][0] for i in range(count - 1))


def test_small_packs_stay_in_one_process(programme: Programme) -> None:
    assert parallel.plan_workers(programme, None) == 0 < programme.item_count() < min(parallel.MIN_ITEMS.values())
    assert parallel.plan_workers(generate(45, 300, seed=1), None) == (parallel.cpus() if parallel.cpus() > 1 else 0)
    assert parallel.plan_workers(programme, 50) == len(programme.facilities)


@pytest.fixture
def own_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary folder the workers' parts go to, watched for leftovers."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_cancel_leaves_nothing_behind(programme: Programme, tmp_path: Path, own_tmp: Path) -> None:
    out = tmp_path / "out" / "pack.pdf"
    out.parent.mkdir()

    def progress(done: int, total: int) -> None:
        if done == 2:
            raise Cancelled("PDF export")

    with pytest.raises(Cancelled):
        write_pdf(programme, out, workers=3, progress=progress)
    assert list(out.parent.iterdir()) == [] and list(own_tmp.iterdir()) == []
    assert mp.active_children() == []


def test_a_worker_that_dies_fails_the_export_cleanly(programme: Programme, tmp_path: Path, own_tmp: Path) -> None:
    out = tmp_path / "out" / "pack.pdf"
    out.parent.mkdir()
    out.write_bytes(b"the previous pack")

    def progress(done: int, total: int) -> None:
        if done == 1:  # a worker killed by the system (out of memory, ...) half-way
            os.kill(mp.active_children()[0].pid, signal.SIGKILL)

    with pytest.raises(RuntimeError, match="stopped unexpectedly"):
        write_pdf(programme, out, workers=2, progress=progress)
    assert [p.name for p in out.parent.iterdir()] == ["pack.pdf"] and out.read_bytes() == b"the previous pack"
    assert list(own_tmp.iterdir()) == [] and mp.active_children() == []


def test_spawned_workers_from_a_thread_as_in_the_window(programme: Programme, tmp_path: Path) -> None:
    """The window exports on a worker thread; with threads about, workers are spawned, not forked."""
    import threading

    one, many = tmp_path / "one.pdf", tmp_path / "many.pdf"
    write_pdf(programme, one, workers=0)
    methods: list[str] = []
    errors: list[BaseException] = []

    def export() -> None:
        try:
            methods.append(parallel.start_method())
            write_pdf(programme, many, workers=2)
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=export)
    thread.start()
    thread.join()
    assert not errors and methods == ["spawn"]
    assert _text(many) == _text(one)
