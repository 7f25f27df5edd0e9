"""Read a section file written in spectrace's own canonical form, without docutils.

docutils parses about a megabyte a second, and a 10,000-clause edition is several megabytes, so
parsing is most of the time any command takes on a large edition. The files spectrace writes
(:mod:`spectrace.writers.rst`) are regular: titles, ``spec:level``, paragraphs of one lead line
and one line per ``:st:`` statement, native lists, ``spec:item``, ``list-table`` and the
glossary, every text escaped one way. This module reads that form line by line, then renders
what it read with the writer and accepts it only if the result is the file, byte for byte.
docutils reads any rendered document back as that document (the round-trip property tests),
so an accepted file gives exactly the clauses, glossary and statements the docutils reader
would give; the locations follow docutils' line numbers (tested against it).

Anything else — a hand-wrapped paragraph, a comment, a stray blank line, an error of any kind —
returns None, and the caller parses the file with docutils, which reads it or reports it.
"""

from __future__ import annotations

import re

from spectrace.limits import RST_DEPTH
from spectrace.model import (
    BULLET,
    Block,
    BlockKind,
    Clause,
    Document,
    GlossaryEntry,
    Location,
    Statement,
)
from spectrace.model.refs import is_statement_id, split_heading
from spectrace.text import squash
from spectrace.writers.rst import INDENT, UNDERLINES, render_section

_ESCAPE = re.compile(r"\\(.)")
_LIST_MARKER = re.compile(r"(-|\(?[0-9A-Za-z]+[.)]) ")
_DIGITS = re.compile(r"[0-9]+")
# The last underline style is reused below its depth, which docutils would read as that depth:
# such files are left to docutils.
_STYLES = UNDERLINES[:-1]

Section = tuple[list[Clause], list[GlossaryEntry], str | None, dict[str, Location]]


class _Decline(Exception):
    """The file is not in the canonical form."""


def read_section(name: str, file: str, text: str) -> Section | None:
    """Return (clauses, glossary, glossary clause, statement locations) of the section file
    ``text`` of document ``name``, or None when the file is not in the canonical form."""
    reader = _Reader(name, file, text.split("\n"))
    try:
        reader.read()
    except _Decline:
        return None
    document = Document(name, "", glossary=reader.glossary, glossary_clause=reader.glossary_clause)
    if not reader.clauses or render_section(document, reader.clauses) != text:
        return None
    return reader.clauses, reader.glossary, reader.glossary_clause, reader.seen


def _unescape(raw: str) -> str:
    """Return the text docutils makes of ``raw``: ``\\x`` is x, an escaped space is nothing."""
    if "\\" not in raw:
        return squash(raw)
    if (len(raw) - len(raw.rstrip("\\"))) % 2:
        raise _Decline  # an escaped line break
    return squash(_ESCAPE.sub(lambda m: "" if m.group(1).isspace() else m.group(1), raw))


class _Reader:
    """Recognise the blocks of one section file, line by line."""

    def __init__(self, name: str, file: str, lines: list[str]):
        self.prefix = f"{name}-"
        self.file = file
        self.lines = lines
        self.clauses: list[Clause] = []
        self.glossary: list[GlossaryEntry] = []
        self.glossary_clause: str | None = None
        self.seen: dict[str, Location] = {}

    def where(self, index: int) -> Location:
        return Location(self.file, f"line {index + 1}")

    def read(self) -> None:
        lines, count = self.lines, len(self.lines)
        pending_level: int | None = None
        index = 0
        while index < count:
            line = lines[index]
            if not line:
                index += 1
            elif line.startswith(".. spec:level:: "):
                pending_level = _number(line.removeprefix(".. spec:level:: "), minimum=1)
                index += 1
            elif index + 1 < count and _is_underline(lines[index + 1]):
                self.title(index, pending_level)
                pending_level = None
                index += 2
            elif not self.clauses or pending_level is not None:
                raise _Decline
            elif line.startswith(".. spec:item::"):
                index = self.spec_item(index)
            elif line == ".. list-table::":
                index = self.table(index)
            elif line == ".. spec:glossary::":
                index = self.glossary_entries(index)
            elif _LIST_MARKER.match(line):
                index = self.native_list(index, "", 0)
            else:
                end = self.block_end(index)
                self.add(self.text_block(index, lines[index:end], BlockKind.PARAGRAPH))
                index = end

    def block_end(self, index: int) -> int:
        """Return the index of the blank line (or the end) after the block at ``index``."""
        lines = self.lines
        while index < len(lines) and lines[index]:
            index += 1
        return index

    def add(self, block: Block) -> None:
        self.clauses[-1].blocks.append(block)

    def title(self, index: int, pending_level: int | None) -> None:
        raw = self.lines[index]
        text = _unescape(raw)
        number, title = (None, text) if raw.startswith("\\") else split_heading(text)
        depth = _STYLES.index(self.lines[index + 1][0]) + 1
        self.clauses.append(
            Clause(number, title, pending_level or depth, location=self.where(index + 1))
        )

    def text_block(
        self, index: int, lines: list[str], kind: BlockKind, label: str = "", level: int = 0
    ) -> Block:
        """Return the paragraph or list item of ``lines`` (the first at ``index``): a lead
        line, then one line per statement."""
        where = self.where(index)
        lead = "" if lines[0].startswith(":st:`") else _unescape(lines[0])
        statements = []
        for line in lines[1:] if lead else lines:
            end = line.find("` ", 5)
            if not line.startswith(":st:`") or end < 0:
                raise _Decline
            statement_id, text = line[5:end], _unescape(line[end + 2 :])
            if (
                not text
                or not is_statement_id(statement_id)
                or not statement_id.startswith(self.prefix)
                or statement_id in self.seen
            ):
                raise _Decline  # docutils' reader reports these
            self.seen[statement_id] = where
            statements.append(Statement(statement_id, text))
        text = squash(" ".join([lead, *(s.text for s in statements)]))
        if not text:
            raise _Decline
        return Block(kind, text, statements, lead=lead, label=label, level=level, location=where)

    def native_list(self, index: int, indent: str, level: int) -> int:
        """Read the items of a native list at ``indent`` (and their nested lists)."""
        lines = self.lines
        while index < len(lines) and lines[index].startswith(indent):
            match = _LIST_MARKER.match(lines[index], len(indent))
            if not match:
                break
            marker = match.group(1)
            pad = indent + " " * (len(marker) + 1)
            end = self.block_end(index)
            item_lines = [lines[index][match.end() :]]
            for line in lines[index + 1 : end]:
                if not line.startswith(pad):
                    raise _Decline
                item_lines.append(line[len(pad) :])
            label = BULLET if marker == "-" else marker
            self.add(self.text_block(index, item_lines, BlockKind.LIST_ITEM, label, level))
            index = end + 1
            if index < len(lines) and lines[index].startswith(pad):
                index = self.native_list(index, pad, level + 1)
        return index

    def option(
        self, index: int, name: str, minimum: int, maximum: int = RST_DEPTH
    ) -> tuple[int, int]:
        """Read a directive's option line ``   :NAME: N`` at ``index``, if it is there, and the
        blank line after the options; return N (0 without it) and the index after the blank."""
        value, prefix = 0, f"{INDENT}:{name}: "
        if index < len(self.lines) and self.lines[index].startswith(prefix):
            value = _number(self.lines[index].removeprefix(prefix), minimum, maximum)
            index += 1
        if index >= len(self.lines) or self.lines[index]:
            raise _Decline
        return value, index + 1

    def spec_item(self, index: int) -> int:
        lines = self.lines
        label = lines[index].removeprefix(".. spec:item::").removeprefix(" ")
        if label != label.strip():
            raise _Decline  # docutils strips a directive's argument
        level, start = self.option(index + 1, "level", minimum=0)
        end = self.block_end(start)
        if start == end or not all(line.startswith(INDENT) for line in lines[start:end]):
            raise _Decline
        content = [line[len(INDENT) :] for line in lines[start:end]]
        self.add(self.text_block(start, content, BlockKind.LIST_ITEM, label, level))
        return end

    def table(self, index: int) -> int:
        lines = self.lines
        header_rows, start = self.option(index + 1, "header-rows", minimum=1, maximum=10**9)
        end = self.block_end(start)
        rows: list[list[str]] = []
        for line in lines[start:end]:
            if line.startswith("   * -"):
                rows.append([])
            elif not line.startswith("     -") or not rows:
                raise _Decline
            rows[-1].append(_unescape(line[6:]))
        # docutils refuses ragged tables and tables with no body row.
        if len({len(row) for row in rows}) != 1 or len(rows) <= header_rows:
            raise _Decline
        text = " ".join(cell for row in rows for cell in row if cell)
        self.add(
            Block(
                BlockKind.TABLE,
                text,
                rows=rows,
                header_rows=header_rows,
                location=self.where(index),
            )
        )
        return end

    def glossary_entries(self, index: int) -> int:
        lines = self.lines
        if self.glossary or self.clauses[-1].number is None:
            raise _Decline
        self.glossary_clause = self.clauses[-1].number
        index += 1
        # Each entry: a blank line, the term indented once, the definition indented twice.
        while index + 2 < len(lines) and not lines[index] and _indent(lines[index + 1]) == 1:
            if _indent(lines[index + 2]) != 2:
                raise _Decline
            term = _unescape(lines[index + 1][len(INDENT) :])
            definition = lines[index + 2][len(INDENT) * 2 :]
            if not term:
                raise _Decline
            self.glossary.append(
                GlossaryEntry(
                    term,
                    "" if definition == ".." else _unescape(definition),
                    location=self.where(index + 1),
                )
            )
            index += 3
        if not self.glossary:
            raise _Decline
        return index


def _is_underline(line: str) -> bool:
    return bool(line) and line[0] in _STYLES and line == line[0] * len(line)


def _indent(line: str) -> int:
    """Return how many INDENTs ``line`` starts with, counting only whole ones."""
    spaces = len(line) - len(line.lstrip(" "))
    return spaces // len(INDENT) if spaces % len(INDENT) == 0 else -1


def _number(text: str, minimum: int, maximum: int = RST_DEPTH) -> int:
    """Return the number ``text``, declining one docutils' reader would refuse (the levels
    are bounded by RST_DEPTH) or any with more digits than int() converts."""
    if not _DIGITS.fullmatch(text) or len(text) > 9 or not minimum <= int(text) <= maximum:
        raise _Decline
    return int(text)
