"""Requirement 2: the pytest plugin. ``@pytest.mark.verifies(...)`` marks a test; ids are
checked at collection; each test's statements go into the JUnit XML as properties, where
``spectrace trace`` finds them with the test's outcome.

pytest refuses ``pytest_plugins = ["pytester"]`` in a conftest below the root one, so these
tests run pytest in a subprocess on a temporary project, as a user's CI would.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from lxml import etree

MARKED_TESTS = """
import pytest


@pytest.mark.verifies("CHTS-4.4.6.1-8")
def test_critical_commands_can_be_disabled():
    pass


@pytest.mark.verifies("SMETS-5.6.1-2, SMETS-5.12.1-3")
def test_the_log_is_not_shared_over_han():
    assert False, "shared"


@pytest.mark.parametrize(
    "device",
    [
        pytest.param("ESME", marks=pytest.mark.verifies("SMETS-5.7.5.31-2")),
        pytest.param("GSME", marks=pytest.mark.verifies("SMETS-4.6.5.17-2")),
    ],
)
def test_a_full_log_overwrites_the_oldest_entry(device):
    assert device == "GSME"


class TestClauses:
    @pytest.mark.verifies("CHTS 4.5.4")
    def test_a_whole_clause(self):
        pass


def test_unmarked():
    pass
"""


def pytest_in(root, *args: str) -> subprocess.CompletedProcess:
    """Run pytest (with the spectrace plugin, installed by its entry point) in ``root``."""
    (root / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_marks_are_written_to_junit_and_traced_with_each_case_outcome(traced):
    traced.write("tests/x/test_marked.py", MARKED_TESTS)
    done = pytest_in(traced.root, "--junitxml=build/junit.xml", "tests/x")
    assert done.returncode == 1, done.stdout + done.stderr  # two tests fail on purpose
    assert "2 failed, 4 passed" in done.stdout

    tree = etree.parse(str(traced.root / "build/junit.xml"))
    properties = {
        (case.get("classname"), case.get("name")): [
            p.get("value") for p in case.iter("property") if p.get("name") == "verifies"
        ]
        for case in tree.iter("testcase")
    }
    module = "tests.x.test_marked"
    assert properties == {
        (module, "test_critical_commands_can_be_disabled"): ["CHTS-4.4.6.1-8"],
        (module, "test_the_log_is_not_shared_over_han"): ["SMETS-5.6.1-2, SMETS-5.12.1-3"],
        (module, "test_a_full_log_overwrites_the_oldest_entry[ESME]"): ["SMETS-5.7.5.31-2"],
        (module, "test_a_full_log_overwrites_the_oldest_entry[GSME]"): ["SMETS-4.6.5.17-2"],
        (f"{module}.TestClauses", "test_a_whole_clause"): ["CHTS 4.5.4"],
        (module, "test_unmarked"): [],
    }

    matrix = traced.trace()
    assert traced.errors(matrix) == []
    status = {row.statement: row.status.value for row in matrix.rows}
    assert status["CHTS-4.4.6.1-8"] == "tested-only"
    assert status["CHTS-4.5.4-1"] == "tested-only"
    assert status["SMETS-5.6.1-2"] == status["SMETS-5.12.1-3"] == "failing"
    # each parametrised case counts for the statements its own mark names
    assert status["SMETS-5.7.5.31-2"] == "failing"
    assert status["SMETS-4.6.5.17-2"] == "tested-only"
    # a case its mark names only in the JUnit file is still placed at its test (where its
    # decorators start, as for tags the scanner finds)
    line = MARKED_TESTS.splitlines().index("@pytest.mark.parametrize(")
    evidence = traced.row(matrix, "SMETS-4.6.5.17-2").verified_by
    assert [(e.link.where, e.outcome) for e in evidence] == [
        (
            f"tests/x/test_marked.py:{line + 1} test_a_full_log_overwrites_the_oldest_entry[GSME]",
            "passed",
        )
    ]
    evidence = traced.row(matrix, "CHTS-4.4.6.1-8").verified_by
    assert [(e.link.where, e.outcome) for e in evidence] == [
        ("tests/x/test_marked.py:5 test_critical_commands_can_be_disabled", "passed")
    ]


def test_a_malformed_or_unknown_id_fails_collection_with_a_clear_message(traced):
    traced.write(
        "tests/x/test_bad.py",
        "import pytest\n\n\n"
        '@pytest.mark.verifies("SMETS5.6.1-2")\ndef test_typo():\n    pass\n\n\n'
        '@pytest.mark.verifies("SMETS-5.6.1-9", "SMETS 5.7.5")\ndef test_unknown():\n    pass\n\n\n'
        '@pytest.mark.verifies("CHTS-4.4.6.1-8")\ndef test_fine():\n    pass\n',
    )
    done = pytest_in(traced.root, "tests/x")
    output = done.stdout + done.stderr
    assert done.returncode == 4, output  # a usage error: nothing ran
    assert "spectrace: bad verifies marks:" in output
    for line in (
        "tests/x/test_bad.py::test_typo: 'SMETS5.6.1-2' is not a statement id or clause",
        "tests/x/test_bad.py::test_unknown: SMETS-5.6.1-9 names no statement of the editions "
        "the project builds",
        "tests/x/test_bad.py::test_unknown: SMETS 5.7.5 names no clause with statements in "
        "SMETS 4.2+IRP603",
    ):
        assert line in output
    assert "test_fine" not in output
    assert "passed" not in output


def test_under_pytest_xdist_marks_are_traced_and_bad_ones_fail_their_tests(traced):
    """Workers collect the tests, and a usage error raised there would crash the whole run:
    a test with a bad mark errors at setup instead, with the same message."""
    pytest.importorskip("xdist")
    traced.write("tests/x/test_marked.py", MARKED_TESTS)
    done = pytest_in(traced.root, "-n", "2", "--junitxml=build/junit.xml", "tests/x")
    assert "2 failed, 4 passed" in done.stdout, done.stdout + done.stderr
    status = {row.statement: row.status.value for row in traced.trace().rows}
    assert status["CHTS-4.4.6.1-8"] == "tested-only"
    assert status["SMETS-5.6.1-2"] == "failing"

    traced.write(
        "tests/x/test_marked.py",
        "import pytest\n\n\n"
        '@pytest.mark.verifies("SMETS-5.6.1-9")\ndef test_unknown():\n    pass\n\n\n'
        '@pytest.mark.verifies("CHTS-4.4.6.1-8")\ndef test_fine():\n    pass\n',
    )
    done = pytest_in(traced.root, "-n", "2", "tests/x")
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "INTERNALERROR" not in output
    assert "1 passed, 1 error" in output
    assert "SMETS-5.6.1-9 names no statement of the editions the project builds" in output


def test_outside_a_project_only_the_form_of_ids_is_checked(tmp_path):
    (tmp_path / "test_free.py").write_text(
        'import pytest\n\n\n@pytest.mark.verifies("ACME-1.2-3", "ACME 7")\ndef test_a():\n'
        "    pass\n",
        encoding="utf-8",
    )
    done = pytest_in(tmp_path, "--junitxml=junit.xml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (
        b'<property name="verifies" value="ACME-1.2-3" />' in (tmp_path / "junit.xml").read_bytes()
    )
