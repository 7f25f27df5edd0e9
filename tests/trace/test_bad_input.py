"""Requirement 6: bad input gives a clear message naming the file and line, the scan goes on
for the rest, and the gate fails; binary and vendored files are skipped."""

from __future__ import annotations

import re

from tests.cli.test_cli import one_error_line

GOOD_TEST = "def test_ok():\n    '''verifies: SMETS-5.6.1-2'''\n"


def test_bad_sources_results_and_waivers_are_each_reported_and_the_rest_still_counts(traced):
    traced.write("src/x/a_latin1.c", "// implements: SMETS-5.5.1-1\n// caf\xe9\n".encode("latin-1"))
    traced.write("src/x/b_typo.py", "def f():\n    # implements: SMETS-5.6.1.2\n    pass\n")
    traced.write("src/x/c_good.c", "// implements: SMETS-5.6.1-2\nint refuse(void) { return 0; }\n")
    traced.write("tests/x/test_ok.py", GOOD_TEST)
    traced.junit(("tests.x.test_ok", "test_ok", "passed"))
    traced.write("build/broken.xml", '<testsuite><testcase name="x"')
    traced.configure(
        trace='\n[trace]\ncode = ["src/x"]\ntests = ["tests/x"]\n'
        'results = ["build/junit.xml", "build/broken.xml"]\n',
        check='[[check.waive]]\nstatement = "SMETS-9.9-9"\nreason = "typo"\n',
    )
    result = traced.cli("check")
    assert result.exit_code == 1
    errors = [
        re.sub(r"XML \(.*\) \[", "XML (…) [", line)  # libxml2's own words vary by version
        for line in result.stdout.splitlines()
        if line.startswith("error: ")
    ]
    assert errors == [
        "error: src/x/a_latin1.c:2: not UTF-8 text; tags in it are not read [unreadable-input]",
        "error: build/broken.xml:1: malformed JUnit XML (…) [unreadable-input]",
        "error: src/x/b_typo.py:2: 'SMETS-5.6.1.2' is not a statement id (SMETS-5.6.1-2) or a "
        "clause (SMETS 5.6.1) [malformed-tag]",
        f"error: spectrace.toml:{header_line(traced.root / 'spectrace.toml')}: [[check.waive]] "
        "#1: the waiver names no statement or clause: SMETS-9.9-9 [unknown-target]",
    ]
    # everything else was still read
    matrix = traced.trace()
    assert matrix.row("SMETS-5.6.1-2").status.value == "covered"
    # `spectrace trace` reports the same problems and exits 1, but still writes the matrix
    result = traced.cli("trace")
    assert result.exit_code == 1
    assert "error: src/x/a_latin1.c:2: not UTF-8 text" in result.stdout
    assert (traced.root / "build/trace/matrix.json").is_file()


def test_a_waiver_error_names_the_project_file_it_is_in(traced):
    """A project in pyproject.toml: the error names that file, not spectrace.toml."""
    toml = (traced.root / "spectrace.toml").read_text(encoding="utf-8")
    toml += '\n[[check.waive]]\nclause = "SMETS 9.9"\nreason = "typo"\n'
    (traced.root / "spectrace.toml").unlink()
    nested = re.sub(r"(?m)^(\s*\[\[?)\s*", r"\1tool.spectrace.", toml)
    (traced.root / "pyproject.toml").write_text(nested, encoding="utf-8")
    matrix = traced.trace(results=[])
    line = header_line(traced.root / "pyproject.toml")
    assert traced.errors(matrix) == [
        f"pyproject.toml:{line}: [[check.waive]] #1: the waiver names no statement or clause: "
        "SMETS 9.9"
    ]


def header_line(project_file) -> int:
    """Return the line of the first waiver's table header."""
    lines = project_file.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if "check.waive]]" in line)


def test_binary_and_vendored_files_are_skipped(traced):
    bad = "// implements: SMETS-0-0\n"
    traced.write("src/x/firmware.bin.c", b"\x7fELF\x00\x00" + bad.encode())
    traced.write("src/x/vendor/lib.c", bad)
    traced.write("src/x/third_party/zlib/inflate.c", bad)
    traced.write("src/x/node_modules/pkg/index.js", bad)
    traced.write("src/x/logo.png", b"\x89PNG\r\n\x1a\n" + bad.encode())
    traced.write("src/x/keep.c", "// implements: SMETS-5.6.1-2\n")
    matrix = traced.trace(results=[])
    assert traced.errors(matrix) == []
    assert [link.path for link in matrix.links] == ["src/x/keep.c"]


def test_the_projects_exclude_globs_add_to_the_default_ones(traced):
    bad = "// implements: SMETS-0-0\n"
    traced.configure(
        trace='\n[trace]\ncode = ["src"]\nexclude = ["**/*_generated.c", "src/gen/**"]\n'
    )
    traced.write("src/x/vendor/lib.c", bad)
    traced.write("src/x/table_generated.c", bad)
    traced.write("src/gen/api.c", bad)
    traced.write("src/x/keep.c", "// implements: SMETS-5.6.1-2\n")
    matrix = traced.trace(results=[])
    assert traced.errors(matrix) == []
    assert [link.path for link in matrix.links] == ["src/x/keep.c"]


def test_a_default_excluded_folder_at_the_top_is_skipped(traced):
    traced.configure(trace='\n[trace]\ncode = ["."]\n')
    for folder in ("vendor", "node_modules", ".venv/lib", "build", "third_party"):
        traced.write(f"{folder}/x.c", "// implements: SMETS-0-0\n")
    traced.write("keep.c", "// implements: SMETS-5.6.1-2\n")
    matrix = traced.trace(results=[])
    assert traced.errors(matrix) == []
    assert [link.path for link in matrix.links] == ["keep.c"]


def test_a_malformed_reviewed_file_is_one_error_line(traced):
    traced.write("trace/reviewed.json", "{not json")
    one_error_line(traced.cli("trace"), "trace/reviewed.json", "not readable JSON")


def test_a_code_or_tests_folder_that_does_not_exist_is_an_error_not_an_empty_scan(traced):
    traced.configure(trace='[trace]\ncode = ["src/x", "src/gone"]\ntests = ["tests/x"]\n')
    matrix = traced.trace(results=[])
    assert traced.errors(matrix) == [
        "src/gone: no such file or folder (named in [trace] code or tests)"
    ]


def test_a_spec_error_while_files_are_read_in_the_background_is_one_error_line(traced, monkeypatch):
    """Changed files are read by worker processes while the editions load: an error in the
    specification stops the command at once, with no traceback and no scan cache written."""
    from spectrace.trace import scanner

    monkeypatch.setattr(scanner, "PARALLEL_FROM", 2)
    monkeypatch.setattr(scanner, "_cpus", lambda: 2)
    for n in range(6):
        traced.write(f"src/x/m{n}.py", f"def f{n}():\n    '''implements: SMETS-5.6.1-2'''\n")
    section = next((traced.root / "specs/SMETS/4.2").glob("section-05.rst"))
    section.write_text(section.read_text(encoding="utf-8") + "\n*unclosed\n", encoding="utf-8")
    one_error_line(traced.cli("trace"), "section-05.rst", "line")
    assert not (traced.root / "build/cache/scan.json").exists()
