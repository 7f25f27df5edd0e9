"""WordprocessingML body content as plain objects: paragraphs made of marked spans, and tables.

This is the only module that walks ``w:body``. It joins text split across runs, shows the cached
result of fields (never their codes), skips bookmarks, proofing marks, tables of contents and
hidden text, and keeps tracked insertions and deletions as marks on spans so that each reader
chooses its own view (a specification is read as if every change were accepted; an IRP reader
needs the marks themselves).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from spectrace.readers.docx.package import malformed, refuse_dtd

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

INSERTED = "ins"
DELETED = "del"

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


class _Fields:
    """The stack of open complex fields, carried across paragraphs (a field may span many)."""

    def __init__(self) -> None:
        self.stack: list[list] = []  # [instruction text, past separate?]

    @property
    def showing(self) -> bool:
        return all(shown for _, shown in self.stack)

    @property
    def in_toc(self) -> bool:
        return any(instr.lstrip().upper().startswith(("TOC", "INDEX")) for instr, _ in self.stack)

    def char(self, kind: str | None) -> None:
        if kind == "begin":
            self.stack.append(["", False])
        elif kind == "separate" and self.stack:
            self.stack[-1][1] = True
        elif kind == "end" and self.stack:
            self.stack.pop()

    def instruction(self, text: str) -> None:
        if self.stack and not self.stack[-1][1]:
            self.stack[-1][0] += text


class BodyReader:
    """Iterate the block-level content of a main document part, holding little in memory.

    ``file`` and ``part`` name the source in errors: a DTD or malformed XML is a ReadError.
    """

    def __init__(self, data: bytes, *, file: str, part: str, toc_styles: set[str] = frozenset()):
        refuse_dtd(data, file=file, part=part)
        self._data = data
        self._file = file
        self._part = part
        self._toc_styles = toc_styles
        self._fields = _Fields()
        self._count = 0

    def __iter__(self) -> Iterator[Paragraph | Table]:
        try:
            yield from self._items()
        except etree.XMLSyntaxError as exc:
            raise malformed(exc, file=self._file, part=self._part) from exc

    def _items(self) -> Iterator[Paragraph | Table]:
        events = etree.iterparse(
            io.BytesIO(self._data),
            events=("end",),
            tag=(W + "p", W + "tbl", W + "sdt", W + "customXml"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=True,
        )
        for _, element in events:
            parent = element.getparent()
            if parent is None or parent.tag != W + "body":
                continue
            yield from self._block(element)
            element.clear()
            while element.getprevious() is not None:
                del parent[0]

    def _block(self, element: etree._Element) -> Iterator[Paragraph | Table]:
        tag = element.tag
        if tag == W + "p":
            yield self._paragraph(element)
        elif tag == W + "tbl":
            yield self._table(element)
        elif tag in (W + "sdt", W + "customXml"):
            if _is_toc_control(element):
                return
            content = element.find(W + "sdtContent") if tag == W + "sdt" else element
            for child in content if content is not None else ():
                yield from self._block(child)

    def _paragraph(self, p: etree._Element) -> Paragraph:
        self._count += 1
        para = Paragraph(index=self._count)
        _read_properties(p.find(W + "pPr"), para)
        para.in_toc = self._fields.in_toc
        _Walker(para, self._fields).walk(p, None)
        para.in_toc = para.in_toc or self._fields.in_toc or (para.style in self._toc_styles)
        return para

    def _table(self, tbl: etree._Element) -> Table:
        table = Table(index=self._count + 1)
        for tr in tbl.iter(W + "tr"):
            if _ancestor_table(tr) is not tbl:
                continue
            table.rows.append(self._row(tr, tbl))
        return table

    def _row(self, tr: etree._Element, tbl: etree._Element) -> Row:
        """Return one row; cells of nested tables are flattened into their outer cell."""
        row = Row()
        tr_pr = tr.find(W + "trPr")
        if tr_pr is not None:
            row.header = _on(tr_pr.find(W + "tblHeader"))
            row.change = _change_kind(tr_pr)
        for tc in tr.iter(W + "tc"):
            if _ancestor_table(tc) is not tbl:
                continue
            cell = Cell()
            tc_pr = tc.find(W + "tcPr")
            if tc_pr is not None:
                span = tc_pr.find(W + "gridSpan")
                cell.span = int(span.get(W + "val", "1")) if span is not None else 1
                merge = tc_pr.find(W + "vMerge")
                cell.merged = merge is not None and merge.get(W + "val", "continue") == "continue"
            for p in tc.iter(W + "p"):
                cell.paragraphs.append(self._paragraph(p))
            row.cells.append(cell)
        return row


class _Walker:
    """Collect the spans of one paragraph, following runs into containers and change marks."""

    def __init__(self, para: Paragraph, fields: _Fields):
        self.para = para
        self.fields = fields

    def walk(self, element: etree._Element, change: tuple[str, str, str] | None) -> None:
        for child in element:
            tag = child.tag
            if tag == W + "r":
                self._run(child, change)
            elif tag in _SKIPPED or not isinstance(tag, str):
                continue
            elif tag in (W + "ins", W + "moveTo"):
                self.walk(child, (INSERTED, child.get(W + "author", ""), child.get(W + "date", "")))
            elif tag in (W + "del", W + "moveFrom"):
                self.walk(child, (DELETED, child.get(W + "author", ""), child.get(W + "date", "")))
            elif tag in _CONTAINERS or tag in _WRAPPERS:
                self.walk(child, change)
            elif tag in _PICTURES:
                self.para.pictures += 1

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
                self.para.pictures += 1
            elif self.fields.showing and not hidden and isinstance(tag, str):
                text = _run_text(child)
                if text:
                    self._add(text, change, style)

    def _add(self, text: str, change: tuple[str, str, str] | None, style: tuple) -> None:
        kind, author, date = change or (None, "", "")
        spans = self.para.spans
        if spans:
            last = spans[-1]
            if (last.change, last.author, last.date, last.strike, last.underline, last.color) == (
                kind,
                author,
                date,
                *style,
            ):
                last.text += text
                return
        spans.append(Span(text, kind, author, date, *style))


def _run_text(child: etree._Element) -> str:
    tag = child.tag
    if tag in (W + "t", W + "delText"):
        return child.text or ""
    local = etree.QName(tag).localname
    if local in _LIST_TEXT:
        return _LIST_TEXT[local] or ""
    if local == "sym":
        code = int(child.get(W + "char", "0"), 16)
        return _SYMBOLS.get(code, chr(code - 0xF000) if code >= 0xF000 else chr(code))
    return ""


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


def _read_properties(p_pr: etree._Element | None, para: Paragraph) -> None:
    if p_pr is None:
        return
    style = p_pr.find(W + "pStyle")
    if style is not None:
        para.style = style.get(W + "val")
    num_pr = p_pr.find(W + "numPr")
    if num_pr is not None:
        num_id, ilvl = num_pr.find(W + "numId"), num_pr.find(W + "ilvl")
        para.num_id = num_id.get(W + "val") if num_id is not None else None
        para.ilvl = int(ilvl.get(W + "val", "0")) if ilvl is not None else None
    outline = p_pr.find(W + "outlineLvl")
    if outline is not None:
        para.outline = int(outline.get(W + "val", "9"))
    mark = p_pr.find(W + "rPr")
    if mark is not None:
        para.mark_style = _run_style(mark)
        kind = _change_kind(mark)
        if kind:
            element = mark.find(W + kind)
            para.mark = kind
            para.mark_author = element.get(W + "author", "")
            para.mark_date = element.get(W + "date", "")


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
