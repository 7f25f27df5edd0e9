"""Requirement 3: the status of every statement in the matrix: covered, implemented-only,
tested-only, failing, uncovered, suspect (an IRP changed it since its links were reviewed)
and waived."""

from __future__ import annotations

import json

import pytest

CODE = '''
class Meter:
    """implements: SMETS-5.6.1-2, SMETS-5.5.3-1, CHTS-4.4.6.1-8, CHTS-4.4.6.1-9"""

    def show_log(self):
        """implements: SMETS-4.4.5-5"""
'''

TESTS = '''
def test_log_not_shared():
    """verifies: SMETS-5.6.1-2, SMETS-5.6.1-1"""


def test_show_log():
    """verifies: SMETS-4.4.5-5"""


def test_disable_chf():
    """verifies: CHTS-4.4.6.1-8"""


def test_disable_gpf():
    """verifies: CHTS-4.4.6.1-9"""


def test_skipped():
    """verifies: SMETS-5.5.3-1, CHTS-4.5.1-1"""


def test_waived_but_failing():
    """verifies: CHTS-4.5.4-1"""
'''

WAIVERS = """
[[check.waive]]
statement = "SMETS-5.5.1-1"
reason = "the model has no clock"

[[check.waive]]
clause = "CHTS 4.5.4"
reason = "the command list is not in the excerpt"
"""


@pytest.fixture
def matrix(traced):
    traced.configure(check=WAIVERS)
    traced.write("src/x/meter.py", CODE)
    traced.write("tests/x/test_meter.py", TESTS)
    module = "tests.x.test_meter"
    traced.junit(
        (module, "test_log_not_shared", "passed"),
        (module, "test_show_log", "passed"),
        (module, "test_disable_chf", "failed"),
        (module, "test_disable_gpf", "error"),
        (module, "test_skipped", "skipped"),
        (module, "test_waived_but_failing", "failed"),
    )
    return traced.trace()


@pytest.mark.parametrize(
    "statement, status",
    [
        ("SMETS-5.6.1-2", "covered"),  # implemented and a passing test
        ("SMETS-5.5.3-1", "implemented-only"),  # its only test was skipped
        ("SMETS-5.6.1-1", "tested-only"),
        ("CHTS-4.4.6.1-8", "failing"),  # a failing test
        ("CHTS-4.4.6.1-9", "failing"),  # an erroring test
        ("CHTS-4.5.1-1", "uncovered"),  # a skipped test is no evidence
        ("SMETS-4.2-1", "uncovered"),
        ("SMETS-4.4.5-5", "suspect"),  # IRP603 changed it after it was linked
        ("SMETS-5.5.1-1", "waived"),  # by statement
        ("CHTS-4.5.4-1", "waived"),  # by clause, even with a failing test
    ],
)
def test_each_statement_gets_the_status_its_links_and_outcomes_give(matrix, statement, status):
    assert matrix.errors == []
    assert matrix.row(statement).status.value == status


def test_a_statement_the_irp_added_starts_uncovered_not_suspect(matrix):
    added = matrix.row("CHTS-4.4.6.1-10")
    assert (added.status.value, added.suspect, list(map(str, added.changed_by))) == (
        "uncovered",
        False,
        ["IRP603 change 5 (added)"],
    )
    linked = matrix.row("SMETS-5.6.1-2")  # added too, and linked: nothing to re-review
    assert (linked.suspect, list(map(str, linked.changed_by))) == (
        False,
        ["IRP603 change 3 (added)"],
    )


def test_a_changed_statement_without_links_is_not_suspect(matrix):
    row = matrix.row("SMETS-5.5.4-1")  # changed by IRP603, but nothing claims it
    assert (row.status.value, row.suspect, list(map(str, row.changed_by))) == (
        "uncovered",
        False,
        ["IRP603 change 2 (changed)"],
    )


def test_suspect_until_reviewed_by_statement_or_by_irp(traced, matrix):
    from tests.trace.conftest import REVIEWER

    row = matrix.row("SMETS-4.4.5-5")  # traced first after IRP603 changed it
    assert (row.status.value, row.suspect_reason) == ("suspect", "changed since first traced")
    result = traced.cli("review", "SMETS-4.4.5-5")
    assert result.exit_code == 0, result.output
    reviewed = json.loads((traced.root / "trace/reviewed.json").read_text(encoding="utf-8"))
    assert [i for i, record in reviewed.items() if isinstance(record, dict)] == ["SMETS-4.4.5-5"]
    assert reviewed["SMETS-4.4.5-5"]["by"] == REVIEWER
    again = traced.trace()
    assert again.row("SMETS-4.4.5-5").status.value == "covered"

    (traced.root / "trace/reviewed.json").unlink()
    result = traced.cli("review", "--irp", "IRP603")
    assert result.exit_code == 0, result.output
    again = traced.trace()
    assert not any(row.suspect for row in again.rows)
    assert again.row("SMETS-4.4.5-5").status.value == "covered"
    reviewed = json.loads((traced.root / "trace/reviewed.json").read_text(encoding="utf-8"))
    assert sorted(i for i, record in reviewed.items() if isinstance(record, dict)) == [
        "CHTS-4.4.6.1-10",
        "SMETS-4.4.5-5",
        "SMETS-5.12.1-3",
        "SMETS-5.5.4-1",
        "SMETS-5.6.1-2",
    ]


def test_review_refuses_what_names_nothing(traced):
    from tests.cli.test_cli import one_error_line

    one_error_line(traced.cli("review", "SMETS-4.4.5-55"), "SMETS-4.4.5-55", "names no statement")
    one_error_line(traced.cli("review", "SMETS4.4.5"), "SMETS4.4.5")
    one_error_line(traced.cli("review", "--irp", "IRP999"), "IRP999")
    one_error_line(traced.cli("review"), "--irp", "--all")


def test_only_the_required_documents_and_modalities_are_counted(traced):
    traced.configure(check='[check]\ndocuments = ["CHTS"]\nmodalities = ["shall_not"]\n')
    matrix = traced.trace(results=[])
    assert {r.statement for r in matrix.rows if r.required} == {"CHTS-4.4.6.1-10"}
    assert len(matrix.rows) > 40  # the other rows are still listed
