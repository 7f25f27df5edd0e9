"""A clause as the amend engine edits it: units (paragraphs, list items, table rows) whose words
remember which change last touched them, so that a later proposal's overlap is caught."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from spectrace.labels import Label, parse_label
from spectrace.model import BULLET, Block, BlockKind, Clause, Document, RevisionLine, Statement
from spectrace.model.refs import split_statement_id, statement_id
from spectrace.text import squash
from spectrace.transforms.diff import opcodes
from spectrace.transforms.statements import is_editorial, split_sentences

Origin = tuple[str, int]  # (IRP, change number)


def words(text: str) -> list[str]:
    return text.split(" ") if text else []


@dataclass
class Unit:
    """A paragraph or list item (one segment) or a table row (one segment per cell)."""

    kind: BlockKind
    segments: list[str]
    label: str = ""
    level: int = 0
    table: int = -1
    header: bool = False
    block: Block | None = None
    origins: list[list[Origin | None]] = field(default_factory=list)
    gaps: list[dict[int, Origin]] = field(default_factory=list)
    inserted_by: Origin | None = None

    def __post_init__(self) -> None:
        if not self.origins:
            self.origins = [[self.inserted_by] * len(words(s)) for s in self.segments]
            self.gaps = [{} for _ in self.segments]

    @property
    def line(self) -> RevisionLine:
        return RevisionLine(tuple(self.segments))

    def others(self, own: str) -> list[Origin]:
        """Return the changes of other proposals that touched this unit's words."""
        touched = [o for segment in self.origins for o in segment if o]
        touched += [o for gaps in self.gaps for o in gaps.values()]
        return [o for o in dict.fromkeys([*touched, self.inserted_by]) if o and o[0] != own]


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


class ClauseState:
    """A clause while proposals are applied to it."""

    def __init__(self, clause: Clause):
        self.clause = clause
        self.units: list[Unit] = []
        self.unit_gaps: dict[int, Origin] = {}
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
        self.original = [unit.segments for unit in self.units]

    def segments(self) -> list[list[str]]:
        return [unit.segments for unit in self.units]

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
