"""The canonical reader: files spectrace wrote are read without docutils, to the same result.

It must accept every section file the writer renders and give exactly what docutils' reader
gives, locations included; for anything else it must decline (return None) so that docutils
reads or reports the file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from spectrace.errors import ReadError
from spectrace.model import Document
from spectrace.readers.rst import canonical
from spectrace.readers.rst import spec as rst_spec
from spectrace.readers.rst.spec import read_rst_spec
from spectrace.writers.rst import render
from tests.conftest import PROJECT_ROOT
from tests.writers.test_rst_roundtrip import _FOUND, INDEX, documents


def _located(part) -> list:
    """Everything a section gives, locations included (model equality leaves them out)."""
    return [
        [(c, c.location, [(b, b.location) for b in c.blocks]) for c in part.clauses],
        [(g, g.location) for g in part.glossary],
        part.glossary_clause,
        part.seen,
    ]


def _both_ways(path: Path, name: str = "SMETS"):
    """Return the section file read by the canonical reader (None if declined) and by docutils."""
    fast = rst_spec._read_canonical(name, path)
    return (fast and _located(fast)), _located(rst_spec._read_section(name, path))


@settings(max_examples=100, deadline=None)
@given(documents())
@example(_FOUND)
def test_every_rendered_section_is_read_as_docutils_reads_it(tmp_path_factory, document) -> None:
    directory = tmp_path_factory.mktemp("spec")
    for name, text in render(document).items():
        (directory / name).write_text(text, encoding="utf-8")
        if name != "index.rst":
            fast, parsed = _both_ways(directory / name)
            assert fast == parsed


def _outcome(path: Path, fast: bool):
    """Read one section file either way: what it gives (locations included), or the error."""
    try:
        if fast:
            part = rst_spec._read_canonical("SMETS", path)
            if part is None:
                return "declined"
        else:
            part = rst_spec._read_section("SMETS", path)
    except ReadError as error:
        return str(error)
    return _located(part)


_EDITS = st.tuples(
    st.sampled_from(["insert", "delete", "replace", "double a line"]),
    st.integers(0, 10**6),  # where, as a share of the text
    st.sampled_from(list(" \n\t\\*`:-=_.()[]<>|#\"'~^+0aAi•\u00a0")),
)


def _edited(text: str, edit: tuple[str, int, str]) -> str:
    kind, where, character = edit
    at = where % (len(text) + 1)
    if kind == "insert":
        return text[:at] + character + text[at:]
    if kind == "delete":
        return text[:at] + text[at + 1 :]
    if kind == "replace":
        return text[:at] + character + text[at + 1 :]
    lines = text.split("\n")
    line = min(at, len(lines) - 1)
    return "\n".join([*lines[: line + 1], *lines[line:]])


@settings(max_examples=150, deadline=None)
@given(documents(), st.data())
def test_an_edited_file_is_read_as_docutils_reads_it_or_left_to_docutils(
    tmp_path_factory, document, data
) -> None:
    """Hand edits anywhere (characters inserted, deleted or replaced, a line doubled) give
    what docutils gives, or the canonical reader declines and docutils reads the file."""
    sections = {n: t for n, t in render(document).items() if n != "index.rst"}
    name = data.draw(st.sampled_from(sorted(sections)))
    text = sections[name]
    for edit in data.draw(st.lists(_EDITS, min_size=1, max_size=3)):
        text = _edited(text, edit)
    path = tmp_path_factory.mktemp("spec") / name
    path.write_text(text, encoding="utf-8")
    fast = _outcome(path, fast=True)
    if fast != "declined":
        assert fast == _outcome(path, fast=False)


@pytest.mark.parametrize("edition", ["SMETS/4.2", "CHTS/1.3"])
def test_the_bundled_specifications_are_read_canonically(edition: str) -> None:
    directory = PROJECT_ROOT / "specs" / edition
    for path in sorted(directory.glob("section-*.rst")):
        fast, parsed = _both_ways(path, edition.split("/")[0])
        assert fast is not None, path
        assert fast == parsed


SECTION = """\
1 Clause
========

Lead text.
:st:`SMETS-1-1` The ESME shall log the event.

- :st:`SMETS-1-2` An item.
"""

# Each edit keeps the file valid reStructuredText that means the same or nearly the same, but
# not in the form spectrace writes: docutils must read it.
HAND_EDITS = {
    "wrapped statement": ("log the event.", "log\nthe event."),
    "comment": ("Lead text.\n", ".. a comment\n\nLead text.\n"),
    "extra blank line": ("\n\n- ", "\n\n\n- "),
    "emphasis": ("An item.", "An *item*."),
    "asterisk bullet": ("- :st:", "* :st:"),
    "longer underline": ("========", "=========="),
    "no final newline": ("An item.\n", "An item."),
    "windows line ends": ("\n", "\r\n"),
    "tab indent": ("- :st:", ".. spec:item:: (a)\n\n\t:st:"),
}


@pytest.mark.parametrize("edit", sorted(HAND_EDITS))
def test_hand_edited_files_are_left_to_docutils(tmp_path: Path, edit: str) -> None:
    old, new = HAND_EDITS[edit]
    text = SECTION.replace(old, new)
    assert canonical.read_section("SMETS", "section-01.rst", SECTION) is not None
    assert canonical.read_section("SMETS", "section-01.rst", text) is None
    (tmp_path / "index.rst").write_text(INDEX, encoding="utf-8")
    (tmp_path / "section-01.rst").write_bytes(text.encode())
    document = read_rst_spec(tmp_path)  # docutils reads it
    assert [s.id for _, s in document.statements()] == ["SMETS-1-1", "SMETS-1-2"]


# Canonical in shape, but wrong: the canonical reader declines and docutils' reader reports.
ERRORS = {
    "duplicate id": (
        ":st:`SMETS-1-2`",
        ":st:`SMETS-1-1`",
        "line 7: statement id SMETS-1-1 is used twice",
    ),
    "foreign id": (
        ":st:`SMETS-1-2`",
        ":st:`CHTS-1-2`",
        "line 7: statement id CHTS-1-2 does not start",
    ),
    "empty statement": (
        " The ESME shall log the event.",
        "",
        "line 4: statement SMETS-1-1 has no text",
    ),
    "ragged table": (
        "- :st:`SMETS-1-2` An item.",
        ".. list-table::\n\n   * - a\n     - b\n   * - c",
        "line 7: ",
    ),
    "header rows only": (
        "- :st:`SMETS-1-2` An item.",
        ".. list-table::\n   :header-rows: 1\n\n   * - a",
        "line 7: ",
    ),
    "empty spec:item": ("- :st:`SMETS-1-2` An item.", ".. spec:item:: (a)\n\n   ", "line 7: "),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_canonical_looking_errors_are_reported_by_the_docutils_reader(
    tmp_path: Path, case: str
) -> None:
    old, new, message = ERRORS[case]
    text = SECTION.replace(old, new)
    assert canonical.read_section("SMETS", "section-01.rst", text) is None
    (tmp_path / "index.rst").write_text(INDEX, encoding="utf-8")
    (tmp_path / "section-01.rst").write_text(text, encoding="utf-8")
    with pytest.raises(ReadError) as caught:
        read_rst_spec(tmp_path)
    assert f"section-01.rst: {message}" in str(caught.value)


def test_a_document_mixing_canonical_and_hand_edited_files_reads_as_one(tmp_path: Path) -> None:
    files = {
        "index.rst": INDEX + "   section-02\n",
        "section-01.rst": SECTION,
        "section-02.rst": "2 Two\n=====\n\n.. note on the clause\n\n:st:`SMETS-2-1` Text.\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    document: Document = read_rst_spec(tmp_path)
    assert [s.id for _, s in document.statements()] == ["SMETS-1-1", "SMETS-1-2", "SMETS-2-1"]
    assert str(document.clauses[1].blocks[0].location) == f"{tmp_path / 'section-02.rst'}: line 6"
