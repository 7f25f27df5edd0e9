"""An amended edition's text with every change marked and attributed: what the change-marked
HTML view and the Word redline show.

A clause is a list of marked lines (a paragraph, a list item or a table row); each line holds
marked words, or is itself wholly inserted or deleted; every mark names the IRP and change
that made it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spectrace.model.document import Block, BlockKind, Clause
from spectrace.model.proposal import Op


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
    clause: Clause
    lines: list[MarkedLine] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(line.changed for line in self.lines)


@dataclass
class MarkedEntry:
    """A glossary entry of the amended edition, or one it removed, with its marks."""

    term: list[Mark]
    definition: list[Mark]
    op: Op = Op.KEEP
    irp: str = ""
    change: int = 0
