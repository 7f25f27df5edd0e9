"""The CI gate: which rows and problems fail ``spectrace check``, by the project's rules."""

from __future__ import annotations

from dataclasses import dataclass, field

from spectrace.config import TraceConfig
from spectrace.trace.matrix import Matrix
from spectrace.trace.model import Row, Status, TraceError

#: What each ``[check] fail-on`` rule catches.
RULES = {
    "uncovered": {Status.UNCOVERED},
    "implemented-only": {Status.IMPLEMENTED_ONLY},
    "tested-only": {Status.TESTED_ONLY},
    "failing": {Status.FAILING},
    "suspect": {Status.SUSPECT},
}


@dataclass
class Verdict:
    failures: list[tuple[str, Row]] = field(default_factory=list)  # (rule, row)
    errors: list[TraceError] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures and not self.errors

    def as_dict(self) -> dict:
        return {
            "passed": self.passed,
            "failures": [{"rule": rule, **row.as_dict()} for rule, row in self.failures],
            "errors": [{"file": e.path, "line": e.line, "message": e.message} for e in self.errors],
        }


def check(matrix: Matrix, config: TraceConfig) -> Verdict:
    """Return what fails the gate: required statements whose status a rule catches, and the
    tracing problems when the "errors" rule is on."""
    verdict = Verdict()
    for row in matrix.rows:
        if not row.required:
            continue
        for rule in config.fail_on:
            if row.status in RULES.get(rule, set()):
                verdict.failures.append((rule, row))
    if "errors" in config.fail_on:
        verdict.errors = list(matrix.errors)
    return verdict
