"""Mark an amended edition against its base: which words each change inserted or deleted.

The revisions of a build say, change by change, how each clause's lines read before and after.
Replaying them over the base lines, word by word, gives every inserted and deleted word its
IRP and change, so a redline can label each mark with the proposal that made it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypedDict

from spectrace.model import Action, BlockKind, Clause, Document, Op, Revision, RevisionLine
from spectrace.model.marks import Mark, MarkedClause, MarkedEntry, MarkedLine
from spectrace.model.refs import GLOSSARY
from spectrace.transforms.diff import aligned_lines, opcodes


def mark_edition(
    base: Document, amended: Document, revisions: list[Revision], *, changed: bool = False
) -> list[MarkedClause]:
    """Return every clause of ``amended`` with the marks its revisions made against ``base``,
    and every clause a change deleted, marked deleted where it stood in ``base``; with
    ``changed``, only the clauses a change marked, in the same order.

    An unchanged clause comes back with unmarked lines, so a view can show the whole edition.
    A clause is followed through structural changes: an inserted clause is wholly inserted, a
    renumbered one is compared with the base clause under its old number (its number marked),
    a renamed heading has its words marked. Only the clauses a revision touches, and with
    ``changed`` off the others as they are shown, have their words split into marks (a view
    of the changes of a large edition costs what its changes cost).
    """
    replay = _Replay(base)
    for revision in revisions:
        if revision.document == amended.name and revision.clause != GLOSSARY:
            replay.apply(revision)
    marked = replay.arrange(amended, whole=not changed)
    return [m for m in marked if m.changed] if changed else marked


class _Replay:
    """The clauses of an edition as its revisions, replayed in order, leave them."""

    def __init__(self, base: Document):
        # The base clauses by number (the last of a repeated number, as a lookup by number
        # finds it), their marks, and the marks of the clauses by the number each has now.
        self.base = {c.number: c for c in base.clauses if c.number is not None}
        self.order = {number: index for index, number in enumerate(self.base)}
        self.tracks = {number: _track(clause, lines=False) for number, clause in self.base.items()}
        # The tracks whose lines are not made yet (no revision has touched them): see _lines_of.
        self.unsplit = {id(track) for track in self.tracks.values()}
        self.live: dict[str, MarkedClause] = dict(self.tracks)
        self.deleted: list[MarkedClause] = []
        self.unknown: dict[str, list[Revision]] = {}  # revisions of clauses nothing tracks

    def apply(self, revision: Revision) -> None:
        who: _Who = {"irp": revision.irp, "change": revision.change}
        if revision.action is Action.INSERT_CLAUSE:
            clause = Clause(revision.clause, revision.title_after or "", 0)
            title = (revision.title_after or "").split(" ")
            self.live[revision.clause] = MarkedClause(
                clause,
                number=[Mark(revision.clause, Op.INSERT, **who)],
                title=[Mark(word, Op.INSERT, **who) for word in title if word],
                op=Op.INSERT,
                **who,
            )
        elif revision.action is Action.RENUMBER_CLAUSE and revision.number_before in self.live:
            moved = self.live.pop(revision.number_before)
            moved.number = _edit(moved.number, [revision.clause], who)
            self.live[revision.clause] = moved
        marked = self.live.get(revision.clause)
        if marked is None:
            self.unknown.setdefault(revision.clause, []).append(revision)
            return
        marked.revisions.append(revision)
        marked.lines = _replay(self._lines_of(marked), revision)
        renamed = revision.title_before not in (None, revision.title_after)
        if renamed and revision.title_after is not None:  # renamed; not an insertion or deletion
            marked.title = _edit(marked.title, _split(revision.title_after), who)
        if revision.action is Action.WITHDRAW_CLAUSE:
            marked.withdrawn = True
            if marked.op is Op.KEEP:
                marked.irp, marked.change = revision.irp, revision.change
        elif revision.action is Action.DELETE_CLAUSE:
            del self.live[revision.clause]
            if marked.op is not Op.INSERT:  # a clause a change had inserted leaves no trace
                marked.op, marked.irp, marked.change = Op.DELETE, revision.irp, revision.change
                self.deleted.append(marked)

    def _lines_of(self, marked: MarkedClause) -> list[MarkedLine]:
        """Return the marked lines of a clause, making them for a base clause's track the
        first time they are asked for."""
        if id(marked) in self.unsplit:
            self.unsplit.discard(id(marked))
            marked.lines = _lines(marked.clause)
        return marked.lines

    def arrange(self, amended: Document, *, whole: bool = True) -> list[MarkedClause]:
        """Return the marks of ``amended``'s clauses in its order, each deleted clause placed
        after the clause it followed in the base; unless ``whole``, the clauses no revision
        touched are left with no lines."""
        result: list[MarkedClause] = []
        shown: set[int] = set()
        for clause in amended.clauses:
            marked = self.live.get(clause.number) if clause.number is not None else None
            if marked is None or id(marked) in shown:
                marked = self._untracked(clause)
            shown.add(id(marked))
            marked.clause = clause
            if whole or id(marked) not in self.unsplit:
                _attach(self._lines_of(marked), clause)
            result.append(marked)
        for marked in sorted(self.deleted, key=lambda m: self.order.get(m.clause.number or "", 0)):
            result.insert(self._place(marked, result), marked)
        return result

    def _untracked(self, clause: Clause) -> MarkedClause:
        """Return the marks of a clause no base clause or inserting change accounts for (an
        unnumbered heading, a repeated number): the revisions of its number replayed over the
        base clause of that number, or over its own lines."""
        number = clause.number
        source = self.base.get(number) if number is not None else None
        marked = _track(source or clause)
        for revision in self.unknown.get(number or "", []) + self._revisions_of(number):
            marked.lines = _replay(marked.lines, revision)
            marked.revisions.append(revision)
        return marked

    def _revisions_of(self, number: str | None) -> list[Revision]:
        tracked = self.tracks.get(number) if number is not None else None
        return list(tracked.revisions) if tracked is not None else []

    def _place(self, deleted: MarkedClause, result: list[MarkedClause]) -> int:
        """Return where a deleted clause goes in ``result``: after the nearest clause before
        it in the base that is shown (and after clauses inserted below that one), else
        first."""
        positions = {id(marked): index for index, marked in enumerate(result)}
        order = list(self.order)
        at = self.order.get(deleted.clause.number or "", 0)
        for number in reversed(order[:at]):
            track = self.tracks.get(number)
            if track is not None and id(track) in positions:
                index = positions[id(track)] + 1
                while (
                    index < len(result)
                    and result[index].op is Op.INSERT
                    and result[index].clause.level > deleted.clause.level
                ):
                    index += 1
                return index
        return 0


def _track(clause: Clause, *, lines: bool = True) -> MarkedClause:
    """Return a clause's marks before any change: its lines (none unless ``lines``) and
    heading unmarked."""
    number = [Mark(clause.number)] if clause.number is not None else []
    return MarkedClause(clause, _lines(clause) if lines else [], number, _words(clause.title))


def _split(text: str) -> list[str]:
    return text.split(" ") if text else []


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
