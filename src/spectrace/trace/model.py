"""What tracing finds and computes: links from code and tests, test results, matrix rows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from spectrace.findings import Finding, InFile
from spectrace.model.refs import IRP_NUMBER_PATTERN

#: How a test's title is joined to the titles of the describe blocks around it, as Vitest names
#: it in JUnit ("Esme > refuses the log"); Jest and Mocha join them with a space.
TITLE_SEPARATOR = " > "


class Status(StrEnum):
    """Where a statement stands, from best to worst (waived aside)."""

    COVERED = "covered"
    IMPLEMENTED_ONLY = "implemented-only"
    TESTED_ONLY = "tested-only"
    FAILING = "failing"
    UNCOVERED = "uncovered"
    SUSPECT = "suspect"
    WAIVED = "waived"


class LinkKind(StrEnum):
    """What a tag claims of a statement: code implements it, or a test verifies it (the pytest
    marker and its JUnit property are named after the second)."""

    IMPLEMENTS = "implements"
    VERIFIES = "verifies"


#: The JUnit property the pytest plugin writes beside each ``verifies`` one: where the marked
#: test is, "path:line".
LOCATION_PROPERTY = "verifies-at"


class Outcome(StrEnum):
    """What became of a test: as a JUnit file reports a case, or MISSING when no result names
    the test (it did not run)."""

    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    SKIPPED = "skipped"
    MISSING = "missing"


class Action(StrEnum):
    """What a change of an IRP did to a statement."""

    ADDED = "added"
    CHANGED = "changed"
    REMOVED = "removed"


@dataclass(frozen=True)
class ChangeRef:
    """Change ``change`` of ``irp``, and what it did to a statement: a matrix row's "changed
    by" (``action`` is then added or changed: a removed statement has no row)."""

    irp: str
    change: int
    action: Action

    def __str__(self) -> str:
        """Return the change as the matrix files write it: "IRP603 change 3 (added)"."""
        return f"{self.irp} change {self.change} ({self.action})"

    @property
    def target(self) -> str:
        """Return the change as an ``:irp:`` role names it: "IRP603#3"."""
        return f"{self.irp}#{self.change}"

    @classmethod
    def parse(cls, text: str) -> ChangeRef | None:
        """Return the change a matrix file writes as ``text`` ("IRP603 change 3 (added)"), or
        None when ``text`` is not what :meth:`__str__` writes for any change."""
        match = _CHANGE_REF.match(text)
        if match is None:
            return None
        found = cls(match["irp"], int(match["change"]), Action(match["action"]))
        return found if str(found) == text else None  # "change 03" is not written so


_CHANGE_REF = re.compile(
    rf"^(?P<irp>{IRP_NUMBER_PATTERN}) change (?P<change>\d+) "
    rf"\((?P<action>{'|'.join(re.escape(action) for action in Action)})\)\Z"
)


@dataclass(frozen=True)
class Link:
    """A place in code or tests that claims a statement (implements or verifies it).

    ``name`` is the qualified name of the function or class the tag belongs to (empty for a
    line-level tag); ``test`` is how test results name a verifying test, when it is one.
    """

    kind: LinkKind
    target: str
    path: str
    line: int
    name: str = ""
    test: str = ""

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" + (f" {self.name}" if self.name else "")


#: Something tracing could not accept: an unknown or malformed tag, an unreadable file (a
#: finding of stage ``trace``; its ``retired`` names the retired statements a refused tag or
#: waiver still names).
TraceError = Finding[InFile]


@dataclass(frozen=True)
class TestResult:
    """One test case's outcome, as a JUnit file reports it."""

    __test__ = False  # not a pytest test class

    classname: str
    name: str
    outcome: Outcome  # never MISSING: a file reports this case
    file: str = ""
    verifies: tuple[str, ...] = ()
    line: int = 0

    @property
    def key(self) -> str:
        return f"{self.classname}::{self.name}" if self.classname else self.name


@dataclass
class Evidence:
    """A verifying test of a statement and its latest outcome (MISSING when it did not run)."""

    link: Link
    outcome: Outcome


@dataclass(slots=True)
class Row:
    """One statement of the matrix."""

    edition: str
    document: str
    statement: str
    clause: str
    modality: str
    text: str
    actors: list[str] = field(default_factory=list)
    implemented_by: list[Link] = field(default_factory=list)
    verified_by: list[Evidence] = field(default_factory=list)
    status: Status = Status.UNCOVERED
    suspect: bool = False
    waived: str = ""
    changed_by: list[ChangeRef] = field(default_factory=list)
    required: bool = True
    suspect_reason: str = ""  # why it is suspect: "changed since reviewed by Ana on 2025-01-31"

    def as_dict(self) -> dict:
        return {
            "edition": self.edition,
            "document": self.document,
            "statement": self.statement,
            "clause": self.clause,
            "modality": self.modality,
            "text": self.text,
            "actors": self.actors,
            "status": self.status.value,
            "suspect": self.suspect,
            "suspect_reason": self.suspect_reason or None,
            "waived": self.waived or None,
            "changed_by": [str(change) for change in self.changed_by],
            "required": self.required,
            "implemented_by": [link.where for link in self.implemented_by],
            "verified_by": [{"test": e.link.where, "outcome": e.outcome} for e in self.verified_by],
        }
