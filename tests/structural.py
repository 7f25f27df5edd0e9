"""Structural changes made by hand for the output tests: a base edition, its amended copy and
the revisions an amendment engine records for them (the contract of
:class:`spectrace.model.revision.Revision`), without reading any proposal.

:class:`Editor` inserts, deletes, withdraws, renames, renumbers and amends clauses of a copy of
a base document, recording one revision per clause acted on, as the engine does.
"""

from __future__ import annotations

from spectrace.model import (
    Action,
    Block,
    BlockKind,
    Change,
    Clause,
    Document,
    Proposal,
    Revision,
    RevisionLine,
    Statement,
    Target,
)
from spectrace.model.revision import Amendment

NOT_USED = "Not used"


def para(text: str, statement: str | None = None) -> Block:
    statements = [Statement(statement, text)] if statement else []
    return Block(BlockKind.PARAGRAPH, text, statements)


def item(label: str, text: str, level: int = 0) -> Block:
    return Block(BlockKind.LIST_ITEM, text, label=label, level=level)


def table(rows: list[list[str]], header_rows: int = 1) -> Block:
    text = " ".join(cell for row in rows for cell in row)
    return Block(BlockKind.TABLE, text, rows=rows, header_rows=header_rows)


def clause(number: str, title: str, *blocks: Block, level: int | None = None) -> Clause:
    return Clause(number, title, level or number.count(".") + 1, list(blocks))


def document(*clauses: Clause, name: str = "SMETS", edition: str = "1") -> Document:
    return Document(name, edition, title=f"{name} test", clauses=list(clauses))


def lines(blocks: list[Block]) -> list[RevisionLine]:
    """Return the lines of blocks as revisions hold them: a block's text, a table's rows."""
    result: list[RevisionLine] = []
    for block in blocks:
        if block.kind is BlockKind.TABLE:
            result += [RevisionLine(tuple(row)) for row in block.rows]
        else:
            result.append(RevisionLine((block.text,)))
    return result


def ids(blocks: list[Block]) -> list[str]:
    return [s.id for block in blocks for s in block.statements]


class Editor:
    """Changes a copy of ``base`` clause by clause and records the revisions."""

    def __init__(self, base: Document):
        self.base = base
        self.document = base.copy()
        self.revisions: list[Revision] = []
        self.irps: list[str] = []

    def _revision(self, irp: str, change: int, number: str, **values) -> Revision:
        if irp not in self.irps:
            self.irps.append(irp)
            self.document.edition = f"{self.document.edition}+{irp}"
        revision = Revision(irp, change, self.document.name, number, **values)
        self.revisions.append(revision)
        return revision

    def _index(self, number: str) -> int:
        return next(i for i, c in enumerate(self.document.clauses) if c.number == number)

    def _subtree(self, number: str) -> list[Clause]:
        """Return the clause numbered ``number`` and the sub-clauses under it."""
        start = self._index(number)
        level = self.document.clauses[start].level
        end = start + 1
        while end < len(self.document.clauses) and self.document.clauses[end].level > level:
            end += 1
        return self.document.clauses[start:end]

    def _after(self, number: str, level: int) -> int:
        """Return where a clause of ``level`` placed after clause ``number`` goes ("": at the
        start): just after it when it is a sub-clause of it, else after its sub-clauses."""
        if not number:
            return 0
        start = self._index(number)
        if self.document.clauses[start].level < level:
            return start + 1
        return start + len(self._subtree(number))

    def insert(
        self, irp: str, change: int, number: str, title: str, blocks: list[Block], after: str
    ) -> Document:
        new = clause(number, title, *blocks)
        self.document.clauses.insert(self._after(after, new.level), new)
        self._revision(
            irp,
            change,
            number,
            after=lines(blocks),
            added=ids(blocks),
            action=Action.INSERT_CLAUSE,
            title_after=title,
        )
        return self.document

    def delete(self, irp: str, change: int, number: str) -> Document:
        for gone in list(self._subtree(number)):
            self.document.clauses.remove(gone)
            self._deleted(irp, change, gone)
        return self.document

    def _deleted(self, irp: str, change: int, gone: Clause) -> None:
        assert gone.number is not None
        self._revision(
            irp,
            change,
            gone.number,
            before=lines(gone.blocks),
            retired=ids(gone.blocks),
            action=Action.DELETE_CLAUSE,
            title_before=gone.title,
        )

    def withdraw(self, irp: str, change: int, number: str, text: str = NOT_USED) -> Document:
        target, *subs = self._subtree(number)
        before = target.blocks
        target.blocks = [para(text)]
        self._revision(
            irp,
            change,
            number,
            before=lines(before),
            after=[RevisionLine((text,))],
            retired=ids(before),
            action=Action.WITHDRAW_CLAUSE,
        )
        for gone in subs:
            self.document.clauses.remove(gone)
            self._deleted(irp, change, gone)
        return self.document

    def rename(self, irp: str, change: int, number: str, title: str) -> Document:
        target = self.document.clauses[self._index(number)]
        old, target.title = target.title, title
        same = lines(target.blocks)
        self._revision(
            irp, change, number, before=same, after=same, title_before=old, title_after=title
        )
        return self.document

    def renumber(
        self, irp: str, change: int, number: str, new_number: str, after: str | None = None
    ) -> Document:
        moved = self._subtree(number)
        if after is not None:
            for each in moved:
                self.document.clauses.remove(each)
            at = self._after(after, moved[0].level)
            self.document.clauses[at:at] = moved
        for each in moved:
            assert each.number is not None
            old, each.number = each.number, new_number + each.number[len(number) :]
            same = lines(each.blocks)
            self._revision(
                irp,
                change,
                each.number,
                before=same,
                after=same,
                action=Action.RENUMBER_CLAUSE,
                number_before=old,
            )
        return self.document

    def amend(self, irp: str, change: int, number: str, blocks: list[Block]) -> Document:
        target = self.document.clauses[self._index(number)]
        before, target.blocks = target.blocks, blocks
        self._revision(
            irp,
            change,
            number,
            before=lines(before),
            after=lines(blocks),
            added=[i for i in ids(blocks) if i not in ids(before)],
            retired=[i for i in ids(before) if i not in ids(blocks)],
        )
        return self.document

    def amendment(self) -> Amendment:
        return Amendment(documents=[self.document], revisions=self.revisions)

    def proposals(self) -> list[Proposal]:
        """Return the proposals, each change targeting the clause its first revision names
        (a renumbered one: by its old number)."""
        changes: dict[str, dict[int, Change]] = {irp: {} for irp in self.irps}
        for r in self.revisions:
            if r.change not in changes[r.irp]:
                number = r.number_before or r.clause
                target = Target(r.document, number)
                new_number = r.clause if r.action is Action.RENUMBER_CLAUSE else ""
                instruction = f"{r.action.value} {r.document} {number}"
                changes[r.irp][r.change] = Change(
                    r.change, instruction, target, r.action, new_number=new_number
                )
        return [
            Proposal(irp, title=f"{irp} test", date="2021-03-04", changes=list(c.values()))
            for irp, c in changes.items()
        ]


def sample() -> Document:
    """A base edition of nested clauses with statements, a list and a table."""
    return document(
        clause("1", "Scope", para("This specification covers meters.", "SMETS-1-1")),
        clause("4", "Functions", para("ESME shall have functions.", "SMETS-4-1")),
        clause(
            "4.1",
            "Display",
            para("ESME shall display the data.", "SMETS-4.1-1"),
            item("(a)", "the Currency Units;"),
            item("(b)", "the Meter Balance."),
        ),
        clause("4.1.1", "Display detail", para("ESME shall refresh.", "SMETS-4.1.1-1")),
        clause(
            "4.2",
            "Logs",
            para("ESME shall keep logs.", "SMETS-4.2-1"),
            table([["Log", "Size"], ["Event Log", "100"], ["Security Log", "50"]]),
        ),
        clause("4.3", "Old interface", para("ESME shall have a port.", "SMETS-4.3-1")),
        clause("5", "Annex", para("Informative text.")),
    )
