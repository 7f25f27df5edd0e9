"""Automatic numbering from ``numbering.xml``: the labels Word shows for headings and list items.

Word keeps one set of counters per abstract numbering definition; a ``w:num`` instance that
overrides a level's start restarts that level the first time it is used. When a level advances,
deeper levels restart unless their ``w:lvlRestart`` says otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from spectrace.model import BULLET
from spectrace.readers.docx.ooxml import W
from spectrace.readers.docx.styles import Styles
from spectrace.text import format_number

_PLACEHOLDER = re.compile(r"%([1-9])")


@dataclass
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None
    legal: bool = False
    style: str | None = None


@dataclass
class Num:
    abstract: str
    starts: dict[int, int] = field(default_factory=dict)
    levels: dict[int, Level] = field(default_factory=dict)


@dataclass
class Abstract:
    levels: dict[int, Level] = field(default_factory=dict)
    style_link: str | None = None


class Numbering:
    """The numbering definitions of a document plus the running counters while it is read."""

    def __init__(self, root: etree._Element | None, styles: Styles):
        self.styles = styles
        self.abstracts: dict[str, Abstract] = {}
        self.nums: dict[str, Num] = {}
        self._counters: dict[str, list[int | None]] = {}
        self._started: set[str] = set()
        if root is not None:
            for element in root.iter(W + "abstractNum"):
                self.abstracts[element.get(W + "abstractNumId", "")] = _abstract(element)
            for element in root.iter(W + "num"):
                self.nums[element.get(W + "numId", "")] = _num(element)

    def resolve(self, style: str | None, num_id: str | None, ilvl: int | None):
        """Return the (numId, ilvl) that applies to a paragraph, or None when it is unnumbered.

        Direct numbering wins over the style's; numId 0 switches numbering off; a paragraph whose
        style is linked from a level of the list takes that level.
        """
        style_num, style_ilvl = self.styles.numbering(style)
        num = num_id if num_id is not None else style_num
        if num is None or num == "0" or num not in self.nums:
            return None
        if ilvl is None:
            ilvl = self._linked_level(num, style)
            ilvl = ilvl if ilvl is not None else (style_ilvl or 0)
        return num, ilvl

    def next_label(self, num_id: str, ilvl: int) -> str:
        """Advance the counter of ``ilvl`` in list ``num_id`` and return the label Word shows."""
        abstract_id, levels = self._definition(num_id)
        counters = self._counters.setdefault(abstract_id, [None] * 9)
        if num_id not in self._started:
            self._started.add(num_id)
            for level, start in self.nums[num_id].starts.items():
                counters[level] = start - 1
                _reset_deeper(counters, levels, level)
        level = levels.get(ilvl, Level())
        counters[ilvl] = level.start if counters[ilvl] is None else counters[ilvl] + 1
        _reset_deeper(counters, levels, ilvl)
        return self._render(level, counters, levels)

    def _render(self, level: Level, counters: list[int | None], levels: dict[int, Level]) -> str:
        if level.fmt == "bullet":
            return level.text

        def value(match: re.Match) -> str:
            index = int(match.group(1)) - 1
            source = levels.get(index, Level())
            current = counters[index] if counters[index] is not None else source.start
            return format_number(current, "decimal" if level.legal else source.fmt)

        return _PLACEHOLDER.sub(value, level.text)

    def _definition(self, num_id: str) -> tuple[str, dict[int, Level]]:
        num = self.nums[num_id]
        abstract_id = self._follow_style_link(num.abstract)
        abstract = self.abstracts.get(abstract_id, Abstract())
        levels = {**abstract.levels, **num.levels}
        return abstract_id, levels

    def _follow_style_link(self, abstract_id: str) -> str:
        """Return the abstract a numbering-style reference (``w:numStyleLink``) leads to."""
        seen: set[str] = set()
        while abstract_id not in seen:
            seen.add(abstract_id)
            link = self.abstracts.get(abstract_id, Abstract()).style_link
            target = self.styles.numbering(link)[0] if link else None
            if not target or target not in self.nums:
                break
            abstract_id = self.nums[target].abstract
        return abstract_id

    def _linked_level(self, num_id: str, style: str | None) -> int | None:
        if style is None:
            return None
        _, levels = self._definition(num_id)
        return next((i for i, level in sorted(levels.items()) if level.style == style), None)


def _reset_deeper(counters: list[int | None], levels: dict[int, Level], ilvl: int) -> None:
    for deeper in range(ilvl + 1, 9):
        restart = levels.get(deeper, Level()).restart
        if restart is None or (restart > 0 and ilvl < restart):
            counters[deeper] = None


def _level(element: etree._Element) -> Level:
    def val(name: str) -> str | None:
        child = element.find(W + name)
        return child.get(W + "val") if child is not None else None

    return Level(
        start=int(val("start") or 1),
        fmt=val("numFmt") or "decimal",
        text=val("lvlText") or "",
        restart=int(val("lvlRestart")) if val("lvlRestart") is not None else None,
        legal=element.find(W + "isLgl") is not None,
        style=val("pStyle"),
    )


def _abstract(element: etree._Element) -> Abstract:
    abstract = Abstract()
    for lvl in element.findall(W + "lvl"):
        abstract.levels[int(lvl.get(W + "ilvl", "0"))] = _level(lvl)
    link = element.find(W + "numStyleLink")
    abstract.style_link = link.get(W + "val") if link is not None else None
    return abstract


def _num(element: etree._Element) -> Num:
    abstract = element.find(W + "abstractNumId")
    num = Num(abstract.get(W + "val", "") if abstract is not None else "")
    for override in element.findall(W + "lvlOverride"):
        ilvl = int(override.get(W + "ilvl", "0"))
        start = override.find(W + "startOverride")
        if start is not None:
            num.starts[ilvl] = int(start.get(W + "val", "1"))
        lvl = override.find(W + "lvl")
        if lvl is not None:
            num.levels[ilvl] = _level(lvl)
            if start is None and lvl.find(W + "start") is not None:
                num.starts[ilvl] = num.levels[ilvl].start
    return num


def display_label(label: str) -> str:
    """Return a list label as shown; every bullet symbol (often a Symbol-font character) is "•"."""
    label = " ".join(label.split())
    return label if any(char.isalnum() for char in label) else BULLET
