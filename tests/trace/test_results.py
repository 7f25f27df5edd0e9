"""Requirement 2 (continued): ``spectrace trace`` reads JUnit XML from pytest or any other
runner, and matches tests found by tag to their results by name; requirement 6 for results:
a JUnit file that cannot be used is reported by name, and the rest is still read."""

from __future__ import annotations

import pytest

CTEST = """<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="Linux-c++" tests="3" failures="1" disabled="1" skipped="0" hostname="" time="0">
\t<testcase name="log_is_hidden_from_han" classname="log_is_hidden_from_han" time="0.01"
\t\tstatus="run">
\t\t<system-out>ok</system-out>
\t</testcase>
\t<testcase name="display_needs_secure_perimeter" classname="display_needs_secure_perimeter"
\t\ttime="0.01" status="fail">
\t\t<failure message="Failed"/>
\t\t<system-out>expected 0</system-out>
\t</testcase>
\t<testcase name="log_overwrites_oldest" classname="log_overwrites_oldest" time="0" status="notrun">
\t\t<skipped message="Disabled"/>
\t</testcase>
</testsuite>
"""

SUREFIRE = """<?xml version="1.0" encoding="UTF-8"?>
<testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="uk.meter.HubTest"
  time="0.05" tests="2" errors="1" skipped="0" failures="0">
  <properties>
    <property name="java.version" value="17.0.9"/>
    <property name="verifies" value="CHTS-4.5.1-1"/>
  </properties>
  <testcase name="disablesCriticalCommands" classname="uk.meter.HubTest" time="0.01"/>
  <testcase name="logsSensitiveEvents" classname="uk.meter.HubTest" time="0.02">
    <error message="NullPointerException" type="java.lang.NullPointerException"
      >at HubTest.java:40</error>
  </testcase>
</testsuite>
"""

GTEST = """<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="1" failures="0" disabled="0" errors="0" name="AllTests">
  <testsuite name="SecurityLog" tests="1" failures="0" disabled="0" skipped="0" errors="0">
    <testcase name="HiddenFromType1Devices" status="run" result="completed" time="0"
      classname="SecurityLog" />
  </testsuite>
</testsuites>
"""


def test_ctest_surefire_and_gtest_results_are_matched_to_tagged_tests_by_name(traced):
    traced.write(
        "tests/x/log_tests.c",
        "/* verifies: SMETS-5.6.1-2 */\nint log_is_hidden_from_han(void) { return 0; }\n\n"
        "// verifies: SMETS-4.4.5-5\nint display_needs_secure_perimeter(void) { return 1; }\n\n"
        "// verifies: SMETS-4.6.5.17-2\nint log_overwrites_oldest(void) { return 0; }\n",
    )
    traced.write(
        "tests/x/HubTest.java",
        "class HubTest {\n"
        "    // verifies: CHTS-4.4.6.1-8\n    @Test\n    void disablesCriticalCommands() {}\n\n"
        "    // verifies: CHTS-4.4.6.1-6\n    @Test\n    void logsSensitiveEvents() {}\n"
        "}\n",
    )
    traced.write(
        "tests/x/log_test.cc",
        "// verifies: SMETS-5.12.1-3\nTEST(SecurityLog, HiddenFromType1Devices) {}\n",
    )
    traced.write("build/ctest.xml", CTEST)
    traced.write("build/surefire/TEST-uk.meter.HubTest.xml", SUREFIRE)
    traced.write("build/gtest.xml", GTEST)
    matrix = traced.trace(results=["build/ctest.xml", "build/surefire/*.xml", "build/gtest.xml"])
    assert traced.errors(matrix) == []
    outcomes = {
        row.statement: [e.outcome for e in row.verified_by]
        for row in matrix.rows
        if row.verified_by
    }
    assert outcomes == {
        "SMETS-5.6.1-2": ["passed"],
        "SMETS-4.4.5-5": ["failed"],
        "SMETS-4.6.5.17-2": ["skipped"],
        "CHTS-4.4.6.1-8": ["passed"],
        "CHTS-4.4.6.1-6": ["error"],
        "SMETS-5.12.1-3": ["passed"],
    }  # a suite-level "verifies" property is not a test's
    assert traced.row(matrix, "SMETS-4.6.5.17-2").status.value == "uncovered"  # skipped


def test_a_test_class_tagged_as_a_whole_is_verified_by_all_its_cases(traced):
    """A JUnit or GoogleTest class tagged above its declaration: every case of that class, as
    the results name it (``uk.meter.HubTest`` or ``HubTest``), counts; the worst outcome wins."""
    traced.write(
        "tests/x/HubTest.java",
        "// verifies: CHTS-4.4.6.1-8\nclass HubTest {\n    @Test\n    void disables() {}\n}\n",
    )
    traced.write("tests/x/OtherTest.java", "// verifies: CHTS-4.4.6.1-6\nclass OtherTest {\n}\n")
    traced.write("build/surefire/TEST-uk.meter.HubTest.xml", SUREFIRE)
    matrix = traced.trace(results=["build/surefire/*.xml"])
    assert traced.errors(matrix) == []
    hub = traced.row(matrix, "CHTS-4.4.6.1-8").verified_by
    assert [(e.link.name, e.outcome) for e in hub] == [("HubTest", "error")]  # one case errored
    assert [e.outcome for e in traced.row(matrix, "CHTS-4.4.6.1-6").verified_by] == ["missing"]


def test_pytest_names_class_and_parametrised_cases_match_by_classname_and_name(traced):
    traced.write(
        "tests/x/test_hub.py",
        "import pytest\n\n\n"
        "class TestHub:\n"
        "    @pytest.mark.parametrize('n', [1, 2])\n"
        "    def test_disables(self, n):\n"
        "        '''verifies: CHTS-4.4.6.1-8'''\n\n"
        "    def test_logs(self):\n"
        "        '''verifies: CHTS-4.4.6.1-6'''\n\n\n"
        "def test_logs():\n"
        "    '''verifies: CHTS-4.4.6.1-7'''\n\n\n"
        "def test_never_ran():\n"
        "    '''verifies: CHTS-4.4.6.1-9'''\n",
    )
    traced.junit(
        ("tests.x.test_hub.TestHub", "test_disables[1]", "passed"),
        ("tests.x.test_hub.TestHub", "test_disables[2]", "failed"),
        ("tests.x.test_hub.TestHub", "test_logs", "passed"),
        ("tests.x.test_hub", "test_logs", "error"),
    )
    matrix = traced.trace()
    outcome = {r.statement: [e.outcome for e in r.verified_by] for r in matrix.rows}
    assert outcome["CHTS-4.4.6.1-8"] == ["failed"]  # the worst of its cases
    assert outcome["CHTS-4.4.6.1-6"] == ["passed"]  # the method, not the module function
    assert outcome["CHTS-4.4.6.1-7"] == ["error"]
    assert outcome["CHTS-4.4.6.1-9"] == ["missing"]
    assert traced.row(matrix, "CHTS-4.4.6.1-9").status.value == "uncovered"


@pytest.mark.parametrize(
    "classname",
    [
        "test_hub",  # pytest run from tests/x: a shorter module path
        "x.test_hub",
        "checkout.tests.x.test_hub",  # run from the folder above the project: a longer one
    ],
)
def test_pytest_run_from_another_folder_still_matches_by_whole_module_parts(traced, classname):
    traced.write(
        "tests/x/test_hub.py",
        'def test_logs():\n    """verifies: CHTS-4.4.6.1-7"""\n\n\n'
        'class TestHub:\n    def test_logs(self):\n        """verifies: CHTS-4.4.6.1-6"""\n',
    )
    traced.junit(
        (classname, "test_logs", "passed"), (f"{classname}.TestHub", "test_logs", "failed")
    )
    matrix = traced.trace()
    outcome = {r.statement: [e.outcome for e in r.verified_by] for r in matrix.rows}
    assert outcome["CHTS-4.4.6.1-7"] == ["passed"]
    assert outcome["CHTS-4.4.6.1-6"] == ["failed"]  # the method's own case, not the function's


def test_a_module_path_matches_only_by_whole_parts(traced):
    traced.write("tests/x/test_hub.py", 'def test_logs():\n    """verifies: CHTS-4.4.6.1-7"""\n')
    traced.junit(
        ("b_test_hub", "test_logs", "passed"), ("tests.x.test_hub.TestHub", "test_logs", "passed")
    )
    matrix = traced.trace()
    assert [e.outcome for e in traced.row(matrix, "CHTS-4.4.6.1-7").verified_by] == ["missing"]


def test_jest_and_vitest_tests_are_named_by_title_and_matched_after_their_describe_blocks(traced):
    traced.write(
        "tests/x/log.test.ts",
        "describe('Esme', () => {\n"
        "  // verifies: SMETS-5.6.1-2\n"
        "  test('refuses the log to an IHD', () => {});\n"
        "  // verifies: SMETS-5.5.4-1\n"
        '  it("shows the log after access", () => {});\n'
        "  // verifies: CHTS-4.4.6.1-7\n"
        "  it('logs', () => {});\n"
        "});\n",
    )
    traced.junit(
        ("Esme refuses the log to an IHD", "Esme refuses the log to an IHD", "passed"),  # Jest
        ("tests/x/log.test.ts", "Esme > shows the log after access", "failed"),  # Vitest
        ("Esme logs", "Esme logs", "failed"),
        ("Gsme logs", "Gsme logs", "passed"),  # the same title in another block
    )
    matrix = traced.trace()
    found = {r.statement: [(e.link.name, e.outcome) for e in r.verified_by] for r in matrix.rows}
    assert found["SMETS-5.6.1-2"] == [("Esme > refuses the log to an IHD", "passed")]
    assert found["SMETS-5.5.4-1"] == [("Esme > shows the log after access", "failed")]
    assert found["CHTS-4.4.6.1-7"] == [("Esme > logs", "failed")]


def test_describe_blocks_tell_tests_of_the_same_title_apart(traced):
    traced.write(
        "tests/x/meters.test.js",
        "describe('Esme', () => {\n"
        "  describe('over the HAN', () => {\n"
        "    // verifies: SMETS-5.6.1-2\n"
        "    it('refuses the log', () => {});\n"
        "  });\n"
        "\n"
        "  // verifies: SMETS-5.5.4-1\n"
        "  it('refuses the log', () => {});\n"
        "});\n"
        "\n"
        "describe('Gsme', () => {\n"
        "  // verifies: CHTS-4.4.6.1-7\n"
        "  it('refuses the log', () => {});\n"
        "});\n"
        "\n"
        "// verifies: CHTS-4.4.6.1-6\n"
        "test('counts', () => {});\n",
    )
    traced.junit(
        ("Esme over the HAN refuses the log", "Esme over the HAN refuses the log", "failed"),
        ("Esme refuses the log", "Esme refuses the log", "passed"),
        ("Gsme refuses the log", "Gsme refuses the log", "skipped"),
        ("suite counts", "suite counts", "passed"),  # no block: matched by its title
    )
    found = {
        r.statement: [(e.link.name, e.outcome) for e in r.verified_by]
        for r in traced.trace().rows
        if r.verified_by
    }
    assert found == {
        "SMETS-5.6.1-2": [("Esme > over the HAN > refuses the log", "failed")],
        "SMETS-5.5.4-1": [("Esme > refuses the log", "passed")],
        "CHTS-4.4.6.1-7": [("Gsme > refuses the log", "skipped")],
        "CHTS-4.4.6.1-6": [("counts", "passed")],
    }


def test_a_results_file_is_read_again_only_when_its_bytes_change(traced, monkeypatch):
    from spectrace.trace import results

    monkeypatch.delenv("SPECTRACE_NO_CACHE", raising=False)
    read: list[str] = []
    real = results.read_junit
    monkeypatch.setattr(results, "read_junit", lambda p, r: read.append(p.name) or real(p, r))
    traced.write("tests/x/test_a.py", 'def test_a():\n    """verifies: SMETS-5.6.1-2"""\n')
    traced.junit(("tests.x.test_a", "test_a", "passed"))
    assert traced.row(traced.trace(), "SMETS-5.6.1-2").verified_by[0].outcome == "passed"
    assert traced.row(traced.trace(), "SMETS-5.6.1-2").verified_by[0].outcome == "passed"
    assert read == ["junit.xml"]  # the second time from OUTPUT/cache
    traced.junit(("tests.x.test_a", "test_a", "failed"))
    assert traced.row(traced.trace(), "SMETS-5.6.1-2").verified_by[0].outcome == "failed"
    assert read == ["junit.xml", "junit.xml"]


def test_results_are_found_in_a_project_whose_path_looks_like_a_glob(traced, tmp_path):
    import shutil

    odd = tmp_path / "checkout[main]"
    shutil.copytree(traced.root, odd)
    traced.root = odd
    traced.write("tests/x/test_a.py", "def test_a():\n    '''verifies: SMETS-5.6.1-2'''\n")
    traced.junit(("tests.x.test_a", "test_a", "passed"))
    matrix = traced.trace()
    assert traced.errors(matrix) == []
    assert traced.row(matrix, "SMETS-5.6.1-2").status.value == "tested-only"


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "build/junit.xml:1: malformed JUnit XML (Document is empty"),
        (b"PASS 3 tests\n", "build/junit.xml:1: malformed JUnit XML (Start tag expected"),
        (
            b'<testsuites>\n<testsuite>\n<testcase name="a" classname="b">',
            "build/junit.xml:3: malformed JUnit XML (",
        ),
        (b"<html><body/></html>", "build/junit.xml:1: not JUnit XML (root element <html>)"),
        (
            b'<?xml version="1.0"?>\n<!DOCTYPE lol [<!ENTITY lol "lol">]>\n'
            b'<testsuite><testcase name="&lol;"/></testsuite>',
            "build/junit.xml: declares a DTD or entities; refused",
        ),
    ],
    ids=["empty", "not-xml", "truncated", "wrong-root", "dtd-entities"],
)
def test_a_bad_junit_file_is_reported_by_name_and_the_others_still_count(traced, content, message):
    traced.write("tests/x/test_a.py", "def test_a():\n    '''verifies: SMETS-5.6.1-2'''\n")
    traced.write("build/junit.xml", content)
    traced.junit(("tests.x.test_a", "test_a", "passed"), path="build/more/junit.xml")
    matrix = traced.trace(results=["build/junit.xml", "build/more/*.xml"])
    assert len(matrix.errors) == 1 and str(matrix.errors[0]).startswith(f"error: {message}"), (
        matrix.errors
    )
    assert traced.row(matrix, "SMETS-5.6.1-2").status.value == "tested-only"


def test_missing_and_unreadable_results_are_reported(traced):
    (traced.root / "build/junit.xml").mkdir(parents=True)
    matrix = traced.trace(results=["build/junit.xml", "build/none/*.xml"])
    assert traced.errors(matrix) == [
        "build/junit.xml: cannot be read (Is a directory)",
        "build/none/*.xml: no test results found here; run the tests with JUnit XML output first",
    ]
