"""WordprocessingML body content as plain objects: paragraphs made of marked spans, and tables.

This is the only module that walks ``w:body``. It joins text split across runs, shows the cached
result of fields (never their codes), skips bookmarks, proofing marks, tables of contents and
hidden text, and keeps tracked insertions and deletions as marks on spans so that each reader
chooses its own view (a specification is read as if every change were accepted; an IRP reader
needs the marks themselves).

Every number read from a part goes through :func:`int_attr`, which refuses a value of the wrong
type or out of range as a ReadError naming the part and the place (paragraph, level, style).
Nothing here recurses as deep as the input nests, and every loop is linear in the input.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Set
from dataclasses import dataclass, field
from typing import overload

from lxml import etree

from spectrace import xmlsafe
from spectrace.errors import ReadError
from spectrace.limits import GRID_SPAN, PARAGRAPH_CHARS

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

INSERTED = "ins"
DELETED = "del"
#: The deepest list level (w:ilvl counts 0-8) and the outline level of body text (headings 0-8).
MAX_ILVL = 8
BODY_OUTLINE = 9

# Run-level containers whose children are read as if they were in the paragraph.
_CONTAINERS = {
    W + name
    for name in ("hyperlink", "smartTag", "customXml", "fldSimple", "dir", "bdo", "sdtContent")
}
# Elements whose whole subtree contributes no text.
_SKIPPED = {
    W + name
    for name in (
        "pPr rPr proofErr bookmarkStart bookmarkEnd commentRangeStart commentRangeEnd permStart "
        "permEnd sdtPr sdtEndPr lastRenderedPageBreak"
    ).split()
} | {MC + "Fallback"}
_WRAPPERS = {W + "sdt", MC + "AlternateContent", MC + "Choice"}
_PICTURES = {W + "drawing", W + "pict", W + "object"}
_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
_TOC_STYLE_NAMES = ("toc ", "toc heading", "table of figures", "index ")
_LIST_TEXT = {
    "t": None,
    "tab": "\t",
    "ptab": "\t",
    "br": " ",
    "cr": " ",
    "noBreakHyphen": "-",
    "softHyphen": "",
}
_SYMBOLS = {0xF0B7: "\u2022", 0xF0A7: "\u25aa", 0xF0D8: "\u27a2", 0xF0FC: "\u2714"}


@dataclass
class Span:
    """A piece of text with one tracked-change mark and one formatting."""

    text: str
    change: str | None = None
    author: str = ""
    date: str = ""
    strike: bool = False
    underline: bool = False
    color: str = ""


@dataclass
class Paragraph:
    """One ``w:p``: its style, direct numbering and outline level, and its spans of text."""

    index: int
    style: str | None = None
    num_id: str | None = None
    ilvl: int | None = None
    outline: int | None = None
    spans: list[Span] = field(default_factory=list)
    mark: str | None = None
    mark_author: str = ""
    mark_date: str = ""
    mark_style: tuple[bool, bool, str] = (False, False, "")
    pictures: int = 0
    images: list[str] = field(default_factory=list)  # the r:embed ids of its pictures
    in_toc: bool = False

    def text(self, view: str = "accepted") -> str:
        """Return the text as shown with every change accepted, or with every change rejected."""
        hide = DELETED if view == "accepted" else INSERTED
        return "".join(span.text for span in self.spans if span.change != hide)


@dataclass
class Cell:
    paragraphs: list[Paragraph] = field(default_factory=list)
    span: int = 1
    merged: bool = False

    def text(self, view: str = "accepted") -> str:
        return " ".join(p.text(view) for p in self.paragraphs)


@dataclass
class Row:
    cells: list[Cell] = field(default_factory=list)
    header: bool = False
    change: str | None = None

    def text(self, view: str = "accepted") -> list[str]:
        return [cell.text(view) for cell in self.cells]


@dataclass
class Table:
    index: int
    rows: list[Row] = field(default_factory=list)


@dataclass(frozen=True)
class Place:
    """Where in a Word file something is read: the file, the part, and a place inside the part
    ("paragraph 12", "w:abstractNum 3 level 2"), so that an error can name all three."""

    file: str
    part: str
    inside: str = ""

    def at(self, inside: str) -> Place:
        """Return this part's place ``inside``."""
        return Place(self.file, self.part, inside)

    def error(self, message: str) -> ReadError:
        """Return the ReadError ``message`` about this place."""
        where = f"{self.part}: {self.inside}" if self.inside else self.part
        return ReadError(message, file=self.file, where=where)


_DECIMAL = re.compile(r"[+-]?[0-9]{1,12}")
_HEXADECIMAL = re.compile(r"[0-9A-Fa-f]{1,8}")


@overload
def int_attr(
    element: etree._Element | None,
    place: Place,
    *,
    low: int,
    high: int,
    default: int,
    name: str = "val",
    base: int = 10,
) -> int: ...


@overload
def int_attr(
    element: etree._Element | None,
    place: Place,
    *,
    low: int,
    high: int,
    default: None = None,
    name: str = "val",
    base: int = 10,
) -> int | None: ...


def int_attr(
    element: etree._Element | None,
    place: Place,
    *,
    low: int,
    high: int,
    default: int | None = None,
    name: str = "val",
    base: int = 10,
) -> int | None:
    """Return the whole number in ``element``'s ``w:name`` attribute (decimal, or hexadecimal
    when ``base`` is 16), or ``default`` when the element or the attribute is absent.

    Anything else than a number from ``low`` to ``high`` is a ReadError at ``place`` naming
    the element, the attribute and the value: a bare int() on document data gave tracebacks,
    and an out-of-range value silently wrong numbering.
    """
    raw = element.get(W + name) if element is not None else None
    if raw is None:
        return default
    pattern = _HEXADECIMAL if base == 16 else _DECIMAL
    value = int(raw.strip(), base) if pattern.fullmatch(raw.strip()) else None
    if value is None or not low <= value <= high:
        kind = "hexadecimal number" if base == 16 else "whole number"
        bounds = f"{low:X} to {high:X}" if base == 16 else f"{low} to {high}"
        shown = raw if len(raw) <= 40 else raw[:40] + "…"
        tag = etree.QName(element).localname
        what = f"w:{tag}" if name == "val" else f"w:{tag} w:{name}"
        raise place.error(f"{what} {shown!r} is not a {kind} from {bounds}")
    return value


class _Fields:
    """The stack of open complex fields, carried across paragraphs (a field may span many).

    Each entry is [instruction start, past separate?]. Counts of hidden and of table-of-contents
    fields are kept as fields open and close, so that asking costs nothing however many fields
    are open; only the first characters of an instruction are kept (enough to tell TOC/INDEX).
    """

    _KEEP = 16

    def __init__(self) -> None:
        self.stack: list[list] = []
        self._hidden = 0
        self._tocs = 0

    @property
    def showing(self) -> bool:
        return self._hidden == 0

    @property
    def in_toc(self) -> bool:
        return self._tocs > 0

    def char(self, kind: str | None) -> None:
        if kind == "begin":
            self.stack.append(["", False])
            self._hidden += 1
        elif kind == "separate" and self.stack and not self.stack[-1][1]:
            self.stack[-1][1] = True
            self._hidden -= 1
        elif kind == "end" and self.stack:
            instruction, shown = self.stack.pop()
            self._hidden -= not shown
            self._tocs -= _is_toc_field(instruction)

    def instruction(self, text: str) -> None:
        if self.stack and not self.stack[-1][1]:
            top = self.stack[-1]
            before = _is_toc_field(top[0])
            top[0] = (top[0] + text if top[0] else text.lstrip())[: self._KEEP]
            self._tocs += _is_toc_field(top[0]) - before


def _is_toc_field(instruction: str) -> bool:
    return instruction.upper().startswith(("TOC", "INDEX"))


class BodyReader:
    """Iterate the block-level content of a main document part, holding little in memory.

    ``file`` and ``part`` name the source in errors. The part is parsed as
    :mod:`spectrace.xmlsafe` parses every outside XML: no DTD (checked at the first event),
    no entity reference, no XInclude, nesting within the depth limit.
    """

    def __init__(self, data: bytes, *, file: str, part: str, toc_styles: Set[str] = frozenset()):
        self._data = data
        self._place = Place(file, part)
        self._toc_styles = toc_styles
        self._fields = _Fields()
        self._count = 0

    def __iter__(self) -> Iterator[Paragraph | Table]:
        events = etree.iterparse(
            io.BytesIO(self._data),
            events=("end",),
            tag=(W + "p", W + "tbl", W + "sdt", W + "customXml", xmlsafe.XINCLUDE + "*"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,  # keeps libxml2's depth limit (XML_DEPTH)
            remove_comments=True,
            remove_pis=True,
        )
        try:
            yield from self._items(events)
        except etree.XMLSyntaxError as exc:
            # iterparse may raise a later symptom ("no element found"): name this parse's
            # first fault (its own log: the exception's holds earlier parses' errors too)
            fatal = events.error_log.filter_from_fatals()
            if fatal:
                exc.msg, exc.lineno = fatal[0].message, fatal[0].line
            raise xmlsafe.malformed(exc, file=self._place.file, part=self._place.part) from None

    def _items(self, events: etree.iterparse) -> Iterator[Paragraph | Table]:
        checked = False
        for _, element in events:
            if not checked:
                self._check(element, document=True)
                checked = True
            if element.tag.startswith(xmlsafe.XINCLUDE):
                self._check(element)  # refused, wherever it stands
            parent = element.getparent()
            if parent is None or parent.tag != W + "body":
                continue
            self._check(element)  # entity references inside the block
            yield from self._block(element)
            element.clear()
            while element.getprevious() is not None:
                del parent[0]
        if not checked and events.root is not None:
            self._check(events.root, document=True)

    def _check(self, element: etree._Element, *, document: bool = False) -> None:
        check = xmlsafe.check_document if document else xmlsafe.check_content
        check(element, file=self._place.file, part=self._place.part)

    def _block(self, element: etree._Element) -> Iterator[Paragraph | Table]:
        """Yield the paragraphs and tables of a body-level element, in order, opening content
        controls and custom XML however deeply they nest (with a stack, not recursion)."""
        stack = [iter([element])]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
            elif child.tag == W + "p":
                yield self._paragraph(child)
            elif child.tag == W + "tbl":
                yield self._table(child)
            elif child.tag in (W + "sdt", W + "customXml") and not _is_toc_control(child):
                content = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
                stack.append(iter(content if content is not None else ()))

    def _paragraph(self, p: etree._Element) -> Paragraph:
        self._count += 1
        para = Paragraph(index=self._count)
        place = self._place.at(f"paragraph {self._count}")
        _read_properties(p.find(W + "pPr"), para, place)
        para.in_toc = self._fields.in_toc
        _Walker(para, self._fields, place).walk(p)
        para.in_toc = para.in_toc or self._fields.in_toc or (para.style in self._toc_styles)
        return para

    def _table(self, tbl: etree._Element) -> Table:
        table = Table(index=self._count + 1)
        for tr in tbl.iter(W + "tr"):
            if _ancestor_table(tr) is tbl:
                where = f"table at paragraph {table.index}, row {len(table.rows) + 1}"
                table.rows.append(self._row(tr, tbl, where))
        return table

    def _row(self, tr: etree._Element, tbl: etree._Element, where: str) -> Row:
        """Return one row; cells of nested tables are flattened into their outer cell.

        A row may cover at most GRID_SPAN grid columns: the spec reader pads every row to the
        widest, so a huge span was a blow-up (one w:gridSpan of 60,000,000 took 20 GB).
        """
        row = Row()
        tr_pr = tr.find(W + "trPr")
        if tr_pr is not None:
            row.header = _on(tr_pr.find(W + "tblHeader"))
            row.change = _change_kind(tr_pr)
        columns = 0
        for tc in tr.iter(W + "tc"):
            if _ancestor_table(tc) is not tbl:
                continue
            cell = self._cell(tc, self._place.at(f"{where}, cell {len(row.cells) + 1}"))
            columns += cell.span
            if columns > GRID_SPAN:
                raise self._place.at(where).error(
                    f"the row spans more than {GRID_SPAN:,} columns; refused"
                )
            row.cells.append(cell)
        return row

    def _cell(self, tc: etree._Element, place: Place) -> Cell:
        """Return one cell, refusing more than PARAGRAPH_CHARS characters in it."""
        cell = Cell()
        tc_pr = tc.find(W + "tcPr")
        if tc_pr is not None:
            span = tc_pr.find(W + "gridSpan")
            cell.span = int_attr(span, place, low=1, high=GRID_SPAN, default=1)
            merge = tc_pr.find(W + "vMerge")
            cell.merged = merge is not None and merge.get(W + "val", "continue") == "continue"
        chars = 0
        for p in tc.iter(W + "p"):
            paragraph = self._paragraph(p)
            chars += sum(len(span.text) for span in paragraph.spans)
            if chars > PARAGRAPH_CHARS:
                raise place.error(_too_long("the cell"))
            cell.paragraphs.append(paragraph)
        return cell


def _too_long(what: str) -> str:
    return f"{what} holds more than {PARAGRAPH_CHARS:,} characters of text; refused"


_LEAF = object()

#: What one span of text shares: its change mark (kind, author, date) then its run style
#: (struck through, underlined, colour), in the order of Span's fields after ``text``.
_SpanKey = tuple[str | None, str, str, bool, bool, str]


class _Walker:
    """Collect the spans of one paragraph, following runs into containers and change marks.

    Containers (hyperlinks, content controls, w:ins/w:del ...) are followed with a stack, not
    recursion, however deeply they nest. A span's text is gathered in pieces and joined once
    (joining with += made a long paragraph quadratic), and a paragraph of more than
    PARAGRAPH_CHARS characters is refused.
    """

    def __init__(self, para: Paragraph, fields: _Fields, place: Place):
        self.para = para
        self.fields = fields
        self.place = place
        self.key: _SpanKey | None = None
        self.pieces: list[str] = []
        self.chars = 0

    def walk(self, p: etree._Element) -> None:
        stack: list[tuple[Iterator, tuple[str, str, str] | None]] = [(iter(p), None)]
        while stack:
            children, change = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                continue
            inner = self._visit(child, change)
            if inner is not _LEAF:
                stack.append((iter(child), inner))
        self._flush()

    def _visit(self, child: etree._Element, change: tuple[str, str, str] | None):
        """Read ``child``; return the change mark to read its children with, or _LEAF."""
        tag = child.tag
        if tag == W + "r":
            self._run(child, change)
        elif tag in _SKIPPED or not isinstance(tag, str):
            pass
        elif tag in (W + "ins", W + "moveTo"):
            return (INSERTED, child.get(W + "author", ""), child.get(W + "date", ""))
        elif tag in (W + "del", W + "moveFrom"):
            return (DELETED, child.get(W + "author", ""), child.get(W + "date", ""))
        elif tag in _CONTAINERS or tag in _WRAPPERS:
            return change
        elif tag in _PICTURES:
            self._picture(child)
        return _LEAF

    def _picture(self, element: etree._Element) -> None:
        """Count a picture and keep the ids of the images it shows (the first of each blip)."""
        self.para.pictures += 1
        for blip in element.iter(_BLIP):
            embed = blip.get(_EMBED)
            if embed:
                self.para.images.append(embed)
                break

    def _run(self, run: etree._Element, change: tuple[str, str, str] | None) -> None:
        props = run.find(W + "rPr")
        hidden = props is not None and _on(props.find(W + "vanish"))
        style = _run_style(props)
        for child in run:
            tag = child.tag
            if tag == W + "fldChar":
                self.fields.char(child.get(W + "fldCharType"))
            elif tag == W + "instrText":
                self.fields.instruction(child.text or "")
            elif (tag in _PICTURES or tag == MC + "AlternateContent") and not hidden:
                self._picture(child)
            elif self.fields.showing and not hidden and isinstance(tag, str):
                text = _run_text(child, self.place)
                if text:
                    self._add(text, change, style)

    def _add(
        self, text: str, change: tuple[str, str, str] | None, style: tuple[bool, bool, str]
    ) -> None:
        self.chars += len(text)
        if self.chars > PARAGRAPH_CHARS:
            raise self.place.error(_too_long("the paragraph"))
        key: _SpanKey = (*(change or (None, "", "")), *style)
        if key != self.key:
            self._flush()
            self.key = key
        self.pieces.append(text)

    def _flush(self) -> None:
        if self.pieces:
            assert self.key is not None, "_add sets the key before it adds a piece"
            self.para.spans.append(Span("".join(self.pieces), *self.key))
            self.pieces = []


def _run_text(child: etree._Element, place: Place) -> str:
    tag = child.tag
    if tag in (W + "t", W + "delText"):
        return child.text or ""
    local = etree.QName(tag).localname
    if local in _LIST_TEXT:
        return _LIST_TEXT[local] or ""
    if local == "sym":
        return _symbol(child, place)
    return ""


def _symbol(sym: etree._Element, place: Place) -> str:
    """Return the character a ``w:sym`` shows: Symbol-font codes (F000-F0FF) map to the
    character they draw; a code that is no character text may hold is refused."""
    code = int_attr(sym, place, low=0, high=0x10FFFF, default=0, name="char", base=16)
    if code in _SYMBOLS:
        return _SYMBOLS[code]
    char = chr(code - 0xF000 if code >= 0xF000 else code)
    if not _is_text_char(char):
        raise place.error(f"w:sym w:char {sym.get(W + 'char')!r} is not a character of text")
    return char


def _is_text_char(char: str) -> bool:
    """Return whether ``char`` may stand in text (XML 1.0 Char: no controls, no surrogates)."""
    code = ord(char)
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def _run_style(props: etree._Element | None) -> tuple[bool, bool, str]:
    """Return (struck through, underlined, colour) of a run from its direct properties."""
    if props is None:
        return (False, False, "")
    underline = props.find(W + "u")
    color = props.find(W + "color")
    return (
        _on(props.find(W + "strike")) or _on(props.find(W + "dstrike")),
        underline is not None and underline.get(W + "val", "single") != "none",
        (color.get(W + "val", "") if color is not None else "").upper(),
    )


def _read_properties(p_pr: etree._Element | None, para: Paragraph, place: Place) -> None:
    if p_pr is None:
        return
    style = p_pr.find(W + "pStyle")
    if style is not None:
        para.style = style.get(W + "val")
    num_pr = p_pr.find(W + "numPr")
    if num_pr is not None:
        num_id = num_pr.find(W + "numId")
        para.num_id = num_id.get(W + "val") if num_id is not None else None
        para.ilvl = list_level(num_pr.find(W + "ilvl"), place)
    outline = p_pr.find(W + "outlineLvl")
    if outline is not None:
        para.outline = int_attr(outline, place, low=0, high=BODY_OUTLINE, default=BODY_OUTLINE)
    mark = p_pr.find(W + "rPr")
    if mark is not None:
        para.mark_style = _run_style(mark)
        kind = _change_kind(mark)
        if kind:
            element = mark.find(W + kind)
            para.mark = kind
            para.mark_author = element.get(W + "author", "")
            para.mark_date = element.get(W + "date", "")


def list_level(ilvl: etree._Element | None, place: Place) -> int | None:
    """Return the list level a ``w:ilvl`` gives (0-8; 0 when it has no value), None if absent."""
    if ilvl is None:
        return None
    return int_attr(ilvl, place, low=0, high=MAX_ILVL, default=0)


def _change_kind(props: etree._Element) -> str | None:
    if props.find(W + "ins") is not None:
        return INSERTED
    if props.find(W + "del") is not None:
        return DELETED
    return None


def _on(element: etree._Element | None) -> bool:
    """Return whether an on/off property is set (present and not "0"/"false"/"off")."""
    return element is not None and element.get(W + "val", "true") not in ("0", "false", "off")


def _ancestor_table(element: etree._Element) -> etree._Element | None:
    parent = element.getparent()
    while parent is not None and parent.tag != W + "tbl":
        parent = parent.getparent()
    return parent


def _is_toc_control(element: etree._Element) -> bool:
    gallery = element.find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery")
    return gallery is not None and "table of" in gallery.get(W + "val", "").lower()


def toc_style_ids(style_names: dict[str, str]) -> set[str]:
    """Return the ids of table-of-contents and index styles, given style id -> lower-case name."""
    return {sid for sid, name in style_names.items() if name.startswith(_TOC_STYLE_NAMES)}
