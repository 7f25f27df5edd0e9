"""An amended edition's text with every change marked and attributed: what the change-marked
HTML view and the Word redline show.

A clause is a list of marked lines (a paragraph, a list item or a table row); each line holds
marked words, or is itself wholly inserted or deleted; every mark names the IRP and change
that made it. A clause's heading is marked too (its number and its title words), and a whole
clause can be inserted, deleted or withdrawn by a structural change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spectrace.model.document import Block, BlockKind, Clause
from spectrace.model.proposal import Op
from spectrace.model.revision import Revision


@dataclass
class Mark:
    """A run of words, unchanged or inserted or deleted by change ``change`` of ``irp``."""

    text: str
    op: Op = Op.KEEP
    irp: str = ""
    change: int = 0


@dataclass
class MarkedLine:
    """One paragraph, list item or table row; ``cells`` holds one list of marks per cell (one
    for a paragraph or list item). ``op`` says whether the whole line was inserted or deleted.

    ``block`` is the block the line belongs to in the edition that shows it (the amended one,
    or the base for a deleted line); ``row`` is the line's row in that block, for a table.
    """

    cells: list[list[Mark]]
    block: Block | None
    row: int = 0
    op: Op = Op.KEEP
    irp: str = ""
    change: int = 0

    @property
    def kind(self) -> BlockKind | None:
        """The kind of the line's block; None for a line not yet given one (a new line until
        it is attached, a glossary line)."""
        return self.block.kind if self.block is not None else None

    @property
    def changed(self) -> bool:
        return self.op is not Op.KEEP or any(m.op is not Op.KEEP for c in self.cells for m in c)

    def text(self, *, after: bool) -> str:
        hide = Op.DELETE if after else Op.INSERT
        return "\t".join(" ".join(m.text for m in cell if m.op is not hide) for cell in self.cells)


@dataclass
class MarkedClause:
    """A clause with its marks: ``clause`` is the clause of the amended edition, or of the base
    for a deleted clause (which the amended edition no longer has).

    ``number`` and ``title`` are the heading's marks: a renumbered clause's old number deleted
    and its new one inserted, a renamed heading's old words deleted and new ones inserted.
    ``op`` is INSERT for a clause a change inserted, DELETE for one a change deleted (its lines
    and heading take that mark, as a wholly inserted or deleted line's words do); ``withdrawn``
    says a change withdrew it ("Not used": number and heading kept, body replaced). ``irp`` and
    ``change`` name the change that inserted, deleted or withdrew it. ``revisions`` are the
    revisions that acted on the clause, in the order they were made.
    """

    clause: Clause
    lines: list[MarkedLine] = field(default_factory=list)
    number: list[Mark] = field(default_factory=list)
    title: list[Mark] = field(default_factory=list)
    op: Op = Op.KEEP
    withdrawn: bool = False
    irp: str = ""
    change: int = 0
    revisions: list[Revision] = field(default_factory=list)

    @property
    def number_before(self) -> str:
        """The number the clause had in the base when a change renumbered it, else ""."""
        if not any(mark.op is Op.INSERT for mark in self.number):
            return ""
        return " ".join(mark.text for mark in self.number if mark.op is Op.DELETE)

    @property
    def heading_changed(self) -> bool:
        """Whether the heading carries a mark: a new or removed number or title word."""
        return any(mark.op is not Op.KEEP for mark in self.number + self.title)

    @property
    def changed(self) -> bool:
        return (
            self.op is not Op.KEEP
            or self.withdrawn
            or self.heading_changed
            or any(line.changed for line in self.lines)
        )


@dataclass
class MarkedEntry:
    """A glossary entry of the amended edition, or one it removed, with its marks."""

    term: list[Mark]
    definition: list[Mark]
    op: Op = Op.KEEP
    irp: str = ""
    change: int = 0
