"""The one word diff: what the terminal redline, the change-marked HTML and the Word tracked
changes all mark.

Lines are compared as lists of words (split at single spaces, as every block text is written);
:func:`aligned_lines` matches the lines (a changed line with the one it most resembles),
and :func:`opcodes` says which runs of words of two lines (or of any two sequences) are
equal, deleted, inserted or replaced.
"""

from __future__ import annotations

from collections.abc import Iterator
from difflib import SequenceMatcher
from typing import Literal

from spectrace.model.marks import Mark
from spectrace.model.proposal import Op

#: A line is an edit of another when at least this share of their words match; else the one
#: is removed and the other added.
SIMILAR = 0.5

Opcode = tuple[Literal["replace", "delete", "insert", "equal"], int, int, int, int]


def opcodes(before: list[str], after: list[str]) -> list[Opcode]:
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
    before: list[str], after: list[str]
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


def pair_lines(old: list[str], new: list[str]) -> list[tuple[int | None, int | None]]:
    """Return the lines of a changed stretch in order, as (old index, new index) pairs: each old
    line paired with the new line it most resembles (an edited line), the rest alone (a removed
    line has no new index, an added line no old one)."""
    rows, cols = len(old), len(new)
    best = [[0.0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(cols - 1, -1, -1):
            similar = _similarity(old[i], new[j])
            paired = best[i + 1][j + 1] + similar if similar >= SIMILAR else -1.0
            best[i][j] = max(paired, best[i + 1][j], best[i][j + 1])
    pairs: list[tuple[int | None, int | None]] = []
    i = j = 0
    while i < rows or j < cols:
        if i < rows and j < cols:
            similar = _similarity(old[i], new[j])
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


def _similarity(a: str, b: str) -> float:
    return SequenceMatcher(a=a.split(" "), b=b.split(" "), autojunk=False).ratio()
