"""The project's outputs switch from one build to the next in one step (spectrace.outputs).

Each test builds the bundled project with one statement reading "eleven seconds", changes it
to "twelve seconds", and looks at the outputs through the names a reader uses (build/html,
build/docx, build/requirements.db, build/trace) while the next build runs, is stopped, or is
killed: every output must always exist and show the same build as all the others.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from spectrace import outputs
from spectrace.cli import cli

BUNDLED, OLD, NEW = b"ten seconds of UTC", b"eleven seconds of UTC", b"twelve seconds of UTC"
SECTION = Path("specs/SMETS/4.2/section-04.rst")


def run(project: Path, *args: str):
    return CliRunner().invoke(cli, ["--project", str(project), "-q", *args])


def edit(project: Path, before: bytes, after: bytes) -> None:
    path = project / SECTION  # GSME's time keeping: ESME's reads the same in section 5
    path.write_bytes(path.read_bytes().replace(before, after))


def which(data: bytes) -> str:
    if OLD in data and NEW not in data:
        return "old"
    if NEW in data and OLD not in data:
        return "new"
    return "mixed" if data else "missing"


def view(project: Path) -> dict[str, str]:
    """Return which build each output shows, read through the names a reader opens."""
    build = project / "build"

    def files(folder: Path, pattern: str) -> bytes:
        return b"".join(path.read_bytes() for path in sorted(folder.rglob(pattern)))

    def word(folder: Path) -> bytes:
        data = b""
        for path in sorted(folder.glob("SMETS*.docx")):
            with zipfile.ZipFile(path) as archive:
                data += archive.read("word/document.xml")
        return data

    database = build / "requirements.db"
    return {
        "html": which(files(build / "html", "*.html")),
        "docx": which(word(build / "docx")),
        "database": which(database.read_bytes() if database.exists() else b""),
        "trace": which(files(build / "trace", "matrix.json")),
    }


def left_over(project: Path) -> list[str]:
    """Return what is in build/ beyond the outputs, their links, caches and two generations."""
    expected = {
        "cache",
        ".lock",
        "current",
        "html",
        "docx",
        "trace",
        "requirements.db",
        "junit.xml",
    }
    children = sorted(os.listdir(project / "build"))
    generations = [name for name in children if outputs._GENERATION.match(name)]
    return [name for name in children if name not in expected and name not in generations[-2:]]


@pytest.fixture
def built(project_copy) -> Path:
    """The bundled project with its code and tests (so builds write a matrix), built once."""
    import shutil

    from tests.conftest import PROJECT_ROOT

    shutil.copytree(PROJECT_ROOT / "src" / "smartmeter", project_copy / "src" / "smartmeter")
    shutil.copytree(PROJECT_ROOT / "tests" / "meter", project_copy / "tests" / "meter")
    shutil.copytree(PROJECT_ROOT / "trace", project_copy / "trace")
    edit(project_copy, BUNDLED, OLD)
    assert run(project_copy, "build").exit_code == 0
    assert set(view(project_copy).values()) == {"old"}
    edit(project_copy, OLD, NEW)
    return project_copy


def test_at_every_step_of_a_build_every_output_shows_the_same_build(built, monkeypatch):
    seen: dict[str, dict[str, str]] = {}
    monkeypatch.setattr(outputs, "_step", lambda step: seen.setdefault(step, view(built)))
    assert run(built, "build").exit_code == 0
    assert list(seen) == list(outputs.STEPS)
    for step, shown in seen.items():
        expected = "old" if outputs.STEPS.index(step) < outputs.STEPS.index("switched") else "new"
        assert shown == dict.fromkeys(shown, expected), step
    assert left_over(built) == []


def test_a_failed_build_leaves_the_previous_outputs_and_no_staging(built, monkeypatch):
    def fail(step: str) -> None:
        if step == "written":
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(outputs, "_step", fail)
    result = run(built, "build")
    assert result.exit_code == 2
    assert result.output == "error: cannot read or write a file: No space left on device\n"
    assert set(view(built).values()) == {"old"}
    assert [name for name in os.listdir(built / "build") if name.endswith(".partial")] == []


KILLER = """
import os, signal, sys
import spectrace.outputs as outputs
def stop(step):
    if step == sys.argv[1]:
        os.kill(os.getpid(), signal.SIGKILL)
outputs._step = stop
from spectrace.cli import cli
cli(args=sys.argv[2:], prog_name="spectrace")
"""


@pytest.mark.parametrize("step", outputs.STEPS)
def test_a_build_killed_at_any_step_leaves_one_whole_build_and_the_next_run_tidies(built, step):
    killed = subprocess.run(
        [sys.executable, "-c", KILLER, step, "--project", str(built), "-q", "build"],
        capture_output=True,
        timeout=300,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()
    expected = "old" if outputs.STEPS.index(step) < outputs.STEPS.index("switched") else "new"
    assert set(view(built).values()) == {expected}
    assert run(built, "db").exit_code == 0  # any command that writes outputs tidies
    assert left_over(built) == []
    assert view(built)["database"] == "new"
