"""The CI gate: which rows and problems fail ``spectrace check``, by the project's rules."""

from __future__ import annotations

from dataclasses import dataclass, field

from spectrace.config import TraceConfig
from spectrace.trace.matrix import Matrix
from spectrace.trace.model import Row, Status, TraceError
from spectrace.trace.report import covered_waived_aside, summary_counts


@dataclass(frozen=True)
class Shortfall:
    """An edition whose required statements, waived ones aside, are covered less than its
    document's ``min-coverage``."""

    edition: str
    covered: int
    counted: int  # required and not waived
    minimum: float

    @property
    def coverage(self) -> float:
        return 100 * self.covered / self.counted

    def __str__(self) -> str:
        return (
            f"{self.edition}: {self.coverage:.1f} % of its required statements are covered "
            f"({self.covered} of {self.counted}, waived ones aside), less than the "
            f"min-coverage of {self.minimum:g} %"
        )

    def as_dict(self) -> dict:
        return {
            "edition": self.edition,
            "covered": self.covered,
            "counted": self.counted,
            "coverage": round(self.coverage, 2),
            "min_coverage": self.minimum,
        }


@dataclass
class Verdict:
    failures: list[tuple[Status, Row]] = field(default_factory=list)  # (rule, row)
    errors: list[TraceError] = field(default_factory=list)
    shortfalls: list[Shortfall] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures and not self.errors and not self.shortfalls

    def as_dict(self) -> dict:
        return {
            "passed": self.passed,
            "failures": [{"rule": rule, **row.as_dict()} for rule, row in self.failures],
            "errors": [error.as_dict() for error in self.errors],
            "shortfalls": [shortfall.as_dict() for shortfall in self.shortfalls],
        }


def check(matrix: Matrix, config: TraceConfig) -> Verdict:
    """Return what fails the gate: required statements whose status a rule catches, the
    tracing problems when the "errors" rule is on, and the editions covered less than their
    document's ``min-coverage``."""
    rules = set(config.fail_on)  # named after the statuses they catch, and "errors"
    failing = [row for row in matrix.rows if row.required and row.status in rules]
    errors = list(matrix.errors) if "errors" in rules else []
    return Verdict([(row.status, row) for row in failing], errors, _shortfalls(matrix, config))


def _shortfalls(matrix: Matrix, config: TraceConfig) -> list[Shortfall]:
    documents = {row.edition: row.document for row in matrix.rows}
    found = []
    for edition, counts in summary_counts(matrix).items():
        covered, counted = covered_waived_aside(counts)
        document = documents[edition]
        minimum = config.min_coverage.get(document, config.min_coverage.get(""))
        if minimum is not None and 100 * covered < minimum * counted:
            found.append(Shortfall(edition, covered, counted, minimum))
    return found
