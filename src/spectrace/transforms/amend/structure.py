"""Clause-level changes: insert, delete, withdraw, renumber and rename clauses.

An :class:`Edition` is one document while proposals are applied to it: its clauses in order,
an index by number, the state of each clause whose text a change edited (:class:`ClauseState`),
and a record of what each structural change did, so that a later change that names a clause
an earlier proposal deleted, withdrew or renumbered is refused with the reason.

The rules, stated once:

- a new clause goes after the clause its change names (``after``), past that clause's own
  sub-clauses unless it is one of them, and past any deeper clauses that follow (so "4.7 after
  4.6.5.3" lands before the old 4.7); its level follows from its number's depth;
- deleting or withdrawing a clause does the same to its sub-clauses; withdrawing keeps the
  number and heading and leaves the body "Not used";
- renumbering renumbers the sub-clauses by the same prefix, and moves the clause and its
  sub-clauses when the change names an ``after``; no other number changes;
- statement ids never change: a renumbered clause's statements keep theirs, a new clause's
  statements get new ones, removed ones are retired and never given out again;
- a structural change conflicts with another proposal's change to any clause it removes, and
  with another proposal's clause inserted at the same place or heading renamed.
"""

from __future__ import annotations

from dataclasses import dataclass

from spectrace.model import (
    Block,
    BlockKind,
    Clause,
    Document,
    MarkupBlock,
    MarkupKind,
    Op,
    RevisionLine,
)
from spectrace.model.refs import split_heading
from spectrace.text import plain, squash
from spectrace.transforms.amend.conflicts import Origin, Refused
from spectrace.transforms.amend.units import ClauseState, Ids, Restated, new_block, relabel

#: The body a withdrawn clause keeps when its mark-up gives none.
NOT_USED = "Not used"

_KINDS = {MarkupKind.PARAGRAPH: BlockKind.PARAGRAPH, MarkupKind.LIST_ITEM: BlockKind.LIST_ITEM}


@dataclass(frozen=True)
class Gone:
    """What became of a number: the change that deleted, withdrew or renumbered its clause."""

    origin: Origin
    what: str  # "deleted", "withdrawn", "renumbered"
    number: str = ""  # the new number, for "renumbered"

    def reason(self) -> str:
        irp, change = self.origin
        if self.what == "renumbered":
            return f"{irp} change {change} renumbered it {self.number}"
        return f"{irp} change {change} {self.what} it"


@dataclass
class NewClause:
    """A clause a change inserts, planned before anything is changed."""

    clause: Clause
    after: Clause
    restated: Restated


#: What an :class:`Edition` holds by id() of a clause.
_BY_CLAUSE = ("states", "inserted_after", "renamed", "withdrawn")


def depth(number: str) -> int:
    return number.count(".") + 1


class Edition:
    """One document while proposals are applied: see the module's docstring."""

    def __init__(self, document: Document):
        self.document = document
        self.ids = Ids(document)
        self.index: dict[str, Clause] = {}
        for clause in document.clauses:
            if clause.number is not None:
                self.index.setdefault(clause.number, clause)
        self.states: dict[int, ClauseState] = {}  # by id() of the clause
        self.gone: dict[str, Gone] = {}
        self.inserted_after: dict[int, Origin] = {}  # by id() of the clause followed
        self.renamed: dict[int, Origin] = {}
        self.withdrawn: dict[int, Origin] = {}

    # Pickling (a run kept to resume, :mod:`.prefix`): what is held by id() of a clause is
    # held by the clause itself, as an id means nothing in another process.

    def __getstate__(self) -> dict:
        live = {id(clause): clause for clause in self.document.clauses}
        state = dict(self.__dict__)
        for name in _BY_CLAUSE:
            held: dict[int, object] = state[name]
            if not held.keys() <= live.keys():
                raise ValueError(f"the edition's {name} names a clause it no longer has")
            state[name] = [(live[key], value) for key, value in held.items()]
        return state

    def __setstate__(self, state: dict) -> None:
        for name in _BY_CLAUSE:
            state[name] = {id(clause): value for clause, value in state[name]}
        self.__dict__.update(state)

    # Looking clauses up

    def clause(self, number: str, origin: Origin) -> Clause:
        """Return the clause numbered ``number``, or refuse, saying what became of it."""
        clause = self.index.get(number)
        if clause is not None:
            return clause
        gone = self.gone.get(number)
        if gone is None:
            raise Refused("unknown-clause", f"{self.document.label} has no clause {number}")
        code = "conflict" if gone.origin[0] != origin[0] else "unknown-clause"
        raise Refused(code, f"{self.document.name} {number} is not there: {gone.reason()}")

    def state(self, clause: Clause) -> ClauseState:
        state = self.states.get(id(clause))
        if state is None:
            state = self.states[id(clause)] = ClauseState(clause)
        return state

    def subtree(self, clause: Clause) -> list[Clause]:
        """Return ``clause`` and the clauses under it, in order."""
        start = self._position(clause)
        end = start + 1
        clauses = self.document.clauses
        while end < len(clauses) and clauses[end].level > clause.level:
            end += 1
        return clauses[start:end]

    def _place(self, anchor: Clause, level: int) -> int:
        """Return where a clause of ``level`` following ``anchor`` goes: right after it when
        deeper, else past its sub-clauses and any deeper clauses after them."""
        if level > anchor.level:
            return self._position(anchor) + 1
        clauses = self.document.clauses
        at = self._position(anchor) + len(self.subtree(anchor))
        while at < len(clauses) and clauses[at].level > level:
            at += 1
        return at

    def _fits(self, at: int, level: int) -> bool:
        """Return whether a clause of ``level`` at position ``at`` has a parent: at most one
        level deeper than the clause before it."""
        clauses = self.document.clauses
        before = clauses[at - 1].level if at > 0 else min((c.level for c in clauses), default=1)
        return level <= before + (1 if at > 0 else 0)

    def _position(self, clause: Clause) -> int:
        return next(k for k, c in enumerate(self.document.clauses) if c is clause)

    def touched(self) -> list[tuple[Clause, ClauseState]]:
        """Return the clauses a change edited, with their states, in document order."""
        return [
            (clause, self.states[id(clause)])
            for clause in self.document.clauses
            if id(clause) in self.states
        ]

    # Checks

    def _check_free(self, number: str, what: str) -> None:
        if number in self.index:
            raise Refused(
                "clause-exists", f"{what} {number}, but {self.document.name} already has one"
            )

    def check_untouched(self, clauses: list[Clause], origin: Origin, doing: str) -> None:
        """Refuse removing ``clauses`` when another proposal changed any of them."""
        for clause in clauses:
            state = self.states.get(id(clause))
            others = [o for o in (state.touched_by if state else []) if o[0] != origin[0]]
            renamed = self.renamed.get(id(clause))
            if renamed and renamed[0] != origin[0]:
                others.append(renamed)
            if others:
                irp, change = others[0]
                raise Refused(
                    "conflict",
                    f"{doing} {self.document.name} {clause.key}, which {irp} change {change} "
                    "changed",
                )

    # Inserting

    def plan_insert(
        self,
        number: str,
        anchor: Clause,
        blocks: list[MarkupBlock],
        origin: Origin,
        planned: tuple[str, ...] = (),
    ) -> NewClause:
        """Return the clause numbered ``number`` that ``blocks`` (a heading line and its body,
        all inserted) make, to follow ``anchor``; refuse without changing anything.
        ``planned`` holds the numbers of clauses the same change inserts before this one."""
        self._check_free(number, "the change inserts clause")
        if number in planned:
            raise Refused("clause-exists", f"the change inserts clause {number} twice")
        earlier = self.inserted_after.get(id(anchor))
        if earlier and earlier[0] != origin[0]:
            raise Refused(
                "conflict",
                f"{earlier[0]} change {earlier[1]} also inserts a clause after "
                f"{self.document.name} {anchor.key}",
            )
        if not blocks or blocks[0].kind is not MarkupKind.HEADING:
            raise Refused("unreadable", f"the mark-up shows no heading line for clause {number}")
        heading, *body = blocks
        shown, title = split_heading(squash(heading.text(after=True)))
        if shown is not None and shown != number:
            raise Refused(
                "unsupported",
                f"the mark-up's heading numbers the new clause {shown}, the change {number}",
            )
        kept = [block for block in blocks if block.op is not Op.INSERT]
        if kept:
            raise Refused(
                "unsupported",
                "a new clause's heading and text must be all inserted; "
                f"'{squash(kept[0].text(after=False))[:60]}' is not",
            )
        level = anchor.level + depth(number) - depth(anchor.number or number)
        if level < 1 or level > anchor.level + 1:
            raise Refused(
                "unsupported",
                f"clause {number} cannot follow clause {anchor.key}: it would stand under no "
                "clause",
            )
        restated = Restated()
        clause = Clause(number, title, level, self._blocks(body, number, restated))
        return NewClause(clause, anchor, restated)

    def _blocks(self, markup: list[MarkupBlock], number: str, restated: Restated) -> list[Block]:
        blocks: list[Block] = []
        for block in markup:
            if block.kind is MarkupKind.HEADING:
                raise Refused(
                    "unsupported", "a new clause's mark-up has a second heading line in it"
                )
            if block.kind is MarkupKind.TABLE_ROW:
                cells = [squash("".join(s.text for s in cell)) for cell in block.cells]
                if not blocks or blocks[-1].kind is not BlockKind.TABLE:
                    blocks.append(Block(BlockKind.TABLE, ""))
                blocks[-1].rows.append(cells)
                continue
            made = new_block(
                _KINDS[block.kind], block.text(after=True), block.level, self.ids, number, restated
            )
            made.label = block.label
            blocks.append(made)
        for table in blocks:
            if table.kind is BlockKind.TABLE:
                table.text = " ".join(cell for row in table.rows for cell in row if cell)
        relabel(blocks)
        return blocks

    def insert(self, planned: NewClause, origin: Origin) -> None:
        """Put a planned clause in its place."""
        clause, anchor = planned.clause, planned.after
        self.document.clauses.insert(self._place(anchor, clause.level), clause)
        assert clause.number is not None, "an inserted clause has a number"
        self.index[clause.number] = clause
        self.gone.pop(clause.number, None)
        self.inserted_after.setdefault(id(anchor), origin)
        state = self.state(clause)
        state.touched_by.append(origin)
        state.ledger.record([r for unit in state.units for r in unit.whole()], origin)

    # Removing

    def remove(self, clauses: list[Clause], origin: Origin) -> None:
        """Take ``clauses`` out of the document, their numbers recorded as deleted."""
        for clause in clauses:
            position = self._position(clause)
            del self.document.clauses[position]
            for held in (self.states, self.inserted_after, self.renamed, self.withdrawn):
                held.pop(id(clause), None)  # its id may be given to a clause made later
            if clause.number is not None and self.index.get(clause.number) is clause:
                del self.index[clause.number]
                self.gone[clause.number] = Gone(origin, "deleted")

    def withdraw(self, clause: Clause, text: str, origin: Origin) -> None:
        """Empty ``clause`` (its sub-clauses already removed) down to ``text``, "Not used"."""
        clause.blocks = [Block(BlockKind.PARAGRAPH, text, lead=text)]
        self.states.pop(id(clause), None)
        state = self.state(clause)
        state.touched_by.append(origin)
        state.ledger.record([r for unit in state.units for r in unit.whole()], origin)
        self.withdrawn[id(clause)] = origin

    def check_open(self, clause: Clause, origin: Origin) -> None:
        """Refuse editing ``clause`` when another proposal withdrew it."""
        withdrawn = self.withdrawn.get(id(clause))
        if withdrawn and withdrawn[0] != origin[0]:
            irp, change = withdrawn
            raise Refused(
                "conflict", f"{irp} change {change} withdrew {self.document.name} {clause.key}"
            )

    # Renumbering

    def renumber(
        self, clause: Clause, number: str, after: str, origin: Origin
    ) -> list[tuple[str, Clause]]:
        """Give ``clause`` the number ``number`` and its sub-clauses the same prefix, moving
        them after clause ``after`` when given; return (old number, clause) for each."""
        old = clause.number
        assert old is not None, "only a numbered clause can be renumbered"
        moved = self.subtree(clause)
        anchor = self.clause(after, origin) if after else None
        if anchor is not None and any(anchor is c for c in moved):
            raise Refused("unsupported", f"clause {old} cannot move after its own clause {after}")
        renumbering: list[tuple[str, str, Clause]] = []
        for each in moved:
            if each.number is None:
                continue
            if each.number != old and not each.number.startswith(old + "."):
                raise Refused(
                    "unsupported",
                    f"clause {each.number} stands under {old} but is not numbered under it",
                )
            renumbering.append((each.number, number + each.number[len(old) :], each))
        own = {id(c) for c in moved}
        for _, new, _ in renumbering:
            holder = self.index.get(new)
            if holder is not None and id(holder) not in own:
                raise Refused(
                    "clause-exists",
                    f"renumbering {old} as {number} gives a clause {new}, but "
                    f"{self.document.name} already has one",
                )
        shift = depth(number) - depth(old)
        if shift and anchor is None:
            raise Refused(
                "unsupported",
                f"renumbering {old} as {number} changes its depth; say where it goes (after)",
            )
        if anchor is not None:
            level = anchor.level + depth(number) - depth(anchor.number or number)
            shift = level - clause.level
        if clause.level + shift < 1:
            raise Refused("unsupported", f"clause {old} cannot be renumbered {number}")
        if anchor is not None:
            start = self._position(clause)
            del self.document.clauses[start : start + len(moved)]
            at = self._place(anchor, clause.level + shift)
            if not self._fits(at, clause.level + shift):
                self.document.clauses[start:start] = moved
                raise Refused(
                    "unsupported",
                    f"clause {number} after {anchor.key} would stand under no clause",
                )
            self.document.clauses[at:at] = moved
        for each in moved:
            each.level += shift
        for before, _, each in renumbering:
            if self.index.get(before) is each:
                del self.index[before]
            self.gone[before] = Gone(origin, "renumbered", number + before[len(old) :])
        for _, new, each in renumbering:
            each.number = new
            self.index[new] = each
            self.gone.pop(new, None)
        return [(before, each) for before, _, each in renumbering]

    # Renaming

    def rename(self, clause: Clause, heading: MarkupBlock, origin: Origin) -> str | None:
        """Return the title the marked ``heading`` line gives ``clause`` (None when it leaves
        the title as it is); refuse, changing nothing, when it is not the clause's heading."""
        number_before, title_before = split_heading(squash(heading.text(after=False)))
        number_after, title_after = split_heading(squash(heading.text(after=True)))
        if number_before != clause.number or plain(title_before) != plain(clause.title):
            raise Refused(
                "not-found",
                f"the mark-up's heading '{squash(heading.text(after=False))[:80]}' is not "
                f"the heading of {self.document.name} {clause.number} ('{clause.title}')",
            )
        if number_after != number_before:
            raise Refused(
                "unsupported",
                "the mark-up changes the clause's number; a renumber_clause change says so",
            )
        if plain(title_after) == plain(title_before):
            return None
        earlier = self.renamed.get(id(clause))
        if earlier and earlier[0] != origin[0]:
            raise Refused("conflict", f"{earlier[0]} change {earlier[1]} also renames this heading")
        return title_after


def withdrawn_text(blocks: list[MarkupBlock]) -> str:
    """Return the body a withdrawing mark-up gives (its inserted paragraph), else "Not used"."""
    for block in blocks:
        if block.kind is not MarkupKind.HEADING and block.op is Op.INSERT:
            return squash(block.text(after=True))
    return NOT_USED


def clause_lines(clause: Clause, state: ClauseState | None) -> list[RevisionLine]:
    """Return a clause's lines as revisions compare them: edited (``state``) or as it is."""
    return (state or ClauseState(clause)).lines()
