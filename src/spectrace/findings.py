"""Findings as data: one type for everything spectrace finds wrong, and a closed catalogue of
codes, each with the stage that finds it, a default severity and a meaning.

Lint, the amendment engine (a refused change) and tracing (an unusable tag or results file)
all return :class:`Finding` values; only the edges print them, and every edge prints one the
same way: ``severity: where: message [code]`` in the terminal, the same line in HTML, and
:meth:`Finding.as_dict` in JSON. The project file may regrade or waive a lint code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, NamedTuple, TypeVar


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "info": 0}[self.value]


class Stage(StrEnum):
    """Which step of a build finds a code."""

    LINT = "lint"  # reading the editions
    AMEND = "amend"  # applying the proposals' changes
    TRACE = "trace"  # reading tags and test results


class Code(StrEnum):
    """Every finding's code; :data:`CATALOGUE` says what each means."""

    DANGLING_REF = "dangling-ref"
    DUPLICATE_CLAUSE = "duplicate-clause"
    UNDEFINED_TERM = "undefined-term"
    NO_MODAL = "no-modal"
    UNMARKED_STATEMENT = "unmarked-statement"
    REF_DELETED = "ref-deleted"
    REF_MOVED = "ref-moved"
    REF_WITHDRAWN = "ref-withdrawn"
    REF_RETITLED = "ref-retitled"

    UNREADABLE = "unreadable"
    UNKNOWN_DOCUMENT = "unknown-document"
    NOT_IN_PROJECT = "not-in-project"
    AMBIGUOUS_TARGET = "ambiguous-target"
    NOT_LISTED = "not-listed"
    UNKNOWN_CLAUSE = "unknown-clause"
    NOT_FOUND = "not-found"
    AMBIGUOUS = "ambiguous"
    CONFLICT = "conflict"
    ALREADY_APPLIED = "already-applied"
    UNSUPPORTED = "unsupported"
    CLAUSE_EXISTS = "clause-exists"
    UNVERIFIED = "unverified"

    MALFORMED_TAG = "malformed-tag"
    UNKNOWN_TARGET = "unknown-target"
    RETIRED_TARGET = "retired-target"
    MISSING_INPUT = "missing-input"
    UNREADABLE_INPUT = "unreadable-input"
    PARTLY_READ = "partly-read"


class Entry(NamedTuple):
    stage: Stage
    severity: Severity
    meaning: str


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

#: What each code means, which stage finds it, and its severity unless the project regrades it.
CATALOGUE: dict[Code, Entry] = {
    Code.DANGLING_REF: Entry(
        Stage.LINT, _E, "a cross-reference names a clause that does not exist"
    ),
    Code.DUPLICATE_CLAUSE: Entry(
        Stage.LINT, _E, "two clauses of one document have the same number"
    ),
    Code.UNDEFINED_TERM: Entry(
        Stage.LINT,
        _W,
        "a capitalised phrase is used like a defined term but the glossary does not define it",
    ),
    Code.NO_MODAL: Entry(
        Stage.LINT,
        _W,
        "a sentence in a normative clause has no modal verb (shall, should, may)",
    ),
    Code.UNMARKED_STATEMENT: Entry(
        Stage.LINT,
        _E,
        "spec-as-code text with a modal verb carries no statement id, so nothing can trace to it",
    ),
    Code.REF_DELETED: Entry(
        Stage.LINT, _E, "a reference names a clause an amendment deleted, so it names nothing"
    ),
    Code.REF_MOVED: Entry(
        Stage.LINT,
        _E,
        "a reference names a clause by the number an amendment renumbered it from",
    ),
    Code.REF_WITHDRAWN: Entry(
        Stage.LINT, _W, 'a reference names a clause an amendment withdrew ("Not used")'
    ),
    Code.REF_RETITLED: Entry(
        Stage.LINT,
        _W,
        "a reference quotes the title a clause had before an amendment retitled it",
    ),
    Code.UNREADABLE: Entry(
        Stage.AMEND, _E, "the change's mark-up cannot be read (an image, or no marks)"
    ),
    Code.UNKNOWN_DOCUMENT: Entry(
        Stage.AMEND, _E, "the change targets a document that is not part of the build"
    ),
    Code.NOT_IN_PROJECT: Entry(
        Stage.AMEND,
        _I,
        "the change is for a document the project does not have, so it is skipped (not a failure)",
    ),
    Code.AMBIGUOUS_TARGET: Entry(
        Stage.AMEND,
        _E,
        "the change names no document and more than one project document has its clause",
    ),
    Code.NOT_LISTED: Entry(
        Stage.AMEND, _E, "the target document does not list the proposal in the project file"
    ),
    Code.UNKNOWN_CLAUSE: Entry(Stage.AMEND, _E, "the target clause does not exist"),
    Code.NOT_FOUND: Entry(Stage.AMEND, _E, "the mark-up's unchanged text is not in the clause"),
    Code.AMBIGUOUS: Entry(
        Stage.AMEND, _E, "the mark-up's unchanged text is in the clause more than once"
    ),
    Code.CONFLICT: Entry(
        Stage.AMEND, _E, "the change touches text an earlier proposal in the build changed"
    ),
    Code.ALREADY_APPLIED: Entry(Stage.AMEND, _E, "the change is already in the text"),
    Code.UNSUPPORTED: Entry(
        Stage.AMEND, _E, "the mark-up asks for something the engine does not do"
    ),
    Code.CLAUSE_EXISTS: Entry(
        Stage.AMEND, _E, "a new or renumbered clause takes a number the document already has"
    ),
    Code.UNVERIFIED: Entry(
        Stage.AMEND,
        _E,
        "a mark-up read from a picture did not reconcile exactly with its clause, or inserts "
        "words the specification does not use; the best reading is shown",
    ),
    Code.MALFORMED_TAG: Entry(
        Stage.TRACE, _E, "a tag's target is not a statement id or a clause, or it names nothing"
    ),
    Code.UNKNOWN_TARGET: Entry(
        Stage.TRACE,
        _E,
        "a tag or waiver names a statement, clause, document or edition the project does not build",
    ),
    Code.RETIRED_TARGET: Entry(Stage.TRACE, _E, "a tag names a statement an amendment retired"),
    Code.MISSING_INPUT: Entry(
        Stage.TRACE, _E, "a folder, file or results pattern the project file names is not there"
    ),
    Code.UNREADABLE_INPUT: Entry(
        Stage.TRACE, _E, "a source or results file cannot be read, so its tags or results are not"
    ),
    Code.PARTLY_READ: Entry(
        Stage.TRACE, _E, "a Python file does not parse, so its tags are read line by line"
    ),
}


def codes(stage: Stage) -> list[Code]:
    """Return the codes ``stage`` finds, in catalogue order."""
    return [code for code, entry in CATALOGUE.items() if entry.stage is stage]


@dataclass(frozen=True)
class InDocument:
    """A place in a specification: a document, its edition and a clause (each may be empty)."""

    document: str = ""
    edition: str = ""
    clause: str = ""

    def __str__(self) -> str:
        return " ".join(part for part in (self.document, self.edition, self.clause) if part)

    def as_dict(self) -> dict[str, Any]:
        return {"document": self.document, "edition": self.edition, "clause": self.clause}


@dataclass(frozen=True)
class InChange:
    """A numbered change of a proposal, and the clause (or glossary) it targets."""

    irp: str
    change: int
    target: str

    def __str__(self) -> str:
        return f"{self.irp} change {self.change} ({self.target})"

    def as_dict(self) -> dict[str, Any]:
        return {"irp": self.irp, "change": self.change, "target": self.target}


@dataclass(frozen=True)
class InFile:
    """A file of the project (as the project names it) and a line of it (0: the whole file)."""

    path: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.path, "line": self.line}


Location = InDocument | InChange | InFile
L = TypeVar("L", bound=Location)


@dataclass(frozen=True)
class Finding(Generic[L]):
    """One finding: its code, how serious it is, where it is, and what it is.

    Lint finds ``Finding[InDocument]``, the amendment engine ``Finding[InChange]`` (a refused
    change), tracing ``Finding[InFile]``.

    ``retired`` holds the statements an amendment retired that a refused tag or waiver still
    names: what ``impact`` reports as still tagged. It is not part of the text or the JSON.
    """

    code: Code
    severity: Severity
    location: L
    message: str
    retired: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def of(
        cls, code: Code | str, location: L, message: str, retired: tuple[str, ...] = ()
    ) -> Finding[L]:
        """Return a finding of ``code`` at its catalogued severity."""
        code = Code(code)
        return cls(code, CATALOGUE[code].severity, location, message, retired)

    @property
    def where(self) -> str:
        return str(self.location)

    def __str__(self) -> str:
        return _line(self.severity.value, self.where, self.message, self.code.value)

    def as_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity.value,
            "code": self.code.value,
            **self.location.as_dict(),
            "message": self.message,
        }


def in_document(
    code: Code | str, message: str, document: str, edition: str, clause: str
) -> Finding[InDocument]:
    """Return a finding about a clause of an edition (what lint finds)."""
    return Finding.of(code, InDocument(document, edition, clause), message)


def in_file(
    code: Code | str, path: str, line: int, message: str, retired: tuple[str, ...] = ()
) -> Finding[InFile]:
    """Return a finding about a line of a project file (what tracing finds)."""
    return Finding.of(code, InFile(path, line), message, retired)


def text_of(data: dict) -> str:
    """Return the line :class:`Finding` prints for its :meth:`~Finding.as_dict` form, as read
    back from a JSON file (a matrix written by an older version lacks severity and code)."""
    if "irp" in data:
        where = str(InChange(str(data["irp"]), data.get("change", 0), str(data.get("target", ""))))
    elif "file" in data:
        where = str(InFile(str(data.get("file") or ""), data.get("line") or 0))
    else:
        parts = (str(data.get(key) or "") for key in ("document", "edition", "clause"))
        where = str(InDocument(*parts))
    return _line(data.get("severity"), where, str(data.get("message", "")), data.get("code"))


def _line(severity: object, where: str, message: str, code: object) -> str:
    """Return ``severity: where: message [code]``, leaving out what is not given."""
    text = f"{where}: {message}" if where else message
    text = f"{severity}: {text}" if severity else text
    return f"{text} [{code}]" if code else text
