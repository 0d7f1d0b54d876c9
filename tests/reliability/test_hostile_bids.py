"""Returned bids are files from outside: damaged or hostile ones must end in a UserError naming the file.

A tender workbook is written by the real exporter, then each worksheet part is damaged the way a
corrupted e-mail attachment or a hostile bidder would damage it, and read back with
`estimator.analysis.bidread.read_returned` (which parses sheets with its own expat reader).
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from estimator.errors import UserError
from tests.reliability import workbooks as wb
from tests.reliability.states import make_programme

MUTATIONS: dict[str, Callable[[bytes], bytes]] = {
    "cut short": lambda xml: xml[: len(xml) * 2 // 3],
    "billion laughs": wb.with_entities,
    "random bytes": lambda xml: os.urandom(len(xml)),
    "bad cell reference": lambda xml: re.sub(rb'<c r="[A-Z]+\d+"', b'<c r="A0x"', xml, count=1),
    "row number not a number": lambda xml: re.sub(rb'<row r="\d+"', b'<row r="abc"', xml, count=1),
    "shared string index not a number": lambda xml: xml.replace(b"</row>", b'<c r="ZZ1" t="s"><v>x</v></c></row>', 1),
}
# damage a tolerant reader may read past (a cell left empty); it must not crash on it
TOLERATED = {"row number not a number", "shared string index not a number", "bad cell reference"}


_ISSUED: list[object] = []  # the issued tender of the module's programme, set by the fixture


@pytest.fixture(scope="module")
def tender(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from estimator.analysis.bidlayout import issued_tender
    from estimator.export.xlsx import write_xlsx

    path = tmp_path_factory.mktemp("tender") / "tender.xlsx"
    programme = make_programme(2, 8)
    write_xlsx(programme, path, priced=False, lang="en")
    _ISSUED[:] = [issued_tender(programme)]
    _read_returned(path)  # the undamaged copy reads
    return path


def _read_returned(path: Path) -> object:
    from estimator.analysis.bidread import read_returned

    return read_returned(path, _ISSUED[0])  # type: ignore[arg-type]


def _sheets(path: Path) -> list[str]:
    return sorted(n for n in zipfile.ZipFile(path).namelist() if n.startswith("xl/worksheets/"))


def _tender_part(path: Path) -> str:
    from estimator.analysis.bidread import TENDER_SHEET
    from estimator.analysis.xlsxscan import Workbook

    with Workbook(path) as book:
        return book.sheets[TENDER_SHEET]


def _read(path: Path, must_refuse: bool = True) -> None:
    """A UserError naming the file; or, for damage to a part the reader never looks at, a normal read."""
    try:
        _read_returned(path)
    except UserError as exc:
        assert path.name in str(exc)
        return
    assert not must_refuse, f"{path.name} was read as if it were undamaged"


@pytest.mark.parametrize("mutation", MUTATIONS)
def test_damaged_sheets(tender: Path, tmp_path: Path, mutation: str) -> None:
    read_by_all = _tender_part(tender)
    for part in _sheets(tender):
        bid = wb.rewrite_part(tender, tmp_path / f"bid {part.rsplit('/', 1)[1]}.xlsx", part, MUTATIONS[mutation])
        _read(bid, must_refuse=part == read_by_all and mutation not in TOLERATED)


def test_a_corrupted_download(tender: Path, tmp_path: Path) -> None:
    """The zip directory is fine, the compressed data of the sheet the reader needs is not."""
    _read(wb.corrupt_part(tender, tmp_path / "corrupted bid.xlsx", _tender_part(tender)))


def test_hostile_packages(tender: Path, tmp_path: Path) -> None:
    _read(wb.zip_bomb(tender, tmp_path / "bomb bid.xlsx", megabytes=200))
    _read(wb.ole_file(tmp_path / "protected bid.xlsx"))
    cut = tmp_path / "half bid.xlsx"
    cut.write_bytes(tender.read_bytes()[: tender.stat().st_size // 2])
    _read(cut)
    for part in ("docProps/custom.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
        _read(wb.rewrite_part(tender, tmp_path / "laughs bid.xlsx", part, wb.with_entities), must_refuse=part != "docProps/custom.xml")
