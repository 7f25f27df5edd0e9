"""Word -> spec-as-code -> model gives the same document as Word -> model, on both excerpts.

The committed sources in specs/ are exactly what `spectrace import spec` writes, so they double
as golden files for the RST writer.
"""

from __future__ import annotations

import pytest

from spectrace.api import load_document
from spectrace.writers import rst
from tests.conftest import CHTS_DOCX, PROJECT_ROOT, SMETS_DOCX

EXCERPTS = [(SMETS_DOCX, "SMETS", "4.2"), (CHTS_DOCX, "CHTS", "1.3")]


@pytest.mark.parametrize(("docx", "name", "edition"), EXCERPTS, ids=["SMETS", "CHTS"])
def test_word_and_spec_as_code_give_the_same_document(tmp_path, docx, name, edition):
    from_word = load_document(docx, name, edition)
    folder = tmp_path / name / edition
    folder.mkdir(parents=True)
    for file_name, text in rst.render(from_word).items():
        (folder / file_name).write_text(text, encoding="utf-8")
    from_sources = load_document(folder)
    from_sources.source = from_word.source
    assert from_sources.clauses == from_word.clauses
    assert from_sources.glossary == from_word.glossary
    assert from_sources == from_word


@pytest.mark.parametrize(("docx", "name", "edition"), EXCERPTS, ids=["SMETS", "CHTS"])
def test_committed_sources_are_what_import_writes(docx, name, edition):
    folder = PROJECT_ROOT / "specs" / name / edition
    written = rst.render(load_document(docx, name, edition))
    committed = {path.name: path.read_text(encoding="utf-8") for path in folder.glob("*.rst")}
    assert sorted(committed) == sorted(written)
    for file_name, text in written.items():
        assert committed[file_name] == text, (
            f"specs/{name}/{edition}/{file_name} differs from a fresh import; if the change is "
            f"intended, re-import with `spectrace import spec {docx.name} --doc {name} "
            f"--edition {edition} --force`"
        )


def test_committed_sources_keep_the_reconstruction_notice():
    for name, edition in (("SMETS", "4.2"), ("CHTS", "1.3")):
        index = (PROJECT_ROOT / "specs" / name / edition / "index.rst").read_text()
        assert "Excerpt reconstructed for software testing; not the official text" in index


def test_rendering_is_deterministic():
    document = load_document(SMETS_DOCX, "SMETS", "4.2")
    assert rst.render(document) == rst.render(load_document(SMETS_DOCX, "SMETS", "4.2"))
