"""The ``spectrace`` process itself (``main``): it ends with the command's exit status and all
of its output, without tearing down the model it built."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import bundled_project


def spectrace(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "spectrace", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_command_ends_with_its_status_and_its_whole_output(tmp_path):
    bundled_project(tmp_path)
    done = spectrace("build", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr.rstrip().endswith("html/index.html")  # the last line is there
    query = spectrace("query", "SELECT count(*) AS n FROM statements", cwd=tmp_path)
    assert query.returncode == 0 and query.stdout.endswith("(1 row)\n")


def test_bad_usage_and_findings_keep_their_statuses(tmp_path):
    usage = spectrace("no-such-command", cwd=tmp_path)
    assert usage.returncode == 2 and "No such command" in usage.stderr
    (tmp_path / "spectrace.toml").write_text("[project\n", encoding="utf-8")
    broken = spectrace("lint", cwd=tmp_path)
    assert broken.returncode == 2
    assert broken.stderr.startswith("error: ") and "Traceback" not in broken.stderr
