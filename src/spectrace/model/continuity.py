"""What carrying ids into a new edition found: per statement how it continues the earlier
edition, the matches the engine was not sure of, and where the new text departs from the
amendments it should consolidate.

:mod:`spectrace.transforms.carry` makes the first two, :mod:`spectrace.transforms.verify` the
third; ``spectrace import spec --from`` prints them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Continuity(StrEnum):
    """How a statement of the new edition continues the edition it was carried from."""

    CARRIED = "carried"  # same text (typography aside), same id
    CHANGED = "changed"  # same id, text changed: its links turn suspect
    NEW = "new"  # a new id, never used before
    RETIRED = "retired"  # in the earlier edition only: its id is never given out again


@dataclass(frozen=True)
class StatementContinuity:
    """Statement ``id``: how it continues, the clause it stands in now (``clause``, None when
    retired) and stood in before (``before``, None when new)."""

    id: str
    status: Continuity
    clause: str | None
    before: str | None

    def as_dict(self) -> dict[str, str | None]:
        return {
            "id": self.id,
            "status": self.status.value,
            "clause": self.clause,
            "before": self.before,
        }


class DoubtKind(StrEnum):
    TIE = "tie"  # two candidates matched equally well: resolved by position, and listed
    LOW = "low-confidence"  # matched, but less alike than the engine is sure of


@dataclass(frozen=True)
class Candidate:
    """A clause (its number or key) or a statement (its id) of the earlier edition, and how
    alike it is to what it was compared with (0–100)."""

    name: str
    similarity: int

    def as_dict(self) -> dict[str, str | int]:
        return {"name": self.name, "similarity": self.similarity}


@dataclass(frozen=True)
class Doubt:
    """A match made without certainty: ``what`` ("clause" or "statement") ``name`` of the new
    edition was matched to the first of ``candidates`` (None: to none of them)."""

    kind: DoubtKind
    what: str
    name: str
    text: str
    chosen: str | None
    candidates: tuple[Candidate, ...]

    def as_dict(self) -> dict:
        return {
            "kind": self.kind.value,
            "what": self.what,
            "name": self.name,
            "text": self.text,
            "chosen": self.chosen,
            "candidates": [candidate.as_dict() for candidate in self.candidates],
        }

    def __str__(self) -> str:
        others = ", ".join(f"{c.name} ({c.similarity}%)" for c in self.candidates)
        return (
            f"{self.what} {self.name} ({self.kind.value}): matched {self.chosen}; "
            f"candidates {others}"
        )


class DiscrepancyKind(StrEnum):
    """Where a new edition's text departs from the edition it should consolidate."""

    MISSING = "missing"  # an IRP change the new edition does not make
    UNEXPLAINED = "unexplained"  # text that differs where no listed IRP changed it
    HEADING = "heading"  # a clause's number or title differs
    CLAUSE_ADDED = "clause-added"  # a clause only the new edition has
    CLAUSE_REMOVED = "clause-removed"  # a clause only the earlier edition has


@dataclass(frozen=True)
class Discrepancy:
    """One departure: in ``clause`` (its number in the new edition, else in the earlier one;
    "Glossary" for the glossary), ``before`` is the text the amendments give (lines joined by
    a newline; "" for none) and ``after`` the new edition's. ``irp`` and ``change`` name the
    change a ``missing`` discrepancy is about."""

    clause: str
    kind: DiscrepancyKind
    before: str
    after: str
    irp: str | None = None
    change: int | None = None

    def as_dict(self) -> dict[str, str | int | None]:
        return {
            "clause": self.clause,
            "kind": self.kind.value,
            "irp": self.irp,
            "change": self.change,
            "before": self.before,
            "after": self.after,
        }


@dataclass
class ClausePair:
    """A clause of the earlier edition (``before``) and of the new one (``after``) found to be
    the same clause; one of them is None for a clause that only one edition has. Indices are
    positions in the documents' ``clauses``."""

    before: int | None
    after: int | None


@dataclass
class Carry:
    """The outcome of carrying ids: ``statements`` in the new edition's order, then the
    retired ones; ``pairs`` of clauses (matched pairs in the new edition's order, then the
    clauses only one edition has); ``doubts`` to be looked at."""

    statements: list[StatementContinuity] = field(default_factory=list)
    pairs: list[ClausePair] = field(default_factory=list)
    doubts: list[Doubt] = field(default_factory=list)

    @property
    def matched_clauses(self) -> int:
        return sum(1 for pair in self.pairs if pair.before is not None and pair.after is not None)

    def count(self, status: Continuity) -> int:
        return sum(1 for statement in self.statements if statement.status is status)
