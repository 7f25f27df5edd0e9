"""Addresses of clauses and statements: ``SMETS 5.6.1``, ``SMETS@4.2 5.6.1``, ``SMETS-5.6.1-2``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spectrace.errors import AddressError

#: A clause number: "5.6.1", or an annex clause "A.1".
CLAUSE_NUMBER = r"(?:\d+(?:\.\d+)*|[A-Z](?:\.\d+)+)"
_CLAUSE = re.compile(
    rf"^(?P<doc>[A-Za-z][\w-]*?)(?:@(?P<edition>[\w.+-]+))?\s+(?P<number>{CLAUSE_NUMBER})$"
)
_HEADING = re.compile(rf"^(?P<number>{CLAUSE_NUMBER})\.?(?:\s+(?P<title>.*)|$)", re.S)
_STATEMENT = re.compile(r"^(?P<doc>[A-Za-z][\w]*)-(?P<key>[\w.-]+)-(?P<n>\d+)$")


@dataclass(frozen=True)
class ClauseAddress:
    """A clause of a document, at an explicit edition or the one the build implies."""

    document: str
    number: str
    edition: str | None = None

    def __str__(self) -> str:
        at = f"@{self.edition}" if self.edition else ""
        return f"{self.document}{at} {self.number}"


def parse_address(text: str) -> ClauseAddress:
    """Return the clause address written as ``DOC [@EDITION] NUMBER``; raise AddressError if not."""
    match = _CLAUSE.match(text.strip())
    if not match:
        raise AddressError(
            f"'{text}' is not a clause address; write it like 'SMETS 5.6.1' or 'SMETS@4.2 5.6.1'"
        )
    return ClauseAddress(match["doc"], match["number"], match["edition"])


def split_heading(text: str) -> tuple[str | None, str]:
    """Return (number, title) of a heading that starts with a clause number, else (None, text)."""
    match = _HEADING.match(text)
    if not match:
        return None, text
    return match["number"], " ".join((match["title"] or "").split())


def is_clause_number(text: str) -> bool:
    return re.fullmatch(CLAUSE_NUMBER, text) is not None


#: What the ``:st:`` role accepts as a statement id.
STATEMENT_ID = re.compile(r"^[A-Za-z][\w.-]*$")


def statement_id(document: str, clause_key: str, n: int) -> str:
    """Return the id of statement ``n`` first allocated in a clause: ``SMETS-5.6.1-2``."""
    return f"{document}-{clause_key}-{n}"


def split_statement_id(statement: str) -> tuple[str, str, int] | None:
    """Return (document, clause key, n) of a statement id, or None when it is not one."""
    match = _STATEMENT.match(statement)
    return (match["doc"], match["key"], int(match["n"])) if match else None


def number_key(number: str) -> tuple:
    """Return a sort key that orders clause numbers numerically (5.9 before 5.10)."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in number.split("."))
