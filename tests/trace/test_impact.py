"""Requirement 4: ``spectrace impact IRP603`` lists the statements the IRP added and changed,
with their links, tests, outcomes and suspect state, as text or JSON."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_cli import one_error_line


@pytest.fixture
def traced_irp(traced):
    traced.write(
        "src/x/display.c",
        "/* implements: SMETS-4.4.5-5 */\nint show_log(void) { return 0; }\n",
    )
    traced.write(
        "tests/x/test_han.py",
        "def test_log_not_shared():\n    '''verifies: SMETS-5.6.1-2, CHTS-4.4.6.1-10'''\n",
    )
    traced.junit(("tests.x.test_han", "test_log_not_shared", "failed"))
    traced.trace()  # records what the links were written against
    return traced


def test_json_lists_added_and_changed_statements_with_links_tests_outcomes_and_suspect(traced_irp):
    result = traced_irp.cli("impact", "IRP603", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["irp"] == "IRP603"
    brief = {
        s["statement"]: (s["action"], s["change"], s["status"], s["suspect"])
        for s in report["statements"]
    }
    assert brief == {
        "SMETS-4.4.5-5": ("changed", 1, "suspect", True),
        "SMETS-5.5.4-1": ("changed", 2, "uncovered", False),
        "SMETS-5.6.1-2": ("added", 3, "failing", False),
        "SMETS-5.12.1-3": ("added", 4, "uncovered", False),
        "CHTS-4.4.6.1-10": ("added", 5, "failing", False),
    }
    first = report["statements"][0]
    assert first["clause"] == "SMETS 4.4.5"
    assert "only following physical access" in first["text"]
    assert first["implemented_by"] == ["src/x/display.c:1 show_log"]
    added = next(s for s in report["statements"] if s["statement"] == "SMETS-5.6.1-2")
    assert added["verified_by"] == [
        {"test": "tests/x/test_han.py:2 test_log_not_shared", "outcome": "failed"}
    ]


def test_text_says_what_an_implementer_must_do(traced_irp):
    result = traced_irp.cli("impact", "IRP603")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "changed: SMETS-4.4.5-5 (SMETS 4.4.5, IRP603 change 1) — suspect" in out
    assert "    implemented by src/x/display.c:1 show_log" in out
    assert "added: CHTS-4.4.6.1-10 (CHTS 4.4.6.1, IRP603 change 5) — failing" in out
    assert "    verified by tests/x/test_han.py:2 test_log_not_shared [failed]" in out
    assert "added: SMETS-5.12.1-3 (SMETS 5.12.1, IRP603 change 4) — uncovered" in out


def test_after_review_the_changed_statement_is_no_longer_suspect(traced_irp):
    assert traced_irp.cli("review", "--irp", "IRP603").exit_code == 0
    report = json.loads(traced_irp.cli("impact", "IRP603", "--format", "json").stdout)
    assert not any(s["suspect"] for s in report["statements"])
    assert report["statements"][0]["status"] == "implemented-only"


def test_an_irp_the_project_does_not_apply_is_one_error_line(traced_irp):
    one_error_line(traced_irp.cli("impact", "IRP999"), "IRP999", "not applied")


def test_a_retired_statement_lists_the_places_still_tagged_with_it_and_no_others(traced):
    irp = traced.root / "specs/irps/IRP603.rst"
    paragraph = (
        "Type 1 Devices and Type 2 Device information provision (5.6.1) in Part A shall not "
        "apply to ESME."
    )
    text = irp.read_text(encoding="utf-8")
    irp.write_text(text.replace(f"   {paragraph}\n", f"   :del:`{paragraph}`\n"), encoding="utf-8")
    traced.write("src/x/han.c", "/* implements: SMETS-5.12.1-1 */\nint share(void) {}\n")
    # an error about another id that merely starts with the retired one is not its link
    traced.write("src/x/other.c", "/* implements: SMETS-5.12.1-10 */\nint other(void) {}\n")
    report = json.loads(traced_irp_cli_json(traced))
    retired = next(s for s in report["statements"] if s["statement"] == "SMETS-5.12.1-1")
    assert retired["action"] == "removed"
    assert retired["still_linked"] == ["src/x/han.c:1"]
    text_report = traced.cli("impact", "IRP603").stdout
    assert "still tagged at src/x/han.c:1: move or remove the tag" in text_report


def traced_irp_cli_json(traced) -> str:
    result = traced.cli("impact", "IRP603", "--format", "json")
    assert result.exit_code == 0, result.output
    return result.stdout
