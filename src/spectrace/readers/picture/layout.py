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
_MARK = re.compile(r"^(?:[{\[(]?[4q9]?[\]}|]{1,2}|[{\[]|q|¶|¤|[→»~]|[-—–]{1,2}>?)$")
#: What OCR makes of a tab arrow.
_ARROW = re.compile(r"^(?:[→»~]|[-—–]{1,2}>?)$")
#: A pilcrow glued to the end of a paragraph's last word: "ESME.4]", "provision{", "data).{]".
_PILCROW = re.compile(r"(?:\{\]?|[4q9]\]|\]{1,2}|¶|¤)$")
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
    last_words: list[Word] = []  # the words of the last block
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
            kind, label, level, last_words = MarkupKind.HEADING, "", 0, list(words_in)
        elif _LABEL.match(first) and len(words_in) > 1:
            level = 1 if line.left - margin > 3 * typical else 0
            kind, label, last_words = MarkupKind.LIST_ITEM, _label(first), list(words_in[1:])
        elif starts or not blocks:
            kind, label, level, last_words = MarkupKind.PARAGRAPH, "", 0, list(words_in)
        else:
            last_words += words_in
            blocks[-1].spans = _spans(last_words)
            kind = None
        if kind is not None:
            blocks.append(MarkupBlock(kind, _spans(last_words), label=label, level=level))
        pilcrow = page.marks > 0 and _MARK.match(line.words[-1].text) is not None
        short = line.right < right - 4 * typical  # a line that stops short ends its paragraph
        previous, ended = line, pilcrow or short
    return blocks


def _without_marks(words: list[Word], marks_shown: bool) -> list[Word]:
    """Return ``words`` without the stray characters formatting marks leave: a change bar
    read as ``|``; with marks shown, a tab arrow standing alone, and a pilcrow (or a cell's
    end mark) alone or glued to the end of the line's last word."""
    kept = [w for w in words if not re.fullmatch(r"[|·]+", w.text)]
    if not marks_shown:
        return kept
    kept = [
        w
        for k, w in enumerate(kept)
        if not (_MARK.match(w.text) and k == len(kept) - 1)
        and not (_ARROW.match(w.text) and k == 1)  # after a heading's number or a label
    ]
    if kept:
        last = kept[-1]
        text = _PILCROW.sub("", last.text)
        if text and text != last.text:
            kept[-1] = Word(text, last.box, last.confidence, last.line, last.op, last.sure)
    return kept


def _label(text: str) -> str:
    return text if text.endswith((".", ")")) else text + "."


def _spans(words: list[Word]) -> list[Span]:
    """Return the words as spans; the space between two runs is unchanged text, except
    between a deletion and an insertion (a replacement: the two stand side by side)."""
    spans: list[Span] = []
    for word in words:
        if spans and spans[-1].op is word.op:
            spans[-1] = Span(f"{spans[-1].text} {word.text}", word.op)
        else:
            if spans and Op.KEEP in (spans[-1].op, word.op):
                spans.append(Span(" "))
            spans.append(Span(word.text, word.op))
    return normalize_spans(spans)


def _table(page: Page, words: list[Word]) -> list[MarkupBlock]:
    """Return one table row per row of the grid, its words put in their cells."""
    grid = page.grid
    assert grid is not None, "only a picture with a grid is read as a table"
    cells: dict[tuple[int, int], list[Word]] = {}
    for word in words:
        if re.fullmatch(r"[|·]+", word.text) or (page.marks and _MARK.match(word.text)):
            continue
        where = grid.cell(*word.middle)
        if where is not None:
            cells.setdefault(where, []).append(word)
    rows = []
    for row in range(len(grid.rows) - 1):
        row_cells = []
        for column in range(len(grid.columns) - 1):
            row_cells.append(_spans(_reading_order(cells.get((row, column), []))))
        if any(row_cells):
            rows.append(MarkupBlock(MarkupKind.TABLE_ROW, cells=row_cells))
    return rows


def _reading_order(words: list[Word]) -> list[Word]:
    """Return a cell's words line by line, each line left to right: a word starts a new line
    when it stands lower than half a word's height below the line's first word."""
    if not words:
        return []
    heights = sorted(w.box[3] - w.box[1] for w in words)
    half = heights[len(heights) // 2] / 2
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: w.middle[1]):
        if lines and word.middle[1] - lines[-1][0].middle[1] <= half:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [word for line in lines for word in sorted(line, key=lambda w: w.box[0])]


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
