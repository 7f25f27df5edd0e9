"""Outputs are written aside and swapped in whole, with ordinary permissions."""

from __future__ import annotations

import os
import stat

import pytest

from spectrace.errors import SpectraceError
from spectrace.fileio import atomic_path, replaced_folder, write_tree


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
        pytest.raises(SpectraceError, match="exists and is not a folder"),
        replaced_folder(tmp_path / "out"),
    ):
        pass
    with pytest.raises(SpectraceError, match="refusing to write outside"):
        write_tree({"../escape.txt": "x"}, tmp_path / "tree")
    assert not (tmp_path / "escape.txt").exists()
