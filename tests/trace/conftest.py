"""A small traced project in a temporary folder: the repository's SMETS 4.2+IRP603 and
CHTS 1.3+IRP603, with code in src/x, tests in tests/x and JUnit results in build/junit.xml."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest

TRACE = """
[trace]
code = ["src/x"]
tests = ["tests/x"]
results = ["build/junit.xml"]
"""


def without_trace_tables(toml: str) -> str:
    """Drop the [trace] and [check] tables (the repository's own) from a project file."""
    kept, dropping = [], False
    for line in toml.splitlines(keepends=True):
        header = re.match(r"^\s*\[\[?\s*([\w.-]+)", line)
        if header:
            dropping = header[1].split(".")[0] in ("trace", "check")
        if not dropping:
            kept.append(line)
    return "".join(kept)


class TracedProject:
    """The project folder, with helpers to write sources and results and to trace them."""

    def __init__(self, root: Path):
        self.root = root
        self.toml = without_trace_tables((root / "spectrace.toml").read_text(encoding="utf-8"))
        self.configure()
        (root / "src/x").mkdir(parents=True)
        (root / "tests/x").mkdir(parents=True)

    def configure(self, trace: str = TRACE, check: str = "") -> None:
        """Replace the [trace] and [check] tables of the project file."""
        text = self.toml + trace + ("\n" + check if check else "")
        (self.root / "spectrace.toml").write_text(text, encoding="utf-8")

    def write(self, path: str, text: str | bytes) -> Path:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(text, encoding="utf-8")
        return target

    def junit(self, *cases: tuple[str, str, str], path: str = "build/junit.xml") -> Path:
        """Write pytest-style JUnit XML: cases are (classname, name, outcome)."""
        body = {
            "passed": "",
            "failed": '<failure message="assert 2 == 1">boom</failure>',
            "error": '<error message="fixture broke">boom</error>',
            "skipped": '<skipped message="not today"/>',
        }
        lines = [
            f"  <testcase classname={quoteattr(c)} name={quoteattr(n)} time='0.1'>"
            f"{body[outcome]}</testcase>"
            for c, n, outcome in cases
        ]
        xml = (
            '<?xml version="1.0" encoding="utf-8"?>\n<testsuites name="pytest tests">'
            '<testsuite name="pytest">\n' + "\n".join(lines) + "\n</testsuite></testsuites>\n"
        )
        return self.write(path, xml)

    def trace(self, results: list[str] | None = None, *, record: bool = True):
        """Return the matrix, as the API computes it: as ``spectrace trace`` does (recording
        the baseline of newly linked statements), or, without ``record``, as ``check``."""
        from spectrace import api
        from spectrace.config import load_project

        matrix, _ = api.trace(load_project(self.root), results, record=record)
        return matrix

    def row(self, matrix, statement: str):
        row = matrix.row(statement)
        assert row is not None, statement
        return row

    def errors(self, matrix) -> list[str]:
        """Return each tracing problem as "where: message" (its code is checked apart)."""
        return [f"{error.where}: {error.message}" for error in matrix.errors]

    def cli(self, *args: str):
        from tests.cli.test_cli import run

        return run(*args, cwd=self.root)

    def matrix_json(self, out: str = "build/trace") -> dict:
        return json.loads((self.root / out / "matrix.json").read_text(encoding="utf-8"))


#: Who git says is reviewing, in the traced projects' tests.
REVIEWER = "Rita Reviewer"


@pytest.fixture
def traced(project_copy, monkeypatch) -> TracedProject:
    # git's own configuration, highest in precedence: `spectrace review` asks git who reviews
    for name, value in {"COUNT": "1", "KEY_0": "user.name", "VALUE_0": REVIEWER}.items():
        monkeypatch.setenv(f"GIT_CONFIG_{name}", value)
    return TracedProject(project_copy)
