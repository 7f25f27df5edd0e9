"""Requirement 5: ``spectrace check`` is the CI gate. It applies the project's [check] rules
(documents, modalities, fail-on including "errors", waivers), exits 1 with a readable list of
what fails, and 0 when every required statement is covered or waived."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_cli import one_error_line

#: Only SMETS's "shall not" statements are required: SMETS-5.6.1-2, -5.12.1-1 and -5.12.1-3.
SHALL_NOT = '[check]\ndocuments = ["SMETS"]\nmodalities = ["shall_not"]\n'
WAIVE_5_12_1 = (
    '\n[[check.waive]]\nclause = "SMETS 5.12.1"\nreason = "HAN provision is out of scope"\n'
)


@pytest.fixture
def gated(traced):
    traced.write("src/x/han.py", "def refuse_log():\n    '''implements: SMETS-5.6.1-2'''\n")
    traced.write("tests/x/test_han.py", "def test_refused():\n    '''verifies: SMETS-5.6.1-2'''\n")
    traced.junit(("tests.x.test_han", "test_refused", "passed"))
    traced.trace()  # records what the links were written against, as a developer commits it
    return traced


def test_passes_when_every_required_statement_is_covered_or_waived(gated):
    gated.configure(check=SHALL_NOT + WAIVE_5_12_1)
    result = gated.cli("check")
    assert result.exit_code == 0, result.output
    assert "fail:" not in result.stdout and "error:" not in result.stdout
    assert "check: 0 of 3 required statements fail, 0 tracing problems" in result.output


def test_fails_listing_each_statement_its_status_and_the_rule(gated):
    gated.configure(check=SHALL_NOT)
    result = gated.cli("check")
    assert result.exit_code == 1
    fails = [line for line in result.stdout.splitlines() if line.startswith("fail: ")]
    assert [line.split(": ", 2)[1] for line in fails] == [
        "SMETS-5.12.1-1 (SMETS 4.2+IRP603 5.12.1) is uncovered [uncovered]",
        "SMETS-5.12.1-3 (SMETS 4.2+IRP603 5.12.1) is uncovered [uncovered]",
    ]
    assert fails[0].split("]: ")[1].startswith("Type 1 Devices and Type 2 Device")
    assert fails[1].split("]: ")[1].startswith("ESME shall not provide")
    assert "check: 2 of 3 required statements fail, 0 tracing problems" in result.output


def test_the_rules_are_the_projects_fail_on(gated):
    gated.write("tests/x/test_more.py", "def test_other():\n    '''verifies: SMETS-5.12.1-3'''\n")
    gated.junit(
        ("tests.x.test_han", "test_refused", "passed"),
        ("tests.x.test_more", "test_other", "failed"),
    )
    gated.configure(check=SHALL_NOT + 'fail-on = ["tested-only"]\n')
    assert gated.cli("check").exit_code == 0  # one uncovered, one failing: not these rules
    gated.configure(check=SHALL_NOT + 'fail-on = ["failing"]\n')
    result = gated.cli("check")
    assert result.exit_code == 1
    assert [line.split(" (")[0] for line in result.stdout.splitlines()] == ["fail: SMETS-5.12.1-3"]


def test_tracing_errors_fail_the_gate_only_under_the_errors_rule(gated):
    gated.write("src/x/typo.c", "// implements: SMETS-5.6.1-22\n")
    gated.configure(check=SHALL_NOT + 'fail-on = ["uncovered", "errors"]\n' + WAIVE_5_12_1)
    result = gated.cli("check")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "error: src/x/typo.c:1: SMETS-5.6.1-22 names no statement of the editions the project "
        "builds [unknown-target]"
    )
    gated.configure(check=SHALL_NOT + 'fail-on = ["uncovered"]\n' + WAIVE_5_12_1)
    assert gated.cli("check").exit_code == 0


def test_json_gives_the_verdict_failures_and_errors(gated):
    gated.write("src/x/typo.c", "// implements: SMETS 9.9\n")
    gated.configure(check=SHALL_NOT)
    result = gated.cli("check", "--format", "json")
    assert result.exit_code == 1
    verdict = json.loads(result.stdout)
    assert verdict["passed"] is False
    assert [(f["rule"], f["statement"], f["status"]) for f in verdict["failures"]] == [
        ("uncovered", "SMETS-5.12.1-1", "uncovered"),
        ("uncovered", "SMETS-5.12.1-3", "uncovered"),
    ]
    assert verdict["errors"] == [
        {
            "severity": "error",
            "code": "unknown-target",
            "file": "src/x/typo.c",
            "line": 1,
            "message": "SMETS 9.9 names no clause with statements in SMETS 4.2+IRP603",
        }
    ]


def test_junit_given_on_the_command_line_replaces_the_projects(gated):
    gated.configure(check=SHALL_NOT + WAIVE_5_12_1)
    gated.junit(("tests.x.test_han", "test_refused", "failed"), path="build/other.xml")
    result = gated.cli("check", "--junit", "build/other.xml")
    assert result.exit_code == 1
    assert "is failing [failing]" in result.stdout


@pytest.mark.parametrize(
    "check, words",
    [
        ('[check]\nfail-on = ["uncoverd"]\n', ("fail-on", "unknown rule 'uncoverd'")),
        ('[check]\nmodalities = ["must"]\n', ("modalities", "unknown modality 'must'")),
        ('[[check.waive]]\nstatement = "SMETS-4.2-1"\n', ("[[check.waive]] #1",)),
        (
            '[[check.waive]]\nstatement = "SMETS-4.2-1"\nclause = "SMETS 4.2"\nreason = "x"\n',
            ("[[check.waive]] #1", "either a statement or a clause"),
        ),
    ],
)
def test_a_bad_check_table_is_one_error_line(gated, check, words):
    gated.configure(check=check)
    one_error_line(gated.cli("check"), "spectrace.toml", *words)


def test_junit_on_the_command_line_is_relative_to_the_current_folder(gated):
    gated.write("src/x/han.c", "/* implements: SMETS-5.6.1-2 */\nint f(void) {}\n")
    gated.junit(("tests.x.test_han", "test_refused", "failed"), path="build/other.xml")
    from tests.cli.test_cli import run

    result = run("--project", str(gated.root), "check", "--junit", "other.xml",
                 cwd=gated.root / "build")  # fmt: skip
    assert "no test results found" not in result.output
    assert "is failing [failing]" in result.output


# min-coverage: the least share of each document's required statements (waived ones aside)
# that must be covered. With SHALL_NOT, SMETS 4.2+IRP603 has 3 required statements, 1 covered.
ONLY_SHORTFALLS = "fail-on = []\n"


@pytest.mark.parametrize(
    ("minimum", "passes"),
    [("30", True), ("33.3", True), ("34", False), ("100", False), ("0", True)],
)
def test_min_coverage_fails_an_edition_covered_less(gated, minimum, passes):
    gated.configure(check=SHALL_NOT + ONLY_SHORTFALLS + f"min-coverage = {minimum}\n")
    result = gated.cli("check")
    assert result.exit_code == (0 if passes else 1), result.output
    fails = [line for line in result.stdout.splitlines() if line.startswith("fail: ")]
    if passes:
        assert fails == []
    else:
        assert fails == [
            "fail: SMETS 4.2+IRP603: 33.3 % of its required statements are covered (1 of 3, "
            f"waived ones aside), less than the min-coverage of {float(minimum):g} % "
            "[min-coverage]"
        ]


def test_min_coverage_leaves_waived_statements_out_and_can_name_each_document(gated):
    gated.configure(
        check=SHALL_NOT
        + ONLY_SHORTFALLS
        + WAIVE_5_12_1.replace("\n[[", "min-coverage = { SMETS = 100, CHTS = 5 }\n\n[[", 1)
    )
    assert gated.cli("check").exit_code == 0  # 1 of 1 once the two of 5.12.1 are waived
    gated.configure(check=SHALL_NOT + ONLY_SHORTFALLS + "min-coverage = { CHTS = 100 }\n")
    assert gated.cli("check").exit_code == 0  # SMETS is not named: no minimum
    gated.configure(check=SHALL_NOT + ONLY_SHORTFALLS + "min-coverage = { SMETS = 50 }\n")
    result = gated.cli("check", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["shortfalls"] == [
        {
            "edition": "SMETS 4.2+IRP603",
            "covered": 1,
            "counted": 3,
            "coverage": 33.33,
            "min_coverage": 50.0,
        }
    ]


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("true", ["[check] min-coverage", "a percentage"]),
        ('"90"', ["[check] min-coverage", "a percentage"]),
        ("101", ["[check] min-coverage", "from 0 to 100, not 101"]),
        ("-1", ["from 0 to 100, not -1"]),
        ('{ "no such" = 5 }', ["[check] min-coverage.no such", "a document name"]),
        ("{ SMETS = [90] }", ["[check] min-coverage.SMETS", "a percentage"]),
    ],
)
def test_a_bad_min_coverage_is_one_error_line(gated, value, words):
    gated.configure(check=SHALL_NOT + f"min-coverage = {value}\n")
    one_error_line(gated.cli("check"), "spectrace.toml", *words)
