"""Parsed editions are cached file by file, by the bytes of each source: a second read gives
the same document without parsing, a changed file is the only one parsed again, and a change
to the vocabulary or a broken entry gives the same document as a fresh read."""

from __future__ import annotations

import os

import pytest

from spectrace import api
from spectrace.config import load_project
from spectrace.readers.rst import spec as rst_spec
from spectrace.transforms import statements


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """Record each spec-as-code source actually read ("4.2/index.rst", "1.3/section-02.rst")."""
    seen: list[str] = []
    read_index, read_sections = rst_spec._read_index, rst_spec._read_sections

    def index(path):
        seen.append(f"{path.parent.name}/{path.name}")
        return read_index(path)

    def sections(name, files):
        for path in files:
            seen.append(f"{path.parent.name}/{path.name}")
            yield from read_sections(name, [path])

    monkeypatch.setattr(rst_spec, "_read_index", index)
    monkeypatch.setattr(rst_spec, "_read_sections", sections)
    monkeypatch.delenv("SPECTRACE_NO_CACHE", raising=False)
    return seen


def _fresh(project_copy, monkeypatch):
    with monkeypatch.context() as fresh:
        fresh.setenv("SPECTRACE_NO_CACHE", "1")
        return api.load_project_documents(load_project(project_copy))


def test_a_second_read_comes_from_the_cache_and_equals_a_fresh_one(
    project_copy, parses, monkeypatch
):
    first = api.load_project_documents(load_project(project_copy))
    assert len(parses) == 2 + 11  # two index files, six and five section files
    second = api.load_project_documents(load_project(project_copy))
    assert len(parses) == 13  # nothing parsed again
    assert second == first == _fresh(project_copy, monkeypatch)
    assert sorted(p.name for p in (project_copy / "build/cache").iterdir()) == [
        "CHTS-1.3",
        "SMETS-4.2",
    ]
    assert sorted(p.name for p in (project_copy / "build/cache/CHTS-1.3").iterdir()) == [
        "index.rst.pickle",
        *(f"section-0{n}.rst.pickle" for n in range(1, 6)),
        "statements.pickle",
    ]


def test_only_a_changed_source_is_parsed_again(project_copy, parses, monkeypatch):
    api.load_project_documents(load_project(project_copy))
    parses.clear()
    section = project_copy / "specs/SMETS/4.2/section-05.rst"
    section.write_text(
        section.read_text(encoding="utf-8").replace(" shall ", " must ", 1), encoding="utf-8"
    )
    with (project_copy / "specs/CHTS/1.3/index.rst").open("a", encoding="utf-8") as index:
        index.write("\n.. a reviewer's comment\n")
    again = api.load_project_documents(load_project(project_copy))
    assert parses == ["4.2/section-05.rst", "1.3/index.rst"]
    assert again == _fresh(project_copy, monkeypatch)


def test_only_statements_of_new_text_are_analysed_again(project_copy, parses, monkeypatch):
    api.load_project_documents(load_project(project_copy))
    analysed: list[str] = []
    modality = statements.modality

    def counting(text):
        analysed.append(text)
        return modality(text)

    monkeypatch.setattr(statements, "modality", counting)
    section = project_copy / "specs/SMETS/4.2/section-05.rst"
    text = section.read_text(encoding="utf-8")
    section.write_text(text.replace(" shall ", " must ", 1), encoding="utf-8")
    again = api.load_project_documents(load_project(project_copy))
    assert len(analysed) == 1 and " must " in analysed[0]
    assert again == _fresh(project_copy, monkeypatch)


def test_a_changed_glossary_or_vocabulary_gives_what_a_fresh_read_gives(
    project_copy, parses, monkeypatch
):
    api.load_project_documents(load_project(project_copy))
    toml = project_copy / "spectrace.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8") + '\n[statements.actors]\n"Widget" = ["ESME"]\n',
        encoding="utf-8",
    )
    assert api.load_project_documents(load_project(project_copy)) == _fresh(
        project_copy, monkeypatch
    )
    glossary = project_copy / "specs/SMETS/4.2/section-06.rst"
    text = glossary.read_text(encoding="utf-8")
    assert "\n   Communications Link\n" in text
    glossary.write_text(text.replace("\n   Communications Link\n", "\n   Link\n"), encoding="utf-8")
    assert api.load_project_documents(load_project(project_copy)) == _fresh(
        project_copy, monkeypatch
    )


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05junk"])
def test_a_broken_entry_is_parsed_again_and_rewritten(project_copy, parses, damage):
    first = api.load_project_documents(load_project(project_copy))
    (project_copy / "build/cache/SMETS-4.2/section-04.rst.pickle").write_bytes(damage)
    (project_copy / "build/cache/SMETS-4.2/statements.pickle").write_bytes(damage)
    parses.clear()
    again = api.load_project_documents(load_project(project_copy))
    assert again == first
    assert parses == ["4.2/section-04.rst"]
    api.load_project_documents(load_project(project_copy))
    assert parses == ["4.2/section-04.rst"]


def test_the_cache_can_be_turned_off(project_copy, parses, monkeypatch):
    monkeypatch.setenv("SPECTRACE_NO_CACHE", "1")
    api.load_project_documents(load_project(project_copy))
    api.load_project_documents(load_project(project_copy))
    assert len(parses) == 2 * 13
    assert not (project_copy / "build/cache").exists()


def test_a_cache_entry_that_is_not_a_regular_file_is_passed_over_without_waiting(
    project_copy, parses
):
    (project_copy / "build/cache/SMETS-4.2").mkdir(parents=True)
    os.mkfifo(project_copy / "build/cache/SMETS-4.2/index.rst.pickle")  # would wait forever
    api.load_project_documents(load_project(project_copy))
    assert len(parses) == 13


def test_a_file_name_that_is_not_utf8_beside_the_sources_is_passed_over(project_copy, parses):
    folder = os.fsencode(project_copy / "specs/SMETS/4.2")
    with open(os.path.join(folder, b"notes-\xff.txt"), "wb") as file:
        file.write(b"an editor's backup")
    api.load_project_documents(load_project(project_copy))
    api.load_project_documents(load_project(project_copy))
    assert len(parses) == 13  # read once, then cached
