"""``spectrace serve`` as a spec author uses it: the site is served, an edit is built and the
pages hear of it, a broken edit shows its error and keeps the previous site, Ctrl-C stops."""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import bundled_project

SECTION = Path("specs/SMETS/4.2/section-04.rst")
SENTENCE = "This Section 4 sets out the minimum requirements that GSME shall meet."


class Server:
    """A ``spectrace serve`` process on any free port, and what it said."""

    def __init__(self, project: Path, *args: str):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "spectrace", "serve", "--port", "0", *args],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        first = self.process.stderr.readline()
        assert first.startswith("serving http://127.0.0.1:"), first
        self.url = first.split()[1]

    def news(self, after: int) -> dict:
        """The state of the first build after ``after`` (waiting for it)."""
        for _ in range(12):  # each poll returns after at most 25 s without news
            with urllib.request.urlopen(f"{self.url}_spectrace/build?after={after}") as reply:
                state = json.load(reply)
            if state["build"] > after:
                return state
        raise AssertionError("no build in 5 minutes")

    def page(self, path: str) -> str:
        with urllib.request.urlopen(self.url + path) as reply:
            return reply.read().decode()

    def stop(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGINT)
        _, errors = self.process.communicate(timeout=120)
        return self.process.returncode, errors


@pytest.fixture
def project(tmp_path):
    bundled_project(tmp_path)
    assert SENTENCE in (tmp_path / SECTION).read_text(encoding="utf-8")
    return tmp_path


def edit(project: Path, old: str, new: str, path: Path = SECTION) -> None:
    text = (project / path).read_text(encoding="utf-8")
    assert old in text
    (project / path).write_text(text.replace(old, new), encoding="utf-8")


def test_an_edit_is_built_and_shown_and_an_error_keeps_the_previous_site(project):
    server = Server(project)
    try:
        assert server.news(0) == {"build": 1, "ok": True, "message": ""}
        page = server.page("SMETS/4.2/section-04.html")
        assert "minimum requirements" in page and 'data-build="1" data-ok="1"' in page

        edit(project, "the minimum requirements", "the least requirements")
        state = server.news(1)
        assert state["ok"], state
        assert "the least requirements" in server.page("SMETS/4.2/section-04.html")

        edit(project, "the least requirements", "the :st:`broken requirements")
        failed = server.news(state["build"])
        assert not failed["ok"]
        assert failed["message"].startswith(f"error: {project / SECTION}: line ")
        page = server.page("SMETS/4.2/section-04.html")  # the previous site, marked
        assert "the least requirements" in page
        assert f'data-build="{failed["build"]}" data-ok="0"' in page

        edit(project, "the :st:`broken requirements", "the fewest requirements")
        assert server.news(failed["build"])["ok"]
        assert "the fewest requirements" in server.page("SMETS/4.2/section-04.html")
    finally:
        status, errors = server.stop()
    assert status == 0 and "Traceback" not in errors
    assert f"error: {project / SECTION}: line " in errors  # the terminal was told too


def test_a_broken_project_file_is_reported_and_its_repair_is_news(project):
    server = Server(project)
    try:
        built = server.news(0)["build"]
        good = (project / "spectrace.toml").read_text(encoding="utf-8")
        (project / "spectrace.toml").write_text(good + "\n[broken\n", encoding="utf-8")
        failed = server.news(built)
        assert not failed["ok"] and "spectrace.toml" in failed["message"]
        (project / "spectrace.toml").write_text(good, encoding="utf-8")
        assert server.news(failed["build"])["ok"]  # nothing to build again: it says so
    finally:
        status, errors = server.stop()
    assert status == 0 and "Traceback" not in errors


def test_a_port_in_use_is_one_line_and_status_2(project):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "spectrace", "serve", "--port", str(port)],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2
    (line,) = done.stderr.strip().splitlines()
    said = re.fullmatch(
        rf"error: 127\.0\.0\.1:{port}: cannot serve: Address already in use "
        r"\(port (\d+) is free: --port \1\)",
        line,
    )
    assert said is not None, line
    assert port < int(said[1]) <= port + 20
    assert not (project / "build").exists()  # nothing built either
