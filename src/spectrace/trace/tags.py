"""The tag grammar shared by code comments, docstrings and the pytest marker.

``implements: SMETS-5.6.1-2`` names a statement; ``implements: SMETS 5.6.1`` (or
``SMETS@4.2 5.6.1``) a clause, meaning all its statements; several are separated by commas.
``verifies:`` works the same way for tests. Ids and addresses follow the grammar of
:mod:`spectrace.model.refs`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spectrace.model.refs import is_statement_id, match_address
from spectrace.trace.model import LinkKind

KINDS = tuple(LinkKind)
TAG = re.compile(rf"\b(?P<kind>{'|'.join(KINDS)})\s*:\s*(?P<targets>[^\n]*)", re.IGNORECASE)

_SEPARATORS = re.compile(r"[,;]")
_CLOSERS = re.compile(r"\*/|-->|\"\"\"|'''")


@dataclass(frozen=True)
class Target:
    """What a tag names: a statement id, or a clause (all its statements)."""

    text: str
    statement: str | None = None
    document: str | None = None
    edition: str | None = None
    clause: str | None = None

    def __str__(self) -> str:
        return self.text


def parse_targets(text: str) -> tuple[list[Target], list[str]]:
    """Return the targets a tag's text names and the pieces that name nothing well-formed."""
    targets, malformed = [], []
    for piece in (p.strip() for p in _SEPARATORS.split(trim(text))):
        if not piece:
            continue
        if is_statement_id(piece):
            targets.append(Target(piece, statement=piece))
        elif address := match_address(piece):
            targets.append(
                Target(
                    piece,
                    document=address.document,
                    edition=address.edition,
                    clause=address.number,
                )
            )
        else:
            malformed.append(piece)
    return targets, malformed


def trim(text: str) -> str:
    """Drop what closes a comment or string after the ids (``*/``, ``-->``, quotes)."""
    return _CLOSERS.split(text, maxsplit=1)[0].strip().rstrip("\"'")
