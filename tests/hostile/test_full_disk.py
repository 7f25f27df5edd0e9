"""A build on a full disk is one error line, and leaves the previous outputs whole.

The disk is a small tmpfs mounted for the test (root only; elsewhere the test skips, and
tests/test_outputs.py simulates the same failure at every step of the switch).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from spectrace.cli import cli


@pytest.fixture
def small_disk(tmp_path_factory) -> Path:
    mount = tmp_path_factory.mktemp("disk")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=6m", f"spectrace-{uuid.uuid4().hex[:8]}", str(mount)],
        capture_output=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small disk here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path, leave: int) -> None:
    """Take every free byte of ``disk`` but ``leave``."""
    with (disk / "filler").open("wb") as handle:
        try:
            while True:
                handle.write(b"\0" * (1 << 16))
                handle.flush()
        except OSError:
            pass
    filler = disk / "filler"
    os.truncate(filler, max(0, filler.stat().st_size - leave))


@pytest.mark.parametrize("leave", [0, 200 * 1024, 500 * 1024, 800 * 1024])
def test_a_build_on_a_full_disk_is_one_error_and_keeps_the_previous_outputs(
    project_copy, small_disk, leave
):
    """The disk fills while the database, the Word files or the site is written."""
    project = small_disk / "project"
    shutil.copytree(project_copy, project)
    runner = CliRunner()
    assert runner.invoke(cli, ["--project", str(project), "-q", "build"]).exit_code == 0
    before = (project / "build" / "html" / "index.html").read_bytes()
    section = project / "specs" / "SMETS" / "4.2" / "section-04.rst"
    section.write_text(section.read_text().replace("ten seconds", "nine seconds"))
    fill(small_disk, leave)
    result = runner.invoke(cli, ["--project", str(project), "-q", "build"])
    if result.exit_code == 0 and leave:  # what changed fitted: a build links what did not
        assert result.output == ""
        assert b"nine seconds" in (project / "build" / "requirements.db").read_bytes()
        return
    assert result.exit_code == 2, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert "No space left on device" in lines[0] or "disk is full" in lines[0]
    assert (project / "build" / "html" / "index.html").read_bytes() == before
    assert [p.name for p in (project / "build").iterdir() if p.name.endswith(".partial")] == []
    (small_disk / "filler").unlink()
    assert runner.invoke(cli, ["--project", str(project), "-q", "build"]).exit_code == 0
    assert b"nine seconds" in (project / "build" / "requirements.db").read_bytes()
