"""Outputs are written aside and swapped in whole, with ordinary permissions."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from spectrace.errors import ReadError, SpectraceError
from spectrace.fileio import (
    atomic_path,
    read_input,
    read_text_input,
    replaced_folder,
    write_tree,
)


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_replaced_folder_appears_only_when_the_block_succeeds(tmp_path):
    target = tmp_path / "out"
    with replaced_folder(target) as staging:
        (staging / "a.txt").write_text("new")
    assert (target / "a.txt").read_text() == "new"
    with pytest.raises(RuntimeError), replaced_folder(target) as staging:
        (staging / "a.txt").write_text("half")
        raise RuntimeError("fails")
    assert (target / "a.txt").read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_outputs_get_the_permissions_of_plainly_created_files(tmp_path):
    mask = os.umask(0o022)
    try:
        with replaced_folder(tmp_path / "site") as staging:
            (staging / "sub").mkdir()
            with atomic_path(staging / "sub" / "page.html") as temporary:
                temporary.write_text("x")
        with atomic_path(tmp_path / "db.sqlite") as temporary:
            temporary.write_text("x")
    finally:
        os.umask(mask)
    assert _mode(tmp_path / "site") == 0o755
    assert _mode(tmp_path / "site" / "sub") == 0o755
    assert _mode(tmp_path / "site" / "sub" / "page.html") == 0o644
    assert _mode(tmp_path / "db.sqlite") == 0o644


def test_a_file_where_a_folder_should_be_is_an_error(tmp_path):
    (tmp_path / "out").write_text("file")
    with (
        pytest.raises(SpectraceError, match="is a regular file, not a folder"),
        replaced_folder(tmp_path / "out"),
    ):
        pass
    with pytest.raises(SpectraceError, match="refusing to write outside"):
        write_tree({"../escape.txt": "x"}, tmp_path / "tree")
    assert not (tmp_path / "escape.txt").exists()


@pytest.mark.parametrize("kind", ["fifo", "link", "folder"])
def test_only_a_regular_file_is_ever_replaced(tmp_path, kind):
    target = tmp_path / "requirements.db"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "link":
        (tmp_path / "elsewhere").write_text("keep")
        target.symlink_to(tmp_path / "elsewhere")
    else:
        target.mkdir()
    with pytest.raises(SpectraceError, match="spectrace will not replace it"):  # noqa: SIM117
        with atomic_path(target) as temporary:
            temporary.write_text("new")
    assert os.path.lexists(target)
    assert kind != "link" or (tmp_path / "elsewhere").read_text() == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["requirements.db", *(["elsewhere"] if kind == "link" else [])]
    )


@pytest.mark.parametrize("kind", ["fifo", "device", "folder", "missing", "large"])
def test_an_input_that_is_not_a_regular_file_within_its_limit_is_refused_at_once(tmp_path, kind):
    path = tmp_path / "input.rst"
    if kind == "fifo":
        os.mkfifo(path)  # opening it for reading the usual way would wait for a writer
    elif kind == "device":
        path = Path("/dev/zero")
    elif kind == "folder":
        path.mkdir()
    elif kind == "large":
        path.write_bytes(b"x" * 101)
    message = {
        "fifo": "not a regular file",
        "device": "not a regular file",
        "folder": "is a folder",
        "missing": "no such file",
        "large": "over the limit of 100 bytes",
    }[kind]
    with pytest.raises(ReadError, match=message):
        read_input(path, limit=100)


def test_text_that_is_not_utf8_is_refused_naming_its_line(tmp_path):
    path = tmp_path / "input.rst"
    path.write_bytes(b"fine\nalso fine\nnot \xff fine\n")
    with pytest.raises(ReadError) as caught:
        read_text_input(path, limit=1000)
    assert str(caught.value) == f"{path}: line 3: is not UTF-8 text (byte 0xff)"
    path.write_bytes("\ufeffBOM dropped".encode())
    assert read_text_input(path, limit=1000) == "BOM dropped"


def _dead_pid() -> int:
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_what_a_killed_writer_left_is_removed_by_the_next_one(tmp_path):
    dead, alive = _dead_pid(), os.getpid()
    stale = tmp_path / f".out.staging-{dead}-abcdefgh"
    running = tmp_path / f".out.staging-{alive}-abcdefgh"
    stale_file = tmp_path / f".db.sqlite.staging-{dead}-k_3jx9aa.tmp"
    stale.mkdir()
    running.mkdir()
    stale_file.write_text("half")
    (tmp_path / ".out.notes").write_text("someone's file")  # not a staging name: kept
    with replaced_folder(tmp_path / "out") as staging:
        (staging / "a.txt").write_text("new")
    with atomic_path(tmp_path / "db.sqlite") as temporary:
        temporary.write_text("x")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["out", running.name, ".out.notes", "db.sqlite"]
    )


def test_a_folder_is_replaced_by_exchanging_it_in_one_step(tmp_path, monkeypatch):
    import spectrace.fileio as fileio

    if not fileio._exchange(tmp_path, tmp_path):  # the system cannot: nothing to prove here
        pytest.skip("renameat2(RENAME_EXCHANGE) is not available on this system")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "a.txt").write_text("old")
    monkeypatch.setattr(os, "replace", None)  # the two-step fallback would fail
    with replaced_folder(tmp_path / "out") as staging:
        (staging / "a.txt").write_text("new")
    assert (tmp_path / "out" / "a.txt").read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
