"""Statement text as RST with its cross-references linked.

A statement's ``refs`` (from :mod:`spectrace.transforms.statements`) say which clause numbers
in its text are references; each becomes a ``:clause:`` link when the clause exists in the
edition the page links to (a dangling reference stays text: lint reports those). Defined terms
need no markup: the extension links their first use in each clause (``spectrace.sphinx.terms``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property

from spectrace.model import Block, Document
from spectrace.site.rst import RST, join, role

#: A clause number standing alone in text: "5.6.1", or one an IRP inserted, "4.6.4.9A".
_NUMBER = re.compile(r"(?<![\w.])(\d+(?:\.\d+)*[A-Z]?)(?![\w]|\.\d)")
_SECTION_BEFORE = re.compile(r"[Ss]ections?\s+$")


@dataclass
class Linker:
    """Links for the pages of one edition: ``editions`` maps each document to the edition its
    links go to and that edition's clause numbers."""

    document: Document
    editions: dict[str, tuple[str, set[str]]]

    @cached_property
    def key(self) -> str:
        """Return what the links of a block depend on besides the block: its document and
        the clause numbers of each edition links go to."""
        numbers = sorted((name, e, sorted(n)) for name, (e, n) in self.editions.items())
        text = repr((self.document.name, numbers)).encode("utf-8", "surrogatepass")
        return hashlib.sha1(text, usedforsecurity=False).hexdigest()

    def block_lines(self, block: Block) -> list[RST]:
        """Return a paragraph or list item as lines: lead text, then one line per statement."""
        lines = [self.text(block.lead, [])] if block.lead else []
        lines += [
            RST(role("st", statement.id) + (" " + self.text(statement.text, statement.refs)))
            for statement in block.statements
        ]
        return lines or [self.text(block.text, [])]

    def text(self, text: str, refs: list[str]) -> RST:
        """Return ``text`` escaped, with its references as links."""
        pieces: list[str | RST] = []
        position = 0
        for start, end, link in self._references(text, set(refs)) if refs else ():
            pieces += [text[position:start], link]
            position = end
        pieces.append(text[position:])
        return join(pieces)

    def _references(self, text: str, refs: set[str]):
        own = self.document.name
        for match in _NUMBER.finditer(text):
            number = match.group(1)
            if "." not in number and not _SECTION_BEFORE.search(text, 0, match.start()):
                continue
            if number in refs and self._exists(own, number):
                yield match.start(), match.end(), role("clause", number)
                continue
            for other, (edition, _) in self.editions.items():
                if other != own and f"{other} {number}" in refs and self._exists(other, number):
                    target = f"{other}@{edition} {number}"
                    yield match.start(), match.end(), role("clause", number, target)
                    break

    def _exists(self, document: str, number: str) -> bool:
        known = self.editions.get(document)
        return known is not None and number in known[1]
