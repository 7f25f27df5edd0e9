"""The progress hook: phases report to their front end, the innermost open phase takes the
counts of code far below, and nothing is shown or counted without a front end."""

from __future__ import annotations

import contextlib
import io
import os

import pytest

from spectrace import progress
from spectrace.progress import QUIET, Lines, Progress, Step, line


class Recorded(Progress):
    def __init__(self):
        self.events: list[tuple] = []

    def started(self, step: Step) -> None:
        self.events.append(("start", step.name, step.total))

    def advanced(self, step: Step) -> None:
        self.events.append(("advance", step.name, step.done, step.total))

    def ended(self, step: Step, failed: bool) -> None:
        self.events.append(("end", step.name, step.summary, failed))


def test_a_phase_reports_its_start_its_counts_and_its_end():
    recorded = Recorded()
    with recorded.phase("read", total=2) as step:
        step.advance()
        step.advance()
        step.describe("2 files")
    assert recorded.events == [
        ("start", "read", 2),
        ("advance", "read", 1, 2),
        ("advance", "read", 2, 2),
        ("end", "read", "2 files", False),
    ]


def test_code_below_counts_in_the_innermost_open_phase_and_nowhere_outside_one():
    recorded = Recorded()
    progress.advance()  # no phase open: nothing happens
    with recorded.phase("outer"), recorded.phase("inner"):
        progress.expect(3)
        progress.advance(2)
    with recorded.phase("outer again"):
        progress.advance()
    assert [e for e in recorded.events if e[0] == "advance"] == [
        ("advance", "inner", 0, 3),
        ("advance", "inner", 2, 3),
        ("advance", "outer again", 1, None),
    ]


def test_a_failed_phase_is_ended_as_failed_and_the_error_goes_on():
    recorded = Recorded()
    with pytest.raises(KeyError), recorded.phase("amend"):
        raise KeyError("x")
    assert recorded.events[-1] == ("end", "amend", "", True)
    progress.advance()  # the failed phase is no longer open


@pytest.mark.parametrize(
    ("total", "counts", "summary", "failed", "expected"),
    [
        (None, 0, "", False, "lint"),
        (None, 0, "0 errors, 3 warnings", False, "lint: 0 errors, 3 warnings"),
        (5, 3, "", False, "lint: 3 of 5"),
        (None, 4, "", False, "lint: 4"),
        (5, 3, "3 files", True, "lint: failed"),
    ],
)
def test_the_line_of_a_phase_says_what_it_gave_and_how_long_it_took(
    total, counts, summary, failed, expected
):
    stream = io.StringIO()
    with contextlib.suppress(RuntimeError), Lines(stream).phase("lint", total) as step:
        step.advance(counts)
        step.describe(summary)
        if failed:
            raise RuntimeError
    written = stream.getvalue()
    assert written.startswith(f"{expected} (") and written.endswith(" s)\n"), written
    assert written.count("\n") == 1


def test_seconds_are_measured_from_start_to_end():
    step = Step("x", None, QUIET)
    step.began, step.ended = 10.0, 10.25
    assert line(step) == "x (0.25 s)"


def test_quiet_progress_counts_without_showing_anything(capsys):
    with QUIET.phase("read", total=3) as step:
        step.advance(3)
    assert step.done == 3
    assert capsys.readouterr() == ("", "")


def test_a_forked_copy_of_a_phase_does_not_count():
    recorded = Recorded()
    with recorded.phase("read site pages") as step:
        child = os.fork()
        if child == 0:  # a worker forked meanwhile: its events must not reach the display
            step.advance()
            os._exit(0 if recorded.events[-1][0] == "start" else 1)
        assert os.waitpid(child, 0)[1] == 0
        step.advance()
    assert step.done == 1


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork")
def test_a_phase_begun_in_a_forked_process_shows_nothing():
    stream = io.StringIO()
    progress = Lines(stream)
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: a phase of its own, as the work beside the site has
        with progress.phase("lint") as step:
            step.advance()
        os.write(writer, stream.getvalue().encode() or b"-")
        os._exit(0)
    os.close(writer)
    said = os.read(reader, 1000)
    os.waitpid(pid, 0)
    assert said == b"-"
    with progress.phase("here"):
        pass
    assert stream.getvalue().startswith("here (")
