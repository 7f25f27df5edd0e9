"""Round trips of the spec-as-code format: escaping, whole documents, and reader errors.

Property tests check that :mod:`spectrace.writers.rst_text` escapes arbitrary text so docutils
reads back exactly that text, and that any document :func:`spectrace.writers.rst.render` writes
is read back equal by :func:`spectrace.readers.rst.spec.read_rst_spec` parsing with docutils
(the canonical reader, tested in tests/readers/test_canonical.py, relies on this).
"""

from __future__ import annotations

import string
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from docutils import nodes
from docutils.core import publish_doctree
from hypothesis import example, given, settings
from hypothesis import strategies as st

from spectrace.errors import ReadError
from spectrace.model import Block, BlockKind, Clause, Document, GlossaryEntry, Statement
from spectrace.readers.rst import spec as rst_spec
from spectrace.readers.rst.spec import read_rst_spec
from spectrace.text import squash
from spectrace.writers import rst_text
from spectrace.writers.rst import render

# Text ------------------------------------------------------------------------------------------

RST_SIGNIFICANT = "\\*`|_:.-+#=><[]()\"'~^"
_CHARACTERS = st.one_of(
    st.sampled_from(RST_SIGNIFICANT),
    st.sampled_from(string.ascii_letters + string.digits + "  "),
    st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S")),
)
# Starts and ends of text that docutils reads as markup when not escaped.
_PREFIXES = st.sampled_from(
    [
        "1. ", "a) ", "(i) ", "#. ", "A. ", "iv. ", "- ", "* ", "+ ", "• ", ".. ", ".. _a: ",
        "..", "::", ">>> ", "| ", "+--+", "===", "----", ":a: ", ":a:", "-a ", "--a ", "/a ",
        "[1] ", "[1]_ ", "__ ", "_a: ", "_`a` ", "|a| ", "http://a.b/", "a@b.c ", "x_ ",
    ]
)  # fmt: skip
_SUFFIXES = st.sampled_from(
    ["::", " ::", ":", "_", "__", "\\", " |", "`_", "]_", " a_", ":a:", "\\ "]
)
# Words and punctuation that mean something when they stand alone between spaces.
_TOKENS = st.one_of(
    st.sampled_from([":", "::", "*", "**", "`", "|", "_", "__", "-", "+", "\\", "..", "a", "1."]),
    st.sampled_from(RST_SIGNIFICANT),
    st.text(st.sampled_from(string.ascii_letters + RST_SIGNIFICANT), min_size=1, max_size=4),
)
_ENUMERATORS = st.from_regex(r"\A(?:[0-9]{1,16}|[ivxlcdm]{1,16}|[A-Za-z])[.)]\Z")


def _squashed(parts: list[str]) -> str:
    return squash("".join(parts))


_BODY = st.text(_CHARACTERS, max_size=30)
TEXT = st.one_of(
    st.builds(lambda body: _squashed([body]), _BODY),
    st.builds(lambda pre, body: _squashed([pre, body]), _PREFIXES, _BODY),
    st.builds(lambda body, post: _squashed([body, post]), _BODY, _SUFFIXES),
    st.builds(lambda enum, body: _squashed([enum, " ", body]), _ENUMERATORS, _BODY),
    st.text(st.sampled_from(RST_SIGNIFICANT), min_size=1, max_size=4),
    st.lists(_TOKENS, min_size=1, max_size=6).map(" ".join),
).filter(bool)

_QUIET = {"report_level": 5, "halt_level": 5}


def _write(directory: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")


def _read(files: dict[str, str]) -> Document:
    """Read ``files`` through docutils: the round trip the canonical reader relies on."""
    with tempfile.TemporaryDirectory() as tmp, docutils_only():
        _write(Path(tmp), files)
        return read_rst_spec(Path(tmp))


@contextmanager
def docutils_only() -> Iterator[None]:
    """Parse every section file with docutils, bypassing the canonical reader."""
    with mock.patch.object(rst_spec, "_read_canonical", return_value=None):
        yield


INDEX = ".. spec:document:: SMETS\n   :edition: 4.2\n\n.. toctree::\n\n   section-01\n"


def _one_clause_spec(body: str) -> dict[str, str]:
    """Return a minimal spec-as-code directory; ``body`` starts on line 4 of section-01.rst."""
    return {"index.rst": INDEX, "section-01.rst": f"1 Clause\n========\n\n{body}\n"}


@settings(max_examples=300, deadline=None)
@given(TEXT)
@example("0000000000000.")  # an enumerator longer than 12 characters was left unguarded
@example("::")
@example("\\\\")  # two backslashes were written as four: a transition
def test_block_text_reads_back_as_one_paragraph(text: str) -> None:
    tree = publish_doctree(rst_text.block(text), settings_overrides=_QUIET)
    assert [child.tagname for child in tree.children] == ["paragraph"]
    assert not list(tree.findall(nodes.problematic))
    assert tree[0].astext() == text


@settings(max_examples=300, deadline=None)
@given(TEXT)
@example("0000000000000.")
@example("\\")  # one backslash was written as two: an adornment, with an INFO message
def test_block_text_reads_back_through_the_reader(text: str) -> None:
    # In a table cell a docutils INFO message would become part of the cell's text.
    escaped = rst_text.block(text)
    document = _read(_one_clause_spec(f"{escaped}\n\n.. list-table::\n\n   * - {escaped}"))
    assert document.clauses[0].blocks == [
        Block(BlockKind.PARAGRAPH, text, lead=text),
        Block(BlockKind.TABLE, text, rows=[[text]]),
    ]


@settings(max_examples=300, deadline=None)
@given(TEXT)
@example("::")  # inline() left a trailing "::", which announces a literal block
def test_inline_text_reads_back_as_a_statement(text: str) -> None:
    document = _read(_one_clause_spec(":st:`SMETS-1-1` " + rst_text.inline(text)))
    [block] = document.clauses[0].blocks
    assert block.statements == [Statement("SMETS-1-1", text)]
    assert block.text == text


# Whole documents -------------------------------------------------------------------------------

_LABEL_SCHEMES = {
    "roman": ["i.", "ii.", "iii.", "iv.", "v.", "vi."],
    "alpha": ["a.", "b.", "c.", "d.", "e.", "f."],
    "arabic": ["1.", "2.", "3.", "4.", "5.", "6."],
    "paren": ["(a)", "(b)", "(c)", "(d)", "(e)", "(f)"],
    "bullet": ["•"] * 6,
    # Sequences docutils cannot read back as written: the spec:item fallback.
    "from v": ["v.", "vi.", "vii.", "viii.", "ix.", "x."],
    "from c": ["c.", "d.", "e.", "f.", "g.", "h."],
    "from iii": ["iii.", "iv.", "v.", "vi.", "vii.", "viii."],
    "mixed": ["a.", "ii.", "•", "3.", "(e)", ""],
}


class _Ids:
    """Allocate statement ids f"SMETS-{clause key}-{n}", unique across the document."""

    def __init__(self) -> None:
        self.used: dict[str, int] = {}

    def next(self, key: str) -> str:
        self.used[key] = self.used.get(key, 0) + 1
        return f"SMETS-{key}-{self.used[key]}"


def _text_block(draw, kind: BlockKind, key: str, ids: _Ids, label: str = "", level: int = 0):
    """Return a paragraph or list item: an optional lead, then 0-3 statements (never empty)."""
    count = draw(st.integers(0, 3))
    lead = draw(TEXT) if count == 0 or draw(st.booleans()) else ""
    statements = [Statement(ids.next(key), draw(TEXT)) for _ in range(count)]
    text = squash(" ".join([lead, *(s.text for s in statements)]))
    return Block(kind, text, statements, lead=lead, label=label, level=level)


def _list_run(draw, key: str, ids: _Ids) -> list[Block]:
    schemes = [draw(st.sampled_from(sorted(_LABEL_SCHEMES))) for _ in range(2)]
    counters = [0, 0]
    items = []
    for index in range(draw(st.integers(1, 4))):
        # A run that starts at level 1 cannot nest natively: another spec:item case.
        level = draw(st.sampled_from([0, 0, 1])) if index else int(draw(st.integers(0, 9)) == 0)
        if level == 0:
            counters[1] = 0
        label = _LABEL_SCHEMES[schemes[level]][counters[level]]
        counters[level] += 1
        items.append(_text_block(draw, BlockKind.LIST_ITEM, key, ids, label, level))
    return items


def _table(draw) -> Block:
    columns = draw(st.integers(1, 3))
    header_rows = draw(st.sampled_from([1, 1, 0]))
    # At least one body row: docutils' list-table rejects a table that is all header rows.
    cell = st.one_of(st.just(""), TEXT)
    rows = [
        [draw(cell) for _ in range(columns)] for _ in range(header_rows + draw(st.integers(1, 3)))
    ]
    text = " ".join(cell for row in rows for cell in row if cell)
    return Block(BlockKind.TABLE, text, rows=rows, header_rows=header_rows)


def _blocks(draw, key: str, ids: _Ids) -> list[Block]:
    blocks: list[Block] = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["paragraph", "paragraph", "list", "table"]))
        if kind == "paragraph":
            blocks.append(_text_block(draw, BlockKind.PARAGRAPH, key, ids))
        elif kind == "list":
            blocks += _list_run(draw, key, ids)
        else:
            blocks.append(_table(draw))
    return blocks


_UNNUMBERED_TITLE = st.one_of(
    TEXT.filter(lambda text: not text[0].isdigit()),
    st.builds("A.1 {}".format, TEXT),  # looks like an annex clause number, but is not one
)


def _clauses(draw, number: str, level: int, ids: _Ids) -> list[Clause]:
    """Return the clause ``number`` at ``level`` followed by its subclauses, depth first."""
    clause = Clause(number, draw(st.one_of(st.just(""), TEXT)), level)
    clause.blocks = _blocks(draw, clause.key, ids)
    result = [clause]
    children = draw(st.integers(0, 2)) if level < 4 else 0
    unnumbered_at = draw(st.integers(0, children)) if level == 1 and draw(st.booleans()) else None
    for index in range(children + 1):
        if index == unnumbered_at:
            heading = Clause(None, draw(_UNNUMBERED_TITLE), 2)
            heading.blocks = _blocks(draw, heading.key, ids)
            result.append(heading)
        if index < children:
            result += _clauses(draw, f"{number}.{index + 1}", level + 1, ids)
    return result


@st.composite
def documents(draw) -> Document:
    ids = _Ids()
    clauses = []
    for top in range(1, draw(st.integers(1, 3)) + 1):
        clauses += _clauses(draw, str(top), 1, ids)
    definition = st.one_of(st.just(""), TEXT)  # a Word glossary row may have no definition
    glossary = [GlossaryEntry(draw(TEXT), draw(definition)) for _ in range(draw(st.integers(0, 3)))]
    last_top = [clause for clause in clauses if clause.level == 1][-1]
    in_index = draw(st.integers(0, 3)) == 0  # a glossary in no clause is written in index.rst
    return Document(
        "SMETS",
        "4.2",
        title=draw(st.one_of(st.just(""), TEXT)),
        subtitle=draw(st.one_of(st.just(""), TEXT)),
        front_matter=draw(st.lists(TEXT, max_size=2)),
        clauses=clauses,
        glossary=glossary,
        glossary_clause=last_top.number if glossary and not in_index else None,
    )


# The bugs the property found, as one document: a backslash alone in a cell and in a definition
# (an adornment line, whose INFO message was read as text), a term with " : " (a classifier), an
# empty definition (no definition list), a nested list docutils numbers from "iii" (an INFO
# message inside the list item).
_FOUND = Document(
    "SMETS",
    "4.2",
    clauses=[
        Clause(
            "1",
            "Scope",
            1,
            [
                Block(BlockKind.TABLE, "\\ 6.", rows=[["\\"], ["6."]], header_rows=1),
                Block(BlockKind.LIST_ITEM, "1.", lead="1.", label="b."),
                Block(BlockKind.LIST_ITEM, "1.", lead="1.", label="iii.", level=1),
            ],
        )
    ],
    glossary=[GlossaryEntry("👍🏻", "\\"), GlossaryEntry("a : b", "d"), GlossaryEntry("x", "")],
    glossary_clause="1",
)


@settings(max_examples=60, deadline=None)
@given(documents())
@example(_FOUND)
def test_rendered_document_reads_back_equal(document: Document) -> None:
    read = _read(render(document))
    read.source = document.source
    assert read.clauses == document.clauses
    assert read == document


def test_annex_clause_numbers_read_back() -> None:
    statement = Statement("SMETS-A.1-1", "The ESME shall do it.")
    document = Document(
        "SMETS",
        "4.2",
        clauses=[
            Clause("1", "Scope", 1),
            Clause(None, "Annex A", 2),
            Clause(
                "A.1", "Annex clause", 3, [Block(BlockKind.PARAGRAPH, statement.text, [statement])]
            ),
            Clause(None, "B.2 Not a number", 2),
        ],
    )
    read = _read(render(document))
    assert [(c.number, c.title, c.level) for c in read.clauses] == [
        ("1", "Scope", 1),
        (None, "Annex A", 2),
        ("A.1", "Annex clause", 3),
        (None, "B.2 Not a number", 2),
    ]
    read.source = document.source
    assert read == document


# Reader errors ---------------------------------------------------------------------------------


def _read_error(tmp_path: Path, files: dict[str, str | bytes]) -> ReadError:
    for name, content in files.items():
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    with pytest.raises(ReadError) as caught:
        read_rst_spec(tmp_path)
    return caught.value


def _section_error(tmp_path: Path, body: str) -> str:
    return str(_read_error(tmp_path, _one_clause_spec(body)))


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        (".. frobnicate:: x", 4, 'Unknown directive type "frobnicate"'),
        ("The ESME shall *flash.", 4, "Inline emphasis start-string without end-string"),
        # docutils reports a problem of inline markup at the first line of its paragraph.
        ("Text\nwith ``a literal\nleft open.", 4, "Inline literal start-string without end-string"),
        (":st:`CHTS-1-1` The ESME shall flash.", 4, "CHTS-1-1 does not start with 'SMETS-'"),
        ("A paragraph.\n\n   An indented paragraph.", 6, "'block_quote' cannot appear"),
        (
            ".. spec:item:: i.\n\n   First paragraph.\n\n   Second paragraph.",
            4,
            "spec:item holds exactly one paragraph",
        ),
        ("Lead text.\n:st:`SMETS-1-1`\n", 4, "statement SMETS-1-1 has no text"),
        (".. spec:level:: 0\n", 4, "spec:level needs a heading level of 1 or more, not '0'"),
        (
            ".. list-table::\n\n   * - :st:`SMETS-1-1` shall in a cell\n",
            6,
            "statement marker SMETS-1-1 can only stand in the text of a paragraph",
        ),
        (
            ".. spec:glossary::\n\n   Term\n      :st:`SMETS-1-1` A definition.\n",
            7,
            "statement marker SMETS-1-1 can only stand",
        ),
    ],
)
def test_section_errors_name_file_and_line(
    tmp_path: Path, body: str, line: int, message: str
) -> None:
    error = _section_error(tmp_path, body)
    assert error.startswith(f"{tmp_path / 'section-01.rst'}: line {line}: ")
    assert message in error


def test_text_before_the_first_heading(tmp_path: Path, processes: str) -> None:
    files = _one_clause_spec("Text.")
    files["index.rst"] = INDEX + "   section-02\n"
    files["section-02.rst"] = "2 Two\n=====\n\n:st:`SMETS-2-1` Fine.\n"
    files["section-01.rst"] = "Stray text.\n\n" + files["section-01.rst"]
    error = str(_read_error(tmp_path, files))
    assert error.startswith(f"{tmp_path / 'section-01.rst'}: line 1: ")
    assert "start the file with a heading" in error


@pytest.fixture(params=["serial", "parallel"])
def processes(request, monkeypatch) -> str:
    """Read section files in this process, or in worker processes (as for large editions)."""
    if request.param == "parallel":
        monkeypatch.setattr(rst_spec, "PARALLEL_BYTES", 0)
    return request.param


def test_duplicate_statement_id_across_files(tmp_path: Path, processes: str) -> None:
    files = {
        "index.rst": INDEX + "   section-02\n",
        "section-01.rst": "1 One\n=====\n\n:st:`SMETS-1-1` First.\n",
        "section-02.rst": "2 Two\n=====\n\nLead.\n\n:st:`SMETS-1-1` Again.\n",
    }
    error = str(_read_error(tmp_path, files))
    assert error.startswith(f"{tmp_path / 'section-02.rst'}: line 6: ")
    assert f"SMETS-1-1 is used twice (first at {tmp_path / 'section-01.rst'}: line 4)" in error


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("../../etc/passwd", "toctree entry '../../etc/passwd' points outside the spec directory"),
        ("section-09", "toctree entry 'section-09' names no file (section-09.rst)"),
    ],
)
def test_bad_toctree_entries(tmp_path: Path, entry: str, message: str) -> None:
    files = _one_clause_spec("Text.")
    files["index.rst"] = INDEX + f"   {entry}\n"
    error = str(_read_error(tmp_path, files))
    assert error.startswith(f"{tmp_path / 'index.rst'}: line 4: ")
    assert message in error


def test_large_editions_are_read_in_several_processes_to_the_same_document(monkeypatch) -> None:
    sources = Path(__file__).resolve().parents[2] / "specs" / "SMETS" / "4.2"
    serial = read_rst_spec(sources)
    monkeypatch.setattr(rst_spec, "PARALLEL_BYTES", 0)
    with docutils_only():
        assert read_rst_spec(sources) == serial


def test_missing_index(tmp_path: Path) -> None:
    error = _read_error(tmp_path, {"section-01.rst": "1 One\n=====\n"})
    assert error.file == str(tmp_path)
    assert "no index.rst here" in str(error)


def test_file_that_is_not_utf8(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = dict(_one_clause_spec("Text."))
    files["section-01.rst"] = "1 One\n=====\n\nCaf\xe9.\n".encode("latin-1")
    error = str(_read_error(tmp_path, files))
    assert error.startswith(f"{tmp_path / 'section-01.rst'}: line 4: ")
    assert "not UTF-8 text (byte 0xe9)" in error


def test_a_marker_in_a_heading_is_refused(tmp_path: Path) -> None:
    files = {"index.rst": INDEX, "section-01.rst": "1 One :st:`SMETS-1-1`\n=====================\n"}
    assert "statement marker SMETS-1-1 can only stand" in str(_read_error(tmp_path, files))


@pytest.mark.parametrize(
    ("index", "message"),
    [
        (INDEX + "\nA stray paragraph that shall be read.\n", "put clauses in section files"),
        (INDEX.replace("   :edition: 4.2\n", ""), "spec:document needs an :edition: option"),
        (INDEX + "\n.. spec:document:: CHTS\n   :edition: 1.3\n", "exactly one"),
        (".. toctree::\n\n   section-01\n", "exactly one '.. spec:document::'"),
    ],
    ids=["stray-text", "no-edition", "two-documents", "no-document"],
)
def test_index_errors(tmp_path: Path, index: str, message: str) -> None:
    files = _one_clause_spec("Text.")
    files["index.rst"] = index
    error = str(_read_error(tmp_path, files))
    assert error.startswith(f"{tmp_path / 'index.rst'}")
    assert message in error
