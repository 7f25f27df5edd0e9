"""Generate pictures of IRP mark-ups (issue 13), for testing and benchmarking the picture reader.

Real IRPs sometimes carry their mark-ups as pictures: screenshots of Word showing tracked
changes or formatting mark-up, often with Word's formatting marks shown (the real IRP603's six
mark-ups are such screenshots). This module draws such pictures of excerpts whose text it
knows, so a reader can be checked against the truth. An excerpt is described in the model's own
terms, a list of :class:`spectrace.model.MarkupBlock` (paragraphs, heading lines, lower-roman
list items, table rows; spans kept, inserted or deleted), and each case gives the picture's
bytes with the blocks it shows (:meth:`Case.picture`).

Two renderers, so that no reader is tuned to one:

* **Pillow** draws a "Word screenshot": a white page, a TrueType font found on the machine
  (Liberation Sans/Serif, DejaVu Sans/Serif), text wrapped to a width. Style ``tracked`` shows
  insertions underlined and deletions struck through in an author's revision colour, with a
  change bar in the left margin of every changed line; style ``formatting`` shows insertions
  underlined in the project's insert colour (default 0000FF) and deletions struck through in
  its delete colour (FF0000), without bars. With ``marks`` Word's formatting marks show: ``·``
  for a space, ``→`` for a tab (after a heading's number and a list label), ``¶`` at the end of
  a paragraph and ``¤`` at the end of a table cell and row. At 96 dpi (11 pt text about 15
  pixels high) the picture is a JPEG of quality 60-85, as a pasted screenshot is; at 150 and
  300 dpi a PNG.
* **LibreOffice** renders a small .docx holding the excerpt as real tracked changes (``w:ins``
  / ``w:del`` with author and date) or as formatting, through ``soffice --convert-to pdf`` and
  ``pdftoppm``, cropped to the text. LibreOffice is slow, so its outputs are cached by the
  hash of the .docx in a folder the caller gives.

Every choice a rendering makes (font, page width, author colour, JPEG quality) is drawn from a
random generator seeded with the case's name: the same case gives the same bytes.

:func:`corpus` names the cases: the six IRP603 mark-ups (read from ``specs/irps/IRP603.rst``)
and more excerpts of the bundled SMETS and CHTS text (words and a sentence deleted, a whole
paragraph deleted, a heading renamed, a lower-roman list item deleted, a table cell edited, a
table row inserted, a glossary definition amended, a target clause that does not exist), each
in several renderings, plus hostile pictures (bytes that are no image, a truncated PNG, a PNG
header claiming 100000 x 100000 pixels, a blank picture, noise, text with no mark-up).
:func:`irp_with_pictures` writes a Word IRP whose mark-ups are such pictures.

Usage::

    python benchmarks/make_pictures.py --out DIR [--only TEXT] [--no-libreoffice] [--irp]

writes every picture of the corpus to ``DIR`` with ``DIR/cases.json`` (what each shows) and
prints a JSON summary; ``--irp`` also writes ``DIR/IRP-pictures.docx``.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import io
import json
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from spectrace.model import Action, Change, MarkupBlock, MarkupKind, Op, Span, Target
from spectrace.model.proposal import MarkupStyle, normalize_spans
from spectrace.writers.docx.package import member
from spectrace.writers.docx.xmltext import NS_R, NS_W, XML_DECL, attr, text

ROOT = Path(__file__).resolve().parent.parent
IRP603 = ROOT / "specs" / "irps" / "IRP603.rst"

# --- what a picture shows --------------------------------------------------------------------


class Style(StrEnum):
    """How a picture marks the changes."""

    TRACKED = "tracked"  # Word's tracked changes: revision colour, underline / strike, bars
    FORMATTING = "formatting"  # formatting mark-up: coloured underline / coloured strike


class Renderer(StrEnum):
    PILLOW = "pillow"
    LIBREOFFICE = "libreoffice"


@dataclass(frozen=True)
class Rendering:
    """One way to draw an excerpt.

    ``marks`` shows Word's formatting marks (Pillow only: LibreOffice does not print them);
    ``colors`` are the insert and delete colours of style ``formatting`` (the project's
    ``[markup]`` colours; Word's default mark-up is 0000FF and FF0000).
    """

    renderer: Renderer
    style: Style
    dpi: int
    marks: bool = False
    colors: tuple[str, str] = ("0000FF", "FF0000")

    @property
    def name(self) -> str:
        custom = "" if self.colors == ("0000FF", "FF0000") else "-" + "-".join(self.colors)
        marks = "-marks" if self.marks else ""
        return f"{self.renderer}-{self.style}{custom}{marks}-{self.dpi}"

    @property
    def ext(self) -> str:
        """Return "jpeg" for a screen-resolution picture (a pasted screenshot), else "png"."""
        return "jpeg" if self.dpi <= 96 else "png"

    @property
    def markup_style(self) -> MarkupStyle:
        """Return the project's mark-up colours a reader needs to read this picture."""
        return MarkupStyle(frozenset({self.colors[0]}), frozenset({self.colors[1]}))


@dataclass
class Picture:
    """A picture's bytes, its format ("png", "jpeg", or what a hostile case claims) and the
    blocks it shows (none for a picture of no mark-up)."""

    data: bytes
    ext: str
    blocks: list[MarkupBlock]


def _rng(*parts: object) -> random.Random:
    """Return a random generator seeded with ``parts`` (a string seed is hashed with SHA-512:
    the same on every run and machine)."""
    return random.Random(":".join(str(part) for part in parts))


# --- fonts -----------------------------------------------------------------------------------

FONT_DIRS = (Path("/usr/share/fonts/truetype"), Path("/usr/share/fonts/TTF"))
#: Text fonts: family -> (regular, bold) file names, Word's usual faces first.
FONT_FILES = {
    "Liberation Sans": ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    "Liberation Serif": ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"),
    "DejaVu Sans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    "DejaVu Serif": ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
}
#: The font Word's formatting marks are drawn with (it has ·, ¶, →, ¤).
MARKS_FONT = "DejaVu Sans"


@functools.cache
def _font_file(name: str) -> Path | None:
    for folder in FONT_DIRS:
        if folder.is_dir():
            for path in sorted(folder.rglob(name)):
                return path
    return None


def available_fonts() -> list[str]:
    """Return the families of :data:`FONT_FILES` installed here (both faces), in its order.

    Debian: ``apt-get install fonts-liberation fonts-dejavu-core``.
    """
    return [
        family
        for family, files in FONT_FILES.items()
        if all(_font_file(name) is not None for name in files)
    ]


@dataclass
class _Fonts:
    regular: ImageFont.FreeTypeFont
    bold: ImageFont.FreeTypeFont
    marks: ImageFont.FreeTypeFont

    @classmethod
    def load(cls, family: str, px: int) -> _Fonts:
        regular, bold = (_font_file(name) for name in FONT_FILES[family])
        marks = _font_file(FONT_FILES[MARKS_FONT][0]) if MARKS_FONT in available_fonts() else None
        if regular is None or bold is None:
            raise RuntimeError(f"font {family} is not installed")
        return cls(
            ImageFont.truetype(str(regular), px),
            ImageFont.truetype(str(bold), px),
            ImageFont.truetype(str(marks or regular), px),
        )


# --- Pillow: a Word screenshot ---------------------------------------------------------------

#: Word's revision colours "by author" (the first authors of a document get these).
AUTHOR_COLORS = ("B5082E", "2E97D3", "84A35B", "7030A0", "D26900", "1C6E8C")
BLACK = (0, 0, 0)
SPACE, TAB, MARK = " ", "\t", "mark"


def _rgb(hex_color: str) -> tuple[int, int, int]:
    value = int(hex_color, 16)
    return (value >> 16) & 255, (value >> 8) & 255, value & 255


@dataclass
class _Piece:
    """A word, a space, a tab or a formatting mark (¶, ¤) as laid out on a line."""

    text: str
    op: Op
    bold: bool = False
    kind: str = "word"  # "word", SPACE, TAB or MARK
    x: float = 0.0
    width: float = 0.0


@dataclass
class _Look:
    """What one Pillow rendering looks like: measures in pixels and colours."""

    rendering: Rendering
    fonts: _Fonts
    px: int
    width: int  # of the text column
    margin: int  # left, holding the change bars
    insert_color: tuple[int, int, int]
    delete_color: tuple[int, int, int]
    bar_color: tuple[int, int, int]
    line: int = 0  # line height
    stroke: int = 1  # underline, strike and grid thickness

    def __post_init__(self) -> None:
        ascent, descent = self.fonts.regular.getmetrics()
        self.line = round((ascent + descent) * 1.12)
        self.stroke = max(1, round(self.rendering.dpi / 110))

    def inch(self, inches: float) -> int:
        return round(inches * self.rendering.dpi)

    def color(self, op: Op) -> tuple[int, int, int]:
        return {Op.KEEP: BLACK, Op.INSERT: self.insert_color, Op.DELETE: self.delete_color}[op]

    def font(self, piece: _Piece) -> ImageFont.FreeTypeFont:
        if piece.kind in (SPACE, TAB, MARK):
            return self.fonts.marks
        return self.fonts.bold if piece.bold else self.fonts.regular

    def measure(self, piece: _Piece) -> float:
        font = self.fonts.bold if piece.bold else self.fonts.regular
        if piece.kind == SPACE:
            return font.getlength(" ")
        if piece.kind == MARK:
            return self.fonts.marks.getlength(piece.text) if self.rendering.marks else 0.0
        return font.getlength(piece.text)


def _look(rendering: Rendering, seed: str) -> _Look:
    rng = _rng("look", seed)
    fonts = available_fonts()
    if not fonts:
        raise RuntimeError("no TrueType font found (apt-get install fonts-liberation)")
    px = round(11 * rendering.dpi / 72)
    if rendering.style is Style.TRACKED:
        insert = rng.choice(AUTHOR_COLORS)
        delete = insert if rng.random() < 0.6 else rng.choice(AUTHOR_COLORS)
        bar = BLACK if rng.random() < 0.7 else (0x80, 0x80, 0x80)
    else:
        insert, delete = rendering.colors
        bar = BLACK
    return _Look(
        rendering,
        _Fonts.load(rng.choice(fonts), px),
        px,
        width=round(rng.choice((5.5, 6.0, 6.27)) * rendering.dpi),
        margin=round(0.45 * rendering.dpi),
        insert_color=_rgb(insert),
        delete_color=_rgb(delete),
        bar_color=bar,
    )


def _pieces(spans: Iterable[Span], *, bold: bool = False) -> list[_Piece]:
    """Return the words, spaces and tabs of ``spans`` (whitespace runs become one space)."""
    pieces: list[_Piece] = []
    for span in spans:
        for token in re.findall(r"\t|[^\S\t]+|[^\s]+", span.text):
            kind = TAB if token == TAB else SPACE if token.isspace() else "word"
            if kind == SPACE and pieces and pieces[-1].kind == SPACE:
                continue
            pieces.append(_Piece(" " if kind == SPACE else token, span.op, bold, kind))
    return pieces


def _heading_spans(block: MarkupBlock) -> list[Span]:
    """Return a heading line's spans with a tab between its number and its title."""
    spans = [Span(span.text, span.op) for span in block.spans]
    if spans:
        spans[0].text = re.sub(r"^(\s*[0-9][0-9A-Z.]*) +", "\\1\t", spans[0].text, count=1)
    return spans


@dataclass
class _Canvas:
    """Drawing operations, recorded while laying out, replayed once the height is known."""

    ops: list[Callable[[ImageDraw.ImageDraw], None]] = field(default_factory=list)
    bottom: int = 0

    def text(self, look: _Look, xy: tuple[float, float], piece: _Piece, text: str) -> None:
        font, fill = look.font(piece), look.color(piece.op)
        self.ops.append(lambda d: d.text(xy, text, font=font, fill=fill, anchor="ls"))

    def line(self, box: tuple[float, float, float, float], fill, width: int) -> None:
        self.ops.append(lambda d: d.line(box, fill=fill, width=width))
        self.bottom = max(self.bottom, round(box[3]))

    def rect(self, box: tuple[float, float, float, float], fill) -> None:
        self.ops.append(lambda d: d.rectangle(box, fill=fill))
        self.bottom = max(self.bottom, round(box[3]))


def _wrap(
    look: _Look, pieces: list[_Piece], left: float, hang: float, right: float, tabs: list[float]
) -> list[list[_Piece]]:
    """Lay ``pieces`` out in lines from ``left`` (the first line) or ``hang`` (the others) to
    ``right``, breaking at spaces; a tab goes to the next of ``tabs`` or of the half-inch stops.
    Set each piece's x and width; return the lines."""
    lines: list[list[_Piece]] = [[]]
    x = left
    index = 0
    while index < len(pieces):
        word = [pieces[index]]  # a word: the pieces up to the next space or tab
        if word[0].kind == "word":
            while index + len(word) < len(pieces) and pieces[index + len(word)].kind == "word":
                word.append(pieces[index + len(word)])
        widths = [look.measure(piece) for piece in word]
        if word[0].kind == TAB:
            stops = [stop for stop in tabs if stop > x + 1]  # set stops first, then defaults
            stops = stops or [
                left + look.inch(0.5) * n for n in range(1, 40) if left + look.inch(0.5) * n > x + 1
            ]
            widths = [stops[0] - x]
        if word[0].kind == "word" and x + sum(widths) > right and lines[-1]:
            lines.append([])
            x = hang
        for piece, width in zip(word, widths, strict=True):
            piece.x, piece.width = x, width
            x += width
            lines[-1].append(piece)
        index += len(word)
    return lines


def _draw_line(look: _Look, canvas: _Canvas, line: list[_Piece], top: int) -> bool:
    """Draw one laid-out line whose top is ``top``; return whether it shows a change."""
    baseline = top + round(look.line * 0.78)
    marks = look.rendering.marks
    for piece in line:
        if piece.kind == "word":
            canvas.text(look, (piece.x, baseline), piece, piece.text)
        elif marks and piece.kind in (SPACE, TAB, MARK):
            glyph = {SPACE: "·", TAB: "→"}.get(piece.kind, piece.text)
            glyph_width = look.fonts.marks.getlength(glyph)
            x = piece.x if piece.kind == MARK else piece.x + (piece.width - glyph_width) / 2
            canvas.text(look, (x, baseline), piece, glyph)
        if piece.op is not Op.KEEP and piece.kind != MARK:
            y = baseline + max(1, round(look.px * 0.12)) if piece.op is Op.INSERT else None
            y = baseline - round(look.px * 0.3) if y is None else y
            box = (piece.x, y, piece.x + piece.width, y)
            canvas.line(box, look.color(piece.op), look.stroke)
    canvas.bottom = max(canvas.bottom, top + look.line)
    return any(piece.op is not Op.KEEP for piece in line)


def _bar(look: _Look, canvas: _Canvas, top: int, bottom: int) -> None:
    """Draw a change bar in the left margin beside ``top``..``bottom`` (tracked style only)."""
    if look.rendering.style is Style.TRACKED:
        x = look.margin - look.inch(0.2)
        canvas.rect((x, top, x + max(1, look.stroke) - 1, bottom - 1), look.bar_color)


def _text_block(look: _Look, canvas: _Canvas, block: MarkupBlock, top: int) -> int:
    """Draw a paragraph, heading line or list item from ``top``; return the next block's top."""
    left, right = look.margin, look.margin + look.width
    hang, tabs, bold = left, [], False
    spans = block.spans
    label: list[_Piece] = []
    if block.kind is MarkupKind.HEADING:
        spans, bold, tabs = _heading_spans(block), True, [left + look.inch(0.9)]
        if look.rendering.marks:  # Word's "keep with next" mark: a small square in the margin
            side = max(2, round(look.px * 0.28))
            x, y = left - look.inch(0.1) - side, top + round(look.line * 0.62) - side
            canvas.rect((x, y, x + side - 1, y + side - 1), BLACK)
    elif block.kind is MarkupKind.LIST_ITEM:
        left += look.inch(0.25 + 0.5 * block.level)
        hang = left + look.inch(0.5)
        tabs = [hang]
        label = _pieces([Span(block.label, block.op), Span(TAB, block.op)])
    pieces = label + _pieces(spans, bold=bold)
    pieces.append(_Piece("¶", block.op, bold, MARK))
    for number, line in enumerate(_wrap(look, pieces, left, hang, right, tabs)):
        line_top = top + number * look.line
        if _draw_line(look, canvas, line, line_top):
            _bar(look, canvas, line_top, line_top + look.line)
    return canvas.bottom + round(look.line * 0.45)


def column_shares(rows: Sequence[MarkupBlock]) -> list[float]:
    """Return each column's share of a table's width, by the length of its longest text (and
    of its longest word, so that a word fits)."""
    columns = max(len(row.cells) for row in rows)
    lengths = [
        max(len(" ".join(s.text for s in row.cells[c])) for row in rows if c < len(row.cells))
        for c in range(columns)
    ]
    words = [
        max(
            (
                len(w)
                for row in rows
                if c < len(row.cells)
                for s in row.cells[c]
                for w in s.text.split()
            ),
            default=0,
        )
        for c in range(columns)
    ]
    weights = [max(4, length, 2 * word) ** 0.7 for length, word in zip(lengths, words, strict=True)]
    return [weight / sum(weights) for weight in weights]


def _column_widths(look: _Look, rows: list[MarkupBlock]) -> list[int]:
    total = look.width - look.inch(0.1)
    return [round(total * share) for share in column_shares(rows)]


def _table(look: _Look, canvas: _Canvas, rows: list[MarkupBlock], top: int) -> int:
    """Draw table rows as a grid with their cells' text; return the next block's top."""
    widths = _column_widths(look, rows)
    pad = look.inch(0.08)
    grid = max(1, look.stroke)
    left = look.margin
    edges = [left + sum(widths[:c]) for c in range(len(widths) + 1)]
    for row in rows:
        row_top, row_bottom, changed = top, top + look.line + 2 * pad, False
        for c, cell in enumerate(row.cells):
            x0, x1 = edges[c] + pad, (edges[c + 1] if c + 1 < len(row.cells) else edges[-1]) - pad
            pieces = [*_pieces(cell), _Piece("¤", Op.KEEP, False, MARK)]
            for number, line in enumerate(_wrap(look, pieces, x0, x0, x1, [])):
                line_top = top + pad + number * look.line
                changed |= _draw_line(look, canvas, line, line_top)
                row_bottom = max(row_bottom, line_top + look.line + pad)
        if look.rendering.marks:  # Word's end-of-row mark, right of the grid
            end = _Piece("¤", Op.KEEP, False, MARK, edges[-1] + pad)
            _draw_line(look, canvas, [end], top + pad)
        for x in [*edges[: len(row.cells)], edges[-1]]:
            canvas.line((x, row_top, x, row_bottom), BLACK, grid)
        canvas.line((left, row_top, edges[-1], row_top), BLACK, grid)
        canvas.line((left, row_bottom, edges[-1], row_bottom), BLACK, grid)
        if changed:
            _bar(look, canvas, row_top, row_bottom)
        top = row_bottom
    return top + round(look.line * 0.6)


def render_pillow(blocks: Sequence[MarkupBlock], rendering: Rendering, seed: str) -> bytes:
    """Return a Word-like screenshot of ``blocks`` drawn as ``rendering`` says (JPEG at 96 dpi
    and below, else PNG); ``seed`` chooses the font, width, colours and JPEG quality."""
    look = _look(rendering, seed)
    canvas = _Canvas()
    top = look.inch(0.12)
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if block.kind is MarkupKind.TABLE_ROW:
            end = index
            while end < len(blocks) and blocks[end].kind is MarkupKind.TABLE_ROW:
                end += 1
            top = _table(look, canvas, list(blocks[index:end]), top)
            index = end
        else:
            top = _text_block(look, canvas, block, top)
            index += 1
    size = (look.margin + look.width + look.inch(0.3), canvas.bottom + look.inch(0.15))
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    for op in canvas.ops:
        op(draw)
    return _encode(image, rendering, _rng("quality", seed).randint(60, 85))


def _encode(image: Image.Image, rendering: Rendering, quality: int) -> bytes:
    out = io.BytesIO()
    dpi = (rendering.dpi, rendering.dpi)
    if rendering.ext == "jpeg":
        image.convert("RGB").save(out, "JPEG", quality=quality, dpi=dpi)
    else:
        image.save(out, "PNG", dpi=dpi)
    return out.getvalue()


# --- LibreOffice: real tracked changes, rendered -------------------------------------------

_CT_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_IMAGES = {
    "png": "image/png",
    "jpeg": "image/jpeg",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "bmp": "image/bmp",
    "tiff": "image/tiff",
    "emf": "image/x-emf",
    "wmf": "image/x-wmf",
}
#: A4 with one-inch margins: the text is 9026 twips wide.
_CT_UNKNOWN = "application/octet-stream"
_SECTION = (
    '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" '
    'w:bottom="1440" w:left="1440" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>'
)
_TEXT_TWIPS = 9026


def _styles_xml(font: str) -> str:
    fonts = f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}"/>'
    return (
        f'{XML_DECL}<w:styles xmlns:w="{NS_W}"><w:docDefaults><w:rPrDefault><w:rPr>{fonts}'
        '<w:sz w:val="22"/><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>'
        '<w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
        '</w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal">'
        '<w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Heading4">'
        '<w:name w:val="heading 4"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/>'
        '<w:tabs><w:tab w:val="left" w:pos="1296"/></w:tabs><w:outlineLvl w:val="3"/></w:pPr>'
        "<w:rPr><w:b/></w:rPr></w:style></w:styles>"
    )


def _settings_xml() -> str:
    return (
        f'{XML_DECL}<w:settings xmlns:w="{NS_W}"><w:trackRevisions/>'
        '<w:defaultTabStop w:val="720"/></w:settings>'
    )


def _rels_xml(rels: Sequence[tuple[str, str, str]]) -> str:
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{g}"/>' for i, t, g in rels)
    return f'{XML_DECL}<Relationships xmlns="{_PKG_REL}">{body}</Relationships>'


def _content_types_xml(overrides: Sequence[tuple[str, str]], images: Iterable[str] = ()) -> str:
    defaults = "".join(
        f'<Default Extension="{ext}" ContentType="{_CT_IMAGES.get(ext, _CT_UNKNOWN)}"/>'
        for ext in sorted(set(images))
    )
    body = "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
    return (
        f'{XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        f'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>{defaults}'
        f"{body}</Types>"
    )


def _package(
    path_or_buffer,
    document: str,
    *,
    font: str,
    media: dict[str, bytes] | None = None,
    numbering: str = "",
) -> None:
    """Write a .docx: ``document`` (the whole document.xml), styles in ``font``, settings,
    optional numbering and ``media`` (word/media/NAME -> bytes, related as rIdImgN in order)."""
    media = media or {}
    rels = [
        ("rId1", f"{_REL}/styles", "styles.xml"),
        ("rId2", f"{_REL}/settings", "settings.xml"),
    ]
    overrides = [
        ("/word/document.xml", f"{_CT_WML}.document.main+xml"),
        ("/word/styles.xml", f"{_CT_WML}.styles+xml"),
        ("/word/settings.xml", f"{_CT_WML}.settings+xml"),
    ]
    if numbering:
        rels.append(("rId3", f"{_REL}/numbering", "numbering.xml"))
        overrides.append(("/word/numbering.xml", f"{_CT_WML}.numbering+xml"))
    rels += [(f"rIdImg{n}", f"{_REL}/image", f"media/{name}") for n, name in enumerate(media, 1)]
    parts = {
        "[Content_Types].xml": _content_types_xml(
            overrides, (name.rsplit(".", 1)[-1].lower() for name in media)
        ),
        "_rels/.rels": _rels_xml([("rId1", f"{_REL}/officeDocument", "word/document.xml")]),
        "word/document.xml": document,
        "word/_rels/document.xml.rels": _rels_xml(rels),
        "word/styles.xml": _styles_xml(font),
        "word/settings.xml": _settings_xml(),
    }
    if numbering:
        parts["word/numbering.xml"] = numbering
    with zipfile.ZipFile(path_or_buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(member(name), data)
        for name, data in media.items():
            archive.writestr(member(f"word/media/{name}"), data)


class _Revisions:
    """Hands out ``w:ins``/``w:del`` attributes: an id, the author and the date."""

    def __init__(self, author: str, date: str):
        self.author, self.date, self.next_id = author, date, 1

    def attrs(self) -> str:
        ident, self.next_id = self.next_id, self.next_id + 1
        return f' w:id="{ident}" w:author="{attr(self.author)}" w:date="{self.date}"'


def _runs(
    spans: Iterable[Span], style: Style, revisions: _Revisions, colors: tuple[str, str]
) -> str:
    """Return the runs of ``spans``: tracked changes, or formatting in ``colors``; a tab in the
    text becomes ``w:tab``."""
    xml = []
    for span in spans:
        parts = re.split(r"(\t)", span.text)
        deleted = style is Style.TRACKED and span.op is Op.DELETE
        tag = "w:delText" if deleted else "w:t"
        inner = "".join(
            "<w:tab/>" if part == TAB else f'<{tag} xml:space="preserve">{text(part)}</{tag}>'
            for part in parts
            if part
        )
        props = ""
        if style is Style.FORMATTING and span.op is Op.INSERT:
            props = f'<w:rPr><w:color w:val="{colors[0]}"/><w:u w:val="single"/></w:rPr>'
        elif style is Style.FORMATTING and span.op is Op.DELETE:
            props = f'<w:rPr><w:strike/><w:color w:val="{colors[1]}"/></w:rPr>'
        run = f"<w:r>{props}{inner}</w:r>"
        if style is Style.TRACKED and span.op is not Op.KEEP:
            wrapper = "w:ins" if span.op is Op.INSERT else "w:del"
            run = f"<{wrapper}{revisions.attrs()}>{run}</{wrapper}>"
        xml.append(run)
    return "".join(xml)


def _mark(op: Op, style: Style, revisions: _Revisions) -> str:
    """Return the ``w:rPr`` of a paragraph mark (a wholly inserted or deleted paragraph's mark
    is itself inserted or deleted, when tracked)."""
    if style is not Style.TRACKED or op is Op.KEEP:
        return ""
    tag = "w:ins" if op is Op.INSERT else "w:del"
    return f"<w:rPr><{tag}{revisions.attrs()}/></w:rPr>"


def _docx_paragraph(block: MarkupBlock, style: Style, rev: _Revisions, colors) -> str:
    props, spans = "", list(block.spans)
    if block.kind is MarkupKind.HEADING:
        props, spans = '<w:pStyle w:val="Heading4"/>', _heading_spans(block)
    elif block.kind is MarkupKind.LIST_ITEM:
        left = 720 + 720 * block.level
        props = (
            f'<w:tabs><w:tab w:val="left" w:pos="{left}"/></w:tabs>'
            f'<w:ind w:left="{left}" w:hanging="720"/>'
        )
        spans = [Span(block.label, block.op), Span(TAB, block.op), *spans]
    runs = _runs(spans, style, rev, colors)
    return f"<w:p><w:pPr>{props}{_mark(block.op, style, rev)}</w:pPr>{runs}</w:p>"


def _docx_table(rows: list[MarkupBlock], style: Style, rev: _Revisions, colors) -> str:
    widths = [round(_TEXT_TWIPS * share) for share in column_shares(rows)]
    border = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    xml = [
        f'<w:tbl><w:tblPr><w:tblW w:w="{_TEXT_TWIPS}" w:type="dxa"/><w:tblBorders>{border}'
        "</w:tblBorders></w:tblPr><w:tblGrid>",
        *(f'<w:gridCol w:w="{width}"/>' for width in widths),
        "</w:tblGrid>",
    ]
    for row in rows:
        row_mark = ""
        if style is Style.TRACKED and row.op is not Op.KEEP:
            tag = "w:ins" if row.op is Op.INSERT else "w:del"
            row_mark = f"<w:trPr><{tag}{rev.attrs()}/></w:trPr>"
        cells = "".join(
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr><w:p><w:pPr>'
            f'<w:spacing w:after="0"/>{_mark(row.op, style, rev)}</w:pPr>'
            f"{_runs(cell, style, rev, colors)}</w:p></w:tc>"
            for cell, width in zip(row.cells, widths, strict=False)
        )
        xml.append(f"<w:tr>{row_mark}{cells}</w:tr>")
    return "".join(xml) + "</w:tbl>"


def excerpt_docx(
    blocks: Sequence[MarkupBlock],
    style: Style = Style.TRACKED,
    *,
    author: str = "BEIS",
    date: str = "2019-07-11T00:00:00Z",
    font: str = "Liberation Sans",
    colors: tuple[str, str] = ("0000FF", "FF0000"),
) -> bytes:
    """Return a .docx showing ``blocks``: as Word tracked changes by ``author`` on ``date``, or
    as formatting in ``colors`` (insert, delete). Headings are bold with a tab after the
    number; list items carry their label as text, with a hanging indent."""
    rev = _Revisions(author, date)
    body: list[str] = []
    index = 0
    while index < len(blocks):
        if blocks[index].kind is MarkupKind.TABLE_ROW:
            end = index
            while end < len(blocks) and blocks[end].kind is MarkupKind.TABLE_ROW:
                end += 1
            body.append(_docx_table(list(blocks[index:end]), style, rev, colors))
            index = end
        else:
            body.append(_docx_paragraph(blocks[index], style, rev, colors))
            index += 1
    document = (
        f'{XML_DECL}<w:document xmlns:w="{NS_W}" xmlns:r="{NS_R}"><w:body>{"".join(body)}'
        f"<w:p/>{_SECTION}</w:body></w:document>"
    )
    out = io.BytesIO()
    _package(out, document, font=font)
    return out.getvalue()


def has_libreoffice() -> bool:
    """Return whether ``soffice`` and ``pdftoppm`` are on the PATH."""
    return bool(shutil.which("soffice") and shutil.which("pdftoppm"))


def _write_atomic(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def libreoffice_pdfs(documents: Sequence[bytes], cache: Path, timeout: int = 600) -> list[Path]:
    """Return the PDFs LibreOffice makes of the .docx ``documents``, cached in ``cache`` by
    content hash; those not cached yet are converted in one ``soffice`` run with a private
    profile (so parallel runs do not clash)."""
    cache.mkdir(parents=True, exist_ok=True)
    keys = [hashlib.sha256(document).hexdigest()[:24] for document in documents]
    missing = {
        key: doc
        for key, doc in zip(keys, documents, strict=True)
        if not (cache / f"{key}.pdf").exists()
    }
    if missing:
        with tempfile.TemporaryDirectory(prefix="lo-") as scratch:
            work = Path(scratch)
            inputs = []
            for key, document in missing.items():
                inputs.append(work / f"{key}.docx")
                inputs[-1].write_bytes(document)
            profile = (work / "profile").as_uri()
            result = subprocess.run(
                [
                    "soffice",
                    f"-env:UserInstallation={profile}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(work / "pdf"),
                    *map(str, inputs),
                ],
                capture_output=True,
                timeout=timeout,
                check=False,
            )
            for key in missing:
                pdf = work / "pdf" / f"{key}.pdf"
                if not pdf.exists():
                    said = result.stderr.decode(errors="replace")[-500:]
                    raise RuntimeError(f"soffice made no PDF of {key}.docx: {said}")
                _write_atomic(cache / f"{key}.pdf", pdf.read_bytes())
    return [cache / f"{key}.pdf" for key in keys]


def _crop(image: Image.Image, pad: int) -> Image.Image:
    """Return ``image`` cropped to what is not white, with ``pad`` pixels around it."""
    gray = np.asarray(image.convert("L"))
    rows = np.flatnonzero((gray < 245).any(axis=1))
    cols = np.flatnonzero((gray < 245).any(axis=0))
    if not len(rows):
        return image
    box = (
        max(0, int(cols[0]) - pad),
        max(0, int(rows[0]) - pad),
        min(image.width, int(cols[-1]) + 1 + pad),
        min(image.height, int(rows[-1]) + 1 + pad),
    )
    return image.crop(box)


def render_libreoffice(
    blocks: Sequence[MarkupBlock], rendering: Rendering, seed: str, cache: Path
) -> bytes:
    """Return ``blocks`` as LibreOffice prints them (a .docx with tracked changes or
    formatting, converted to PDF, rasterised at the rendering's dpi and cropped to the text);
    ``seed`` chooses the author, font and JPEG quality. The raster is cached in ``cache``."""
    author, font = _libreoffice_choices(seed)
    docx = excerpt_docx(blocks, rendering.style, author=author, font=font, colors=rendering.colors)
    (pdf,) = libreoffice_pdfs([docx], cache)
    png = cache / f"{pdf.stem}-{rendering.dpi}.png"
    if not png.exists():
        with tempfile.TemporaryDirectory(prefix="pdftoppm-") as scratch:
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    str(rendering.dpi),
                    "-png",
                    "-singlefile",
                    str(pdf),
                    str(Path(scratch) / "page"),
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )
            page = Image.open(Path(scratch) / "page.png")
            out = io.BytesIO()
            _crop(page.convert("RGB"), round(rendering.dpi * 0.15)).save(out, "PNG")
        _write_atomic(png, out.getvalue())
    image = Image.open(png)
    image.load()
    return _encode(image, rendering, _rng("quality", seed).randint(60, 85))


def _libreoffice_choices(seed: str) -> tuple[str, str]:
    """Return the author and font a LibreOffice rendering seeded with ``seed`` uses."""
    rng = _rng("libreoffice", seed)
    author = rng.choice(("BEIS", "DESNZ", "SECAS", "TABASC", "DCC"))
    return author, rng.choice(("Liberation Sans", "Liberation Serif", "DejaVu Sans"))


# --- a Word IRP whose mark-ups are pictures --------------------------------------------------


@dataclass(frozen=True)
class PictureChange:
    """One instruction of an IRP whose mark-up is a picture (``data`` in format ``ext``)."""

    instruction: str
    data: bytes
    ext: str = "png"
    run_on_before: bool = False
    run_on_after: bool = True


#: The metadata table of the IRP :func:`irp_with_pictures` writes (IRP603's, renumbered).
IRP_METADATA = (
    ("Date", "11 July 2019"),
    ("Issue Resolution Proposal", "IRP9603"),
    ("Issues Log ID", "TS1104"),
    ("Issue Title", "Security Log display over HAN (mark-ups as pictures)"),
    ("Source", "DCC"),
    ("Date Raised", "3 April 2019"),
    ("Status", "Draft 0_1"),
    ("Documentation Reference", "SMETS v4.2, CHTS v1.3"),
)
IRP_CLOSING = (
    ("TS version for incorporation", "TBC"),
    ("Impact on previous IRPs", "None"),
    ("Attachment(s)", "None"),
)
_EMU_PER_INCH = 914400
_NS_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_NS_PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
#: The instructions are items of a decimal list (numId 1), as Word numbers them.
_IRP_NUMBERING = (
    f'{XML_DECL}<w:numbering xmlns:w="{NS_W}"><w:abstractNum w:abstractNumId="0"><w:lvl '
    'w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/>'
    '<w:pPr><w:ind w:left="360" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>'
)


def _picture_size(data: bytes) -> tuple[int, int]:
    """Return the size a picture is shown at, in EMU: its pixels at its dpi (96 when it says
    none), scaled down to the text width; a fixed size for bytes that are no readable image."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            dpi = float(image.info.get("dpi", (96, 96))[0]) or 96.0
    except Exception:  # a hostile picture: Word shows a placeholder of some size
        return 5 * _EMU_PER_INCH, _EMU_PER_INCH
    cx, cy = width / dpi * _EMU_PER_INCH, height / dpi * _EMU_PER_INCH
    scale = min(1.0, _TEXT_TWIPS / 1440 * _EMU_PER_INCH / max(cx, 1))
    return max(1, round(cx * scale)), max(1, round(cy * scale))


def _drawing(number: int, data: bytes, name: str) -> str:
    """Return a run holding an inline picture related as rIdImg{number}."""
    cx, cy = _picture_size(data)
    return (
        f'<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{number}" name="Picture {number}"/>'
        f'<a:graphic xmlns:a="{_NS_A}"><a:graphicData uri="{_NS_PIC}"><pic:pic xmlns:pic='
        f'"{_NS_PIC}"><pic:nvPicPr><pic:cNvPr id="{number}" name="{attr(name)}"/><pic:cNvPicPr/>'
        f'</pic:nvPicPr><pic:blipFill><a:blip r:embed="rIdImg{number}"/><a:stretch>'
        '<a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/>'
        f'<a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
        "</a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline>"
        "</w:drawing></w:r>"
    )


def _plain(value: str, props: str = "") -> str:
    p_pr = f"<w:pPr>{props}</w:pPr>" if props else ""
    run = f'<w:r><w:t xml:space="preserve">{text(value)}</w:t></w:r>' if value else ""
    return f"<w:p>{p_pr}{run}</w:p>"


def _label_table(rows: Sequence[tuple[str, str]]) -> str:
    border = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    cells = "".join(
        f"<w:tr><w:tc>{_plain(label)}</w:tc><w:tc>{_plain(value)}</w:tc></w:tr>"
        for label, value in rows
    )
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{_TEXT_TWIPS}" w:type="dxa"/><w:tblBorders>{border}'
        f'</w:tblBorders></w:tblPr><w:tblGrid><w:gridCol w:w="3000"/><w:gridCol w:w="6026"/>'
        f"</w:tblGrid>{cells}</w:tbl>"
    )


def irp_with_pictures(
    path: Path, changes: Sequence[PictureChange | tuple[str, bytes, str]]
) -> Path:
    """Write at ``path`` a Word IRP like IRP603 whose mark-ups are pictures, and return it.

    Each change is a numbered instruction, "<…run on from existing text>" when it runs on
    before, an inline picture (``w:drawing``, ``a:blip r:embed`` related to
    ``word/media/imageN.EXT`` with its content type) and "<run on as is…>" when it runs on
    after. A change may be given as (instruction, bytes, ext): it then runs on after only.
    """
    body = [
        _plain("Technical Specification Issue Resolution Proposal", '<w:jc w:val="center"/>'),
        _label_table(IRP_METADATA),
        _plain(
            "Description: Should the Security Log be made available for display by the PPMID/IHD?"
        ),
        _plain("Proposed Position: The mark-ups below are pictures of the marked-up text."),
        _plain("Required Changes to Documentation:"),
    ]
    media: dict[str, bytes] = {}
    for number, given in enumerate(changes, 1):
        change = given if isinstance(given, PictureChange) else PictureChange(*given)
        ext = change.ext.lower().lstrip(".")
        name = f"image{number}.{ext}"
        media[name] = change.data
        numbered = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'
        body.append(_plain(change.instruction, numbered))
        if change.run_on_before:
            body.append(_plain("<…run on from existing text>"))
        body.append(f"<w:p>{_drawing(number, change.data, name)}</w:p>")
        if change.run_on_after:
            body.append(_plain("<run on as is…>"))
        body.append(_plain(""))
    body.append(_label_table(IRP_CLOSING))
    namespaces = f'xmlns:w="{NS_W}" xmlns:r="{NS_R}" xmlns:wp="{_NS_WP}"'
    document = (
        f"{XML_DECL}<w:document {namespaces}><w:body>{''.join(body)}{_SECTION}</w:body>"
        "</w:document>"
    )
    _package(path, document, font="Liberation Sans", media=media, numbering=_IRP_NUMBERING)
    return path


# --- the corpus ------------------------------------------------------------------------------


class Expect(StrEnum):
    """What a correct picture reader makes of a case."""

    MARKUP = "markup"  # reads the blocks shown; they reconcile with the target clause
    NO_TARGET = "no_target"  # reads the blocks shown, but the target clause does not exist
    NOT_MARKUP = "not_markup"  # a picture, but of no mark-up (no text, or no marks)
    UNREADABLE = "unreadable"  # no picture a reader can decode (or one it must not decode)


@dataclass
class Excerpt:
    """A change whose mark-up a picture shows: its instruction, target and blocks."""

    name: str
    instruction: str
    target: Target
    blocks: list[MarkupBlock]
    action: Action = Action.AMEND
    term: str | None = None
    run_on_before: bool = False
    run_on_after: bool = True
    expect: Expect = Expect.MARKUP

    def change(self, number: int = 1) -> Change:
        """Return the change as a reader that read the picture exactly would give it."""
        markup = [
            MarkupBlock(
                b.kind,
                normalize_spans(b.spans),
                [normalize_spans(cell) for cell in b.cells],
                b.label,
                b.level,
            )
            for b in self.blocks
        ]
        return Change(
            number,
            self.instruction,
            self.target,
            self.action,
            self.term,
            self.run_on_before,
            self.run_on_after,
            markup,
        )


@dataclass
class Case:
    """One picture of the corpus: an excerpt drawn by a rendering, or a hostile picture."""

    name: str
    excerpt: Excerpt
    rendering: Rendering | None = None
    hostile: Callable[[Path | None], tuple[bytes, str]] | None = None

    @property
    def expect(self) -> Expect:
        return self.excerpt.expect

    def picture(self, cache: Path | None = None) -> Picture:
        """Return the picture; LibreOffice renders are cached in ``cache`` (default
        ``benchmarks/out/picture-cache``)."""
        if self.hostile is not None:
            data, ext = self.hostile(cache)
            return Picture(data, ext, self.excerpt.blocks)
        assert self.rendering is not None
        if self.rendering.renderer is Renderer.LIBREOFFICE:
            cache = cache or Path(__file__).resolve().parent / "out" / "picture-cache"
            data = render_libreoffice(self.excerpt.blocks, self.rendering, self.name, cache)
        else:
            data = render_pillow(self.excerpt.blocks, self.rendering, self.name)
        return Picture(data, self.rendering.ext, self.excerpt.blocks)


def _k(value: str) -> Span:
    return Span(value, Op.KEEP)


def _i(value: str) -> Span:
    return Span(value, Op.INSERT)


def _d(value: str) -> Span:
    return Span(value, Op.DELETE)


def _para(*spans: Span) -> MarkupBlock:
    return MarkupBlock(MarkupKind.PARAGRAPH, list(spans))


def _heading(*spans: Span) -> MarkupBlock:
    return MarkupBlock(MarkupKind.HEADING, list(spans))


def _item(label: str, *spans: Span, level: int = 0) -> MarkupBlock:
    return MarkupBlock(MarkupKind.LIST_ITEM, list(spans), label=label, level=level)


def _row(*cells: Span | list[Span]) -> MarkupBlock:
    return MarkupBlock(
        MarkupKind.TABLE_ROW, cells=[c if isinstance(c, list) else [c] for c in cells]
    )


def _amend(document: str, clause: str) -> str:
    return f"At {document} {clause} amend the text as shown in the following mark-up:"


def irp603_excerpts() -> list[Excerpt]:
    """Return IRP603's six changes (``specs/irps/IRP603.rst``) as excerpts."""
    from spectrace.readers.rst.irp import read_rst_irp

    return [
        Excerpt(
            f"irp603-{change.number}",
            change.instruction,
            change.target,
            change.markup,
            change.action,
            change.term,
            change.run_on_before,
            change.run_on_after,
        )
        for change in read_rst_irp(IRP603).changes
        if change.target is not None
    ]


_SECURITY_LOG_TABLE_HEADER = _row(_k("Data item"), _k("Annotation"), _k("Description"))
_SECURITY_LOG_ENTRY = _row(
    _k("Security Log entry"), _k("[INFO]"), _k("UTC date-time and event code of a Sensitive Event")
)
_SECURITY_LOG_PARAGRAPH = (
    "A log capable of storing at least one hundred entries, each recording the date and time "
    "and the type of a Sensitive Event."
)


def more_excerpts() -> list[Excerpt]:
    """Return excerpts of the bundled SMETS 4.2 and CHTS 1.3 text beyond IRP603's changes."""
    smets, chts = "SMETS", "CHTS"
    return [
        Excerpt(
            "replace-words",
            _amend(smets, "4.4.1"),
            Target(smets, "4.4.1"),
            [
                _para(
                    _k("GSME shall be capable of keeping time within "),
                    _d("ten"),
                    _i("five"),
                    _k(" seconds of UTC."),
                )
            ],
        ),
        Excerpt(
            "delete-words",
            _amend(chts, "4.4.6.1"),
            Target(chts, "4.4.6.1"),
            [
                _para(
                    _k(
                        "A CH shall be designed taking all reasonable steps so as to ensure "
                        "that any failure or compromise of its integrity shall not compromise "
                        "the Security Credentials "
                    ),
                    _d("or Personal Data"),
                    _k(
                        " stored on it or compromise the integrity of any other Device to which it "
                        "is connected by means of a Communications Link."
                    ),
                )
            ],
            run_on_before=True,
        ),
        Excerpt(
            "delete-sentence",
            _amend(smets, "5.7.5.31"),
            Target(smets, "5.7.5.31"),
            [
                _para(
                    _k(_SECURITY_LOG_PARAGRAPH + " "),
                    _d(
                        "When the log is full, the oldest entry shall be overwritten by the newest."
                    ),
                )
            ],
            run_on_after=False,
        ),
        Excerpt(
            "delete-paragraph",
            _amend(chts, "4.4.6.1"),
            Target(chts, "4.4.6.1"),
            [
                _para(
                    _k(
                        "A CHF shall be capable of securely disabling Critical Commands other "
                        "than those Commands set out in Section 4.5.1 that are Critical Commands."
                    )
                ),
                _para(
                    _d(
                        "A GPF shall be capable of securely disabling Critical Commands other "
                        "than those Commands set out in Section 4.5.4 that are Critical Commands."
                    )
                ),
            ],
            run_on_before=True,
            run_on_after=False,
        ),
        Excerpt(
            "heading-renamed",
            _amend(smets, "4.4.3"),
            Target(smets, "4.4.3"),
            [
                _heading(_k("4.4.3 Data "), _d("storage"), _i("retention")),
                _para(
                    _k(
                        "GSME shall be capable of retaining all data held in its Non-Volatile "
                        "Memory on loss of power."
                    )
                ),
            ],
        ),
        Excerpt(
            "list-item-deleted",
            _amend(smets, "4.4.5"),
            Target(smets, "4.4.5"),
            [
                _para(
                    _k(
                        "GSME shall be capable of displaying the following information on its "
                        "User Interface:"
                    )
                ),
                _item("i.", _k("the Currency Units (4.6.4.9);"), _i(" and")),
                _item("ii.", _d("the Debt Recovery Rates (4.6.4.12); and")),
                _item("iii.", _k("the Meter Balance (4.6.5.11).")),
            ],
        ),
        Excerpt(
            "table-cell-edit",
            _amend(smets, "4.6.5.17"),
            Target(smets, "4.6.5.17"),
            [
                _SECURITY_LOG_ENTRY,
                _row(
                    _k("Security Log capacity"),
                    [],
                    [_k("At least "), _d("100"), _i("250"), _k(" entries")],
                ),
            ],
            run_on_before=True,
        ),
        Excerpt(
            "table-row-inserted",
            _amend(smets, "4.6.5.17"),
            Target(smets, "4.6.5.17"),
            [
                _SECURITY_LOG_TABLE_HEADER,
                _SECURITY_LOG_ENTRY,
                _row(
                    _i("Security Log overwrite count"),
                    _i("[INFO]"),
                    _i("Number of entries overwritten since the log was last read"),
                ),
            ],
            run_on_before=True,
        ),
        Excerpt(
            "glossary-amended",
            "At SMETS Section 6, Glossary, amend the definition of ‘Security Log’ as shown in "
            "the mark-up below:",
            Target(smets, None),
            [
                _row(
                    _k("Security Log"),
                    [
                        _k(
                            "A log of Sensitive Events held by a Device, as described in Sections "
                            "4.6.5.17 and 5.7.5.31"
                        ),
                        _i(", a copy of which the Gas Proxy Function keeps for GSME"),
                        _k("."),
                    ],
                )
            ],
            Action.AMEND_TERM,
            "Security Log",
        ),
        Excerpt(
            "missing-target",
            _amend(smets, "4.6.5.99"),
            Target(smets, "4.6.5.99"),
            [
                _para(
                    _k("GSME shall be capable of exporting the Security Log "),
                    _d("on request"),
                    _i("only"),
                    _k(" to the Gas Proxy Function."),
                )
            ],
            expect=Expect.NO_TARGET,
        ),
    ]


#: The renderings every excerpt is drawn in: the real IRP603's look first (a 96 dpi JPEG of
#: Word with tracked changes and formatting marks shown).
RENDERINGS = (
    Rendering(Renderer.PILLOW, Style.TRACKED, 96, marks=True),
    Rendering(Renderer.PILLOW, Style.TRACKED, 150),
    Rendering(Renderer.PILLOW, Style.FORMATTING, 96),
    Rendering(Renderer.PILLOW, Style.FORMATTING, 300, marks=True),
    Rendering(Renderer.PILLOW, Style.FORMATTING, 150, colors=("00B050", "C00000")),
    Rendering(Renderer.LIBREOFFICE, Style.TRACKED, 96),
    Rendering(Renderer.LIBREOFFICE, Style.TRACKED, 150),
    Rendering(Renderer.LIBREOFFICE, Style.TRACKED, 300),
    Rendering(Renderer.LIBREOFFICE, Style.FORMATTING, 150),
)


# --- hostile pictures ------------------------------------------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def huge_png(width: int = 100_000, height: int = 100_000) -> bytes:
    """Return a small, well-formed PNG whose header claims ``width`` x ``height`` RGB pixels
    (30 GB decoded); its one data chunk holds a few rows of nothing."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = zlib.compress(b"\0" * (3 * 64 + 1) * 4)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", data)
        + _png_chunk(b"IEND", b"")
    )


def blank_picture(width: int = 800, height: int = 240) -> bytes:
    """Return a white PNG: a screenshot of nothing."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, "PNG", dpi=(96, 96))
    return out.getvalue()


def noise_picture(seed: str, width: int = 640, height: int = 420) -> bytes:
    """Return a photo-like JPEG: smooth random colour fields with grain, seeded."""
    rng = np.random.default_rng(int(hashlib.sha256(seed.encode()).hexdigest()[:8], 16))
    coarse = rng.integers(0, 256, size=(12, 18, 3), dtype=np.uint8)
    image = Image.fromarray(coarse, "RGB").resize((width, height), Image.Resampling.BICUBIC)
    grain = rng.normal(0, 12, size=(height, width, 3))
    pixels = np.clip(np.asarray(image, dtype=np.float64) + grain, 0, 255).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(out, "JPEG", quality=80)
    return out.getvalue()


def _hostile_excerpt(name: str, expect: Expect, blocks: list[MarkupBlock] | None = None) -> Excerpt:
    return Excerpt(
        name,
        _amend("SMETS", "4.4.5"),
        Target("SMETS", "4.4.5"),
        blocks or [],
        run_on_before=True,
        expect=expect,
    )


def hostile_cases(excerpts: Sequence[Excerpt]) -> list[Case]:
    """Return the hostile pictures: each stands for the mark-up of change 1 of IRP603."""
    shown = excerpts[0]
    real = Case("irp603-1/pillow", shown, Rendering(Renderer.PILLOW, Style.FORMATTING, 150))
    plain = [
        _para(
            _k(
                "GSME shall be capable of displaying the following information on its User "
                "Interface:"
            )
        ),
        _item("i.", _k("the Currency Units (4.6.4.9);")),
        _item("ii.", _k("the Debt Recovery Rates (4.6.4.12); and")),
    ]
    text_rendering = Rendering(Renderer.PILLOW, Style.FORMATTING, 96, marks=True)

    def fixed(data: bytes, ext: str) -> Callable[[Path | None], tuple[bytes, str]]:
        return lambda cache: (data, ext)

    def truncated(cache: Path | None) -> tuple[bytes, str]:
        data = real.picture(cache).data
        return data[: len(data) * 3 // 5], "png"

    def misnamed(cache: Path | None) -> tuple[bytes, str]:
        return real.picture(cache).data, "jpeg"  # PNG bytes in a .jpeg part

    def plain_text(cache: Path | None) -> tuple[bytes, str]:
        return render_pillow(plain, text_rendering, "hostile/plain-text"), "jpeg"

    cases = [
        ("not-an-image", Expect.UNREADABLE, fixed(b"This is not a picture.\n" * 40, "png")),
        ("empty", Expect.UNREADABLE, fixed(b"", "png")),
        ("truncated-png", Expect.UNREADABLE, truncated),
        ("huge-header", Expect.UNREADABLE, fixed(huge_png(), "png")),
        ("one-pixel", Expect.NOT_MARKUP, fixed(blank_picture(1, 1), "png")),
        ("blank", Expect.NOT_MARKUP, fixed(blank_picture(), "png")),
        ("noise", Expect.NOT_MARKUP, fixed(noise_picture("hostile/noise"), "jpeg")),
        ("plain-text", Expect.NOT_MARKUP, plain_text),
    ]
    result = [
        Case(
            f"hostile/{name}",
            _hostile_excerpt(f"hostile-{name}", expect, plain if name == "plain-text" else None),
            hostile=make,
        )
        for name, expect, make in cases
    ]
    result.append(Case("hostile/misnamed", shown, hostile=misnamed))
    return result


def corpus(*, libreoffice: bool = True) -> list[Case]:
    """Return the named cases: every excerpt (IRP603's six changes, then the others) in every
    rendering of :data:`RENDERINGS` (without LibreOffice's when ``libreoffice`` is false), then
    the hostile pictures."""
    excerpts = [*irp603_excerpts(), *more_excerpts()]
    cases = [
        Case(f"{excerpt.name}/{rendering.name}", excerpt, rendering)
        for excerpt in excerpts
        for rendering in RENDERINGS
        if libreoffice or rendering.renderer is not Renderer.LIBREOFFICE
    ]
    return cases + hostile_cases(excerpts)


def prepare_libreoffice(cases: Iterable[Case], cache: Path) -> None:
    """Convert the .docx of every LibreOffice case not cached yet in one ``soffice`` run (one
    run per case otherwise: about five seconds each)."""
    documents = []
    for case in cases:
        rendering = case.rendering
        if rendering is not None and rendering.renderer is Renderer.LIBREOFFICE:
            author, font = _libreoffice_choices(case.name)
            documents.append(
                excerpt_docx(
                    case.excerpt.blocks,
                    rendering.style,
                    author=author,
                    font=font,
                    colors=rendering.colors,
                )
            )
    if documents:
        libreoffice_pdfs(documents, cache)


def irp_of_cases(path: Path, cases: Sequence[Case], cache: Path | None = None) -> Path:
    """Write a Word IRP whose changes are ``cases``' pictures, in order; return ``path``."""
    changes = []
    for case in cases:
        picture = case.picture(cache)
        changes.append(
            PictureChange(
                case.excerpt.instruction,
                picture.data,
                picture.ext,
                case.excerpt.run_on_before,
                case.excerpt.run_on_after,
            )
        )
    return irp_with_pictures(path, changes)


def _blocks_data(blocks: Sequence[MarkupBlock]) -> list[dict]:
    def spans(items: Sequence[Span]) -> list[list[str]]:
        return [[span.op.value, span.text] for span in items]

    return [
        {
            "kind": b.kind.value,
            "label": b.label,
            "level": b.level,
            "spans": spans(b.spans),
            "cells": [spans(cell) for cell in b.cells],
        }
        for b in blocks
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder to write the pictures to")
    parser.add_argument("--cache", type=Path, help="LibreOffice cache (default: OUT/.cache)")
    parser.add_argument("--only", default="", help="only the cases whose name holds this text")
    parser.add_argument("--no-libreoffice", action="store_true", help="Pillow renders only")
    parser.add_argument("--irp", action="store_true", help="also write OUT/IRP-pictures.docx")
    args = parser.parse_args(argv)
    use_lo = not args.no_libreoffice and has_libreoffice()
    cases = [case for case in corpus(libreoffice=use_lo) if args.only in case.name]
    cache = args.cache or args.out / ".cache"
    args.out.mkdir(parents=True, exist_ok=True)
    if use_lo:
        prepare_libreoffice(cases, cache)
    index = []
    for case in cases:
        picture = case.picture(cache)
        file = f"{case.name.replace('/', '__')}.{picture.ext}"
        (args.out / file).write_bytes(picture.data)
        excerpt = case.excerpt
        index.append(
            {
                "name": case.name,
                "file": file,
                "expect": case.expect.value,
                "target": str(excerpt.target),
                "instruction": excerpt.instruction,
                "rendering": case.rendering.name if case.rendering else None,
                "blocks": _blocks_data(picture.blocks),
            }
        )
    (args.out / "cases.json").write_text(json.dumps(index, indent=1, ensure_ascii=False), "utf-8")
    if args.irp:
        shown = [case for case in cases if case.rendering == RENDERINGS[0]]
        irp_of_cases(args.out / "IRP-pictures.docx", shown, cache)
    summary = {"cases": len(index), "out": str(args.out), "libreoffice": use_lo}
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
