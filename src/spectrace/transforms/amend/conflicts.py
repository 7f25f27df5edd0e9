"""Refusals, and the one rule for when two proposals' changes conflict, with the record of
applied changes it is checked against.

A change acts on sequences of items: the words of a paragraph, list item or table cell, the
units (paragraphs, list items, table rows) of a clause, a glossary entry. In each it reaches
from one gap between items to another, counted in the sequence **as the base edition has it**,
so that where a change reaches does not depend on what was applied before it:

- deleting or replacing items ``i`` to ``j - 1`` reaches gaps ``i`` to ``j``;
- inserting at gap ``g`` (before item ``g``) reaches ``g`` to ``g``;
- removing a unit reaches it among the units and all the words of each of its segments; a unit
  a change inserted is a sequence of its own, its words counted as they were inserted, and
  inserting it reaches all of them, so that another proposal cannot edit it either.

Two changes of different proposals conflict when they reach a common gap of one sequence:
when no unchanged item stands between them. That covers touching the same word, inserting at
the same gap, changing text right next to text the other inserted or deleted, and inserting
inside a run the other deleted; changes with one unchanged word between them do not conflict.
The rule is symmetric, so which of two changes is refused depends only on their order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from typing import NamedTuple

from spectrace.findings import Code

Origin = tuple[str, int]  # (IRP, change number)


class Refused(Exception):
    """A change that cannot be applied; ``code`` (an amend code of
    :data:`~spectrace.findings.CATALOGUE`) and the message become a Problem."""

    def __init__(self, code: Code | str, message: str):
        super().__init__(message)
        self.code = Code(code)
        self.message = message


class Reach(NamedTuple):
    """Where a change acts in one sequence: from gap ``start`` to gap ``end`` (inclusive) of
    the base edition's items of ``sequence``."""

    sequence: Hashable
    start: int
    end: int


def conflict(one: Reach, other: Reach) -> bool:
    """Return whether two reaches leave no unchanged item between them: the rule."""
    return one.sequence == other.sequence and max(one.start, other.start) <= min(one.end, other.end)


class Ledger:
    """The reaches of the changes applied so far, each with the change that made it."""

    def __init__(self) -> None:
        self._made: dict[Hashable, list[tuple[Reach, Origin]]] = defaultdict(list)

    def __bool__(self) -> bool:
        return bool(self._made)

    def check(self, reaches: Iterable[Reach], origin: Origin, what: str = "this text") -> None:
        """Refuse, as a ``conflict`` naming the earlier change, reaches that conflict with one
        of another proposal."""
        for reach in reaches:
            for made, by in self._made.get(reach.sequence, ()):
                if by[0] != origin[0] and conflict(reach, made):
                    raise Refused(
                        "conflict",
                        f"conflicts with {by[0]} change {by[1]}, which already changed {what}",
                    )

    def record(self, reaches: Iterable[Reach], origin: Origin) -> None:
        for reach in reaches:
            self._made[reach.sequence].append((reach, origin))
