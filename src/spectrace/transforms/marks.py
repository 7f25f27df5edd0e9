"""Mark an amended edition against its base: which words each change inserted or deleted.

The revisions of a build say, change by change, how each clause's lines read before and after.
Replaying them over the base lines, word by word, gives every inserted and deleted word its
IRP and change, so a redline can label each mark with the proposal that made it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypedDict

from spectrace.model import BlockKind, Clause, Document, Op, Revision, RevisionLine
from spectrace.model.marks import Mark, MarkedClause, MarkedEntry, MarkedLine
from spectrace.transforms.diff import aligned_lines, opcodes


def mark_edition(
    base: Document, amended: Document, revisions: list[Revision]
) -> list[MarkedClause]:
    """Return every clause of ``amended`` with the marks its revisions made against ``base``.

    An unchanged clause comes back with unmarked lines, so a view can show the whole edition.
    """
    by_clause: dict[str, list[Revision]] = {}
    for revision in revisions:
        if revision.document == amended.name and revision.clause != "Glossary":
            by_clause.setdefault(revision.clause, []).append(revision)
    # Looked up by the amended clause's number, which may be None (then nothing is found).
    base_clauses: dict[str | None, Clause] = {
        c.number: c for c in base.clauses if c.number is not None
    }
    marked = []
    for clause in amended.clauses:
        lines = _lines(base_clauses.get(clause.number, clause))
        for revision in by_clause.get(clause.number or "", []):
            lines = _replay(lines, revision)
        _attach(lines, clause)
        marked.append(MarkedClause(clause, lines))
    return marked


def mark_glossary(
    base: Document, amended: Document, revisions: list[Revision]
) -> list[MarkedEntry]:
    """Return the amended glossary with added, changed and removed entries marked."""
    lines = [MarkedLine([_words(e.term), _words(e.definition)], block=None) for e in base.glossary]
    for revision in revisions:
        if revision.document == amended.name and revision.clause == "Glossary":
            lines = _replay(lines, revision)
    return [
        MarkedEntry(line.cells[0], line.cells[1], line.op, line.irp, line.change) for line in lines
    ]


def _lines(clause) -> list[MarkedLine]:
    lines = []
    for block in clause.blocks:
        if block.kind is BlockKind.TABLE:
            lines += [
                MarkedLine([_words(cell) for cell in row], block, index)
                for index, row in enumerate(block.rows)
            ]
        else:
            lines.append(MarkedLine([_words(block.text)], block))
    return lines


def _words(text: str) -> list[Mark]:
    return [Mark(word) for word in text.split(" ")] if text else []


def _replay(lines: list[MarkedLine], revision: Revision) -> list[MarkedLine]:
    """Apply one revision's before -> after to the marked lines."""
    visible = [line for line in lines if line.op is not Op.DELETE]
    result: list[MarkedLine] = []
    position = 0  # index into ``lines`` of the next line not yet copied
    for old, new in _aligned(revision.before, revision.after, visible):
        if old is not None:
            while lines[position] is not old:  # deleted lines stay where they were
                result.append(lines[position])
                position += 1
            position += 1
        result += _apply(old, new, revision)
    return result + lines[position:]


def _aligned(
    before: list[RevisionLine], after: list[RevisionLine], visible: list[MarkedLine]
) -> Iterator[tuple[MarkedLine | None, RevisionLine | None]]:
    """Yield (marked line or None, new line or None) pairs for one revision."""
    for i, j, _ in aligned_lines(before, after):
        yield (visible[i] if i is not None else None), (after[j] if j is not None else None)


class _Who(TypedDict):
    """Who made a mark: the fields a Mark and a MarkedLine share, passed as keywords."""

    irp: str
    change: int


def _apply(
    line: MarkedLine | None, new: RevisionLine | None, revision: Revision
) -> list[MarkedLine]:
    who: _Who = {"irp": revision.irp, "change": revision.change}
    if line is None:  # a new line
        assert new is not None, "aligned_lines never yields a line missing on both sides"
        cells = [[Mark(w, Op.INSERT, **who) for w in cell.split(" ") if w] for cell in new.cells]
        return [MarkedLine(cells, block=None, op=Op.INSERT, **who)]
    if new is None:  # a removed line: gone if a change had added it, else marked deleted
        if line.op is Op.INSERT:
            return []
        line.op, line.irp, line.change = Op.DELETE, revision.irp, revision.change
        return [line]
    line.cells = [
        _edit(cell, text.split(" ") if text else [], who)
        for cell, text in zip(line.cells, new.cells, strict=False)
    ]
    return [line]


def _edit(marks: list[Mark], words: list[str], who: _Who) -> list[Mark]:
    shown = [m for m in marks if m.op is not Op.DELETE]
    result: list[Mark] = []
    cursor = 0
    for tag, i1, i2, j1, j2 in opcodes([m.text for m in shown], words):
        cursor = _copy_deleted(marks, result, cursor, shown[i1] if i1 < len(shown) else None)
        if tag == "equal":
            for mark in shown[i1:i2]:
                cursor = _copy_deleted(marks, result, cursor, mark)
                result.append(mark)
                cursor += 1
            continue
        for mark in shown[i1:i2]:
            cursor = _copy_deleted(marks, result, cursor, mark)
            cursor += 1
            if mark.op is Op.KEEP:
                result.append(Mark(mark.text, Op.DELETE, **who))
        result += [Mark(word, Op.INSERT, **who) for word in words[j1:j2]]
    return result + marks[cursor:]


def _copy_deleted(marks: list[Mark], result: list[Mark], cursor: int, until: Mark | None) -> int:
    """Copy the deleted marks standing before ``until`` (earlier deletions keep their place)."""
    while cursor < len(marks) and marks[cursor] is not until and marks[cursor].op is Op.DELETE:
        result.append(marks[cursor])
        cursor += 1
    return cursor


def _attach(lines: list[MarkedLine], clause) -> None:
    """Give lines that a change added the block they became in the amended clause."""
    shown = [line for line in lines if line.op is not Op.DELETE]
    rows = [
        (block, index)
        for block in clause.blocks
        for index in (range(len(block.rows)) if block.kind is BlockKind.TABLE else [0])
    ]
    for line, (block, index) in zip(shown, rows, strict=False):
        if line.block is None or line.op is Op.KEEP:
            line.block, line.row = block, index
