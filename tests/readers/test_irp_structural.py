"""Structural changes read from Word IRPs: a clause inserted, deleted, withdrawn or renumbered.

Each instruction form is read into the model's contract (``Change.action``, ``target``,
``after``, ``new_number``) in several phrasings; each kind of change is built as a Word IRP with
its mark-up as tracked changes and as formatting, read, and read back from IRP-as-code.
"""

from __future__ import annotations

import pytest

from spectrace.errors import ReadError
from spectrace.model import (
    Action,
    Change,
    Document,
    MarkupBlock,
    MarkupKind,
    Op,
    Proposal,
    Span,
    Target,
)
from spectrace.readers.docx.instruction import Instruction
from spectrace.readers.docx.irp import parse_instruction, read_docx_irp
from spectrace.readers.rst.irp import read_rst_irp
from spectrace.transforms.amend import amend
from spectrace.writers.json import proposal_to_dict
from spectrace.writers.rst_irp import render_proposal
from tests.hostile.docx_maker import MARKUP_WAYS, make_irp, marked_para, marked_row, para, run

INS, DEL, KEEP = "insert", "delete", "keep"
INSERT, DELETE, RENUMBER, WITHDRAW = (
    Action.INSERT_CLAUSE,
    Action.DELETE_CLAUSE,
    Action.RENUMBER_CLAUSE,
    Action.WITHDRAW_CLAUSE,
)


def read(text: str) -> Instruction:
    return parse_instruction(text, file="IRP900.docx", number=3)


# --- 1. What each instruction says -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A new clause: its number, and the clause it follows.
        (
            "Insert new Section 5.7.4.12 after Section 5.7.4.11 as shown below:",
            Instruction(Target("", "5.7.4.12"), INSERT, after="5.7.4.11"),
        ),
        (
            "In SMETS, insert a new clause 4.6.4.9A after clause 4.6.4.9:",
            Instruction(Target("SMETS", "4.6.4.9A"), INSERT, after="4.6.4.9"),
        ),
        (
            "At SMETS 4.6.4.9 insert the following new Section 4.6.4.10",
            Instruction(Target("SMETS", "4.6.4.10"), INSERT, after="4.6.4.9"),
        ),
        (
            "INSERT NEW SECTION 4.6.4.10 AFTER SECTION 4.6.4.9:",
            Instruction(Target("", "4.6.4.10"), INSERT, after="4.6.4.9"),
        ),
        (
            "Add new CHTS paragraph 4.4.6.2 immediately after paragraph 4.4.6.1",
            Instruction(Target("CHTS", "4.4.6.2"), INSERT, after="4.4.6.1"),
        ),
        (
            "Insert Section 4.6.4.10 following SMETS Section 4.6.4.9, as shown in the mark-up:",
            Instruction(Target("SMETS", "4.6.4.10"), INSERT, after="4.6.4.9"),
        ),
        (
            "In SMETS Section 4.6.4, insert new Section 4.6.4.10 after Section 4.6.4.9",
            Instruction(Target("SMETS", "4.6.4.10"), INSERT, after="4.6.4.9"),
        ),
        # A clause deleted in its entirety.
        (
            "Delete SMETS Section 5.7.4.3 in its entirety",
            Instruction(Target("SMETS", "5.7.4.3"), DELETE),
        ),
        ("Remove Section 5.7.4.3", Instruction(Target("", "5.7.4.3"), DELETE)),
        ("delete clause 5.7.4.3:", Instruction(Target("", "5.7.4.3"), DELETE)),
        (
            "At SMETS 5.7.4.3, delete the whole section",
            Instruction(Target("SMETS", "5.7.4.3"), DELETE),
        ),
        (
            "At SMETS 5.7.4, delete 5.7.4.3 as shown below:",
            Instruction(Target("SMETS", "5.7.4.3"), DELETE),
        ),
        # A clause withdrawn: number and heading kept, "Not used".
        (
            "At SMETS 4.6.4.9, replace the text with 'Not used'",
            Instruction(Target("SMETS", "4.6.4.9"), WITHDRAW),
        ),
        ("Withdraw SMETS Section 4.6.4.9", Instruction(Target("SMETS", "4.6.4.9"), WITHDRAW)),
        (
            "Mark CHTS 4.4.6 as \u2018Intentionally blank\u2019",
            Instruction(Target("CHTS", "4.4.6"), WITHDRAW),
        ),
        (
            "Delete the text of Section 4.6.4.9 and replace it with \u201cNot Used\u201d:",
            Instruction(Target("", "4.6.4.9"), WITHDRAW),
        ),
        (
            "In CHTS Clause 4.4.6 replace the text by Intentionally left blank",
            Instruction(Target("CHTS", "4.4.6"), WITHDRAW),
        ),
        # A clause renumbered, and moved.
        (
            "Renumber SMETS Section 4.6.4.9 as 4.6.4.11",
            Instruction(Target("SMETS", "4.6.4.9"), RENUMBER, new_number="4.6.4.11"),
        ),
        (
            "Move SMETS Section 4.6.4.9 to follow Section 4.6.5.1 and renumber it 4.6.5.2",
            Instruction(
                Target("SMETS", "4.6.4.9"), RENUMBER, after="4.6.5.1", new_number="4.6.5.2"
            ),
        ),
        (
            "renumber clause 4.6.4.9A to 4.6.4.10:",
            Instruction(Target("", "4.6.4.9A"), RENUMBER, new_number="4.6.4.10"),
        ),
        (
            "At CHTS 4.4.6.2, renumber the clause as 4.4.6.3",
            Instruction(Target("CHTS", "4.4.6.2"), RENUMBER, new_number="4.4.6.3"),
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_a_structural_instruction_says_what_happens_to_which_clause(text, expected):
    assert read(text) == expected


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("At SMETS 4.4.5 amend the text as shown in the following mark-up:", "4.4.5"),
        ("In CHTS Section 4.4.6.1, insert the following:", "4.4.6.1"),
        ("At SMETS 5.6.1 add a new paragraph after paragraph 2:", "5.6.1"),
        ("At SMETS 5.6.1 insert the following after the first paragraph:", "5.6.1"),
        ("At SMETS 4.4.5, remove 4.6.5.17 from the list", "4.4.5"),
        ("At SMETS 4.4.5 delete (4.6.5.17) as shown:", "4.4.5"),
        ("At SMETS 5.7.4 replace item iii with 'Not used'", "5.7.4"),
        ("At SMETS 5.7.4 delete the table in its entirety", "5.7.4"),
        ("At SMETS 4.4.5 amend the text so that values not used are ignored", "4.4.5"),
        ("At SMETS 4.4.5 amend the text and renumber the list items", "4.4.5"),
        ("At SMETS 5.6.1 insert a reference to the new Section 5.7.5.32", "5.6.1"),
        ("At SMETS 5.6.1 add Section 5.7.5.32 to the list of new data items", "5.6.1"),
    ],
)
def test_an_edit_inside_a_clause_stays_an_amendment(text, target):
    assert read(text) == Instruction(
        Target("SMETS" if "SMETS" in text else "CHTS", target), Action.AMEND
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Insert new Section 4.6.4.10 as shown below:",
            "inserts clause 4.6.4.10 without saying which clause it follows "
            '(write "… after Section N")',
        ),
        (
            "In SMETS Section 4.6.4, insert new Section 4.6.4.10:",
            "inserts clause 4.6.4.10 without saying which clause it follows "
            '(write "… after Section N")',
        ),
        (
            "Renumber SMETS Section 4.6.4.9",
            'renumbers a clause without giving its new number (write "… as N")',
        ),
        (
            "Move SMETS Section 4.6.4.9 to follow Section 4.6.5.1",
            'renumbers a clause without giving its new number (write "… as N")',
        ),
        (
            "Renumber SMETS Section 4.6.4.9 as 4.6.4.11 or 4.6.4.12",
            "gives more than one new number (4.6.4.11, 4.6.4.12); say which",
        ),
        (
            "Insert new Section 4.6.4.10 after 4.6.4.9 and renumber Section 4.6.4.10 as 4.6.4.11",
            "asks for more than one change (renumber_clause and insert_clause); give each its own",
        ),
        (
            "Delete SMETS Section 4.6.4.9 and CHTS Section 4.4.6",
            "names more than one document (CHTS, SMETS)",
        ),
    ],
)
def test_an_instruction_that_could_be_read_two_ways_is_an_error(text, message):
    with pytest.raises(ReadError) as raised:
        read(text)
    assert str(raised.value) == f'IRP900.docx: change 3: "{text}" {message}'


# --- 2. Word IRPs: each kind, as tracked changes and as formatting ----------------------------

HEADING = "4.6.4.10\tGSME Security Log Copy"
BODY = "GSME shall keep a copy of its Security Log."
ITEM = "each entry with its date-time;"


def excerpt(
    way: str, op: str = INS, *, heading: str = HEADING, style: str | None = "Heading4"
) -> str:
    """Return a new clause's excerpt marked ``op`` throughout: heading line, paragraph, list
    item and table row."""
    return (
        marked_para([(heading, op)], way, style=style)
        + marked_para([(BODY, op)], way)
        + marked_para([(ITEM, op)], way, style="ListParagraph", num="2/0")
        + f"<w:tbl>{marked_row([[('Entries', op)], [('100', op)]], way)}</w:tbl>"
    )


def new_clause_blocks(number: str = "4.6.4.10", title: str = "GSME Security Log Copy") -> list:
    return [
        MarkupBlock(MarkupKind.HEADING, [Span(f"{number} {title}", Op.INSERT)]),
        MarkupBlock(MarkupKind.PARAGRAPH, [Span(BODY, Op.INSERT)]),
        MarkupBlock(MarkupKind.LIST_ITEM, [Span(ITEM, Op.INSERT)], label="i.", level=0),
        MarkupBlock(
            MarkupKind.TABLE_ROW, cells=[[Span("Entries", Op.INSERT)], [Span("100", Op.INSERT)]]
        ),
    ]


def read_irp(tmp_path, *changes: str) -> Proposal:
    return read_docx_irp(make_irp(tmp_path / "IRP900.docx", *changes))


def only_change(tmp_path, *changes: str) -> Change:
    [change] = read_irp(tmp_path, *changes).changes
    return change


def revised(way: str) -> dict:
    """The revision fields a change gets from tracked changes (none from formatting)."""
    return {"revised_by": "BEIS", "revised_on": "2019-07-11"} if way == "tracked" else {}


@pytest.mark.parametrize("way", MARKUP_WAYS)
@pytest.mark.parametrize(
    ("instruction", "target", "after"),
    [
        (
            "Insert new Section 4.6.4.10 after Section 4.6.4.9 as shown below:",
            Target("", "4.6.4.10"),
            "4.6.4.9",
        ),
        (
            "At SMETS 4.6.4.9 insert the following new Section 4.6.4.10",
            Target("SMETS", "4.6.4.10"),
            "4.6.4.9",
        ),
        (
            "Add new CHTS clause 4.6.4.10 following clause 4.6.4.8:",
            Target("CHTS", "4.6.4.10"),
            "4.6.4.8",
        ),
    ],
)
def test_a_new_clause_is_its_heading_line_and_body_all_inserted(
    tmp_path, way, instruction, target, after
):
    change = only_change(tmp_path, para(instruction), excerpt(way))
    assert change == Change(
        1,
        instruction,
        target,
        INSERT,
        markup=new_clause_blocks(),
        after=after,
        **revised(way),
    )


@pytest.mark.parametrize("way", MARKUP_WAYS)
def test_a_new_clause_after_unchanged_context_starts_at_its_heading_line(tmp_path, way):
    context = run("&lt;\u2026run on from existing text&gt;")
    change = only_change(
        tmp_path,
        para("Insert new Section 4.6.4.10 after Section 4.6.4.9:"),
        para(context),
        marked_para([("4.6.4.9\tGSME Security Log", KEEP)], way, style="Heading4"),
        marked_para([("The last paragraph of 4.6.4.9.", KEEP)], way),
        excerpt(way),
    )
    assert (change.run_on_before, change.problem) == (True, None)
    assert change.markup == new_clause_blocks()


@pytest.mark.parametrize(
    ("heading", "style"),
    [
        (HEADING, "Heading4"),  # a heading style
        (HEADING, None),  # typed as a heading line: number, tab, title
        ("4.6.4.10 GSME Security Log Copy", None),  # a paragraph that starts with the number
    ],
)
def test_a_new_clause_given_as_plain_text_is_all_inserted(tmp_path, heading, style):
    change = only_change(
        tmp_path,
        para("In SMETS, insert a new clause 4.6.4.10 after clause 4.6.4.9:"),
        excerpt("formatted", KEEP, heading=heading, style=style),
    )
    assert (change.markup, change.problem) == (new_clause_blocks(), None)


@pytest.mark.parametrize("way", MARKUP_WAYS)
def test_a_new_clause_whose_heading_word_numbers_writes_in_the_instructions_number(tmp_path, way):
    change = only_change(
        tmp_path,
        para("Insert new Section 4.6.4.9A after Section 4.6.4.9:"),
        excerpt(way, heading="GSME Security Log Copy", style="Heading2"),
    )
    assert (change.markup, change.problem) == (new_clause_blocks("4.6.4.9A"), None)


@pytest.mark.parametrize("way", MARKUP_WAYS)
@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        (
            lambda way: excerpt(way, heading="4.6.4.11\tGSME Security Log Copy"),
            "the mark-up's heading line gives 4.6.4.11, but the instruction inserts 4.6.4.10",
        ),
        (
            lambda way: marked_para([(BODY, INS)], way),
            "the mark-up has no heading line for the new clause; start it with '4.6.4.10 Title'",
        ),
        (
            lambda way: "",
            "no mark-up: the new clause needs its heading line ('4.6.4.10 Title') and text",
        ),
        (
            lambda way: excerpt(way) + marked_para([("Old text ", KEEP), ("gone", DEL)], way),
            "the mark-up deletes text from the new clause; a new clause is all inserted",
        ),
        (
            lambda way: (
                marked_para([("Earlier text ", KEEP), ("changed", INS)], way) + excerpt(way)
            ),
            "the mark-up changes text before the new clause's heading line; "
            "give that change on its own",
        ),
    ],
    ids=["other number", "no heading", "no mark-up", "deletes", "changes context"],
)
def test_a_new_clause_that_cannot_be_read_as_one_is_flagged_not_guessed(
    tmp_path, way, changes, problem
):
    instruction = "Insert new Section 4.6.4.10 after Section 4.6.4.9:"
    change = only_change(tmp_path, para(instruction), changes(way))
    assert change.problem == problem
    assert (change.action, change.target, change.after) == (
        INSERT,
        Target("", "4.6.4.10"),
        "4.6.4.9",
    )


def test_a_tracked_new_heading_followed_by_unmarked_text_is_flagged(tmp_path):
    change = only_change(
        tmp_path,
        para("Insert new Section 4.6.4.10 after Section 4.6.4.9:"),
        excerpt("tracked"),
        marked_para([("4.6.4.11\tThe next clause, unchanged", KEEP)], "tracked"),
    )
    assert change.problem == (
        "'4.6.4.11 The next clause, unchanged' follows the new heading line but is not "
        "inserted; a new clause is all inserted"
    )


@pytest.mark.parametrize("way", MARKUP_WAYS)
@pytest.mark.parametrize(
    ("instruction", "target"),
    [
        ("Delete SMETS Section 5.7.4.3 in its entirety", Target("SMETS", "5.7.4.3")),
        ("Remove Section 5.7.4.3 as shown below:", Target("", "5.7.4.3")),
        ("At CHTS 5.7.4.3, delete the whole clause:", Target("CHTS", "5.7.4.3")),
    ],
)
def test_a_deleted_clause_is_shown_struck_through(tmp_path, way, instruction, target):
    struck = marked_para([("5.7.4.3\tTamper Log", DEL)], way, style="Heading4") + marked_para(
        [("ESME shall keep a Tamper Log.", DEL)], way
    )
    change = only_change(tmp_path, para(instruction), struck)
    assert change == Change(
        1,
        instruction,
        target,
        DELETE,
        markup=[
            MarkupBlock(MarkupKind.HEADING, [Span("5.7.4.3 Tamper Log", Op.DELETE)]),
            MarkupBlock(MarkupKind.PARAGRAPH, [Span("ESME shall keep a Tamper Log.", Op.DELETE)]),
        ],
        **revised(way),
    )


def test_structural_changes_need_no_mark_up(tmp_path):
    instructions = [
        "Delete SMETS Section 5.7.4.3 in its entirety",
        "Withdraw SMETS Section 4.6.4.9",
        "Renumber SMETS Section 4.6.4.9 as 4.6.4.11",
        "Move SMETS Section 4.6.4.9 to follow Section 4.6.5.1 and renumber it 4.6.5.2",
    ]
    proposal = read_irp(tmp_path, *(para(text) for text in instructions))
    assert [
        (c.action, c.target, c.after, c.new_number, c.markup, c.problem) for c in proposal.changes
    ] == [
        (DELETE, Target("SMETS", "5.7.4.3"), "", "", [], None),
        (WITHDRAW, Target("SMETS", "4.6.4.9"), "", "", [], None),
        (RENUMBER, Target("SMETS", "4.6.4.9"), "", "4.6.4.11", [], None),
        (RENUMBER, Target("SMETS", "4.6.4.9"), "4.6.5.1", "4.6.5.2", [], None),
    ]
    assert [c.number for c in proposal.changes] == [1, 2, 3, 4]


@pytest.mark.parametrize("way", MARKUP_WAYS)
def test_a_deleted_clause_whose_mark_up_inserts_text_is_flagged(tmp_path, way):
    change = only_change(
        tmp_path,
        para("Delete SMETS Section 5.7.4.3 in its entirety"),
        marked_para([("ESME shall keep a ", DEL), ("new", INS), (" Tamper Log.", DEL)], way),
    )
    assert change.problem == (
        "the mark-up of a deleted clause inserts text; show the clause struck through"
    )


@pytest.mark.parametrize("way", MARKUP_WAYS)
@pytest.mark.parametrize(
    ("instruction", "target"),
    [
        ("At SMETS 4.6.4.9, replace the text with 'Not used'", Target("SMETS", "4.6.4.9")),
        ("Withdraw SMETS Section 4.6.4.9 as shown below:", Target("SMETS", "4.6.4.9")),
        ("Mark 4.6.4.9 as \u2018Intentionally blank\u2019:", Target("", "4.6.4.9")),
    ],
)
def test_a_withdrawn_clause_keeps_its_heading_and_its_mark_up(tmp_path, way, instruction, target):
    withdrawn = (
        marked_para([("4.6.4.9\tGSME Security Log", KEEP)], way, style="Heading4")
        + marked_para([("GSME shall keep a Security Log.", DEL)], way)
        + marked_para([("Not used", INS)], way)
    )
    change = only_change(tmp_path, para(instruction), withdrawn)
    assert change == Change(
        1,
        instruction,
        target,
        WITHDRAW,
        markup=[
            MarkupBlock(MarkupKind.HEADING, [Span("4.6.4.9 GSME Security Log")]),
            MarkupBlock(MarkupKind.PARAGRAPH, [Span("GSME shall keep a Security Log.", Op.DELETE)]),
            MarkupBlock(MarkupKind.PARAGRAPH, [Span("Not used", Op.INSERT)]),
        ],
        **revised(way),
    )


@pytest.mark.parametrize("way", MARKUP_WAYS)
@pytest.mark.parametrize(
    ("instruction", "after", "new_number"),
    [
        ("Renumber SMETS Section 4.6.4.9 as 4.6.4.11", "", "4.6.4.11"),
        ("renumber clause 4.6.4.9 to 4.6.4.11 as shown:", "", "4.6.4.11"),
        (
            "Move SMETS Section 4.6.4.9 to follow Section 4.6.4.10 and renumber it 4.6.4.11",
            "4.6.4.10",
            "4.6.4.11",
        ),
    ],
)
def test_a_renumbered_clause_shows_its_new_number(tmp_path, way, instruction, after, new_number):
    heading = [("4.6.4.9", DEL), ("4.6.4.11", INS), ("\tGSME Security Log", KEEP)]
    change = only_change(tmp_path, para(instruction), marked_para(heading, way, style="Heading4"))
    assert (change.action, change.target.clause, change.after, change.new_number) == (
        RENUMBER,
        "4.6.4.9",
        after,
        new_number,
    )
    assert change.markup == [
        MarkupBlock(
            MarkupKind.HEADING,
            [Span("4.6.4.9", Op.DELETE), Span("4.6.4.11", Op.INSERT), Span(" GSME Security Log")],
        )
    ]
    assert change.problem is None


@pytest.mark.parametrize(
    ("instruction", "heading", "problem"),
    [
        (
            "Renumber SMETS Section 4.6.4.9 as 4.6.4.11",
            [("4.6.4.9", DEL), ("4.6.4.12", INS), ("\tGSME Security Log", KEEP)],
            "the mark-up renumbers the clause 4.6.4.12, but the instruction gives 4.6.4.11",
        ),
        (
            "Withdraw SMETS Section 4.6.4.9",
            [("4.6.4.8\tGSME Event Log", KEEP)],
            "the mark-up's heading line is clause 4.6.4.8, but the instruction names 4.6.4.9",
        ),
        (
            "Delete SMETS Section 4.6.4.9 in its entirety",
            [("4.6.4.8\tGSME Event Log", DEL)],
            "the mark-up's heading line is clause 4.6.4.8, but the instruction names 4.6.4.9",
        ),
    ],
)
def test_a_heading_line_that_names_another_clause_is_flagged(
    tmp_path, instruction, heading, problem
):
    change = only_change(
        tmp_path, para(instruction), marked_para(heading, "tracked", style="Heading4")
    )
    assert change.problem == problem


# --- 3. Where a change starts ----------------------------------------------------------------


def test_a_structural_instruction_starts_a_change_without_at_or_a_list(tmp_path):
    proposal = read_irp(
        tmp_path,
        para("At SMETS 4.4.5 amend the text as shown in the following mark-up:"),
        marked_para([("Some text ", KEEP), ("more", INS)], "tracked"),
        para("Delete SMETS Section 5.7.4.3 in its entirety"),
        para("Insert new Section 4.6.4.10 after Section 4.6.4.9:"),
        excerpt("tracked"),
        para("Remove 5.7.4.4"),
    )
    assert [(c.number, c.action, str(c.target)) for c in proposal.changes] == [
        (1, Action.AMEND, "SMETS 4.4.5"),
        (2, DELETE, "SMETS 5.7.4.3"),
        (3, INSERT, "4.6.4.10"),
        (4, DELETE, "5.7.4.4"),
    ]


@pytest.mark.parametrize("way", MARKUP_WAYS)
@pytest.mark.parametrize(
    "text",
    [
        "Add 1 to the count of entries.",  # a bare whole number is no clause
        "Remove Section 4.6.4.9 from the list",  # marked: part of the mark-up
    ],
)
def test_text_of_an_excerpt_that_starts_with_a_verb_is_not_an_instruction(tmp_path, way, text):
    marked = way == "tracked" or "Section" in text
    paragraph = marked_para([(text, INS if marked else KEEP)], way)
    proposal = read_irp(
        tmp_path,
        para("At SMETS 4.4.5 amend the text as shown in the following mark-up:"),
        marked_para([("Some text ", KEEP), ("more", INS)], way),
        paragraph,
    )
    [change] = proposal.changes
    assert change.markup[-1].text(after=True) == text


# --- 4. IRP-as-code keeps every structural change --------------------------------------------


def every_kind(way: str) -> list[str]:
    return [
        para("Insert new Section 4.6.4.10 after Section 4.6.4.9 as shown below:"),
        excerpt(way),
        para("In SMETS, insert a new clause 4.6.4.9A after clause 4.6.4.9:"),
        excerpt(way, heading="GSME Security Log Copy", style="Heading2"),
        para("Delete SMETS Section 5.7.4.3 in its entirety"),
        marked_para([("5.7.4.3\tTamper Log", DEL)], way, style="Heading4"),
        para("At SMETS 4.6.4.9, replace the text with 'Not used'"),
        marked_para([("GSME shall keep a Security Log.", DEL)], way),
        marked_para([("Not used", INS)], way),
        para("Withdraw CHTS Section 4.4.6"),
        para("Move SMETS Section 4.6.4.9 to follow Section 4.6.5.1 and renumber it 4.6.5.2"),
        marked_para(
            [("4.6.4.9", DEL), ("4.6.5.2", INS), ("\tGSME Security Log", KEEP)],
            way,
            style="Heading4",
        ),
        para("Insert new Section 4.6.4.10 after Section 4.6.4.9:"),
        marked_para([(BODY, INS)], way),  # flagged: no heading line
    ]


@pytest.mark.parametrize("way", MARKUP_WAYS)
def test_irp_as_code_reads_back_every_structural_change(tmp_path, way):
    proposal = read_irp(tmp_path, *every_kind(way))
    assert [c.action for c in proposal.changes] == [
        INSERT,
        INSERT,
        DELETE,
        WITHDRAW,
        WITHDRAW,
        RENUMBER,
        INSERT,
    ]
    assert proposal.changes[-1].problem is not None
    source = tmp_path / "IRP900.rst"
    source.write_text(render_proposal(proposal), encoding="utf-8")
    again = read_rst_irp(source)
    assert again.changes == proposal.changes


def test_irp_as_code_writes_a_target_by_context_as_its_clause_number(tmp_path):
    proposal = read_irp(
        tmp_path, para("Insert new Section 4.6.4.10 after Section 4.6.4.9:"), excerpt("tracked")
    )
    text = render_proposal(proposal)
    assert "   :target: 4.6.4.10\n" in text
    assert "   :action: insert_clause\n   :after: 4.6.4.9\n" in text
    assert proposal_to_dict(proposal)["changes"][0]["target"] == "4.6.4.10"


# --- 5. IRP-as-code refuses a structural change that lacks what it needs ---------------------

HEAD = (
    ".. spec:proposal:: IRP900\n\n"
    "Required Changes to Documentation\n"
    "=================================\n\n"
    ".. spec:change:: 1\n"
)


def irp_source(tmp_path, options: str, body: str = "") -> str:
    path = tmp_path / "IRP900.rst"
    path.write_text(HEAD + options + ("\n" + body if body else ""), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ":target: SMETS 4.6.4.10\n:action: insert_clause\n",
            "the action insert_clause needs :after:",
        ),
        (
            ":target: SMETS 4.6.4.9\n:action: renumber_clause\n",
            "the action renumber_clause needs :new-number:",
        ),
        (
            ":target: SMETS 4.6.4.9\n:action: renumber_clause\n:new-number: 4.6.4.x\n",
            "'4.6.4.x' is not a clause number (e.g. 4.6.4.9 or 4.6.4.9A)",
        ),
        (
            ":target: SMETS 4.6.4.10\n:action: insert_clause\n:after: Section 4.6.4.9\n",
            "'Section 4.6.4.9' is not a clause number (e.g. 4.6.4.9 or 4.6.4.9A)",
        ),
        (
            ":target: SMETS 4.6.4.9\n:new-number: 4.6.4.11\n",
            "the action amend takes no :new-number:",
        ),
        (
            ":target: SMETS 4.6.4.10\n:action: insert_clause\n:after: 4.6.4.9\n"
            ":new-number: 4.6.4.11\n",
            "the action insert_clause takes no :new-number:",
        ),
        (
            ":target: SMETS 4.6.4.9\n:action: delete_clause\n:after: 4.6.4.8\n",
            "the action delete_clause takes no :after:",
        ),
        (
            ":target: SMETS 4.6.4.9\n:action: withdraw_clause\n:new-number: 4.6.4.8\n",
            "the action withdraw_clause takes no :new-number:",
        ),
        (
            ":target: CHTS Glossary\n:action: delete_clause\n",
            "the action delete_clause changes a clause; the target is then like 'CHTS 4.6.4.9'",
        ),
        (
            ":target: SMETS 4.6.4.9\n:action: insert_clause\n:after: 4.6.4.9\n",
            "clause 4.6.4.9 follows itself",
        ),
        (
            ":target: 4.6.4.9\n:action: renumber_clause\n:new-number: 4.6.4.9\n",
            "clause 4.6.4.9 is renumbered as itself",
        ),
        (":target: 4.6.4\n:action: add_term\n", "the action add_term changes a glossary"),
    ],
)
def test_irp_as_code_refuses_a_structural_change_that_lacks_what_it_needs(
    tmp_path, options, message
):
    path = irp_source(tmp_path, "".join(f"   {line}\n" for line in options.splitlines()))
    with pytest.raises(ReadError) as raised:
        read_rst_irp(path)
    assert str(raised.value).startswith(f"{path}: line 6: ")
    assert message in str(raised.value)


def test_irp_as_code_reads_a_bare_clause_target_and_structural_options(tmp_path):
    options = (
        "   :target: 4.6.4.9A\n   :instruction: Move it\n   :action: renumber_clause\n"
        "   :after: 4.6.5.1\n   :new-number: 4.6.5.2\n"
    )
    [change] = read_rst_irp(irp_source(tmp_path, options)).changes
    assert (change.target, change.action, change.after, change.new_number) == (
        Target("", "4.6.4.9A"),
        RENUMBER,
        "4.6.5.1",
        "4.6.5.2",
    )


# --- 6. End to end: Word IRP -> amend engine ----------------------------------------------------


def smets() -> Document:
    from tests.transforms.test_amend import document

    return document(
        {"4.6.4": [], "4.6.4.9": ["GSME shall keep a Security Log."], "4.6.5": ["Other."]}
    )


@pytest.mark.parametrize("way", MARKUP_WAYS)
def test_a_new_clause_read_from_word_is_inserted_after_its_predecessor(tmp_path, way):
    proposal = read_irp(
        tmp_path, para("In SMETS, insert new Section 4.6.4.10 after 4.6.4.9:"), excerpt(way)
    )
    amended = amend([smets()], [proposal])
    assert amended.problems == []
    numbers = [clause.number for clause in amended.documents[0].clauses]
    assert numbers == ["4.6.4", "4.6.4.9", "4.6.4.10", "4.6.5"]
    assert amended.documents[0].clause("4.6.4.10").title == "GSME Security Log Copy"


def test_a_clause_deleted_in_word_is_gone(tmp_path):
    proposal = read_irp(tmp_path, para("Delete SMETS Section 4.6.4.9 in its entirety"))
    amended = amend([smets()], [proposal])
    assert amended.problems == []
    assert [clause.number for clause in amended.documents[0].clauses] == ["4.6.4", "4.6.5"]
