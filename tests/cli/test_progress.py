"""What a person sees while a long command runs: nothing extra in a pipe, one timed line per phase
with -v, live phases with bars on a terminal; and one error line when a phase fails."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from spectrace.errors import SpectraceError
from tests.cli.test_cli import run
from tests.conftest import bundled_project

#: A phase line of -v: ``read SMETS 4.2: 6 section files, 102 clauses (0.31 s)``.
PHASE = re.compile(r"^(?P<name>[^:()]+?)(?:: (?P<said>.+))? \((?P<seconds>\d+\.\d\d) s\)$")
DONE = re.compile(r"^done in \d+\.\d s$")
CHECK = ["check the inputs"]
READ = ["read SMETS 4.2", "read CHTS 1.3", "read proposals", "amend"]
TRACE = ["scan code and tests", "trace"]
SITE = ["write site sources", "read site pages", "write site pages"]
#: Done by a second process while the site is built (spectrace.background).
BESIDE = ["lint, database, Word files"]


def build_lines(traced: bool) -> list[str]:
    """The lines ``build`` has always written to standard error, as patterns, in order."""
    lines = [
        r"read SMETS 4\.2: \d+ clauses",
        r"read CHTS 1\.3: \d+ clauses",
        r"amended SMETS 4\.2\+IRP603",
        r"amended CHTS 1\.3\+IRP603",
        r"lint: \d+ errors, \d+ warnings",
        r"wrote .*requirements\.db \(SMETS 4\.2\+IRP603, CHTS 1\.3\+IRP603: \d+ statements\)",
        *(
            rf"wrote .*docx/{name}\.docx"
            for name in ("SMETS 4.2\\+IRP603", "SMETS 4.2\\+IRP603 redline")
        ),
        *(
            rf"wrote .*docx/{name}\.docx"
            for name in ("CHTS 1.3\\+IRP603", "CHTS 1.3\\+IRP603 redline")
        ),
        r"wrote .*html/index\.html",
    ]
    if traced:
        lines.append(r"wrote .*trace/matrix\.html \(.*\)")
    return lines


FINDING = re.compile(r"^(?:error|warning|info): .* \[[a-z-]+\]$")


def phases(stderr: str) -> list[re.Match[str]]:
    return [m for line in stderr.splitlines() if (m := PHASE.match(line))]


@pytest.fixture(params=["traced", "untraced"])
def project(request, tmp_path, project_copy) -> tuple[Path, bool]:
    """The repository's project: with its [trace] table, and without it."""
    if request.param == "traced":
        return project_copy, True
    return bundled_project(tmp_path / "untraced"), False


def test_piped_build_without_verbose_writes_exactly_the_lines_it_always_did(project):
    folder, traced = project
    result = run("--project", str(folder), "build")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if not FINDING.match(line)]
    expected = build_lines(traced)
    assert len(lines) == len(expected), lines
    for line, pattern in zip(lines, expected, strict=True):
        assert re.fullmatch(pattern, line), (line, pattern)
    assert not phases(result.stderr)


def test_verbose_writes_one_timed_line_per_phase_in_order_and_leaves_stdout_alone(project):
    folder, traced = project
    result = run("--project", str(folder), "-v", "build")  # the first: nothing is cached
    quiet = run("--project", str(folder), "build", "--force")
    assert result.exit_code == 0, result.output
    assert result.stdout == quiet.stdout == ""  # a build's results are its files
    found = phases(result.stderr)
    names = [m["name"] for m in found]
    expected = CHECK + READ + (TRACE if traced else []) + SITE + BESIDE
    assert names == expected + (["write the matrix"] if traced else [])
    said = {m["name"]: m["said"] for m in found}
    assert said["check the inputs"] == "to build"
    clauses = re.search(r"^read SMETS 4\.2: (\d+) clauses$", result.stderr, re.M)
    assert clauses is not None
    assert re.fullmatch(rf"\d+ section files, {clauses[1]} clauses", said["read SMETS 4.2"])
    beside = "0 errors, 15 warnings; 4 editions; 4 Word files"
    assert said[BESIDE[0]] == beside
    assert said["amend"] == "2 editions, 6 revisions, 0 refused"
    pages = said["read site pages"]
    assert re.fullmatch(r"[1-9]\d* pages", pages) and said["write site pages"] == pages
    lines = result.stderr.splitlines()
    assert lines[: len(found)] == [m.string for m in found]  # the phases first, as they end
    assert lines[len(found) : -1] == quiet.stderr.splitlines()  # then what build always said
    assert DONE.match(lines[-1])


def test_a_second_build_reads_the_editions_from_the_cache_and_says_so(tmp_path):
    folder = bundled_project(tmp_path)
    run("--project", str(folder), "build")
    section = folder / "specs" / "CHTS" / "1.3" / "section-04.rst"
    section.write_text(section.read_text() + "\n")  # CHTS changed: read again; SMETS not
    again = run("--project", str(folder), "-v", "build")
    said = {m["name"]: m["said"] for m in phases(again.stderr)}
    assert re.fullmatch(r"\d+ clauses, from the cache", said["read SMETS 4.2"])
    assert re.fullmatch(r"1 section files, \d+ clauses", said["read CHTS 1.3"])  # the one edited


def test_a_build_with_nothing_to_do_says_so_in_one_phase(tmp_path):
    folder = bundled_project(tmp_path)
    first = run("--project", str(folder), "build")
    plain = run("--project", str(folder), "build")
    verbose = run("--project", str(folder), "-v", "build")
    assert plain.stderr.splitlines()[0].startswith("up to date")
    assert plain.stderr.splitlines()[1:] == first.stderr.splitlines()  # as it always did
    found = phases(verbose.stderr)
    assert [(m["name"], m["said"]) for m in found] == [
        ("check the inputs", "unchanged since the last build")
    ]
    lines = verbose.stderr.splitlines()
    assert lines[1:-1] == plain.stderr.splitlines() and DONE.match(lines[-1])


@pytest.mark.parametrize(
    ("command", "names"),
    [
        (["db"], [*READ, "write the database"]),
        (["trace"], [*READ, *TRACE, "write the matrix"]),
    ],
    ids=["db", "trace"],
)
def test_db_and_trace_show_their_phases_too(project_copy, command, names):
    result = run("--project", str(project_copy), "-v", *command)
    assert [m["name"] for m in phases(result.stderr)] == names
    assert DONE.match(result.stderr.splitlines()[-1])
    plain = run("--project", str(project_copy), *command)
    assert plain.stdout == result.stdout and not phases(plain.stderr)
    assert not any(DONE.match(line) for line in plain.stderr.splitlines())


def test_quiet_and_verbose_together_are_refused(project_copy):
    result = run("--project", str(project_copy), "-q", "-v", "build")
    assert result.exit_code == 2 and "not both" in result.stderr


def test_a_phase_that_fails_is_said_to_and_the_error_is_one_line(project_copy, monkeypatch):
    def broken(*args, **kwargs):
        raise SpectraceError("the disk said no", file="SMETS 4.2+IRP603.docx")

    monkeypatch.setattr("spectrace.api.write_word_files", broken)
    result = run("--project", str(project_copy), "-v", "build")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    failed = PHASE.match(lines[-2])
    assert failed and failed["name"] == BESIDE[0] and failed["said"] == "failed"
    assert lines[-1] == "error: SMETS 4.2+IRP603.docx: the disk said no"
    assert "Traceback" not in result.output
    assert not (project_copy / "build" / "html").exists()  # nothing half-written


# --- on a terminal ------------------------------------------------------------------------


def on_a_terminal(*args: str, cwd: Path) -> tuple[int, str, str]:
    """Run ``spectrace ARGS`` with standard error on a pseudo-terminal and standard output on a
    pipe; return the status, standard output, and what the terminal received."""
    leader, follower = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environment |= {"TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    process = subprocess.Popen(
        [sys.executable, "-m", "spectrace", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=follower,
        env=environment,
    )
    os.close(follower)
    received = bytearray()
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal's other end closed: the process ended
            break
        if not chunk:
            break
        received += chunk
    stdout = process.stdout.read() if process.stdout else b""
    status = process.wait(timeout=300)
    os.close(leader)
    return status, stdout.decode(), received.decode("utf-8", "replace")


def screen_lines(received: str) -> list[str]:
    """The lines a terminal ends up showing, roughly: escape codes removed, each line as its
    last redraw after a carriage return left it."""
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", received)
    return [line.split("\r")[-1] if line.split("\r")[-1] else line for line in text.split("\r\n")]


def test_on_a_terminal_build_shows_live_phases_with_bars_and_ends_with_the_time(tmp_path):
    folder = bundled_project(tmp_path)
    piped = subprocess.run(
        [sys.executable, "-m", "spectrace", "build"], cwd=folder, capture_output=True, text=True
    )
    status, stdout, received = on_a_terminal("build", "--force", cwd=folder)
    assert status == 0, received
    assert stdout == piped.stdout  # standard output is data: no display, no escape codes
    assert "━" in received  # a bar was drawn
    assert "\x1b[" in received  # and redrawn in place
    shown = [line.strip() for line in screen_lines(received) if line.strip()]
    for name in READ + SITE + BESIDE:
        assert any(line.startswith(f"✓ {name}") for line in shown), (name, shown)
    assert DONE.match(shown[-1]), shown[-1]
    assert "Traceback" not in received


def test_on_a_terminal_a_failing_phase_is_marked_and_the_error_is_one_clean_line(tmp_path):
    folder = bundled_project(tmp_path)
    section = folder / "specs" / "SMETS" / "4.2" / "section-05.rst"
    section.write_text(
        section.read_text().replace(":st:`SMETS-5.5.4-1` ESME", ":st:`SMETS-5.5.4-1` *ESME")
    )
    status, stdout, received = on_a_terminal("build", cwd=folder)
    assert status == 2 and stdout == ""
    shown = [line.strip() for line in screen_lines(received) if line.strip()]
    assert any(line.startswith("✗ read SMETS 4.2: failed") for line in shown), shown
    assert shown[-1].startswith("error: ") and "section-05.rst" in shown[-1]
    assert "Traceback" not in received
