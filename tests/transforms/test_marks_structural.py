"""Change marks of structural changes: inserted, deleted, withdrawn, renamed and renumbered
clauses are marked whole or in their heading, each mark attributed to its change, and a clause
is followed through renumbering so its text is compared with what it was."""

from __future__ import annotations

import pytest

from spectrace.model import Op
from spectrace.model.marks import MarkedClause
from spectrace.transforms.marks import mark_edition
from tests.structural import Editor, item, para, sample, table


def _marked(editor: Editor) -> list[MarkedClause]:
    """Return the marks of the whole edition, checking that asking for the changed clauses
    only gives those of them that changed, in the same order."""
    whole = mark_edition(editor.base, editor.document, editor.revisions)
    changed = mark_edition(editor.base, editor.document, editor.revisions, changed=True)
    assert changed == [m for m in whole if m.changed]
    return whole


def _outline(marked: list[MarkedClause]) -> list[tuple[str | None, str]]:
    return [(m.clause.number, str(m.op)) for m in marked]


def _texts(marked: MarkedClause, *, after: bool) -> list[str]:
    hidden = Op.DELETE if after else Op.INSERT
    return [line.text(after=after) for line in marked.lines if line.op is not hidden]


def _heading(marked: MarkedClause) -> list[tuple[str, Op, str, int]]:
    return [(m.text, m.op, m.irp, m.change) for m in marked.number + marked.title]


def _by_number(marked: list[MarkedClause], number: str, op: Op | None = None) -> MarkedClause:
    return next(m for m in marked if m.clause.number == number and (op is None or m.op is op))


@pytest.mark.parametrize(
    ("after", "position"), [("", 0), ("4.1", 4), ("4.3", 6), ("5", 7)], ids=str
)
def test_an_inserted_clause_is_wholly_inserted_where_the_amended_edition_has_it(after, position):
    editor = Editor(sample())
    blocks = [para("ESME shall log it.", "SMETS-9-1"), item("(a)", "first;"), table([["A", "B"]])]
    editor.insert("IRP9", 2, "4.9", "New data item", blocks, after)
    marked = _marked(editor)
    new = marked[position]
    assert new.clause.number == "4.9" and new.clause is editor.document.clauses[position]
    assert (new.op, new.irp, new.change) == (Op.INSERT, "IRP9", 2)
    assert _heading(new) == [
        ("4.9", Op.INSERT, "IRP9", 2),
        ("New", Op.INSERT, "IRP9", 2),
        ("data", Op.INSERT, "IRP9", 2),
        ("item", Op.INSERT, "IRP9", 2),
    ]
    assert [(line.op, line.irp, line.change) for line in new.lines] == [(Op.INSERT, "IRP9", 2)] * 3
    assert [line.block for line in new.lines] == [*new.clause.blocks[:2], new.clause.blocks[2]]
    assert _texts(new, after=True) == ["ESME shall log it.", "first;", "A\tB"]
    assert _texts(new, after=False) == []
    assert [m.changed for m in marked].count(True) == 1


@pytest.mark.parametrize("number", ["1", "4.3", "5", "4.1.1"])
def test_a_deleted_clause_stands_where_it_was_with_its_lines_deleted(number):
    base = sample()
    editor = Editor(base)
    editor.delete("IRP9", 3, number)
    marked = _marked(editor)
    assert [m.clause.number for m in marked] == [c.number for c in base.clauses]
    gone = _by_number(marked, number)
    assert gone.clause is base.clause(number), "a deleted clause is the base's"
    assert (gone.op, gone.irp, gone.change) == (Op.DELETE, "IRP9", 3)
    assert all(line.op is Op.DELETE and line.irp == "IRP9" for line in gone.lines)
    assert _texts(gone, after=False) == [b.text for b in base.clause(number).blocks]
    assert _texts(gone, after=True) == []
    assert [m.text for m in gone.title] == base.clause(number).title.split()
    assert [m for m in marked if m.changed] == [gone]


def test_a_deleted_clause_with_sub_clauses_keeps_them_in_order_each_deleted():
    base = sample()
    editor = Editor(base)
    editor.delete("IRP9", 1, "4.1")
    editor.insert("IRP9", 2, "4.1", "Replacement", [para("New text.")], "4")
    marked = _marked(editor)
    assert _outline(marked) == [
        ("1", "keep"),
        ("4", "keep"),
        ("4.1", "delete"),
        ("4.1.1", "delete"),
        ("4.1", "insert"),
        ("4.2", "keep"),
        ("4.3", "keep"),
        ("5", "keep"),
    ]
    table_lines = _by_number(marked, "4.1", Op.DELETE).lines
    assert [line.text(after=False) for line in table_lines] == [
        "ESME shall display the data.",
        "the Currency Units;",
        "the Meter Balance.",
    ]


def test_a_deleted_clause_follows_clauses_inserted_below_the_one_before_it():
    editor = Editor(sample())
    editor.insert("IRP9", 1, "4.1.2", "New detail", [para("x")], "4.1.1")
    editor.delete("IRP9", 2, "4.2")
    numbers = [(m.clause.number, str(m.op)) for m in _marked(editor)]
    assert numbers[3:6] == [("4.1.1", "keep"), ("4.1.2", "insert"), ("4.2", "delete")]


def test_a_withdrawn_clause_keeps_its_heading_and_its_body_becomes_not_used():
    base = sample()
    editor = Editor(base)
    editor.withdraw("IRP9", 4, "4.2")
    marked = _by_number(_marked(editor), "4.2")
    assert marked.withdrawn and (marked.op, marked.irp, marked.change) == (Op.KEEP, "IRP9", 4)
    assert not marked.heading_changed and marked.changed
    assert _texts(marked, after=False) == ["ESME shall keep logs.", "Log\tSize",
                                           "Event Log\t100", "Security Log\t50"]  # fmt: skip
    assert _texts(marked, after=True) == ["Not used"]
    inserted = [line for line in marked.lines if line.op is Op.INSERT]
    assert [(line.irp, line.change, line.block) for line in inserted] == [
        ("IRP9", 4, editor.document.clause("4.2").blocks[0])
    ]


def test_withdrawing_a_clause_deletes_its_sub_clauses():
    editor = Editor(sample())
    editor.withdraw("IRP9", 1, "4.1", "Not used.")
    marked = _marked(editor)
    assert _outline(marked)[2:4] == [("4.1", "keep"), ("4.1.1", "delete")]
    assert _texts(marked[2], after=True) == ["Not used."]


def test_a_renamed_heading_marks_its_old_words_deleted_and_new_ones_inserted():
    editor = Editor(sample())
    editor.rename("IRP9", 5, "4.2", "Event Logs")
    marked = _by_number(_marked(editor), "4.2")
    assert _heading(marked) == [
        ("4.2", Op.KEEP, "", 0),
        ("Event", Op.INSERT, "IRP9", 5),
        ("Logs", Op.KEEP, "", 0),
    ]
    assert marked.heading_changed and marked.changed and marked.op is Op.KEEP
    assert not any(line.changed for line in marked.lines)
    assert marked.number_before == ""


def test_a_renumbered_clause_is_compared_with_its_base_clause_under_the_old_number():
    editor = Editor(sample())
    editor.renumber("IRP9", 6, "4.3", "4.4")
    editor.amend("IRP10", 1, "4.4", [para("ESME shall have two ports.", "SMETS-4.3-1")])
    marked = _by_number(_marked(editor), "4.4")
    assert marked.number_before == "4.3"
    assert _heading(marked)[:2] == [("4.3", Op.DELETE, "IRP9", 6), ("4.4", Op.INSERT, "IRP9", 6)]
    changed = [(m.text, m.op, m.irp) for m in marked.lines[0].cells[0] if m.op is not Op.KEEP]
    assert changed == [
        ("a", Op.DELETE, "IRP10"),
        ("port.", Op.DELETE, "IRP10"),
        ("two", Op.INSERT, "IRP10"),
        ("ports.", Op.INSERT, "IRP10"),
    ]
    assert [r.irp for r in marked.revisions] == ["IRP9", "IRP10"]


def test_a_moved_clause_and_its_sub_clauses_are_renumbered_where_they_now_stand():
    editor = Editor(sample())
    editor.renumber("IRP9", 1, "4.1", "4.4", after="4.3")
    editor.renumber("IRP9", 2, "4.3", "4.1", after="4")  # the old 4.3 comes first
    marked = _marked(editor)
    assert [(m.clause.number, m.number_before) for m in marked] == [
        ("1", ""),
        ("4", ""),
        ("4.1", "4.3"),
        ("4.2", ""),
        ("4.4", "4.1"),
        ("4.4.1", "4.1.1"),
        ("5", ""),
    ]
    assert all(not line.changed for m in marked for line in m.lines)
    assert _texts(marked[2], after=True) == ["ESME shall have a port."]


def test_a_clause_renumbered_twice_shows_its_base_number_and_its_last():
    editor = Editor(sample())
    editor.renumber("IRP9", 1, "4.3", "4.4")
    editor.renumber("IRP10", 2, "4.4", "4.5")
    marked = _by_number(_marked(editor), "4.5")
    assert [(m.text, m.op, m.irp) for m in marked.number] == [
        ("4.3", Op.DELETE, "IRP9"),
        ("4.5", Op.INSERT, "IRP10"),
    ]


def test_a_clause_inserted_by_one_irp_and_amended_by_another_credits_each():
    editor = Editor(sample())
    editor.insert("IRP9", 1, "4.4", "New", [para("ESME shall beep.")], "4.3")
    editor.amend("IRP10", 3, "4.4", [para("ESME shall beep twice.")])
    editor.rename("IRP10", 4, "4.4", "Newer")
    marked = _by_number(_marked(editor), "4.4")
    assert marked.op is Op.INSERT and marked.irp == "IRP9"
    assert [(m.text, m.irp) for m in marked.lines[0].cells[0]] == [
        ("ESME", "IRP9"),
        ("shall", "IRP9"),
        ("beep", "IRP10"),  # "beep." was IRP9's and is gone
        ("twice.", "IRP10"),
    ]
    assert [(m.text, m.op, m.irp) for m in marked.title] == [("Newer", Op.INSERT, "IRP10")]


def test_a_clause_inserted_and_deleted_within_one_build_leaves_no_trace():
    base = sample()
    editor = Editor(base)
    editor.insert("IRP9", 1, "4.4", "Short-lived", [para("x")], "4.3")
    editor.delete("IRP10", 1, "4.4")
    marked = _marked(editor)
    assert [m.clause.number for m in marked] == [c.number for c in base.clauses]
    assert not any(m.changed for m in marked)


def test_a_clause_renamed_by_one_irp_and_deleted_by_another_is_deleted_by_the_second():
    editor = Editor(sample())
    editor.rename("IRP9", 1, "4.3", "Legacy interface")
    editor.delete("IRP10", 2, "4.3")
    marked = _by_number(_marked(editor), "4.3")
    assert (marked.op, marked.irp, marked.change) == (Op.DELETE, "IRP10", 2)
    assert [(m.text, m.op, m.irp) for m in marked.title] == [
        ("Old", Op.DELETE, "IRP9"),
        ("Legacy", Op.INSERT, "IRP9"),
        ("interface", Op.KEEP, ""),
    ]
    assert [r.action.value for r in marked.revisions] == ["amend", "delete_clause"]


def test_ordinary_revisions_mark_as_before():
    editor = Editor(sample())
    editor.amend("IRP1", 1, "4.1", [para("ESME shall display all the data.", "SMETS-4.1-1")])
    marked = _marked(editor)
    assert [m.changed for m in marked] == [False, False, True, False, False, False, False]
    clause = marked[2]
    assert not clause.heading_changed and clause.op is Op.KEEP and not clause.withdrawn
    assert [line.op for line in clause.lines] == [Op.KEEP, Op.DELETE, Op.DELETE]
