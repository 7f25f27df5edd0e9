"""The CI gate: which rows and problems fail ``spectrace check``, by the project's rules."""

from __future__ import annotations

from dataclasses import dataclass, field

from spectrace.config import TraceConfig
from spectrace.trace.matrix import Matrix
from spectrace.trace.model import Row, Status, TraceError


@dataclass
class Verdict:
    failures: list[tuple[Status, Row]] = field(default_factory=list)  # (rule, row)
    errors: list[TraceError] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures and not self.errors

    def as_dict(self) -> dict:
        return {
            "passed": self.passed,
            "failures": [{"rule": rule, **row.as_dict()} for rule, row in self.failures],
            "errors": [error.as_dict() for error in self.errors],
        }


def check(matrix: Matrix, config: TraceConfig) -> Verdict:
    """Return what fails the gate: required statements whose status a rule catches, and the
    tracing problems when the "errors" rule is on."""
    rules = set(config.fail_on)  # named after the statuses they catch, and "errors"
    failing = [row for row in matrix.rows if row.required and row.status in rules]
    errors = list(matrix.errors) if "errors" in rules else []
    return Verdict([(row.status, row) for row in failing], errors)
