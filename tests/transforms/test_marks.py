"""Change marks: replaying revisions over the base marks every word with the change that made it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spectrace.model import (
    Block,
    BlockKind,
    Clause,
    Document,
    GlossaryEntry,
    Op,
    Revision,
    RevisionLine,
)
from spectrace.transforms.marks import mark_edition, mark_glossary


def _document(lines: list[str], edition: str = "1") -> Document:
    blocks = [Block(BlockKind.PARAGRAPH, line) for line in lines]
    return Document("SMETS", edition, clauses=[Clause("1.1", "Clause", 2, blocks)])


def _lines(texts: list[str]) -> list[RevisionLine]:
    return [RevisionLine((text,)) for text in texts]


def _marked(base: list[str], steps: list[tuple[str, int, list[str]]]):
    revisions, before = [], base
    for irp, change, after in steps:
        revisions.append(Revision(irp, change, "SMETS", "1.1", _lines(before), _lines(after)))
        before = after
    return mark_edition(_document(base), _document(before, "1+X"), revisions)[0]


def test_words_inserted_and_deleted_are_attributed_to_their_change():
    clause = _marked(["a b c d"], [("IRP1", 1, ["a B c d"]), ("IRP2", 4, ["a B c d e"])])
    marks = [(m.text, m.op, m.irp, m.change) for m in clause.lines[0].cells[0]]
    assert marks == [
        ("a", Op.KEEP, "", 0),
        ("b", Op.DELETE, "IRP1", 1),
        ("B", Op.INSERT, "IRP1", 1),
        ("c", Op.KEEP, "", 0),
        ("d", Op.KEEP, "", 0),
        ("e", Op.INSERT, "IRP2", 4),
    ]


def test_a_line_added_then_removed_leaves_no_trace_and_a_removed_line_stays_marked():
    clause = _marked(
        ["one", "two"],
        [("IRP1", 1, ["one", "two", "three"]), ("IRP1", 2, ["one", "two"]), ("IRP2", 1, ["two"])],
    )
    assert [(line.text(after=False), line.op, line.irp) for line in clause.lines] == [
        ("one", Op.DELETE, "IRP2"),
        ("two", Op.KEEP, ""),
    ]


def test_an_unchanged_clause_has_no_marks():
    clause = mark_edition(_document(["a b"]), _document(["a b"]), [])[0]
    assert not clause.changed and clause.lines[0].block.text == "a b"


def test_new_lines_take_their_block_from_the_amended_clause():
    clause = _marked(["one"], [("IRP1", 1, ["one", "new line"])])
    assert clause.lines[1].op is Op.INSERT
    assert clause.lines[1].block.text == "new line"


def test_glossary_entries_added_and_changed():
    base = Document(
        "CHTS", "1", glossary=[GlossaryEntry("A Log", "first"), GlossaryEntry("C Log", "x")]
    )
    before = [RevisionLine(("A Log", "first")), RevisionLine(("C Log", "x"))]
    after = [
        RevisionLine(("A Log", "first one")),
        RevisionLine(("B Log", "new")),
        RevisionLine(("C Log", "x")),
    ]
    revision = Revision("IRP603", 6, "CHTS", "Glossary", before, after)
    entries = mark_glossary(base, base, [revision])
    assert [(" ".join(m.text for m in e.term), e.op) for e in entries] == [
        ("A Log", Op.KEEP),
        ("B Log", Op.INSERT),
        ("C Log", Op.KEEP),
    ]
    assert all(m.op is Op.KEEP for m in entries[2].term), "an unchanged term carries no marks"
    assert [(m.text, m.op) for m in entries[0].definition] == [
        ("first", Op.KEEP),
        ("one", Op.INSERT),
    ]


WORDS = st.sampled_from("alpha beta gamma delta shall ESME GSME log entry (5.7.5.31) only".split())
LINE = st.lists(WORDS, min_size=1, max_size=6).map(" ".join)
LINES = st.lists(LINE, min_size=1, max_size=4)


@settings(max_examples=200, deadline=None)
@given(LINES, st.lists(LINES, min_size=1, max_size=4))
def test_the_marks_read_as_the_base_before_and_as_the_amended_text_after(base, versions):
    steps = [(f"IRP{index}", 1, version) for index, version in enumerate(versions)]
    clause = _marked(base, steps)
    before = [line.text(after=False) for line in clause.lines if line.op is not Op.INSERT]
    after = [line.text(after=True) for line in clause.lines if line.op is not Op.DELETE]
    assert before == base
    assert after == versions[-1]


@pytest.mark.parametrize("seed", range(4))
def test_the_changed_clauses_alone_are_those_of_the_whole_edition_that_changed(seed):
    """Generated proposals (benchmarks/make_irps.py) against the bundled SMETS: marking only
    the changed clauses gives what marking the whole edition gives for them, in its order."""
    from spectrace.api import load_edition
    from spectrace.transforms.amend import amend
    from tests.conftest import PROJECT_ROOT, load_benchmark

    base = load_edition(PROJECT_ROOT / "specs/SMETS/4.2")
    proposals = load_benchmark("make_irps").make_irps(base, 6, 12 + 4 * seed, seed=seed)
    result = amend([base], proposals)
    amended = result.documents[0]
    whole = mark_edition(base, amended, result.revisions)
    changed = mark_edition(base, amended, result.revisions, changed=True)
    assert changed == [m for m in whole if m.changed]
    assert {m.clause.number for m in changed} == {r.clause for r in result.revisions} - {"Glossary"}
