"""The small types tracing passes instead of strings: a row's changes, test outcomes, link kinds,
and the retired statement a tracing problem is about. Each writes exactly the text the matrix
files, the site and the commands have always shown."""

from __future__ import annotations

import pytest

from spectrace.config import TraceWaiver
from spectrace.model import Document
from spectrace.pytest_plugin import LOCATION, MARKER
from spectrace.trace.html import complete_row, irps, render_row, row_attributes
from spectrace.trace.matrix import Resolver
from spectrace.trace.model import (
    LOCATION_PROPERTY,
    Action,
    ChangeRef,
    Evidence,
    Link,
    LinkKind,
    Outcome,
    Row,
    TraceError,
)
from spectrace.trace.report import COLUMNS, csv_record
from spectrace.trace.results import read_junit, worst
from spectrace.trace.scanner import scan_source
from spectrace.trace.tags import KINDS

ADDED = ChangeRef("IRP603", 3, Action.ADDED)
CHANGED = ChangeRef("IRP604", 12, Action.CHANGED)


def test_a_change_is_written_as_the_matrix_files_have_always_written_it():
    assert str(ADDED) == "IRP603 change 3 (added)"
    assert str(CHANGED) == "IRP604 change 12 (changed)"
    assert ADDED.target == "IRP603#3"  # what an :irp: role names


@pytest.mark.parametrize("change", [ADDED, CHANGED, ChangeRef("IRP_9-b", 0, Action.REMOVED)])
def test_a_change_read_back_from_its_text_is_the_same_change(change):
    assert ChangeRef.parse(str(change)) == change


@pytest.mark.parametrize(
    "text",
    [
        "",
        "IRP603",
        "IRP603 change 3",
        "IRP603 change 03 (added)",  # not how a change is written
        "IRP603 change 3 (retired)",
        "IRP603 change 3 (added) ",
        " IRP603 change 3 (added)",
        "IRP603  change 3 (added)",
        "603 change 3 (added)",  # not an IRP number
        "IRP603 change -1 (added)",
        "IRP603 change 3 (added)\n",
    ],
)
def test_text_that_writes_no_change_is_refused(text):
    assert ChangeRef.parse(text) is None


def test_a_row_writes_its_changes_as_text_in_json_and_csv():
    row = Row("SMETS 4.2+IRP603", "SMETS", "SMETS-1-1", "1", "shall", "Text.")
    row.changed_by = [ADDED, CHANGED]
    assert row.as_dict()["changed_by"] == ["IRP603 change 3 (added)", "IRP604 change 12 (changed)"]
    assert "IRP603 change 3 (added); IRP604 change 12 (changed)" in csv_record(row)


def test_matrix_data_read_from_a_file_gives_its_changes_and_keeps_other_text_as_it_is():
    data = {"statement": "SMETS-1-1", "changed_by": ["IRP603 change 3 (added)", "see <IRP9>", 7]}
    row = complete_row(data)
    assert row["changed_by"] == [ADDED, "see <IRP9>", "7"]
    assert irps(data["changed_by"]) == irps(row["changed_by"]) == ["IRP603"]
    assert row_attributes(row)["irps"] == "IRP603"
    html = str(render_row(row, None, ["irps/IRP603.html#IRP603-change-3", None]))
    assert (
        '<a class="spectrace-ref spectrace-irp" href="irps/IRP603.html#IRP603-change-3">'
        "IRP603 change 3 (added)</a><br>"
        '<span class="spectrace-change-ref">see &lt;IRP9&gt;</span><br>'
        '<span class="spectrace-change-ref">7</span>'
    ) in html


def test_the_irps_of_a_row_are_each_named_once_in_order():
    assert irps([CHANGED, ADDED, ChangeRef("IRP604", 1, Action.ADDED)]) == ["IRP604", "IRP603"]


def test_outcomes_and_link_kinds_are_the_words_the_files_hold():
    assert [str(outcome) for outcome in Outcome] == [
        "passed",
        "failed",
        "error",
        "skipped",
        "missing",
    ]
    assert [str(kind) for kind in LinkKind] == ["implements", "verifies"]
    assert KINDS == (LinkKind.IMPLEMENTS, LinkKind.VERIFIES)
    assert MARKER == LinkKind.VERIFIES and LOCATION == LOCATION_PROPERTY == "verifies-at"


def test_the_worst_of_a_tests_outcomes_is_its_outcome():
    assert worst([]) is Outcome.MISSING
    assert worst([Outcome.SKIPPED, Outcome.PASSED]) is Outcome.PASSED
    assert worst([Outcome.PASSED, Outcome.FAILED, Outcome.SKIPPED]) is Outcome.FAILED
    assert worst([Outcome.FAILED, Outcome.ERROR]) is Outcome.ERROR


def test_tags_and_results_give_enums_and_rows_write_their_text(tmp_path):
    found = scan_source("a.c", b"/* implements: SMETS-1-1 */\n/* Verifies: SMETS-1-2 */\n")
    assert [type(link.kind) for link in found.links] == [LinkKind, LinkKind]
    assert [link.kind for link in found.links] == [LinkKind.IMPLEMENTS, LinkKind.VERIFIES]
    junit = tmp_path / "junit.xml"
    junit.write_text(
        "<testsuite>"
        '<testcase classname="t" name="a"/>'
        '<testcase classname="t" name="b"><skipped/><failure/></testcase>'
        '<testcase classname="t" name="c"><error/></testcase>'
        '<testcase classname="t" name="d" status="notrun"/>'
        "</testsuite>",
        encoding="utf-8",
    )
    results, problem = read_junit(junit, tmp_path)
    assert problem is None
    assert [r.outcome for r in results] == [
        Outcome.PASSED,
        Outcome.FAILED,
        Outcome.ERROR,
        Outcome.SKIPPED,
    ]
    assert all(type(r.outcome) is Outcome for r in results)
    row = Row("SMETS 4.2", "SMETS", "SMETS-1-1", "1", "shall", "Text.")
    row.verified_by = [Evidence(found.links[1], Outcome.MISSING)]
    assert row.as_dict()["verified_by"] == [{"test": "a.c:2", "outcome": "missing"}]
    assert csv_record(row)[COLUMNS.index("verified_by")] == "a.c:2 [missing]"


# The retired statement a tracing problem is about ------------------------------------------


@pytest.fixture
def resolver() -> Resolver:
    """Editions in which IRP603 retired SMETS-5.12.1-1 (and that hold no statements)."""
    edition = Document("SMETS", "4.2+IRP603", retired=["SMETS-5.12.1-1"])
    return Resolver([edition], [])


def _problems(resolver: Resolver, target: str) -> list[TraceError]:
    return resolver.resolve(Link(LinkKind.IMPLEMENTS, target, "src/a.c", 3))[1]


def test_a_tag_naming_a_retired_statement_says_which_beside_its_message(resolver):
    [problem] = _problems(resolver, "SMETS-5.12.1-1")
    assert problem.retired == ("SMETS-5.12.1-1",)
    assert (
        str(problem) == "error: src/a.c:3: SMETS-5.12.1-1 was retired by an amendment in "
        "SMETS 4.2+IRP603 [retired-target]"
    )
    assert problem.as_dict() == {
        "severity": "error",
        "code": "retired-target",
        "file": "src/a.c",
        "line": 3,
        "message": "SMETS-5.12.1-1 was retired by an amendment in SMETS 4.2+IRP603",
    }


@pytest.mark.parametrize(
    ("target", "retired"),
    [
        ("SMETS-5.12.1-10", [()]),  # another id that starts with the retired one
        ("SMETS-5.12.1-1x", [()]),
        ("x SMETS-5.12.1-1.1", [()]),
        ("SMETS-5.12.1-1 and more", [("SMETS-5.12.1-1",)]),  # malformed, but still names it
        ("(SMETS-5.12.1-1)", [("SMETS-5.12.1-1",)]),
        ("SMETS 9.9, SMETS-5.12.1-1", [(), ("SMETS-5.12.1-1",)]),
    ],
)
def test_a_problem_names_the_retired_statement_only_as_a_whole_word(resolver, target, retired):
    assert [problem.retired for problem in _problems(resolver, target)] == retired


def test_a_waiver_naming_a_retired_statement_says_which(resolver):
    waivers = [
        TraceWaiver("SMETS-5.12.1-1", "old", "[[check.waive]] #1", 9),
        TraceWaiver("SMETS-5.12.1-2", "never was", "[[check.waive]] #2", 12),
    ]
    waived, problems = resolver.waivers(waivers, "spectrace.toml")
    assert waived == {}
    assert [(f"{p.where}: {p.message}", p.retired) for p in problems] == [
        (
            "spectrace.toml:9: [[check.waive]] #1: the waiver names no statement or clause: "
            "SMETS-5.12.1-1",
            ("SMETS-5.12.1-1",),
        ),
        (
            "spectrace.toml:12: [[check.waive]] #2: the waiver names no statement or clause: "
            "SMETS-5.12.1-2",
            (),
        ),
    ]
