"""Data items of a device, keyed by the clause of the specification that defines them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeAlias

Value: TypeAlias = str | int | Decimal
"""The value of a data item: text (Currency Units), a count, or an amount."""

_CLAUSE = re.compile(r"^\d+(?:\.\d+)*$")


def within(clause: str, sections: Iterable[str]) -> bool:
    """Whether ``clause`` is one of ``sections`` or lies inside one (5.7.4.2 is in 5.7.4)."""
    return any(clause == section or clause.startswith(section + ".") for section in sections)


@dataclass(frozen=True)
class DataItem:
    """A data item (e.g. Meter Balance, 4.6.5.11) with its value; ``info`` is the [INFO]
    annotation the data tables give the items that are provided to other devices."""

    clause: str
    name: str
    value: Value
    info: bool = False

    def __post_init__(self) -> None:
        if not _CLAUSE.match(self.clause):
            raise ValueError(f"{self.clause!r} is not a clause number")

    def within(self, sections: Iterable[str]) -> bool:
        return within(self.clause, sections)
