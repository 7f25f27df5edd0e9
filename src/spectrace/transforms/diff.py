"""The one word diff: what the terminal redline, the change-marked HTML and the Word tracked
changes all mark.

Lines (:class:`~spectrace.model.revision.RevisionLine`) are compared as lists of words (split
at single spaces, as every block text is written); :func:`aligned_lines` matches the lines (a
changed line with the one it most resembles), and :func:`opcodes` says which runs of words of
two lines (or of any two sequences) are equal, deleted, inserted or replaced.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Sequence
from difflib import SequenceMatcher
from typing import Literal, TypeVar

from spectrace.model.marks import Mark
from spectrace.model.proposal import Op
from spectrace.model.revision import RevisionLine

#: A line is an edit of another when at least this share of their words match; else the one
#: is removed and the other added.
SIMILAR = 0.5

Opcode = tuple[Literal["replace", "delete", "insert", "equal"], int, int, int, int]
Item = TypeVar("Item", bound=Hashable)


def opcodes(before: Sequence[Item], after: Sequence[Item]) -> list[Opcode]:
    """Return how ``after`` differs from ``before`` item by item (words of a line, lines,
    sentences), as difflib's opcodes (``equal``, ``delete``, ``insert``, ``replace`` with the
    ranges of each side)."""
    return SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes()


def word_marks(before: list[str], after: list[str]) -> list[Mark]:
    """Return the words of ``before`` and ``after`` in reading order, each marked kept,
    deleted or inserted (a replaced run: its deleted words, then its inserted ones)."""
    marks: list[Mark] = []
    for tag, i1, i2, j1, j2 in opcodes(before, after):
        if tag == "equal":
            marks += [Mark(word) for word in before[i1:i2]]
            continue
        marks += [Mark(word, Op.DELETE) for word in before[i1:i2]]
        marks += [Mark(word, Op.INSERT) for word in after[j1:j2]]
    return marks


def aligned_lines(
    before: Sequence[RevisionLine], after: Sequence[RevisionLine]
) -> Iterator[tuple[int | None, int | None, bool]]:
    """Yield the lines of ``before`` and ``after`` in order as (index in before, index in
    after, unchanged): equal lines together, then in each changed stretch each line with the
    one it most resembles (:func:`pair_lines`), a removed line with no index in after, an
    added line with none in before."""
    for tag, i1, i2, j1, j2 in opcodes(before, after):
        if tag == "equal":
            yield from ((i, j, True) for i, j in zip(range(i1, i2), range(j1, j2), strict=True))
            continue
        for i, j in pair_lines(before[i1:i2], after[j1:j2]):
            yield (i1 + i if i is not None else None, j1 + j if j is not None else None, False)


def pair_lines(
    old: Sequence[RevisionLine], new: Sequence[RevisionLine]
) -> list[tuple[int | None, int | None]]:
    """Return the lines of a changed stretch in order, as (old index, new index) pairs: each old
    line paired with the new line it most resembles (an edited line), the rest alone (a removed
    line has no new index, an added line no old one)."""
    rows, cols = len(old), len(new)
    old_words, new_words = [_words(line) for line in old], [_words(line) for line in new]
    best = [[0.0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(cols - 1, -1, -1):
            similar = _similarity(old_words[i], new_words[j])
            paired = best[i + 1][j + 1] + similar if similar >= SIMILAR else -1.0
            best[i][j] = max(paired, best[i + 1][j], best[i][j + 1])
    pairs: list[tuple[int | None, int | None]] = []
    i = j = 0
    while i < rows or j < cols:
        if i < rows and j < cols:
            similar = _similarity(old_words[i], new_words[j])
            if similar >= SIMILAR and best[i][j] == best[i + 1][j + 1] + similar:
                pairs.append((i, j))
                i, j = i + 1, j + 1
                continue
        if i < rows and (j == cols or best[i][j] == best[i + 1][j]):
            pairs.append((i, None))
            i += 1
        else:
            pairs.append((None, j))
            j += 1
    return pairs


Word = tuple[str, ...]  # a word of a line, in parts when it runs across cells (see _words)


def _words(line: RevisionLine) -> list[Word]:
    """Return the words of ``line`` as lines are matched: each cell split at single spaces,
    with no break between cells, so the last word of a cell and the first of the next are one
    word (in two parts), a row of one-word cells is one word, and a line of no cells is one
    empty word. That is how lines were matched when a row was its cells joined by a tab, and
    which lines pair decides every redline, so it stays."""
    words: list[Word] = []
    for index, cell in enumerate(line.cells):
        first, *rest = cell.split(" ")
        if index:
            words[-1] += (first,)
        else:
            words.append((first,))
        words += [(word,) for word in rest]
    return words or [("",)]


def _similarity(a: list[Word], b: list[Word]) -> float:
    return SequenceMatcher(a=a, b=b, autojunk=False).ratio()
