"""Automatic numbering from ``numbering.xml``: the labels Word shows for headings and list items.

Word keeps one set of counters per abstract numbering definition; a ``w:num`` instance that
overrides a level's start restarts that level the first time it is used. When a level advances,
deeper levels restart unless their ``w:lvlRestart`` says otherwise.

Every number is checked as it is read (a start of 0 to NUMBER_START, a level of 0 to 8), and a
label may not grow past LABEL_CHARS characters: a junk or out-of-range value is a ReadError
naming the numbering definition, never a silently different numbering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from spectrace.limits import LABEL_CHARS, NUMBER_START
from spectrace.model import BULLET
from spectrace.readers.docx.ooxml import MAX_ILVL, Place, W, int_attr
from spectrace.readers.docx.styles import Styles
from spectrace.text import format_number

_PLACEHOLDER = re.compile(r"%([1-9])")
_STRAY_PERCENT = re.compile(r"%(?![1-9])")
_UNNUMBERED = ("bullet", "none")


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
    """The numbering definitions of a document plus the running counters while it is read.

    ``place`` names the part in errors. A list's definition (its abstract, followed through
    numbering-style links, merged with its overrides) is worked out once and remembered.
    """

    def __init__(self, root: etree._Element | None, styles: Styles, place: Place | None = None):
        self.styles = styles
        self.place = place or Place("", "word/numbering.xml")
        self.abstracts: dict[str, Abstract] = {}
        self.nums: dict[str, Num] = {}
        self._counters: dict[str, list[int | None]] = {}
        self._started: set[str] = set()
        self._definitions: dict[str, tuple[str, dict[int, Level]]] = {}
        self._links: dict[str, str] = {}
        if root is not None:
            for element in root.iter(W + "abstractNum"):
                abstract_id = element.get(W + "abstractNumId", "")
                where = self.place.at(f"w:abstractNum {abstract_id}")
                self.abstracts[abstract_id] = _abstract(element, where)
            for element in root.iter(W + "num"):
                num_id = element.get(W + "numId", "")
                self.nums[num_id] = _num(element, self.place.at(f"w:num {num_id}"))

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
        counters = self._counters.setdefault(abstract_id, [None] * (MAX_ILVL + 1))
        if num_id not in self._started:
            self._started.add(num_id)
            for started, start in self.nums[num_id].starts.items():
                counters[started] = start - 1
                _reset_deeper(counters, levels, started)
        level = levels.get(ilvl, Level())
        counter = counters[ilvl]
        counters[ilvl] = level.start if counter is None else counter + 1
        _reset_deeper(counters, levels, ilvl)
        return self._render(level, counters, levels, self.place.at(f"w:num {num_id} level {ilvl}"))

    def _render(
        self, level: Level, counters: list[int | None], levels: dict[int, Level], place: Place
    ) -> str:
        if level.fmt == "bullet":
            return level.text

        def value(match: re.Match) -> str:
            index = int(match.group(1)) - 1
            source = levels.get(index, Level())
            counter = counters[index]
            current = counter if counter is not None else source.start
            fmt = "decimal" if level.legal else source.fmt
            if _label_length(current, fmt) > LABEL_CHARS:
                raise place.error(_too_long(f"item {current:,} in {fmt}"))
            return format_number(current, fmt)

        label = _PLACEHOLDER.sub(value, level.text)
        if len(label) > LABEL_CHARS:
            raise place.error(_too_long(f"the label {label[:20]!r}…"))
        return label

    def _definition(self, num_id: str) -> tuple[str, dict[int, Level]]:
        """Return the abstract a list counts in and its levels merged with the list's own."""
        if num_id not in self._definitions:
            num = self.nums[num_id]
            abstract_id = self._follow_style_link(num.abstract)
            abstract = self.abstracts.get(abstract_id, Abstract())
            self._definitions[num_id] = abstract_id, {**abstract.levels, **num.levels}
        return self._definitions[num_id]

    def _follow_style_link(self, abstract_id: str) -> str:
        """Return the abstract a numbering-style reference (``w:numStyleLink``) leads to.

        Every abstract on the way is remembered as leading to the same end (a cycle ends where
        it closes), so following all links of a document is linear in their number.
        """
        path: list[str] = []
        seen: set[str] = set()
        current = abstract_id
        while current not in seen and current not in self._links:
            seen.add(current)
            path.append(current)
            link = self.abstracts.get(current, Abstract()).style_link
            target = self.styles.numbering(link)[0] if link else None
            if not target or target not in self.nums:
                break
            current = self.nums[target].abstract
        end = self._links.get(current, current)
        for step in path:
            self._links[step] = end
        return end

    def _linked_level(self, num_id: str, style: str | None) -> int | None:
        if style is None:
            return None
        _, levels = self._definition(num_id)
        return next((i for i, level in sorted(levels.items()) if level.style == style), None)


def _too_long(what: str) -> str:
    return f"{what} would make a label of more than {LABEL_CHARS} characters; refused"


def _label_length(value: int, fmt: str) -> int:
    """Return at least how long ``format_number(value, fmt)`` is, without writing it out."""
    if fmt in ("lowerLetter", "upperLetter"):
        return (max(value, 1) - 1) // 26 + 1
    if fmt in ("lowerRoman", "upperRoman"):
        return max(value, 1) // 1000
    return len(str(value))


def _reset_deeper(counters: list[int | None], levels: dict[int, Level], ilvl: int) -> None:
    for deeper in range(ilvl + 1, MAX_ILVL + 1):
        restart = levels.get(deeper, Level()).restart
        if restart is None or (restart > 0 and ilvl < restart):
            counters[deeper] = None


def _level(element: etree._Element, place: Place) -> Level:
    """Return one ``w:lvl``, its numbers and its ``w:lvlText`` checked (see _level_text)."""

    def child(name: str) -> etree._Element | None:
        return element.find(W + name)

    def val(name: str) -> str | None:
        found = child(name)
        return found.get(W + "val") if found is not None else None

    fmt = val("numFmt") or "decimal"
    return Level(
        start=int_attr(child("start"), place, low=0, high=NUMBER_START, default=1),
        fmt=fmt,
        text=_level_text(val("lvlText") or "", fmt, place),
        restart=int_attr(child("lvlRestart"), place, low=0, high=MAX_ILVL + 1),
        legal=child("isLgl") is not None,
        style=val("pStyle"),
    )


def _level_text(text: str, fmt: str, place: Place) -> str:
    """Return a level's ``w:lvlText``, refusing one over LABEL_CHARS characters, and, for a
    numbered level, a "%" that is not a level placeholder %1-%9 (junk that made headings lose
    their numbers, and their clauses vanish, without a word)."""
    if len(text) > LABEL_CHARS:
        raise place.error(f"w:lvlText is longer than {LABEL_CHARS} characters; refused")
    if fmt not in _UNNUMBERED and _STRAY_PERCENT.search(text):
        raise place.error(
            f"w:lvlText {text!r} has a '%' that is not a level number %1 to %9; refused"
        )
    return text


def _abstract(element: etree._Element, place: Place) -> Abstract:
    abstract = Abstract()
    for lvl in element.findall(W + "lvl"):
        ilvl = int_attr(lvl, place, low=0, high=MAX_ILVL, default=0, name="ilvl")
        abstract.levels[ilvl] = _level(lvl, place.at(f"{place.inside} level {ilvl}"))
    link = element.find(W + "numStyleLink")
    abstract.style_link = link.get(W + "val") if link is not None else None
    return abstract


def _num(element: etree._Element, place: Place) -> Num:
    abstract = element.find(W + "abstractNumId")
    num = Num(abstract.get(W + "val", "") if abstract is not None else "")
    for override in element.findall(W + "lvlOverride"):
        ilvl = int_attr(override, place, low=0, high=MAX_ILVL, default=0, name="ilvl")
        where = place.at(f"{place.inside} level {ilvl}")
        start = override.find(W + "startOverride")
        if start is not None:
            num.starts[ilvl] = int_attr(start, where, low=0, high=NUMBER_START, default=1)
        lvl = override.find(W + "lvl")
        if lvl is not None:
            num.levels[ilvl] = _level(lvl, where)
            if start is None and lvl.find(W + "start") is not None:
                num.starts[ilvl] = num.levels[ilvl].start
    return num


def display_label(label: str) -> str:
    """Return a list label as shown; every bullet symbol (often a Symbol-font character) is "•"."""
    label = " ".join(label.split())
    return label if any(char.isalnum() for char in label) else BULLET
