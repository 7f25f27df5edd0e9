"""A word-level redline of clause lines: deletions and insertions marked in place.

Plain markers (``[-deleted-]``, ``{+inserted+}``) for files and pipes; on a terminal, deleted
words are red and struck through, inserted words green and underlined.
"""

from __future__ import annotations

from difflib import SequenceMatcher

PLAIN = {"delete": ("[-", "-]"), "insert": ("{+", "+}")}
COLOUR = {"delete": ("\x1b[9;31m", "\x1b[0m"), "insert": ("\x1b[4;32m", "\x1b[0m")}


def redline(before: list[str], after: list[str], *, colour: bool = False) -> list[str]:
    """Return ``after`` with what changed from ``before`` marked word by word.

    Lines (paragraphs, list items, rows) are matched first; a removed line is shown wholly
    deleted, a new one wholly inserted, a changed one marked word by word.
    """
    marks = COLOUR if colour else PLAIN
    lines: list[str] = []
    matcher = SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            lines += after[j1:j2]
            continue
        old, new = before[i1:i2], after[j1:j2]
        for i, j in pair_lines(old, new):
            a = old[i] if i is not None else None
            b = new[j] if j is not None else None
            if a is None:
                lines.append(_mark(b, "insert", marks))
            elif b is None:
                lines.append(_mark(a, "delete", marks))
            else:
                lines.append(words(a, b, marks))
    return lines


def pair_lines(old: list[str], new: list[str]) -> list[tuple[int | None, int | None]]:
    """Return the lines of a changed stretch in order, as (old index, new index) pairs: each old
    line paired with the new line it most resembles (an edited line), the rest alone (a removed
    line has no new index, an added line no old one)."""
    rows, cols = len(old), len(new)
    best = [[0.0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(cols - 1, -1, -1):
            similar = _similarity(old[i], new[j])
            paired = best[i + 1][j + 1] + similar if similar >= 0.5 else -1.0
            best[i][j] = max(paired, best[i + 1][j], best[i][j + 1])
    pairs: list[tuple[int | None, int | None]] = []
    i = j = 0
    while i < rows or j < cols:
        if i < rows and j < cols:
            similar = _similarity(old[i], new[j])
            if similar >= 0.5 and best[i][j] == best[i + 1][j + 1] + similar:
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


def words(before: str, after: str, marks: dict = PLAIN) -> str:
    """Return ``after`` with the words changed from ``before`` marked."""
    old, new = before.split(" "), after.split(" ")
    out: list[str] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            out += new[j1:j2]
            continue
        if i2 > i1:
            out.append(_mark(" ".join(old[i1:i2]), "delete", marks))
        if j2 > j1:
            out.append(_mark(" ".join(new[j1:j2]), "insert", marks))
    return " ".join(out)


def _mark(text: str, op: str, marks: dict) -> str:
    start, end = marks[op]
    return f"{start}{text}{end}"
