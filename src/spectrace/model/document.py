"""A specification at one edition: clauses holding blocks holding statements, plus a glossary."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum


class Modality(StrEnum):
    """How binding a statement is, from its modal verb."""

    SHALL = "shall"
    SHALL_NOT = "shall_not"
    SHOULD = "should"
    MAY = "may"
    INFORMATIVE = "informative"

    @property
    def normative(self) -> bool:
        return self is not Modality.INFORMATIVE


#: The label of every bulleted list item, whatever symbol the source used.
BULLET = "•"


class BlockKind(StrEnum):
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE = "table"


@dataclass(frozen=True)
class Location:
    """Where something was read from: a file and a place in it ("line 12", "paragraph 57")."""

    file: str
    where: str = ""

    def __str__(self) -> str:
        return f"{self.file}: {self.where}" if self.where else self.file


@dataclass
class Statement:
    """One normative sentence or list item, the unit that code and tests trace to.

    ``id`` is stable across editions; ``modality``, ``actors``, ``refs`` and ``terms`` are derived
    from ``text`` by :mod:`spectrace.transforms.statements`.
    """

    id: str
    text: str
    modality: Modality = Modality.INFORMATIVE
    actors: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)

    @property
    def fingerprint(self) -> str:
        """Return a short hash of the text; a changed statement keeps its id, not this."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]


@dataclass
class Block:
    """A paragraph, a list item or a table inside a clause.

    ``text`` is single-spaced plain text. A paragraph's or list item's text is the concatenation
    (with single spaces) of ``lead`` — text that belongs to no statement — and its statements.
    A table keeps its cells in ``rows``; its first ``header_rows`` rows are headings.
    """

    kind: BlockKind
    text: str
    statements: list[Statement] = field(default_factory=list)
    lead: str = ""
    label: str = ""
    level: int = 0
    rows: list[list[str]] = field(default_factory=list)
    header_rows: int = 0
    location: Location | None = field(default=None, compare=False)

    def copy(self) -> Block:
        return Block(
            self.kind,
            self.text,
            [
                Statement(s.id, s.text, s.modality, list(s.actors), list(s.refs), list(s.terms))
                for s in self.statements
            ],
            self.lead,
            self.label,
            self.level,
            [list(row) for row in self.rows],
            self.header_rows,
            self.location,
        )


@dataclass
class Clause:
    """A heading and everything under it up to the next heading.

    ``number`` is None for an unnumbered heading (SMETS "Part A: Single Element ESME"); such a
    heading groups the clauses that follow it but is not addressable.
    """

    number: str | None
    title: str
    level: int
    blocks: list[Block] = field(default_factory=list)
    location: Location | None = field(default=None, compare=False)

    @property
    def statements(self) -> Iterator[Statement]:
        for block in self.blocks:
            yield from block.statements

    def copy(self) -> Clause:
        return Clause(
            self.number, self.title, self.level, [b.copy() for b in self.blocks], self.location
        )

    @property
    def key(self) -> str:
        """Return the number, or a slug of the title for an unnumbered heading."""
        return self.number if self.number is not None else slug(self.title)


@dataclass
class GlossaryEntry:
    term: str
    definition: str
    location: Location | None = field(default=None, compare=False)


@dataclass
class Document:
    """One specification (``name`` such as "SMETS") at one ``edition`` (such as "4.2").

    ``retired`` lists the ids of statements that earlier amendments deleted: they are never
    given out again.

    An edition imported to continue another (``import spec --from``) names that edition in
    ``continues`` ("SMETS 4.2+IRP603") and lists in ``changed`` the statements that kept their
    id there but whose text changed: their links are suspect until reviewed.
    """

    name: str
    edition: str
    title: str = ""
    subtitle: str = ""
    front_matter: list[str] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    glossary: list[GlossaryEntry] = field(default_factory=list)
    glossary_clause: str | None = None
    source: str = field(default="", compare=False)
    retired: list[str] = field(default_factory=list)
    continues: str = ""
    changed: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.name} {self.edition}"

    def clause(self, number: str) -> Clause | None:
        """Return the first clause numbered ``number``, or None."""
        return next((c for c in self.clauses if c.number == number), None)

    def statements(self) -> Iterator[tuple[Clause, Statement]]:
        for clause in self.clauses:
            for statement in clause.statements:
                yield clause, statement

    def copy(self) -> Document:
        """Return a copy that can be changed without changing this document (faster than
        ``copy.deepcopy``, which matters for a 10,000-clause edition)."""
        return Document(
            self.name,
            self.edition,
            self.title,
            self.subtitle,
            list(self.front_matter),
            [clause.copy() for clause in self.clauses],
            [GlossaryEntry(e.term, e.definition, e.location) for e in self.glossary],
            self.glossary_clause,
            self.source,
            list(self.retired),
            self.continues,
            list(self.changed),
        )

    def parents(self) -> list[Clause | None]:
        """Return, for each clause in order, the nearest earlier clause of a lower level."""
        stack: list[Clause] = []
        result: list[Clause | None] = []
        for clause in self.clauses:
            while stack and stack[-1].level >= clause.level:
                stack.pop()
            result.append(stack[-1] if stack else None)
            stack.append(clause)
        return result

    def parts(self) -> list[str | None]:
        """Return, per clause, the title of the unnumbered heading it sits under ("Part A: …").

        An unnumbered heading groups the clauses after it at its own level and below, until a
        clause of a higher level (a lower level number) or another unnumbered heading.
        """
        open_parts: list[Clause] = []
        result: list[str | None] = []
        for clause in self.clauses:
            while open_parts and (
                open_parts[-1].level > clause.level
                or (clause.number is None and open_parts[-1].level >= clause.level)
            ):
                open_parts.pop()
            if clause.number is None:
                open_parts.append(clause)
                result.append(None)
            else:
                result.append(open_parts[-1].title if open_parts else None)
        return result


def slug(text: str) -> str:
    """Return ``text`` lower-cased with every run of non-alphanumerics turned into one hyphen."""
    out, dash = [], False
    for char in text.lower():
        if char.isascii() and char.isalnum():
            out.append(char)
            dash = False
        elif not dash and out:
            out.append("-")
            dash = True
    return "".join(out).rstrip("-") or "untitled"


_TERM_HEADERS = {"term", "terms", "defined term", "expression"}
_DEFINITION_HEADERS = {"definition", "definitions", "meaning", "description"}


def is_glossary_header(row: list[str]) -> bool:
    """Return whether a two-cell row is a glossary table's header ("Term | Definition")."""
    return (
        len(row) == 2
        and row[0].strip().lower() in _TERM_HEADERS
        and row[1].strip().lower() in _DEFINITION_HEADERS
    )
