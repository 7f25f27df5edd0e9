"""A clause as the amend engine edits it: units (paragraphs, list items, table rows) whose words
remember where they stood in the base edition, so that a change can be placed in the base's
terms (:mod:`.conflicts`) whatever was applied before it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field

from spectrace.labels import Label, parse_label
from spectrace.model import BULLET, Block, BlockKind, Clause, Document, RevisionLine, Statement
from spectrace.model.refs import split_statement_id, statement_id
from spectrace.text import squash
from spectrace.transforms.amend.conflicts import Ledger, Origin, Reach
from spectrace.transforms.diff import opcodes
from spectrace.transforms.statements import is_editorial, split_sentences

#: The sequence of a clause's units, for the reach of a change that inserts or removes one.
UNITS = "units"


def words(text: str) -> list[str]:
    return text.split(" ") if text else []


@dataclass
class Unit:
    """A paragraph or list item (one segment) or a table row (one segment per cell).

    ``key`` names the unit's sequences of words in reaches: its index in the base edition, or,
    for a unit a change inserted, that change and a serial number. ``bases`` holds, for each
    word of each segment, its index among the segment's words as the unit was first (in the
    base edition, or when it was inserted), or None for a word inserted since; ``sizes`` the
    number of those first words.
    """

    kind: BlockKind
    segments: list[str]
    label: str = ""
    level: int = 0
    table: int = -1
    header: bool = False
    block: Block | None = None
    key: Hashable = None
    bases: list[list[int | None]] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.bases:
            self.bases = [list(range(len(words(s)))) for s in self.segments]
            self.sizes = [len(b) for b in self.bases]

    @property
    def line(self) -> RevisionLine:
        return RevisionLine(tuple(self.segments))

    @property
    def base(self) -> int | None:
        """The unit's index in the base edition, None for a unit a change inserted."""
        return self.key if isinstance(self.key, int) else None

    def reaches(self, segment: int, runs: list[tuple[int, int]]) -> list[Reach]:
        """Return the reach of each run of current words ``first..end-1`` of ``segment``
        (``first == end``: the gap before word ``first``), in the unit's first words: from
        the gap after the nearest first word before the run to the gap before the nearest
        one after it, so a run next to inserted or deleted words reaches their gap too."""
        bases = self.bases[segment]
        before = [0] * (len(bases) + 1)  # gap k: the first-word gap just after words 0..k-1
        for k, base in enumerate(bases):
            before[k + 1] = base + 1 if base is not None else before[k]
        after = [self.sizes[segment]] * (len(bases) + 1)  # gap k: the first word from k on
        for k in range(len(bases) - 1, -1, -1):
            base = bases[k]
            after[k] = base if base is not None else after[k + 1]
        return [Reach((self.key, segment), before[first], after[end]) for first, end in runs]

    def whole(self) -> list[Reach]:
        """Return the reaches of removing the unit: every word of every segment."""
        return [Reach((self.key, index), 0, size) for index, size in enumerate(self.sizes)]

    def positions(self, segment: int) -> dict[int, int]:
        """Return where each first word of ``segment`` that is still there stands now."""
        return {base: k for k, base in enumerate(self.bases[segment]) if base is not None}


class Ids:
    """Allocate statement ids per clause series, never reusing one the document ever had."""

    def __init__(self, document: Document):
        self.document = document.name
        self.highest: dict[str, int] = defaultdict(int)
        known = [statement.id for _, statement in document.statements()] + document.retired
        for statement in known:
            parsed = split_statement_id(statement)
            if parsed:
                self.highest[parsed[1]] = max(self.highest[parsed[1]], parsed[2])

    def new(self, clause_key: str) -> str:
        self.highest[clause_key] += 1
        return statement_id(self.document, clause_key, self.highest[clause_key])


@dataclass
class Restated:
    """The statement ids a change added, changed (same id, new text) and retired."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)


def restate(block: Block, text: str, ids: Ids, key: str, result: Restated) -> None:
    """Give ``block`` the new ``text``, keeping the ids of statements that survive.

    Sentences are matched in order: an unchanged sentence keeps its statement, a replaced one
    keeps the id with the new text, a new one gets a new id, a removed one's id is retired.
    """
    block.text = text
    if is_editorial(text):
        block.lead = text
        result.retired += [s.id for s in block.statements]
        block.statements = []
        return
    block.lead = ""
    pieces = [text] if block.kind is BlockKind.LIST_ITEM else split_sentences(text)
    old = block.statements
    statements: list[Statement] = []
    for tag, i1, i2, j1, j2 in opcodes([s.text for s in old], pieces):
        if tag == "equal":
            statements += old[i1:i2]
            continue
        for offset in range(max(i2 - i1, j2 - j1)):
            before = old[i1 + offset] if i1 + offset < i2 else None
            after = pieces[j1 + offset] if j1 + offset < j2 else None
            if before and after is not None:
                statements.append(Statement(before.id, after))
                result.changed.append(before.id)
            elif after is not None:
                statements.append(Statement(ids.new(key), after))
                result.added.append(statements[-1].id)
            else:
                assert before is not None, "past the new pieces of a stretch, old ones are left"
                result.retired.append(before.id)
    block.statements = statements


def unit_gap_reaches(units: list[Unit]) -> list[Reach]:
    """Return, for each gap of ``units`` (before unit ``k``, and after the last), the reach of
    inserting a unit there: the base gap after the nearest base unit before it."""
    found = [Reach(UNITS, 0, 0)]
    for unit in units:
        gap = unit.base + 1 if unit.base is not None else found[-1].start
        found.append(Reach(UNITS, gap, gap))
    return found


class ClauseState:
    """A clause while proposals are applied to it: its units now, its units in the base
    edition (``base``, without their blocks), and the reaches of the changes applied to it."""

    def __init__(self, clause: Clause):
        self.clause = clause
        self.units: list[Unit] = []
        self.ledger = Ledger()
        self.inserted = 0  # units inserted so far, to name each (Unit.key)
        self.touched_by: list[Origin] = []
        for table, block in enumerate(clause.blocks):
            if block.kind is BlockKind.TABLE:
                self.units += [
                    Unit(BlockKind.TABLE, list(row), table=table, header=index < block.header_rows)
                    for index, row in enumerate(block.rows)
                ]
            else:
                self.units.append(
                    Unit(block.kind, [block.text], block.label, block.level, block=block)
                )
        for index, unit in enumerate(self.units):
            unit.key = index
        self.base = [
            Unit(u.kind, list(u.segments), u.label, u.level, u.table, u.header, key=u.key)
            for u in self.units
        ]

    def lines(self) -> list[RevisionLine]:
        return [unit.line for unit in self.units]

    def write_back(self) -> None:
        """Put the edited units back into the clause as blocks, relabelling edited lists."""
        blocks: list[Block] = []
        for unit in self.units:
            if unit.kind is BlockKind.TABLE:
                if blocks and blocks[-1].kind is BlockKind.TABLE and unit.table == blocks[-1].level:
                    table = blocks[-1]
                else:
                    table = Block(BlockKind.TABLE, "", level=unit.table)
                    blocks.append(table)
                table.rows.append(unit.segments)
                table.header_rows += unit.header
            else:
                assert unit.block is not None, "only a table row's unit has no block"
                unit.block.label, unit.block.level = unit.label, unit.level
                blocks.append(unit.block)
        for block in blocks:
            if block.kind is BlockKind.TABLE:
                block.level = 0
                block.text = " ".join(cell for row in block.rows for cell in row if cell)
        relabel(blocks)
        self.clause.blocks = blocks


def relabel(blocks: list[Block]) -> None:
    """Renumber each run of list items after an edit: an inserted item (label "") takes the
    next number of its list, and the items after it move up; bullets stay bullets."""
    styles: dict[int, tuple[Label | str | None, int]] = {}
    for index, block in enumerate(blocks):
        if block.kind is not BlockKind.LIST_ITEM:
            styles.clear()
            continue
        for level in [level for level in styles if level > block.level]:
            del styles[level]
        if block.level not in styles:
            styles[block.level] = _style(blocks, index)
            style, value = styles[block.level]
        else:
            style, value = styles[block.level]
            value += 1
            styles[block.level] = (style, value)
        if style == BULLET:
            block.label = block.label or BULLET
        elif isinstance(style, Label):
            block.label = str(style.at(value))


def _style(blocks: list[Block], index: int) -> tuple[Label | str | None, int]:
    """Return the style and first value of the list that starts at ``blocks[index]``."""
    level = blocks[index].level
    for block in blocks[index:]:
        if block.kind is not BlockKind.LIST_ITEM or block.level < level:
            break
        if block.level == level and block.label:
            label = parse_label(block.label)
            if label is not None:
                return label, label.value
            return (BULLET, 0) if block.label == BULLET else (None, 0)
    return BULLET, 0


def new_block(
    kind: BlockKind, text: str, level: int, ids: Ids, key: str, result: Restated
) -> Block:
    block = Block(kind, text, level=level)
    restate(block, squash(text), ids, key, result)
    return block
