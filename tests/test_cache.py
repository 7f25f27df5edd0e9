"""Parsed editions are cached by the bytes of their sources: a second read gives the same
document without parsing, and any change to a source, the vocabulary or a broken entry makes
the next read parse again."""

from __future__ import annotations

import pytest

from spectrace import api
from spectrace.config import load_project
from spectrace.readers.rst import spec as rst_spec


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """Record each spec-as-code folder actually parsed."""
    seen: list[str] = []
    original = rst_spec.read_rst_spec

    def counting(directory):
        seen.append(directory.name)
        return original(directory)

    monkeypatch.setattr(rst_spec, "read_rst_spec", counting)
    monkeypatch.delenv("SPECTRACE_NO_CACHE", raising=False)
    return seen


def test_a_second_read_comes_from_the_cache_and_equals_a_fresh_one(project_copy, parses):
    first = api.load_project_documents(load_project(project_copy))
    assert len(parses) == 2
    second = api.load_project_documents(load_project(project_copy))
    assert len(parses) == 2  # nothing parsed again
    assert second == first
    assert sorted(p.name for p in (project_copy / "build/cache").iterdir()) == [
        "CHTS-1.3.pickle",
        "SMETS-4.2.pickle",
    ]


def test_a_changed_source_is_parsed_again(project_copy, parses):
    api.load_project_documents(load_project(project_copy))
    with (project_copy / "specs/SMETS/4.2/index.rst").open("a", encoding="utf-8") as index:
        index.write("\n.. a reviewer's comment\n")
    api.load_project_documents(load_project(project_copy))
    assert parses == ["4.2", "1.3", "4.2"]


def test_another_vocabulary_is_parsed_again(project_copy, parses):
    api.load_project_documents(load_project(project_copy))
    toml = project_copy / "spectrace.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8") + '\n[statements.actors]\n"Widget" = ["Widget"]\n',
        encoding="utf-8",
    )
    api.load_project_documents(load_project(project_copy))
    assert parses == ["4.2", "1.3", "4.2", "1.3"]


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05junk"])
def test_a_broken_entry_is_parsed_again_and_rewritten(project_copy, parses, damage):
    first = api.load_project_documents(load_project(project_copy))
    (project_copy / "build/cache/SMETS-4.2.pickle").write_bytes(damage)
    again = api.load_project_documents(load_project(project_copy))
    assert again == first
    assert parses == ["4.2", "1.3", "4.2"]
    api.load_project_documents(load_project(project_copy))
    assert parses == ["4.2", "1.3", "4.2"]


def test_the_cache_can_be_turned_off(project_copy, parses, monkeypatch):
    monkeypatch.setenv("SPECTRACE_NO_CACHE", "1")
    api.load_project_documents(load_project(project_copy))
    api.load_project_documents(load_project(project_copy))
    assert parses == ["4.2", "1.3", "4.2", "1.3"]
    assert not (project_copy / "build/cache").exists()


def test_a_cache_entry_that_is_not_a_regular_file_is_passed_over_without_waiting(
    project_copy, parses
):
    import os

    (project_copy / "build/cache").mkdir(parents=True)
    os.mkfifo(project_copy / "build/cache/SMETS-4.2.pickle")  # reading it would wait forever
    api.load_project_documents(load_project(project_copy))
    assert len(parses) == 2


def test_a_file_name_that_is_not_utf8_beside_the_sources_is_keyed_by_its_bytes(
    project_copy, parses
):
    import os

    folder = os.fsencode(project_copy / "specs/SMETS/4.2")
    with open(os.path.join(folder, b"notes-\xff.txt"), "wb") as file:
        file.write(b"an editor's backup")
    api.load_project_documents(load_project(project_copy))
    api.load_project_documents(load_project(project_copy))
    assert len(parses) == 2  # read once, then cached
