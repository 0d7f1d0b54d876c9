"""Joining PDF parts written by reportlab (the pack drawn in several processes) into one file.

Only for our own parts, whose layout reportlab fixes: a cross-reference table, one flat page tree
(`/Type /Pages` with every page in `/Kids`), a catalog and an info dictionary; objects either plain
dictionaries or a dictionary and a stream ending `endstream`. The first part keeps its object
numbers, catalog, info and file identifier; every object of a later part is renumbered after the
objects before it, its pages join the first part's page tree, and its font subsets get their own
tag (`AAAAAA+` becomes `AAAAAB+`, ...) so no two embedded subsets share a name.
A part that does not have this layout is refused (RuntimeError): it is a bug, not a user's mistake.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
_OBJ_HEAD = re.compile(rb"(\d+) 0 obj\r?\n")
_REF = re.compile(rb"(\d+) 0 R\b")
_TRAILER_REF = re.compile(rb"/(Root|Info) (\d+) 0 R")
_ID = re.compile(rb"/ID\s*\[[^\]]*\]")
_SUBSET = re.compile(rb"/([A-Z]{6})\+")
_TYPE = re.compile(rb"/Type /(Pages|Catalog)\b")


@dataclass
class Part:
    data: bytes
    objects: dict[int, tuple[int, int]]  # number -> (start, end) of "N 0 obj ... endobj"
    root: int
    info: int
    pages: int  # the /Type /Pages object
    kids: list[int]
    trailer_id: bytes


def _parse(path: Path) -> Part:
    data = path.read_bytes()
    end = _STARTXREF.search(data, len(data) - 64)
    if not data.startswith(b"%PDF-") or end is None:
        raise RuntimeError(f"{path}: not a PDF written by reportlab")
    xref = int(end.group(1))
    head = data[xref:xref + 32].split()
    if head[:1] != [b"xref"]:
        raise RuntimeError(f"{path}: no cross-reference table")
    first, count = int(head[1]), int(head[2])
    trailer_at = data.index(b"trailer", xref)
    offsets = [(first + i, int(m.group(1))) for i, m in enumerate(_XREF_ENTRY.finditer(data, xref, trailer_at))
               if m.group(3) == b"n"]
    if len(offsets) != count - 1:  # entry 0 is the free list head
        raise RuntimeError(f"{path}: unexpected cross-reference table")
    ordered = sorted(offsets, key=lambda no: no[1])
    objects = {num: (start, ordered[i + 1][1] if i + 1 < len(ordered) else xref) for i, (num, start) in enumerate(ordered)}
    trailer = data[trailer_at:end.start()]
    refs = {m.group(1): int(m.group(2)) for m in _TRAILER_REF.finditer(trailer)}
    found_id = _ID.search(trailer)
    root, info = refs[b"Root"], refs[b"Info"]
    catalog = _dict(data, objects[root])
    pages_ref = re.search(rb"/Pages (\d+) 0 R", catalog)
    if pages_ref is None:
        raise RuntimeError(f"{path}: catalog without pages")
    pages = int(pages_ref.group(1))
    tree = _dict(data, objects[pages])
    kids_at = tree.index(b"/Kids")
    kids = [int(m.group(1)) for m in _REF.finditer(tree, kids_at, tree.index(b"]", kids_at))]
    count_ref = re.search(rb"/Count (\d+)", tree)
    if count_ref is None or int(count_ref.group(1)) != len(kids):
        raise RuntimeError(f"{path}: the page tree is not flat")
    return Part(data, objects, root, info, pages, kids, found_id.group(0) if found_id else b"")


def _dict(data: bytes, span: tuple[int, int]) -> bytes:
    """The dictionary of an object (its stream, if any, left out)."""
    body = data[span[0]:span[1]]
    if body.rstrip().endswith(b"endstream\nendobj") or body.rstrip().endswith(b"endstream\r\nendobj"):
        return body[:body.index(b"stream")]
    return body


def _renumbered(dictionary: bytes, renumber: dict[int, int], tag: bytes) -> bytes:
    """A later part's dictionary with its references renumbered and its font subsets retagged."""

    def ref(m: re.Match[bytes]) -> bytes:
        return b"%d 0 R" % renumber[int(m.group(1))]

    def subset(m: re.Match[bytes]) -> bytes:
        return b"/" + tag + m.group(1)[2:] + b"+"

    return _SUBSET.sub(subset, _REF.sub(ref, dictionary))


def join(parts: Sequence[Path], out: BinaryIO) -> int:
    """Write the pages of `parts`, in order, as one PDF to `out`; returns the number of pages."""
    parsed = [_parse(p) for p in parts]
    base = parsed[0]
    header_end = base.data.index(b"\n", base.data.index(b"\n") + 1) + 1  # %PDF-1.x and the binary comment
    written: list[tuple[int, int]] = []  # (new number, offset)
    position = 0

    def emit(chunk: bytes) -> None:
        nonlocal position
        out.write(chunk)
        position += len(chunk)

    emit(base.data[:header_end])
    kids: list[int] = []
    following = max(base.objects) + 1  # the first part keeps its numbers; later parts' objects come after
    for index, part in enumerate(parsed):
        skip = {part.root, part.info, part.pages} if index else {part.pages}
        order = sorted(part.objects.items(), key=lambda item: item[1][0])
        if index:
            renumber = {num: following + i for i, num in enumerate(n for n, _ in order if n not in skip)}
            following += len(renumber)
        else:
            renumber = {num: num for num in part.objects}
        renumber[part.pages] = base.pages  # every page joins the first part's page tree
        kids += [renumber[k] for k in part.kids]
        tag = b"%c%c" % (65 + index // 26 % 26, 65 + index % 26)
        for num, (start, end) in order:
            if num in skip:
                continue
            body = part.data[start:end]
            if index:
                head = _OBJ_HEAD.match(body)
                if head is None or int(head.group(1)) != num:
                    raise RuntimeError(f"{parts[index]}: object {num} is not where the table says")
                dictionary = _dict(body, (0, len(body)))
                stream = body[len(dictionary):]
                body = b"%d 0 obj\n" % renumber[num] + _renumbered(dictionary[head.end():], renumber, tag) + stream
            written.append((renumber[num], position))
            emit(body)
    tree = (b"%d 0 obj\n<<\n/Count %d /Kids [ " % (base.pages, len(kids)) + b" ".join(b"%d 0 R" % k for k in kids)
            + b" ] /Type /Pages\n>>\nendobj\n")
    written.append((base.pages, position))
    emit(tree)
    size = max(num for num, _ in written) + 1
    offsets = dict(written)
    xref = position
    table = [b"xref\n0 %d\n" % size, b"0000000000 65535 f \n"]
    if len(offsets) != size - 1:
        raise RuntimeError("joined PDF: object numbers are not contiguous")
    table += [b"%010d 00000 n \n" % offsets[n] for n in range(1, size)]
    emit(b"".join(table))
    emit(b"trailer\n<<\n" + base.trailer_id + b"\n/Info %d 0 R\n/Root %d 0 R\n/Size %d\n>>\nstartxref\n%d\n%%%%EOF\n"
         % (base.info, base.root, size, xref))
    return len(kids)
