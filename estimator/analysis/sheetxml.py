"""The cells of one worksheet's XML: a fast path for what spreadsheets write, an exact path for the rest.

Fast path (`fast_rows`): one compiled regular expression finds every `<c>` element of the sheet,
with its reference, type, formula and value, in C; Python only assembles the rows. It accepts only
the plain form Excel, LibreOffice and openpyxl write: no namespace prefixes, no document type, no
comments, no CDATA, children in the schema's order (f, v, is), and every cell found (the number of
matches must equal the number of `<c` tags); anything else returns None and the exact path runs.
That is about three times faster than expat with Python callbacks on a 24,000-item workbook.

Exact path (`expat_rows`): expat with closure handlers, streaming; refuses document types and
entity declarations (no entity expansion), handles prefixed names and every child order.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import IO, Any, TypeVar
from xml.parsers import expat

from estimator.analysis.cells import MAX_COLUMN, MAX_ROW, Cell, Row, SheetMeta, UnsafeXml, cell_value, number, split_ref

FAST_LIMIT = 64 * 1024 * 1024  # larger sheets are streamed by the exact path

# `r` first, then `s` and `t` if present (the order Excel, LibreOffice and openpyxl write); other
# attributes after them are captured so that a `t` among them sends the sheet to the exact path.
# Every repeated part stops at the next tag (`[^<>]`, `[^<]`) or, in rich inline text, at the next
# cell or `</c>`, so a match attempt never runs past the cell it started in: the whole scan is
# linear in the sheet's size whatever the file holds (a lazy `.*?` up to `</is>` made a 200 KB
# sheet of unclosed `<is>` take hours).
_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})(\d{1,7})"(?: s="(\d{1,6})")?(?: t="(\w{1,9})")?([^<>]*?)'
    rb"(?:/>|>(?:<f([^<>]*)/>|<f([^<>]*)>([^<]*)</f>)?(?:<v>([^<]*)</v>|<v\s*/>)?"
    rb"(?:<is><t>([^<]*)</t></is>|<is>((?:[^<]|<(?!/?is[\s>]|/c>|c[\s/>]))*)</is>)?</c>)",
)
_CELL_TAGS = re.compile(rb"<c[\s/>]")
_SHARED = re.compile(rb'\bt="shared"')
_SI = re.compile(rb'\bsi="(\d+)"')
_T = re.compile(rb"<t(?:\s[^<>]*)?>([^<]*)</t>")
_PHONETIC = re.compile(rb"<rPh\b(?:[^<]|<(?!/?rPh\b))*</rPh>")
# a row tag that hides its row or whose height is under 3 points (or written oddly: 1e-3, -1, 03)
_ROW_SMALL = re.compile(rb'<row\b([^<>]*?\b(?:hidden="(?:1|true)"|ht="(?:[0-2](?:\.[^"]*)?|\.[^"]*|[^"]*[eE\-][^"]*|0[^"]*)")'
                        rb"[^<>]*)>")
_ROW_TAGS = re.compile(rb"<row[\s/>]")
_ROW_NUMBERED = re.compile(rb'<row r="[1-9][0-9]{0,6}"[\s/>]')  # a row tag as spreadsheets write it
# a row's height or hidden flag (inside sheetData only row tags carry them; `customHeight="1"` ends in one)
_ROW_FLAGS = re.compile(rb'(?:ht|hidden)="[^"<>]{0,32}"')
_ATTR = re.compile(rb'\b(r|hidden|ht)="([^"<>]{0,32})"')
_COL_TAG = re.compile(rb"<col\b([^<>]*)/?>")
_COL_ATTR = re.compile(rb'\b(min|max|hidden|width)="([^"<>]{0,32})"')
_MERGE = re.compile(rb'<mergeCell\b[^<>]*?\bref="([A-Z0-9:]{1,32})"')
# formulas that reach outside the workbook: DDE (`cmd|' /c calc'!A1`), a link to another workbook
# (`[1]Sheet!A1`, `'C:\\x\\[b.xlsx]S'!A1`), or functions that open or fetch something
OUTSIDE = re.compile(r"\||\[|\b(?:HYPERLINK|WEBSERVICE|FILTERXML|CALL|REGISTER(?:\.ID)?|EXEC|RTD|IMAGE|DDE\w*)\s*\(",
                     re.IGNORECASE)
# ... or any `&` in a formula's text: `&#124;` reads as `|` once decoded, so a formula written with
# character references is looked at cell by cell (a concatenation `A1&amp;B1` costs only that look)
_OUTSIDE_F = re.compile(rb"<f\b[^<>]*>[^<]*?(?:&|" + OUTSIDE.pattern.encode() + rb")", re.IGNORECASE)
MIN_VISIBLE_HEIGHT = 3.0  # points: a row lower than this cannot be read on screen or paper
MIN_VISIBLE_WIDTH = 0.5  # characters
# a document type, an entity, a comment or CDATA (all start `<!`), or prefixed cell elements: not the
# plain form. `<!` is looked for with `in`; the expression below starts with a literal `:`, which the
# regular expression engine skips to quickly (colons are rare in sheet XML: namespace declarations,
# ranges). One expression with both alternatives was tried at every position, four times slower.
_IRREGULAR = re.compile(rb":(?:c[\s/>]|row[\s>]|f[\s/>]|v[\s/>]|is>|worksheet)")
_new_cell = partial(tuple.__new__, Cell)  # Cell((formula, value)) built in C


def _text(raw: bytes) -> str:
    text = raw.decode("utf-8")
    return html.unescape(text) if "&" in text else text


# a shared string of plain text as spreadsheets write it; anything else (rich text runs, phonetic
# runs, attributes) makes the counts differ and the exact parser reads the part
_PLAIN_SI = re.compile(rb'<si><t(?: xml:space="preserve")?>([^<]*)</t></si>')
_XML_ENTITY = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos|#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6});)")


def plain_strings(data: bytes) -> list[str] | None:
    """The shared strings of `xl/sharedStrings.xml` when every one is plain text in the form
    spreadsheets write (`<si><t>...</t></si>`), read with one regular expression: a bid saved by
    LibreOffice holds ~50,000 (descriptions, identities), which ElementTree took 0.2 s of CPU to
    read and this takes 0.03 s. None otherwise (a document type, comments, CDATA, rich or phonetic
    text, an entity XML does not define, bytes that are not UTF-8): the exact parser reads it."""
    if b"<sst" not in data or _markup_declaration(data) or (b"&" in data and _XML_ENTITY.search(data)):
        return None
    found = _PLAIN_SI.findall(data)
    if len(found) != data.count(b"<si") + data.count(b":si"):  # `<si` begins only `<si>`, `<si ...>`, `<si/>`
        return None
    try:
        return [_text(raw) for raw in found] if b"&" in data else list(map(bytes.decode, found))
    except UnicodeDecodeError:
        return None


def fast_rows(data: bytes, strings: list[str], columns: set[str] | None,
              meta: SheetMeta | None = None) -> list[tuple[int, Row]] | None:
    """Every row of the sheet XML `data`, or None when it is not in the plain form (see above),
    or holds anything the exact path must judge (a reference outside the grid, bytes that are not
    UTF-8). `meta` receives hidden rows and columns, merged ranges and formulas reaching outside."""
    meta = meta if meta is not None else SheetMeta()
    outside = plain_form(data, meta)
    if outside is None:
        return None
    found = _CELL.findall(data)
    if len(found) != count_cells(data):
        return None  # a cell the expression does not understand: let expat read the sheet
    try:
        return fast_cells(found, strings, columns, meta, outside, Shared())
    except (UnicodeDecodeError, ValueError):
        return None  # not UTF-8, a column beyond XFD: the exact path names the damage


def plain_form(data: bytes, meta: SheetMeta, outside: bool = True) -> bool | None:
    """None if the sheet XML is not in the plain form the fast readers take (or a row tag or the
    heights are irregular); else whether a formula may reach outside (one look over the sheet: cells
    are looked at one by one only if it finds one). `outside=False`: formulas reaching outside and
    irregular row tags are not looked for, the caller (`sheetlane`) looks where it reads cells, its
    own rows being plain by its expression. Fills `meta` with what the sheet says beside cells."""
    if b"<worksheet" not in data or _markup_declaration(data) or _IRREGULAR.search(data):
        return None
    try:
        if not _sheet_meta(data, meta, rows=outside):
            return None
    except (UnicodeDecodeError, ValueError):
        return None
    return outside and _OUTSIDE_F.search(data) is not None


def _markup_declaration(data: bytes) -> bool:
    """Whether `data` holds `<!` (a document type, an entity, a comment or CDATA). A search for `<!`
    stops at every tag's `<` (10 ms in a LibreOffice-saved sheet); `!` is rare (0.2 ms), so it goes first."""
    return b"!" in data and b"<!" in data


def plain_row_tags(data: bytes, start: int, end: int) -> bool:
    """Whether every row tag of `data[start:end]` starts with a plain row number (as spreadsheets
    write it); if not, the exact path judges the sheet."""
    return len(_ROW_NUMBERED.findall(data, start, end)) == len(_ROW_TAGS.findall(data, start, end))


def count_cells(data: bytes, start: int = 0, end: int | None = None) -> int:
    """The `<c` tags of a sheet (of `data[start:end]`): every one must be read by a fast reader, or the
    exact one reads the sheet."""
    return len(_CELL_TAGS.findall(data, start, len(data) if end is None else end))


def cells_in(data: bytes, start: int, end: int) -> list[tuple[bytes, ...]]:
    """The cells of `data[start:end]` as `fast_cells` takes them."""
    return _CELL.findall(data, start, end)


class CellReader:
    """Reads a sheet's rows part by part (between the item rows another reader took), with what a
    whole-sheet read shares: the shared formulas (a master above, cells using it below)."""

    def __init__(self, strings: list[str], meta: SheetMeta) -> None:
        self.strings, self.meta = strings, meta
        self.shared: Shared[bytes] = Shared()

    def read(self, data: bytes, start: int, end: int) -> list[tuple[int, Row]] | None:
        """The rows of `data[start:end]`; None if a `<c` tag there is not a cell the expression reads or
        a row tag is not plain (`plain_row_tags`)."""
        found = cells_in(data, start, end)
        if len(found) != count_cells(data, start, end) or not plain_row_tags(data, start, end):
            return None
        if not found:
            return []
        outside = _OUTSIDE_F.search(data, start, end) is not None  # formulas reaching outside: looked for here
        return fast_cells(found, self.strings, None, self.meta, outside, self.shared)


def _sheet_meta(data: bytes, meta: SheetMeta, rows: bool = True) -> bool:
    """Hidden rows and columns, merged ranges, conditional formats; False if a row tag is irregular
    (looked for only if `rows`)."""
    start = data.find(b"<sheetData")
    end = data.rfind(b"</sheetData>", start) if start >= 0 else -1  # from the end: no search through the rows
    start, end = max(start, 0), len(data) if end < 0 else end
    if rows and not plain_row_tags(data, start, end):
        return False
    for m in _COL_TAG.finditer(data, 0, start):
        _column_tag({k.decode(): v.decode("ascii") for k, v in _COL_ATTR.findall(m.group(1))}, meta)
    # Rows hidden or lower than 3 points: each distinct height or hidden flag written in the rows is
    # judged once (a sheet has a few visible heights), and only when one may hide a row are the row
    # tags looked at one by one. Anything unexpected (a height that is not a plain number) counts as
    # "may hide", so the quick look can only send a sheet to the slow one, never skip a hidden row.
    if _may_hide_rows(data, start, end):
        for m in _ROW_SMALL.finditer(data, start, end):
            attrs = dict(_ATTR.findall(m.group(1)))
            if attrs:
                number = attrs.get(b"r", b"")
                if not number.isdigit() or not 1 <= int(number) <= MAX_ROW:
                    return False
                _row_tag(int(number), {k.decode(): v.decode("ascii") for k, v in attrs.items()}, meta)
    meta.merged += [m.decode("ascii") for m in _MERGE.findall(data)]
    meta.conditional = b"<conditionalFormatting" in data
    return True


_HEIGHT = re.compile(rb'ht="[1-9][0-9]{0,3}(?:\.[0-9]{1,6})?"')


def _may_hide_rows(data: bytes, start: int, end: int) -> bool:
    """Whether a row of `data[start:end]` (the sheet data) may be hidden or lower than 3 points,
    judged on each distinct flag written: False only if every one is a visible height (a plain
    number of 3 or more), `hidden="0"`/`"false"`, or the `ht="..."` ending a `customHeight` flag."""
    for flag in set(_ROW_FLAGS.findall(data, start, end)):
        if flag in (b'hidden="0"', b'hidden="false"', b'ht="true"', b'ht="false"'):
            continue  # `ht="true"` is not a height (nor the end of `customHeight="true"`): never low
        if flag in (b'ht="0"', b'ht="1"'):  # a height, or the end of `customHeight="1"`: count them
            if data.count(flag, start, end) != data.count(b"customHeig" + flag, start, end):
                return True
        elif _HEIGHT.fullmatch(flag) is None or float(flag[4:-1]) < MIN_VISIBLE_HEIGHT:
            return True
    return False


def _row_tag(number: int, attrs: dict[str, str], meta: SheetMeta) -> None:
    if attrs.get("hidden") in ("1", "true") or _low(attrs.get("ht")):
        meta.hidden_rows.add(number)


def _low(height: str | None) -> bool:
    try:
        return height is not None and float(height) < MIN_VISIBLE_HEIGHT
    except ValueError:
        return False


def _column_tag(attrs: dict[str, str], meta: SheetMeta) -> None:
    try:
        first, last = int(attrs.get("min", "0")), int(attrs.get("max", "0"))
        narrow = "width" in attrs and float(attrs["width"]) < MIN_VISIBLE_WIDTH
    except ValueError:
        meta.problems.append("a column definition that is not a number")
        return
    if attrs.get("hidden") in ("1", "true") or narrow:
        meta.hidden_columns.append((max(first, 1), min(last, MAX_COLUMN)))


def fast_cells(found: list[tuple[bytes, ...]], strings: list[str], columns: set[str] | None,
               meta: SheetMeta, outside: bool, shared: Shared[bytes]) -> list[tuple[int, Row]] | None:
    """The rows of the cells `found` by `_CELL`, or None when the exact path must read the sheet."""
    rows: list[tuple[int, Row]] = []
    row: Row = {}
    current = b""
    names: dict[bytes, str] = {}
    # a number as written -> its value: rates and quantities repeat, and Decimals are immutable, so
    # cells holding the same text share one value (a look-up instead of building a Decimal)
    numbers: dict[bytes, object] = {}
    texts: dict[bytes, object] = {}  # a shared string's index as written -> its text
    # The loop runs once per cell (~200,000 in a large bid): the common cases are written inline.
    for col_b, row_b, style_b, kind_b, rest, f_empty, f_attrs, f_text, v_text, plain, inline in found:
        if rest and b"t=" in rest:
            return None  # a type attribute after others: the exact path reads it
        if row_b != current:
            if row:
                rows.append((int(current), row))
            if int(row_b) > MAX_ROW or row_b.startswith(b"0"):
                return None
            row, current = {}, row_b
        column = names.get(col_b)
        if column is None:
            if len(col_b) == 3 and col_b > b"XFD":
                return None
            column = names[col_b] = col_b.decode("ascii")
        if columns is not None and column not in columns:
            if f_attrs and f_text:  # a shared formula's master: the cells asked for may need it
                _formula(f_attrs, f_text, f"{column}{int(row_b)}", shared)
            continue
        if kind_b == b"s":  # a shared string (every text a spreadsheet program saves)
            value = texts.get(v_text)
            if value is None:
                value = texts[v_text] = shared_text(v_text, strings)
        elif not kind_b or kind_b == b"n":  # a number
            value = None
            if v_text:
                value = numbers.get(v_text)
                if value is None:
                    value = numbers[v_text] = number_text(v_text)
        elif kind_b == b"inlineStr":
            if inline:  # rich text: several runs, perhaps phonetic ones that are not text
                value = "".join(_text(t) for t in _T.findall(_PHONETIC.sub(b"", inline) if b"<rPh" in inline else inline))
            else:
                value = plain.decode("utf-8") if b"&" not in plain else _text(plain)
        else:
            value = cell_value(kind_b.decode("ascii"), _text(v_text) if v_text else None, None, strings)
        if not (f_text or f_attrs or f_empty):  # no formula, the commonest cell
            if value is not None:
                row[column] = _new_cell((None, value, style_b))
            continue
        if f_text and (not f_attrs or b"t" not in f_attrs):  # a plain formula (LibreOffice adds `aca="false"`)
            formula = "=" + (f_text.decode("utf-8") if b"&" not in f_text else _text(f_text))
            if outside and OUTSIDE.search(formula):
                meta.outside.append((f"{column}{int(row_b)}", formula))
        else:
            formula = _formula(f_empty or f_attrs, f_text, f"{column}{int(row_b)}", shared)
            if OUTSIDE.search(formula):  # shared formulas are rare
                meta.outside.append((f"{column}{int(row_b)}", formula))
        row[column] = _new_cell((formula, value, style_b))
    if row:
        rows.append((int(current), row))
    return rows


def shared_text(index: bytes, strings: list[str]) -> str | None:
    """The shared string a cell's `<v>` names: "" for an index that is not one, None for no index."""
    at = int(index) if index.isdigit() and len(index) < 10 else -1
    return strings[at] if 0 <= at < len(strings) else ("" if index else None)


def number_text(text: bytes) -> object:
    """A number cell's `<v>` text as its value: exact as written when short and plain, else `number`."""
    return number(text.decode("utf-8")) if len(text) > 15 or b"E" in text else short_number(text)


def short_number(text: bytes) -> Decimal | str | None:
    """A short plain number (at most 15 characters, no exponent): exact as written; anything else
    (NaN, Infinity, other digits, `1_0`) goes through `number`, which keeps it as text."""
    try:
        value = Decimal(text.decode("ascii"))
    except (UnicodeDecodeError, InvalidOperation):
        return number(text.decode("utf-8"))
    return value if value.is_finite() and b"_" not in text else number(text.decode("utf-8"))


def _formula(attrs: bytes, text: bytes, ref: str, shared: Shared[bytes]) -> str:
    formula = _text(text) if text else ""
    if _SHARED.search(attrs):
        si = _SI.search(attrs)
        if si is not None:
            if formula:
                shared[si.group(1)] = (formula, ref)
            elif si.group(1) in shared:
                return _translate(*shared[si.group(1)], ref, shared)
            else:
                return BROKEN_SHARED
    return f"={formula}"


BROKEN_SHARED = "=#REF!"  # a shared formula whose master is missing or cannot be moved: shown as broken


K = TypeVar("K", str, bytes)
# moving a shared formula costs about 30 µs plus 3 µs a character (openpyxl's tokenizer): a sheet may
# spend ~8 s on it; a 96,000-item bid whose amounts share `ROUND(D7*E7,2)` spends ~7 s (6.9 M)
TRANSLATE_BUDGET = 8_000_000
MAX_SHARED = 1000  # a longer shared master is not moved (a BoQ's are ~15 characters)


class Shared(dict[K, tuple[str, str]]):
    """Shared formula index -> (master formula, master cell), and what is left of the sheet's budget:
    moving a formula tokenizes it, so 100,000 cells sharing an 8,000-character master would take
    minutes; past the budget, or from a master over MAX_SHARED characters, dependent cells read as
    broken formulas (and are reported as such)."""

    def __init__(self) -> None:
        super().__init__()
        self.budget = TRANSLATE_BUDGET


def _translate(master: str, origin: str, ref: str, shared: Shared[Any]) -> str:
    """A shared formula as it reads in cell `ref` (relative references moved); `=#REF!` when the
    master cannot be moved there (a damaged or hostile file: the checks report a broken formula)."""
    from openpyxl.formula.translate import Translator

    shared.budget -= 30 + 3 * len(master)
    if len(master) > MAX_SHARED or shared.budget < 0:
        return BROKEN_SHARED
    try:
        return str(Translator(f"={master}", origin=origin).translate_formula(ref))
    except Exception:  # openpyxl's tokenizer and translator raise several kinds on malformed text
        return BROKEN_SHARED



def expat_rows(fh: IO[bytes], strings: list[str], columns: set[str] | None,
               meta: SheetMeta | None = None) -> Iterator[tuple[int, Row]]:
    """expat over one worksheet, yielding rows as they complete.

    The handlers are closures over local state: expat calls them a few times per cell, and
    attribute look-ups on an object would double the time of a large sheet.
    """
    meta = meta if meta is not None else SheetMeta()
    done: list[tuple[int, Row]] = []
    row: Row = {}
    text: list[str] = []
    inline: list[str] = []
    shared: Shared[str] = Shared()
    # [row number, cell position in row, ref, type, formula, value text, f attributes, inside f/v/t, in rPh, style]
    st: list[Any] = [0, 0, "", "n", None, None, {}, "", False, b""]
    prefix = ""

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal prefix, row
        if prefix:
            name = name.removeprefix(prefix)
        if name == "c":
            st[1] += 1
            st[2], st[3], st[4], st[5] = attrs.get("r", ""), attrs.get("t", "n"), None, None
            st[9] = attrs.get("s", "")[:8].encode("utf-8")
            inline.clear()
        elif name == "v" or name == "f":
            st[7] = name
            text.clear()
            if name == "f":
                st[6] = attrs
        elif name == "row":
            st[0] = _row_number(attrs.get("r"), st[0], meta)
            st[1] = 0
            row = {}
            _row_tag(st[0], attrs, meta)
        elif name == "t" and st[3] == "inlineStr" and not st[8]:
            st[7] = "t"
            text.clear()
        elif name == "rPh":
            st[8] = True
        elif name == "col":
            _column_tag(attrs, meta)
        elif name == "mergeCell" and "ref" in attrs:
            meta.merged.append(attrs["ref"][:32])
        elif name == "conditionalFormatting":
            meta.conditional = True
        elif ":" in name and name.endswith(":worksheet"):  # `x:worksheet`: every name has the prefix
            prefix = name[: name.index(":") + 1]

    def chars(data: str) -> None:
        if st[7]:
            text.append(data)

    def end(name: str) -> None:
        if prefix:
            name = name.removeprefix(prefix)
        if name == "c":
            _store(row, st, "".join(inline) if st[3] == "inlineStr" else None, strings, columns, meta)
        elif name == "v":
            st[5] = "".join(text)
            st[7] = ""
        elif name == "f":
            st[4] = _expat_formula("".join(text), st[6], st[2], shared)
            st[7] = ""
        elif name == "t" and st[7] == "t":
            inline.append("".join(text))
            st[7] = ""
        elif name == "rPh":
            st[8] = False
        elif name == "row" and row:
            done.append((st[0], row))

    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    try:
        while chunk := fh.read(1 << 16):
            parser.Parse(chunk, False)
            yield from done
            done.clear()
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise UnsafeXml(f"damaged worksheet XML: {exc}") from None
    yield from done


def _row_number(text: str | None, previous: int, meta: SheetMeta) -> int:
    """A row's number; one past the previous row when it has none or states one outside the grid."""
    if text is None:
        return previous + 1
    if text.isascii() and text.isdigit() and len(text) <= 7 and 1 <= int(text) <= MAX_ROW:
        return int(text)
    meta.problems.append(f"a row numbered {text[:20]!r} (not a row of a spreadsheet); read as row {previous + 1}")
    return previous + 1


def _expat_formula(text: str, attrs: dict[str, str], ref: str, shared: Shared[str]) -> str:
    if attrs.get("t") == "shared" and "si" in attrs:
        if text:  # the master cell of a shared formula
            shared[attrs["si"]] = (text, ref)
        elif attrs["si"] in shared:  # a dependent cell: the master formula moved to this cell
            return _translate(*shared[attrs["si"]], ref, shared)
        else:
            return BROKEN_SHARED
    return f"={text}"


def _store(row: Row, st: list[Any], inline: str | None, strings: list[str], columns: set[str] | None,
           meta: SheetMeta) -> None:
    ref: str = st[2]
    if ref:
        where = split_ref(ref)
        if where is None:
            meta.problems.append(f"a cell {ref[:20]!r} outside the sheet's grid (skipped)")
            return
        column = where[0]
    elif st[1] > MAX_COLUMN:
        meta.problems.append(f"row {st[0]} has more than {MAX_COLUMN} cells (the rest are skipped)")
        return
    else:  # a cell without a reference is numbered by its position in the row
        from openpyxl.utils import get_column_letter

        column = get_column_letter(st[1])
    if columns is not None and column not in columns:
        return
    value = cell_value(st[3], st[5], inline, strings)
    formula = st[4]
    if formula is not None and OUTSIDE.search(formula):
        meta.outside.append((f"{column}{st[0]}", formula))
    if value is not None or formula is not None:
        row[column] = Cell(formula, value, st[9])


def _refuse(*args: object) -> int:
    raise UnsafeXml("the worksheet declares a document type or entities; refused")
