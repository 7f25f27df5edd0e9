"""Automatic numbering for the Word writer: heading numbers and list labels, and numbering.xml.

Headings are numbered through one multilevel list linked to the Heading 1-9 styles (levels
``%1``, ``%1.%2`` …), so Word computes "5.6.1" as it does in the source files. List items get
one numbering definition per label style ("i.", "(a)", "1)", bullets), restarted per list.

Word keeps one set of counters per abstract definition; a ``w:num`` instance with a
``w:startOverride`` restarts its level the first time a paragraph uses it. This module replays
those counters as it assigns numbering, and where the plain sequence would not give the number
the document has (a level starting at 3, a skipped number, a clause under a missing parent,
an annex "A.1"), it opens an instance that restarts the level or, when the higher levels
differ too, one whose level shows them as literal text.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from spectrace.labels import Label, parse_label
from spectrace.model.refs import is_clause_number
from spectrace.text import format_number
from spectrace.writers.docx.xmltext import ROOT_NS, XML_DECL, attr

LEVELS = 9
HEADING_NUM = 1
NO_NUMBER = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>'
_PLACEHOLDER = re.compile(r"%([1-9])")
_FORMATS = {"arabic": ("decimal", "decimal"), "alpha": ("lowerLetter", "upperLetter")}
_FORMATS["roman"] = ("lowerRoman", "upperRoman")


@dataclass(frozen=True)
class Level:
    fmt: str
    text: str
    start: int = 1


@dataclass
class Abstract:
    levels: list[Level]
    headings: bool = False


@dataclass
class Num:
    abstract: int
    starts: dict[int, int] = field(default_factory=dict)
    levels: dict[int, Level] = field(default_factory=dict)


def num_pr(num_id: int, ilvl: int) -> str:
    """Return the ``w:numPr`` that puts a paragraph at level ``ilvl`` of list ``num_id``."""
    return f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'


class Numbering:
    """The numbering definitions a document needs, with Word's counters replayed as they grow."""

    def __init__(self) -> None:
        heading_levels = [
            Level("decimal", ".".join(f"%{k}" for k in range(1, ilvl + 2)))
            for ilvl in range(LEVELS)
        ]
        self.abstracts: list[Abstract] = [Abstract(heading_levels, headings=True)]
        self.nums: dict[int, Num] = {HEADING_NUM: Num(0)}
        self._counters: dict[int, list[int | None]] = {}
        self._started: set[int] = set()
        self._styles: dict[tuple, int] = {}
        self._literal_headings: dict[tuple[int, str], int] = {}

    # --- Word's counters -------------------------------------------------------------------

    def _levels(self, num: Num) -> list[Level]:
        levels = self.abstracts[num.abstract].levels
        return [num.levels.get(i, level) for i, level in enumerate(levels)]

    def _step(self, num: Num, started: bool, ilvl: int, counters: list[int | None]) -> str:
        """Advance ``counters`` as a paragraph at ``ilvl`` of ``num`` does; return its label.

        An instance's start overrides apply the first time a paragraph uses it; a level that
        advances restarts the levels below it.
        """
        if not started:
            for level, start in num.starts.items():
                counters[level] = start - 1
                counters[level + 1 :] = [None] * (LEVELS - level - 1)
        levels = self._levels(num)
        current = counters[ilvl]
        counters[ilvl] = levels[ilvl].start if current is None else current + 1
        counters[ilvl + 1 :] = [None] * (LEVELS - ilvl - 1)

        def value(match: re.Match) -> str:
            index = int(match.group(1)) - 1
            counter = counters[index]
            shown = counter if counter is not None else levels[index].start
            return format_number(shown, levels[index].fmt)

        if levels[ilvl].fmt == "bullet":
            return levels[ilvl].text
        return _PLACEHOLDER.sub(value, levels[ilvl].text)

    def _peek(self, num: Num, started: bool, ilvl: int) -> str:
        counters = list(self._counters.get(num.abstract, [None] * LEVELS))
        return self._step(num, started, ilvl, counters)

    def peek(self, num_id: int, ilvl: int) -> str:
        """Return the label the next paragraph at ``ilvl`` of ``num_id`` would show."""
        return self._peek(self.nums[num_id], num_id in self._started, ilvl)

    def use(self, num_id: int, ilvl: int) -> str:
        """Number one paragraph at ``ilvl`` of ``num_id``; return its label."""
        num = self.nums[num_id]
        counters = self._counters.setdefault(num.abstract, [None] * LEVELS)
        label = self._step(num, num_id in self._started, ilvl, counters)
        self._started.add(num_id)
        return label

    def new_num(self, abstract: int, ilvl: int, start: int | None, level: Level | None = None):
        """Add an instance of ``abstract`` that restarts ``ilvl`` at ``start``; return its id."""
        num = Num(abstract)
        if start is not None:
            num.starts[ilvl] = start
        if level is not None:
            num.levels[ilvl] = level
        return self._add(num)

    def _add(self, num: Num) -> int:
        num_id = max(self.nums) + 1
        self.nums[num_id] = num
        return num_id

    # --- headings ----------------------------------------------------------------------------

    def heading(self, number: str | None, level: int) -> str:
        """Return the ``w:numPr`` a heading numbered ``number`` needs ("" when its style's
        numbering gives it), after numbering it."""
        if number is None:
            return NO_NUMBER
        ilvl = min(max(level, 1), LEVELS) - 1
        if self.peek(HEADING_NUM, ilvl) == number:
            self.use(HEADING_NUM, ilvl)
            return ""
        num_id = self._restart(number, ilvl) or self._literal(number, ilvl)
        self.use(num_id, ilvl)
        return num_pr(num_id, ilvl)

    def _restart(self, number: str, ilvl: int) -> int | None:
        """Return a new instance restarting ``ilvl`` at the last part of ``number``, when the
        higher levels already show the rest; else None."""
        last = number.rpartition(".")[2]
        if not is_clause_number(number) or not last.isdigit():
            return None
        candidate = Num(0, {ilvl: int(last)})
        return self._add(candidate) if self._peek(candidate, False, ilvl) == number else None

    def _literal(self, number: str, ilvl: int) -> int:
        """Return an instance whose ``ilvl`` shows ``number``'s higher parts as literal text."""
        prefix, _, last = number.rpartition(".")
        if not (is_clause_number(number) and last.isdigit()):
            return self.new_num(0, ilvl, 1, Level("none", number.replace("%", "")))
        prefix = f"{prefix}." if prefix else ""
        known = self._literal_headings.get((ilvl, prefix))
        if known is not None and self.peek(known, ilvl) == number:
            return known
        level = Level("decimal", f"{prefix}%{ilvl + 1}", int(last))
        num_id = self.new_num(0, ilvl, int(last), level)
        self._literal_headings[(ilvl, prefix)] = num_id
        return num_id

    # --- list items --------------------------------------------------------------------------

    def list_abstract(self, label: Label | str) -> int:
        """Return the abstract definition for a label style (a Label), or a literal label or
        bullet (a str), adding it on first use."""
        key: tuple[str, str, str, bool] | tuple[str, str]  # a label style, or a literal label
        if isinstance(label, Label):
            key = (label.prefix, label.kind, label.suffix, label.upper)
            fmt = _FORMATS[label.kind][label.upper]
            levels = [Level(fmt, f"{label.prefix}%{i + 1}{label.suffix}") for i in range(LEVELS)]
        else:
            key = ("text", label)
            bullet = not any(char.isalnum() for char in label)
            fmt = "bullet" if bullet else "none"
            levels = [Level(fmt, label.replace("%", "")) for _ in range(LEVELS)]
        if key not in self._styles:
            self._styles[key] = len(self.abstracts)
            self.abstracts.append(Abstract(levels))
        return self._styles[key]

    def xml(self) -> str:
        """Return numbering.xml: every abstract definition, then every instance."""
        parts = [f"{XML_DECL}<w:numbering {ROOT_NS}>"]
        for index, abstract in enumerate(self.abstracts):
            parts.append(_abstract_xml(index, abstract))
        for num_id in sorted(self.nums):
            parts.append(_num_xml(num_id, self.nums[num_id]))
        parts.append("</w:numbering>")
        return "".join(parts)


_Key = TypeVar("_Key", bound=Hashable)


class ListRun(Generic[_Key]):
    """The numbering of one list: consecutive list items of a clause, restarted at its start.

    Items are given in order with a key; :attr:`assigned` maps each key to its ``numId``.
    """

    def __init__(self, numbering: Numbering):
        self.numbering = numbering
        self.assigned: dict[_Key, int] = {}
        self._nums: dict[int, int] = {}
        self._previous: dict[int, Label] = {}
        self._pending: list[tuple[_Key, int, Label | None, int]] = []

    def item(self, key: _Key, label: str, ilvl: int) -> None:
        """Number one item showing ``label`` at level ``ilvl``."""
        ilvl = _clamp(ilvl)
        for deeper in [level for level in self._previous if level > ilvl]:
            del self._previous[deeper]
        style = self._style(label, ilvl)
        abstract = self.numbering.list_abstract(style if style is not None else label)
        num_id = self._nums.get(abstract)
        wanted = str(style) if style is not None else None
        if num_id is None or (wanted is not None and self.numbering.peek(num_id, ilvl) != wanted):
            num_id = self.numbering.new_num(abstract, ilvl, style.value if style else None)
            self._nums[abstract] = num_id
        self.numbering.use(num_id, ilvl)
        self.assigned[key] = num_id
        if style is not None:
            self._previous[ilvl] = style
        self._settle(abstract, num_id)

    def deleted_item(self, key: _Key, label: str, ilvl: int) -> None:
        """Give an item shown as deleted the list of the items around it. It takes no number
        in the amended text, so the counters are left alone."""
        style = _parsed(label)
        abstract = self.numbering.list_abstract(style if style is not None else label)
        if abstract in self._nums:
            self.assigned[key] = self._nums[abstract]
        else:
            self._pending.append((key, abstract, style, _clamp(ilvl)))

    def finish(self) -> None:
        """Give deleted items that no later item of their style followed a list of their own."""
        for key, abstract, style, ilvl in self._pending:
            if abstract not in self._nums:
                self._nums[abstract] = self.numbering.new_num(
                    abstract, ilvl, style.value if style else None
                )
            self.assigned[key] = self._nums[abstract]
        self._pending.clear()

    def _settle(self, abstract: int, num_id: int) -> None:
        waiting = [entry for entry in self._pending if entry[1] == abstract]
        for key, *_ in waiting:
            self.assigned[key] = num_id
        self._pending = [entry for entry in self._pending if entry[1] != abstract]

    def _style(self, label: str, ilvl: int) -> Label | None:
        """Return the label as a value of its style, reading it as the next one of the list
        where it can be ("v." after "iv."), or None for a bullet or a label of no style."""
        before = self._previous.get(ilvl)
        if before is not None and str(before.at(before.value + 1)) == label:
            return before.at(before.value + 1)
        return _parsed(label)


def _parsed(label: str) -> Label | None:
    parsed = parse_label(label)
    return parsed if parsed is not None and str(parsed) == label else None


def _clamp(ilvl: int) -> int:
    return min(max(ilvl, 0), LEVELS - 1)


def _level_xml(ilvl: int, level: Level, headings: bool, linked: bool = True) -> str:
    style = f'<w:pStyle w:val="Heading{ilvl + 1}"/>' if headings and linked else ""
    if headings:
        width = 851 if ilvl < 2 else 1134 + 144 * max(ilvl - 3, 0)
        indent = f'<w:ind w:left="{width}" w:hanging="{width}"/>'
    else:
        indent = f'<w:ind w:left="{720 * (ilvl + 1)}" w:hanging="360"/>'
    font = (
        '<w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial" w:hint="default"/></w:rPr>'
        if level.fmt == "bullet"
        else ""
    )
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{level.start}"/>'
        f'<w:numFmt w:val="{level.fmt}"/>{style}<w:lvlText w:val="{attr(level.text)}"/>'
        f'<w:lvlJc w:val="left"/><w:pPr>{indent}</w:pPr>{font}</w:lvl>'
    )


def _abstract_xml(index: int, abstract: Abstract) -> str:
    kind = "multilevel" if abstract.headings else "hybridMultilevel"
    levels = "".join(
        _level_xml(ilvl, level, abstract.headings) for ilvl, level in enumerate(abstract.levels)
    )
    return (
        f'<w:abstractNum w:abstractNumId="{index}"><w:nsid w:val="{0x5E0C0000 + index:08X}"/>'
        f'<w:multiLevelType w:val="{kind}"/>{levels}</w:abstractNum>'
    )


def _num_xml(num_id: int, num: Num) -> str:
    overrides = []
    for ilvl in sorted(set(num.starts) | set(num.levels)):
        inner = ""
        if ilvl in num.starts:
            inner += f'<w:startOverride w:val="{num.starts[ilvl]}"/>'
        if ilvl in num.levels:
            inner += _level_xml(ilvl, num.levels[ilvl], headings=True, linked=False)
        overrides.append(f'<w:lvlOverride w:ilvl="{ilvl}">{inner}</w:lvlOverride>')
    return (
        f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{num.abstract}"/>'
        f"{''.join(overrides)}</w:num>"
    )
