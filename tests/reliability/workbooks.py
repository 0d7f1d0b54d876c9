"""Building good, bad and hostile work-list files for the fuzz and hostile-workbook tests.

Good workbooks are written by openpyxl; hostile ones are made by zip surgery on a good one
(replacing a part's XML, forging sizes), the way an attacker would make them.
"""

from __future__ import annotations

import csv
import io
import re
import struct
import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import openpyxl

HEADER = ["Facility", "Section", "Description", "Quantity", "Unit", "Code", "Rate", "Currency"]
SHEET = "xl/worksheets/sheet1.xml"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def good_rows(count: int = 6) -> list[list[object]]:
    rows: list[list[object]] = [list(HEADER)]
    for i in range(count):
        if i % 3 == 2:
            rows.append(["Harim General Hospital", "Water tanks", f"Tank {i}", i + 1.5, "nr", None, "1,250.50", "TRY"])
        else:
            rows.append(["Harim General Hospital", "Plastering", f"Internal plaster, room {i}", 10 * i + 0.25, "sqm",
                         "PL-010", None, None])
    return rows


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], edit: Callable[[object], None] | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(list(row))
    if edit is not None:
        edit(ws)
    wb.save(path)
    return path


def write_csv(path: Path, rows: Sequence[Sequence[object]], encoding: str = "utf-8", delimiter: str = ",") -> Path:
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, lineterminator="\n").writerows([["" if c is None else c for c in row] for row in rows])
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def rewrite_part(src: Path, dst: Path, part: str, change: Callable[[bytes], bytes]) -> Path:
    """Copy the workbook `src` to `dst` with one part's bytes changed."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info.filename, change(data) if info.filename == part else data)
    return dst


def add_part(src: Path, dst: Path, name: str, data: bytes, compress: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info.filename))
        zout.writestr(zipfile.ZipInfo(name), data, compress_type=compress)
    return dst


def _bomb_chunks(megabytes: int) -> Iterator[bytes]:
    """Valid sheet XML of `megabytes` MB, in 1 MB pieces: a header row, then a run of empty styled
    cells (deflate packs it about 1000 to 1)."""
    yield (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
           b'<row r="1"><c r="A1" t="inlineStr"><is><t>Facility</t></is></c></row><row r="2">')
    piece = b'<c s="0"/>' * (1024 * 1024 // 10)
    for _ in range(megabytes):
        yield piece
    yield b"</row></sheetData></worksheet>"


def zip_bomb(src: Path, dst: Path, megabytes: int, dilute_with_random: int = 0) -> Path:
    """A workbook whose sheet unpacks to `megabytes` MB (written in pieces, never held in memory);
    optionally with a stored part of random bytes that drags the workbook's overall compression
    ratio down, so that only a per-part check catches it."""
    import os

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != SHEET:
                zout.writestr(info.filename, zin.read(info.filename))
        with zout.open(SHEET, "w", force_zip64=True) as fh:
            for chunk in _bomb_chunks(megabytes):
                fh.write(chunk)
        if dilute_with_random:
            zout.writestr(zipfile.ZipInfo("xl/media/padding.bin"), os.urandom(dilute_with_random),
                          compress_type=zipfile.ZIP_STORED)
    return dst


def lying_sizes(src: Path, dst: Path, megabytes: int) -> Path:
    """A bomb whose zip directory claims the sheet is 2 KB: the size check passes, the data does not."""
    zip_bomb(src, dst, megabytes)
    data = bytearray(dst.read_bytes())
    name = SHEET.encode()
    for sig, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # local header, central directory
        for m in re.finditer(re.escape(sig), data):
            start = m.start()
            name_len_at = 26 if sig == b"PK\x03\x04" else 28
            name_at = 30 if sig == b"PK\x03\x04" else 46
            (name_len,) = struct.unpack_from("<H", data, start + name_len_at)
            if bytes(data[start + name_at:start + name_at + name_len]) == name:
                struct.pack_into("<I", data, start + size_at, 2048)
    dst.write_bytes(bytes(data))
    return dst


def corrupt_part(src: Path, dst: Path, part: str) -> Path:
    """A corrupted download: bytes flipped inside one part's compressed data, the zip directory intact."""
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as zf:
        info = zf.getinfo(part)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)  # after the local header
    for i in range(start + 20, start + min(info.compress_size, 400), 7):
        data[i] ^= 0x55
    dst.write_bytes(bytes(data))
    return dst


def billion_laughs(levels: int = 9) -> bytes:
    ents = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, levels + 1)]
    return f'<?xml version="1.0"?><!DOCTYPE lolz [{"".join(ents)}]>'.encode()


def with_entities(sheet_xml: bytes, levels: int = 9) -> bytes:
    """The sheet XML with a billion-laughs DTD, and the first inline string replaced by the top entity."""
    body = re.sub(rb"^<\?xml[^>]*\?>", b"", sheet_xml.lstrip())
    body = re.sub(rb"<t( [^>]*)?>[^<]*</t>", f"<t>&lol{levels};</t>".encode(), body, count=1)
    return billion_laughs(levels) + body


def external_entity(target: Path) -> bytes:
    return f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY ext SYSTEM "file://{target}">]>'.encode()


def ole_file(path: Path, size: int = 4096) -> Path:
    """What a legacy .xls or a password-protected (encrypted) .xlsx looks like: an OLE2 compound file."""
    path.write_bytes(OLE_MAGIC + bytes(size - len(OLE_MAGIC)))
    return path


def libreoffice(src: Path, fmt: str, outdir: Path) -> Path:
    """Convert with LibreOffice headless, e.g. a CSV to the .xlsx Excel writes (with sharedStrings) or to
    a real legacy .xls. A private profile per call, so parallel test workers do not collide."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        import pytest

        pytest.skip("LibreOffice (soffice) is not installed")
    profile = outdir / f".lo-profile-{fmt}"
    subprocess.run([soffice, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--convert-to", fmt,
                    "--outdir", str(outdir), str(src)], check=True, capture_output=True, timeout=180)
    out = outdir / f"{src.stem}.{fmt}"
    assert out.exists(), f"LibreOffice did not write {out}"
    return out
