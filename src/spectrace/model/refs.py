"""The grammar of names and references, declared once: every other module builds on this one.

=================  ====================================  =========================================
element            examples                              rule
=================  ====================================  =========================================
document name      ``SMETS``, ``CHTS``                   ASCII letters and digits, from a capital
edition            ``4.2``, ``4.2+IRP603``               ASCII letters, digits and ``. + _ -``,
                                                         from a letter or digit
clause number      ``5.6.1``, ``A.1`` (an annex),        digits separated by dots, or a capital
                   ``4.6.4.9A`` (inserted by an IRP)     and dotted digits; the last group may end
                                                         in one capital (a clause inserted between
                                                         two numbered ones)
clause address     ``SMETS 5.6.1``, ``SMETS@4.2 5.6.1``  ``DOC[@EDITION] NUMBER``
statement id       ``SMETS-5.6.1-2``,                    ``DOC-KEY-N``: the document, the key of
                   ``SMETS-part-a-1``                    the clause it was first given (its
                                                         number, or a title slug), a count
IRP number         ``IRP603``                            letters, digits, ``_`` and ``-``, from a
                                                         letter
=================  ====================================  =========================================

A document name is at most :data:`~spectrace.limits.NAME_CHARS` characters and an edition at
most :data:`~spectrace.limits.EDITION_CHARS` (they name folders and files), wherever they stand:
alone, in an address or in a statement id.

Three forms of each rule: a ``*_PATTERN`` string is a piece (no anchors, no groups) for a larger
pattern; a compiled pattern matches a whole value (it ends in ``\\Z``, so a trailing newline is
refused) but knows no length; the ``is_*``, ``parse_*`` and ``split_*`` functions apply the
whole rule, length included, and are what a reader or checker should call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spectrace.errors import AddressError
from spectrace.limits import EDITION_CHARS, NAME_CHARS

#: A document name: ``SMETS``.
DOCUMENT_NAME_PATTERN = r"[A-Z][A-Za-z0-9]*"
#: An edition: ``4.2``, or an amended edition ``4.2+IRP603``.
EDITION_PATTERN = r"[0-9A-Za-z][0-9A-Za-z.+_-]*"
#: A clause number: "5.6.1", an annex clause "A.1", or one inserted between two "4.6.4.9A".
CLAUSE_NUMBER_PATTERN = r"(?:\d+(?:\.\d+)*|[A-Z](?:\.\d+)+)(?:[A-Z](?![A-Za-z0-9]))?"
#: The key of the clause a statement id was first given: its number, or a slug of its title.
CLAUSE_KEY_PATTERN = r"[\w.-]+"
#: An IRP number; it also names the IRP's source file.
IRP_NUMBER_PATTERN = r"[A-Za-z][A-Za-z0-9_-]*"
#: What names a document's glossary where a clause number would stand (``CHTS Glossary``).
GLOSSARY = "Glossary"

DOCUMENT_NAME = re.compile(rf"^{DOCUMENT_NAME_PATTERN}\Z")
EDITION = re.compile(rf"^{EDITION_PATTERN}\Z")
STATEMENT_ID = re.compile(
    rf"^(?P<doc>{DOCUMENT_NAME_PATTERN})-(?P<key>{CLAUSE_KEY_PATTERN})-(?P<n>\d+)\Z"
)
IRP_NUMBER = re.compile(rf"^{IRP_NUMBER_PATTERN}\Z")
CLAUSE_ADDRESS = re.compile(
    rf"^(?P<doc>{DOCUMENT_NAME_PATTERN})(?:@(?P<edition>{EDITION_PATTERN}))?\s+"
    rf"(?P<number>{CLAUSE_NUMBER_PATTERN})\Z"
)
GLOSSARY_ADDRESS = re.compile(
    rf"^(?P<doc>{DOCUMENT_NAME_PATTERN})(?:@(?P<edition>{EDITION_PATTERN}))?\s+{GLOSSARY}\Z"
)
_CHANGE_TARGET = re.compile(
    rf"^(?:(?P<doc>{DOCUMENT_NAME_PATTERN})\s+)?"
    rf"(?:(?P<number>{CLAUSE_NUMBER_PATTERN})|(?P<glossary>{GLOSSARY}))\Z"
)
_HEADING = re.compile(rf"^(?P<number>{CLAUSE_NUMBER_PATTERN})\.?(?:\s+(?P<title>.*)|$)", re.S)


def is_document_name(text: str) -> bool:
    """Return whether ``text`` is a document name (``SMETS``) of at most NAME_CHARS characters."""
    return len(text) <= NAME_CHARS and DOCUMENT_NAME.match(text) is not None


def is_edition(text: str) -> bool:
    """Return whether ``text`` is an edition (``4.2``) of at most EDITION_CHARS characters."""
    return len(text) <= EDITION_CHARS and EDITION.match(text) is not None


def is_clause_number(text: str) -> bool:
    """Return whether ``text`` is a clause number: ``5.6.1`` or ``A.1``."""
    return re.fullmatch(CLAUSE_NUMBER_PATTERN, text) is not None


def is_statement_id(text: str) -> bool:
    """Return whether ``text`` is a statement id: ``SMETS-5.6.1-2``."""
    return _statement(text) is not None


def is_irp_number(text: str) -> bool:
    """Return whether ``text`` is an IRP number: ``IRP603``."""
    return IRP_NUMBER.match(text) is not None


@dataclass(frozen=True)
class ClauseAddress:
    """A clause of a document, at an explicit edition or the one the build implies."""

    document: str
    number: str
    edition: str | None = None

    def __str__(self) -> str:
        at = f"@{self.edition}" if self.edition else ""
        return f"{self.document}{at} {self.number}"


def match_address(text: str) -> ClauseAddress | None:
    """Return the clause address ``text`` writes as ``DOC [@EDITION] NUMBER``, or None."""
    match = CLAUSE_ADDRESS.match(text.strip())
    if not match or len(match["doc"]) > NAME_CHARS or len(match["edition"] or "") > EDITION_CHARS:
        return None
    return ClauseAddress(match["doc"], match["number"], match["edition"])


def parse_address(text: str) -> ClauseAddress:
    """Return the clause address written as ``DOC [@EDITION] NUMBER``; raise AddressError if not."""
    address = match_address(text)
    if address is None:
        raise AddressError(
            f"'{text}' is not a clause address; write it like 'SMETS 5.6.1' or 'SMETS@4.2 5.6.1'"
        )
    return address


def match_glossary_address(text: str) -> tuple[str, str | None] | None:
    """Return (document, edition or None) of a glossary written ``DOC [@EDITION] Glossary``, or
    None when ``text`` is not one."""
    match = GLOSSARY_ADDRESS.match(text.strip())
    if not match or len(match["doc"]) > NAME_CHARS or len(match["edition"] or "") > EDITION_CHARS:
        return None
    return match["doc"], match["edition"]


def parse_change_target(text: str) -> tuple[str, str | None] | None:
    """Return (document, clause number) of a change's target ``SMETS 4.4.5``, (document, None)
    of ``CHTS Glossary``, ("", number) of a bare clause number ``4.6.4.10`` (the document left
    to the context), or None when ``text`` is none of them."""
    match = _CHANGE_TARGET.match(text.strip())
    document = match["doc"] or "" if match else ""
    if not match or len(document) > NAME_CHARS or (match["glossary"] and not document):
        return None
    return document, match["number"]


def split_heading(text: str) -> tuple[str | None, str]:
    """Return (number, title) of a heading that starts with a clause number, else (None, text)."""
    match = _HEADING.match(text)
    if not match:
        return None, text
    return match["number"], " ".join((match["title"] or "").split())


def statement_id(document: str, clause_key: str, n: int) -> str:
    """Return the id of statement ``n`` first allocated in a clause: ``SMETS-5.6.1-2``."""
    return f"{document}-{clause_key}-{n}"


def split_statement_id(statement: str) -> tuple[str, str, int] | None:
    """Return (document, clause key, n) of a statement id, or None when it is not one."""
    match = _statement(statement)
    return (match["doc"], match["key"], int(match["n"])) if match else None


def _statement(text: str) -> re.Match | None:
    match = STATEMENT_ID.match(text)
    return match if match and len(match["doc"]) <= NAME_CHARS else None


def number_key(number: str) -> tuple:
    """Return a sort key that orders clause numbers numerically (5.9 before 5.10)."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in number.split("."))
