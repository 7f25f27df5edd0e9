"""List item labels ("i.", "(b)", "3)") as values that can be compared and renumbered."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spectrace.text import format_number

_LABEL = re.compile(r"^(\(?)([0-9]+|[A-Za-z]+)([.)])$")
_ROMAN_VALID = re.compile(r"^m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


@dataclass(frozen=True)
class Label:
    """An enumerator: ``prefix`` + the ``value`` written as ``kind`` + ``suffix``."""

    prefix: str
    kind: str  # "arabic", "alpha" or "roman"
    value: int
    suffix: str
    upper: bool = False

    def __str__(self) -> str:
        return f"{self.prefix}{self.written(self.value)}{self.suffix}"

    def written(self, value: int) -> str:
        if self.kind == "arabic":
            return str(value)
        if self.kind == "alpha":
            return format_number(value, "upperLetter" if self.upper else "lowerLetter")
        return format_number(value, "upperRoman" if self.upper else "lowerRoman")

    def at(self, value: int) -> Label:
        """Return the label of the same style with ``value``."""
        return Label(self.prefix, self.kind, value, self.suffix, self.upper)


def parse_label(label: str) -> Label | None:
    """Return the enumerator ``label`` writes, or None when it is a bullet or ambiguous.

    A single "i" is roman; other single letters that are roman digits ("v", "x", "c" …) are
    ambiguous and give None.
    """
    match = _LABEL.match(label)
    if not match or (match.group(1) and match.group(3) != ")"):
        return None
    sequence = match.group(2)
    kind = _kind(sequence)
    if kind is None:
        return None
    return Label(match.group(1), kind, _value(sequence, kind), match.group(3), sequence.isupper())


def is_sequence(labels: list[str]) -> bool:
    """Return whether ``labels`` count up one by one in one style ("i.", "ii.", "iii.")."""
    if not labels:
        return True
    first = parse_label(labels[0])
    return first is not None and all(
        label == str(first.at(first.value + offset)) and parse_label(label) is not None
        for offset, label in enumerate(labels)
    )


def _kind(sequence: str) -> str | None:
    if sequence.isdigit():
        return "arabic"
    lower = sequence.lower()
    if lower == "i" or (len(lower) > 1 and _ROMAN_VALID.match(lower)):
        return "roman"
    if len(lower) == 1 and lower not in "vxlcdm":
        return "alpha"
    return None


def _value(sequence: str, kind: str) -> int:
    if kind == "arabic":
        return int(sequence)
    if kind == "alpha":
        return ord(sequence.lower()) - ord("a") + 1
    lower = sequence.lower()
    total = 0
    for char, following in zip(lower, lower[1:] + " ", strict=True):
        value = _ROMAN_VALUES[char]
        total += -value if following != " " and _ROMAN_VALUES[following] > value else value
    return total
