"""A hostile or broken project file gets one error line and exit 2, and nothing is written
outside the project: outputs stay inside it (or in a folder allowed on the command line), and
spectrace never replaces what is not a regular file or an output it made."""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from spectrace import limits
from spectrace.cli import cli


def run(project: Path, *args: str, allow: str | None = None):
    options = ["--allow-output", allow] if allow else []
    return CliRunner().invoke(cli, ["--project", str(project), *options, *args])


def one_error(result, *fragments: str) -> str:
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    for fragment in fragments:
        assert fragment in lines[0]
    return lines[0]


def set_project(project: Path, line: str) -> None:
    """Make ``line`` ("key = value") the setting of its key in the project file's [project]."""
    path = project / "spectrace.toml"
    key = line.split()[0]
    text = re.sub(rf"(?m)^{key} = .*$\n", "", path.read_text())
    path.write_text(text.replace("[project]\n", f"[project]\n{line}\n", 1))


@pytest.mark.parametrize(
    "line",
    [
        'database = "/dev/null"',
        'database = "../requirements.db"',
        'output = "/tmp"',
        'output = "../../elsewhere"',
        'specs = "/etc"',
        'irps = "../irps"',
    ],
)
def test_an_output_outside_the_project_is_refused_before_anything_is_written(project_copy, line):
    set_project(project_copy, line)
    key = line.split()[0]
    one_error(run(project_copy, "build"), f"[project] {key}", "outside the project folder")
    assert not (project_copy / "build").exists()
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_an_output_folder_linked_to_outside_the_project_is_refused(project_copy, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (project_copy / "build").symlink_to(elsewhere)
    one_error(run(project_copy, "build"), "[project] ", "outside the project folder")
    assert list(elsewhere.iterdir()) == []


def test_a_folder_allowed_on_the_command_line_may_take_the_outputs(project_copy, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("published")
    set_project(project_copy, f'output = "{elsewhere}"')
    set_project(project_copy, f'database = "{elsewhere}/requirements.db"')
    assert run(project_copy, "build", allow=str(elsewhere)).exit_code == 0
    assert (elsewhere / "html" / "index.html").is_file()
    assert (elsewhere / "requirements.db").is_file()
    assert not (project_copy / "build" / "html").exists()


@pytest.mark.parametrize("kind", ["fifo", "folder", "link"])
def test_something_spectrace_did_not_make_at_an_output_name_is_never_replaced(project_copy, kind):
    build = project_copy / "build"
    build.mkdir()
    database = build / "requirements.db"
    if kind == "fifo":
        os.mkfifo(database)
    elif kind == "folder":
        database.mkdir()
        (database / "mine.txt").write_text("keep")
    else:
        (project_copy / "notes.txt").write_text("keep")
        database.symlink_to(project_copy / "notes.txt")
    one_error(run(project_copy, "build"), str(database), "refusing to replace it")
    assert os.path.lexists(database)
    if kind == "fifo":
        assert stat.S_ISFIFO(os.lstat(database).st_mode)
    assert not (build / "html").exists()


def test_an_output_folder_that_is_a_file_is_refused(project_copy):
    (project_copy / "build").write_text("a file")
    one_error(run(project_copy, "build"), "build", "is not a folder")
    assert (project_copy / "build").read_text() == "a file"


def test_outputs_from_before_generations_are_taken_over(project_copy):
    """A build folder written by an earlier spectrace (real folders at the fixed names)."""
    build = project_copy / "build"
    for name in ("html", "docx", "trace"):
        (build / name).mkdir(parents=True)
    (build / "html" / ".buildinfo").write_text("# Sphinx build info")
    (build / "docx" / "SMETS 4.2+IRP603.docx").write_bytes(b"PK")
    (build / "trace" / "matrix.json").write_text("{}")
    (build / "requirements.db").write_bytes(b"SQLite format 3\x00")
    (build / ".html.k2j4_s9x").mkdir()  # staging left by a killed build of that version
    assert run(project_copy, "build").exit_code == 0
    for name in ("html", "docx", "requirements.db"):
        assert (build / name).is_symlink()
    assert (build / "html" / "index.html").is_file()
    # the next build that writes a generation tidies up (one with nothing to do writes nothing)
    assert run(project_copy, "build", "--force").exit_code == 0
    assert not [name for name in os.listdir(build) if "legacy" in name or name.startswith(".html")]


def test_a_project_file_that_is_not_utf8_is_one_error_naming_the_line(project_copy):
    path = project_copy / "spectrace.toml"
    path.write_bytes(path.read_bytes().replace(b"# The project file", b"# The \xe9 project file"))
    one_error(run(project_copy, "build"), "spectrace.toml: line 1: is not UTF-8 text")


def test_a_project_file_that_is_a_fifo_is_refused_without_waiting(tmp_path):
    os.mkfifo(tmp_path / "spectrace.toml")
    one_error(run(tmp_path / "spectrace.toml", "build"), "not a regular file")


def test_a_project_file_over_its_size_limit_is_refused(project_copy):
    path = project_copy / "spectrace.toml"
    with path.open("a") as handle:
        handle.write("#" * limits.PROJECT_FILE_BYTES + "\n")
    one_error(run(project_copy, "build"), "over the limit of 4 MiB")


@pytest.mark.parametrize("depth", [limits.PROJECT_FILE_DEPTH + 1, 5_000])
def test_a_project_file_nested_too_deeply_is_refused(project_copy, depth):
    path = project_copy / "spectrace.toml"
    path.write_text(path.read_text() + f"\n[lint.severity]\nx = {'[' * depth}{']' * depth}\n")
    one_error(run(project_copy, "build"), "nest more than 32 deep")


def test_a_project_file_nested_within_the_limit_is_read(project_copy):
    path = project_copy / "spectrace.toml"
    depth = limits.PROJECT_FILE_DEPTH - 2
    path.write_text(
        path.read_text().replace("known-terms = []", f"deep = {'[' * depth}{']' * depth}")
    )
    one_error(run(project_copy, "lint"), "unknown key 'deep'")  # read, then refused by name


@pytest.mark.parametrize("where", ["name", "edition"])
def test_names_longer_than_the_limit_are_refused(project_copy, where):
    long = "S" + "X" * (limits.NAME_CHARS if where == "name" else limits.EDITION_CHARS)
    path = project_copy / "spectrace.toml"
    text = path.read_text()
    if where == "name":
        text = text.replace("[documents.CHTS]", f"[documents.{long}]")
    else:
        text = text.replace('edition = "1.3"', f'edition = "{long}"')
    path.write_text(text)
    one_error(run(project_copy, "build"), "spectrace.toml")


def test_a_name_too_long_for_the_file_system_given_to_import_is_refused(tmp_path, fixtures):
    result = CliRunner().invoke(
        cli,
        ["import", "spec", str(fixtures / "SMETS-v4.2-excerpt.docx"), "--doc", "S" * 300,
         "--edition", "4.2", "--out", str(tmp_path)],
    )  # fmt: skip
    one_error(result, "at most 64 characters")


@pytest.mark.parametrize("folder", ["/tmp", "../outside", "src/../../elsewhere"])
def test_a_trace_folder_outside_the_project_is_refused(project_copy, folder):
    path = project_copy / "spectrace.toml"
    path.write_text(path.read_text().replace('code = ["src/smartmeter"]', f'code = ["{folder}"]'))
    one_error(run(project_copy, "trace"), "[trace] code", "outside the project folder")


def test_a_folder_that_cannot_be_written_is_one_error_line(project_copy, monkeypatch):
    """Running as root, a read-only folder is writable: the system's refusal is simulated."""

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(project_copy / "build"))

    monkeypatch.setattr(os, "mkdir", read_only)
    one_error(run(project_copy, "build"), "build: Read-only file system")
