"""Findings as data: a closed catalogue of codes, each with a default severity.

Transforms (lint, later amend) return diagnostics; only the edge (the CLI) prints them. The project
file may change a code's severity or waive a finding for one clause.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "info": 0}[self.value]


#: Every diagnostic code spectrace can emit, with its default severity and what it means.
CATALOGUE: dict[str, tuple[Severity, str]] = {
    "dangling-ref": (Severity.ERROR, "a cross-reference names a clause that does not exist"),
    "duplicate-clause": (Severity.ERROR, "two clauses of one document have the same number"),
    "undefined-term": (
        Severity.WARNING,
        "a capitalised phrase is used like a defined term but the glossary does not define it",
    ),
    "no-modal": (
        Severity.WARNING,
        "a sentence in a normative clause has no modal verb (shall, should, may)",
    ),
    "unmarked-statement": (
        Severity.ERROR,
        "spec-as-code text with a modal verb carries no statement id, so nothing can trace to it",
    ),
}


@dataclass(frozen=True)
class Diagnostic:
    """One finding: where it is (document, edition, clause), what it is, and how serious."""

    code: str
    message: str
    severity: Severity
    document: str = ""
    edition: str = ""
    clause: str = ""

    @property
    def where(self) -> str:
        return " ".join(part for part in (self.document, self.edition, self.clause) if part)

    def __str__(self) -> str:
        return f"{self.severity.value}: {self.where}: {self.message} [{self.code}]"

    def as_dict(self) -> dict[str, str]:
        return {
            "severity": self.severity.value,
            "code": self.code,
            "document": self.document,
            "edition": self.edition,
            "clause": self.clause,
            "message": self.message,
        }


def make(
    code: str, message: str, document: str = "", edition: str = "", clause: str = ""
) -> Diagnostic:
    """Return a diagnostic for a catalogued ``code`` at its default severity."""
    severity, _ = CATALOGUE[code]
    return Diagnostic(code, message, severity, document, edition, clause)
