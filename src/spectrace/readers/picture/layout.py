"""From classified words to mark-up blocks: lines, paragraphs, list items, a heading line, and
table rows when the picture is a grid."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from spectrace.model import MarkupBlock, MarkupKind, Op, Span
from spectrace.model.proposal import normalize_spans
from spectrace.model.refs import CLAUSE_NUMBER_PATTERN
from spectrace.readers.picture.pixels import Page
from spectrace.readers.picture.words import Word

#: A list label at the start of a line: "i.", "iv)", "(a)", "3.".
_LABEL = re.compile(r"^\(?(?:[ivxlc]{1,6}|[a-z]|\d{1,3})[.)]$")
#: What OCR makes of a pilcrow or a tab arrow standing alone.
_MARK = re.compile(r"^[\[\]{}()|¶q4T1l!»→—–\-~>]{1,3}$")
_HEADING = re.compile(rf"^{CLAUSE_NUMBER_PATTERN}[.:\-—→]*$")


@dataclass
class Line:
    words: list[Word] = field(default_factory=list)

    @property
    def top(self) -> int:
        return min(w.box[1] for w in self.words)

    @property
    def bottom(self) -> int:
        return max(w.box[3] for w in self.words)

    @property
    def left(self) -> int:
        return min(w.box[0] for w in self.words)

    @property
    def right(self) -> int:
        return max(w.box[2] for w in self.words)


def lines_of(words: list[Word]) -> list[Line]:
    """Return the words grouped in lines, top to bottom, each left to right."""
    by_line: dict[tuple[int, int, int], Line] = {}
    for word in words:
        by_line.setdefault(word.line, Line()).words.append(word)
    found = sorted(by_line.values(), key=lambda line: line.top)
    for line in found:
        line.words.sort(key=lambda word: word.box[0])
    return found


def blocks_of(page: Page, words: list[Word]) -> list[MarkupBlock]:
    """Return the mark-up blocks the words make."""
    if page.grid is not None:
        return _table(page, words)
    lines = lines_of(words)
    if not lines:
        return []
    heights = sorted(line.bottom - line.top for line in lines)
    typical = heights[len(heights) // 2]
    margin = min(line.left for line in lines)
    right = max(line.right for line in lines)
    gaps = sorted(b.top - a.bottom for a, b in itertools.pairwise(lines))
    spacing = gaps[len(gaps) // 4] if gaps else 0  # the gap between lines of one paragraph
    blocks: list[MarkupBlock] = []
    previous: Line | None = None
    ended = True  # the previous line ended its block (a pilcrow, short, or the start)
    for line in lines:
        words_in = _without_marks(line.words, page.marks > 0)
        if not words_in:
            continue
        first = words_in[0].text
        gap = line.top - previous.bottom if previous else 0
        starts = (
            ended
            or gap > spacing + 0.4 * typical
            or _LABEL.match(first) is not None
            or (not blocks or blocks[-1].kind is MarkupKind.HEADING)
        )
        if _HEADING.match(first) and len(words_in) > 1 and (starts or previous is None):
            blocks.append(_block(MarkupKind.HEADING, words_in))
        elif _LABEL.match(first) and len(words_in) > 1:
            label = first
            level = 1 if line.left - margin > 3 * typical else 0
            blocks.append(
                _block(MarkupKind.LIST_ITEM, words_in[1:], label=_label(label), level=level)
            )
        elif starts or not blocks:
            blocks.append(_block(MarkupKind.PARAGRAPH, words_in))
        else:
            blocks[-1].spans = normalize_spans([*blocks[-1].spans, Span(" "), *_spans(words_in)])
        pilcrow = page.marks > 0 and _MARK.match(line.words[-1].text) is not None
        short = line.right < right - 4 * typical  # a line that stops short ends its paragraph
        previous, ended = line, pilcrow or short
    return blocks


def _without_marks(words: list[Word], marks_shown: bool) -> list[Word]:
    """Return ``words`` without the stray characters formatting marks leave on their own."""
    kept = [w for w in words if not re.fullmatch(r"[|·]+", w.text)]
    if marks_shown:
        kept = [
            w
            for k, w in enumerate(kept)
            if not (_MARK.match(w.text) and (k == len(kept) - 1 or w.text in "→—–->»"))
        ]
    return kept


def _label(text: str) -> str:
    return text if text.endswith((".", ")")) else text + "."


def _spans(words: list[Word]) -> list[Span]:
    spans: list[Span] = []
    for word in words:
        if spans and spans[-1].op is word.op:
            spans[-1] = Span(f"{spans[-1].text} {word.text}", word.op)
        else:
            if spans:
                spans.append(Span(" "))
            spans.append(Span(word.text, word.op))
    return normalize_spans(spans)


def _block(kind: MarkupKind, words: list[Word], label: str = "", level: int = 0) -> MarkupBlock:
    return MarkupBlock(kind, _spans(words), label=label, level=level)


def _table(page: Page, words: list[Word]) -> list[MarkupBlock]:
    """Return one table row per row of the grid, its words put in their cells."""
    grid = page.grid
    assert grid is not None, "only a picture with a grid is read as a table"
    cells: dict[tuple[int, int], list[Word]] = {}
    for word in words:
        if re.fullmatch(r"[|·]+", word.text):
            continue
        where = grid.cell(*word.middle)
        if where is not None:
            cells.setdefault(where, []).append(word)
    rows = []
    for row in range(len(grid.rows) - 1):
        row_cells = []
        for column in range(len(grid.columns) - 1):
            found = sorted(cells.get((row, column), []), key=lambda w: (w.box[1] // 8, w.box[0]))
            row_cells.append(_spans(found))
        if any(row_cells):
            rows.append(MarkupBlock(MarkupKind.TABLE_ROW, cells=row_cells))
    return rows


def confidence(words: list[Word]) -> float:
    """Return how sure the reading is, 0–1: the words' mean OCR confidence, lowered by words
    whose colour said changed but no line said how."""
    if not words:
        return 0.0
    mean = sum(max(w.confidence, 0.0) for w in words) / len(words) / 100
    unsure = sum(not w.sure for w in words) / len(words)
    return round(mean * (1 - unsure), 2)


def has_marks(blocks: list[MarkupBlock]) -> bool:
    return any(span.op is not Op.KEEP for block in blocks for span in block.all_spans())
