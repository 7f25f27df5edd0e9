"""Lint after structural amendment: every reference, in any document of the project, to a clause
an IRP deleted, renumbered, withdrew or retitled is reported with the change that did it."""

from __future__ import annotations

import time

import pytest

from spectrace.config import load_project
from spectrace.findings import Code, Severity
from spectrace.model import Action, Block, BlockKind, Clause, Document, GlossaryEntry, Revision
from spectrace.model.refs import parse_address
from spectrace.transforms.lint import LintPolicy, Waiver, affected_clauses, lint
from spectrace.transforms.statements import Vocabulary, analyse, segment

VOCABULARY = Vocabulary()
STRUCTURAL = {Code.REF_DELETED, Code.REF_MOVED, Code.REF_WITHDRAWN, Code.REF_RETITLED}


# --- Documents and revisions, by hand --------------------------------------------------------


def document(name: str, edition: str, *clauses: tuple[str, str, list]) -> Document:
    """Return a document of ``clauses`` (number, title, blocks): a string is a paragraph, a
    list of lists a table, a Block itself; statements segmented and analysed."""
    built = Document(name, edition)
    for number, title, blocks in clauses:
        clause = Clause(number, title, number.count(".") + 1)
        for block in blocks:
            if isinstance(block, str):
                block = Block(BlockKind.PARAGRAPH, block)
            elif isinstance(block, list):
                block = Block(BlockKind.TABLE, "", rows=block, header_rows=1)
            clause.blocks.append(block)
        built.clauses.append(clause)
    segment(built)
    analyse(built, VOCABULARY)
    return built


def smets(*extra: tuple[str, str, list], edition: str = "4.2+IRP9") -> Document:
    """An amended SMETS: 4.6.4.8 and 4.6.4.11 (4.6.4.9 renumbered), 4.6.4.91, 14.6.4.9, the
    inserted 4.6.4.9A, and 5.6.1 "Supply of information"; ``extra`` clauses at the end."""
    return document(
        "SMETS",
        edition,
        ("4.6.4.8", "Meter Balance", ["A value in currency units."]),
        ("4.6.4.9A", "Debt Recovery Rate Cap", ["A new data item."]),
        ("4.6.4.11", "Emergency Credit Balance", ["A value in currency units."]),
        ("4.6.4.91", "Unrelated Item", ["Nothing to do with 4.6.4.9."]),
        ("14.6.4.9", "Far Away", ["Another device."]),
        ("5.6.1", "Supply of information", ["ESME shall provide information."]),
        *extra,
    )


def chts(*extra: tuple[str, str, list], edition: str = "1.3") -> Document:
    return document(
        "CHTS",
        edition,
        ("4.4.6", "Gas Proxy Function information provision", ["The GPF shall respond."]),
        *extra,
    )


def deleted(doc: str, number: str, change: int = 1, title: str = "Old Title") -> Revision:
    return Revision("IRP9", change, doc, number, action=Action.DELETE_CLAUSE, title_before=title)


def withdrawn(doc: str, number: str, change: int = 2, title: str = "Old Title") -> Revision:
    return Revision(
        "IRP9",
        change,
        doc,
        number,
        action=Action.WITHDRAW_CLAUSE,
        title_before=title,
        title_after=title,
    )


def renumbered(doc: str, old: str, new: str, change: int = 3, irp: str = "IRP9") -> Revision:
    return Revision(irp, change, doc, new, action=Action.RENUMBER_CLAUSE, number_before=old)


def retitled(doc: str, number: str, old: str, new: str, change: int = 4) -> Revision:
    return Revision("IRP9", change, doc, number, title_before=old, title_after=new)


def inserted(doc: str, number: str, change: int = 5) -> Revision:
    return Revision(
        "IRP9", change, doc, number, action=Action.INSERT_CLAUSE, title_after="Debt Recovery"
    )


def structural(documents: list[Document], revisions: list[Revision], policy=None):
    found = lint(documents, VOCABULARY, policy or LintPolicy(), revisions)
    return [f for f in found if f.code in STRUCTURAL]


def places(findings) -> list[tuple[str, str, str, Code]]:
    return [(f.location.document, f.location.edition, f.location.clause, f.code) for f in findings]


# --- Deleted, withdrawn, renumbered: every shape of reference, both ways -----------------------

KINDS = [
    pytest.param(deleted("SMETS", "4.6.4.9"), Code.REF_DELETED, "IRP9 change 1 deleted", id="del"),
    pytest.param(
        withdrawn("SMETS", "4.6.4.9"),
        Code.REF_WITHDRAWN,
        'IRP9 change 2 withdrew ("Not used")',
        id="withdraw",
    ),
    pytest.param(
        renumbered("SMETS", "4.6.4.9", "4.6.4.11"),
        Code.REF_MOVED,
        "IRP9 change 3 renumbered 4.6.4.11",
        id="renumber",
    ),
]

FROM_CHTS = [
    "The GPF shall keep it as SMETS 4.6.4.9 requires.",
    "The GPF shall keep it as SMETS Section 4.6.4.9 requires.",
    "The GPF shall keep the Balance (4.6.4.9) of the SMETS.",
    "The GPF shall keep it as set out in Section 4.6.4.9 of the SMETS.",
    "The GPF shall keep it (SMETS 5.7.5.31 / 4.6.4.9).",
    "The GPF shall keep it (SMETS Sections 4.6.4.8 and 4.6.4.9).",
    "The GPF shall keep it as in the Smart Metering Equipment Technical Specifications 4.6.4.9.",
]

IN_SMETS = [
    "ESME shall keep the Balance(4.6.4.9) at all times.",
    "ESME shall keep the Balance (4.6.4.9).",
    "ESME shall keep it as set out in section 4.6.4.9.",
    "ESME shall keep it as Sections 4.6.4.1, 4.6.4.9 and 4.6.4.12 say.",
    "ESME shall keep it as SMETS 4.6.4.9 says.",
]


@pytest.mark.parametrize(("revision", "code", "did"), KINDS)
@pytest.mark.parametrize("text", FROM_CHTS)
def test_a_chts_reference_to_a_changed_smets_clause_is_reported_at_its_chts_clause(
    revision, code, did, text
):
    referring = chts(("4.6.3.11", "GPF Security Log", [text]))
    found = structural([smets(), referring], [revision])
    assert places(found) == [("CHTS", "1.3", "4.6.3.11", code)]
    assert found[0].message == f"CHTS-4.6.3.11-1 refers to SMETS 4.6.4.9, which {did}"


@pytest.mark.parametrize(("revision", "code", "did"), KINDS)
@pytest.mark.parametrize("text", IN_SMETS)
def test_a_reference_inside_the_amended_document_is_reported_with_a_bare_number(
    revision, code, did, text
):
    found = structural([smets(("5.5.4", "Balance", [text])), chts()], [revision])
    assert places(found) == [("SMETS", "4.2+IRP9", "5.5.4", code)]
    assert found[0].message == f"SMETS-5.5.4-1 refers to 4.6.4.9, which {did}"


@pytest.mark.parametrize(
    ("revision", "code"),
    [
        (deleted("CHTS", "4.6.3.5"), Code.REF_DELETED),
        (withdrawn("CHTS", "4.6.3.5"), Code.REF_WITHDRAWN),
        (renumbered("CHTS", "4.6.3.5", "4.6.3.6"), Code.REF_MOVED),
    ],
)
@pytest.mark.parametrize(
    "text",
    [
        "ESME shall log it as CHTS 4.6.3.5 does.",
        "ESME shall log it as CHTS Section 4.6.3.5 does.",
        "ESME shall log it like the CHF Security Log (4.6.3.5) of the CHTS.",
        "ESME shall log it like the Communications Hub Technical Specifications 4.6.3.5.",
    ],
)
def test_a_smets_reference_to_a_changed_chts_clause_is_reported_in_the_unamended_smets(
    revision, code, text
):
    referring = smets(("5.7.5.31", "Security Log", [text]), edition="4.2")
    found = structural([referring, chts(edition="1.3+IRP9")], [revision])
    assert places(found) == [("SMETS", "4.2", "5.7.5.31", code)]
    assert "SMETS-5.7.5.31-1 refers to CHTS 4.6.3.5, which IRP9 change" in found[0].message


def test_deleted_and_moved_are_errors_withdrawn_and_retitled_warnings():
    text = "ESME shall use (4.6.4.7), (4.6.4.9), (4.6.4.12) and the information provision (5.6.1)."
    revisions = [
        deleted("SMETS", "4.6.4.7"),
        withdrawn("SMETS", "4.6.4.12"),
        renumbered("SMETS", "4.6.4.9", "4.6.4.11"),
        retitled("SMETS", "5.6.1", "Information provision", "Supply of information"),
    ]
    found = structural([smets(("5.5.4", "Balance", [text]))], revisions)
    assert {f.code: f.severity for f in found} == {
        Code.REF_DELETED: Severity.ERROR,
        Code.REF_MOVED: Severity.ERROR,
        Code.REF_WITHDRAWN: Severity.WARNING,
        Code.REF_RETITLED: Severity.WARNING,
    }
    assert [f.severity for f in found] == sorted((f.severity for f in found), key=lambda s: -s.rank)


# --- Every text a reference can stand in ------------------------------------------------------


def test_lead_text_list_items_table_cells_paragraphs_and_glossary_definitions_are_read():
    lead = Block(BlockKind.PARAGRAPH, "[See SMETS Section 4.6.4.9.]")
    item = Block(BlockKind.LIST_ITEM, "the Balance (SMETS 4.6.4.9);", label="i.")
    table = [["Data item", "Section"], ["Emergency Credit Balance", "SMETS 4.6.4.9"]]
    referring = chts(("4.6.3.1", "Lists", [lead, "The GPF shall hold:", item, table]))
    referring.glossary.append(GlossaryEntry("Credit", "the value of SMETS Section 4.6.4.9"))
    plain_paragraph = Block(BlockKind.PARAGRAPH, "As Section 4.6.4.9 says.")
    amended = smets()
    amended.clauses[0].blocks.append(plain_paragraph)  # added after segmenting: no statements
    found = structural([amended, referring], [renumbered("SMETS", "4.6.4.9", "4.6.4.11")])
    assert [
        (f.location.document, f.location.clause, f.message.split(" refers")[0]) for f in found
    ] == [
        ("SMETS", "4.6.4.8", "a paragraph"),
        ("CHTS", "Glossary", 'the glossary entry "Credit"'),
        ("CHTS", "4.6.3.1", "lead text"),
        ("CHTS", "4.6.3.1", "CHTS-4.6.3.1-2"),
        ("CHTS", "4.6.3.1", "a table cell (row 2, column 2)"),
    ]


def test_each_place_reports_each_clause_once_however_often_it_names_it():
    text = "ESME shall use Section 4.6.4.9 (see (4.6.4.9) and SMETS 4.6.4.9) and Section 4.6.4.7."
    revisions = [deleted("SMETS", "4.6.4.9"), deleted("SMETS", "4.6.4.7", change=2)]
    found = structural([smets(("5.5.4", "Balance", [text]))], revisions)
    assert [f.message for f in found] == [
        "SMETS-5.5.4-1 refers to 4.6.4.9, which IRP9 change 1 deleted",
        "SMETS-5.5.4-1 refers to 4.6.4.7, which IRP9 change 2 deleted",
    ]


def test_a_reference_in_the_renumbered_clause_itself_and_in_inserted_text_is_reported():
    # 4.6.4.11 is the renumbered clause: its own text still says 4.6.4.9; 4.6.4.9A was inserted
    # by the same IRP and refers to the withdrawn 4.6.4.12.
    amended = smets(
        ("4.6.4.12", "Old Item", ["Not used"]),
    )
    amended.clauses[2].blocks[0].statements[0].text = "Its value (4.6.4.9) is in currency units."
    amended.clauses[1].blocks[0].statements[0].text = "It replaces Section 4.6.4.12."
    revisions = [
        renumbered("SMETS", "4.6.4.9", "4.6.4.11"),
        withdrawn("SMETS", "4.6.4.12", change=4),
        inserted("SMETS", "4.6.4.9A"),
    ]
    found = structural([amended], revisions)
    assert places(found) == [  # errors first, then warnings
        ("SMETS", "4.2+IRP9", "4.6.4.11", Code.REF_MOVED),
        ("SMETS", "4.2+IRP9", "4.6.4.9A", Code.REF_WITHDRAWN),
    ]


def test_a_reference_inside_a_deleted_or_withdrawn_clause_is_gone_with_it():
    # The base had 4.6.4.7 referring to 4.6.4.9; the amendment deleted both: the final edition
    # has neither, so nothing is left to report. A withdrawn clause's body is "Not used".
    final = smets(("4.6.4.12", "Old Item", ["Not used"]))
    revisions = [
        deleted("SMETS", "4.6.4.7"),
        deleted("SMETS", "4.6.4.9", change=2),
        withdrawn("SMETS", "4.6.4.12", change=3),
    ]
    assert structural([final, chts()], revisions) == []


# --- What is not a reference to a changed clause ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "ESME shall use Section 4.6.4.91.",
        "ESME shall use (14.6.4.9).",
        "ESME shall use Section 4.6.4.9A, the new item.",
        "ESME shall use (4.6.4.9A).",
        "ESME shall use Section 4.6.4.9.1.",
        "ESME shall use CHTS 4.6.4.9.",
        "ESME shall use GBCS Section 4.6.4.9.",
        "ESME shall use SMETS v4.6.4.9 as published.",
        "ESME shall use 4.6.4.9 units.",
        "ESME shall use Section 4.6.4.11.",
    ],
)
@pytest.mark.parametrize(("revision", "code", "did"), KINDS)
def test_a_similar_number_another_document_or_a_bare_number_is_not_reported(
    revision, code, did, text
):
    found = structural([smets(("5.5.4", "Balance", [text])), chts()], [revision])
    assert found == []


def test_a_reference_to_an_inserted_clause_is_fine():
    text = "ESME shall use Section 4.6.4.9A and SMETS 4.6.4.13 (4.6.4.13)."
    revisions = [inserted("SMETS", "4.6.4.9A"), inserted("SMETS", "4.6.4.13", change=6)]
    amended = smets(("4.6.4.13", "Another", ["New."]), ("5.5.4", "Balance", [text]))
    assert lint([amended, chts()], VOCABULARY, LintPolicy(), revisions) == [
        f for f in lint([amended, chts()], VOCABULARY, LintPolicy()) if f.code not in STRUCTURAL
    ]
    assert structural([amended, chts()], revisions) == []


def test_without_revisions_nothing_structural_is_reported():
    text = "ESME shall use Section 4.6.4.9 and the information provision (5.6.1)."
    assert structural([smets(("5.5.4", "Balance", [text])), chts()], []) == []


# --- Deleted and moved replace dangling-ref; other dangling references stay -------------------


def test_a_deleted_or_moved_clause_is_not_also_a_dangling_reference():
    text = "ESME shall use Section 4.6.4.9, Section 4.6.4.7 and Section 4.6.4.50."
    amended = smets(("5.5.4", "Balance", [text]))
    revisions = [renumbered("SMETS", "4.6.4.9", "4.6.4.11"), deleted("SMETS", "4.6.4.7")]
    found = lint([amended], VOCABULARY, LintPolicy(), revisions)
    by_code = {code: [f.message for f in found if f.code == code] for code in Code}
    assert by_code[Code.DANGLING_REF] == ["SMETS-5.5.4-1 refers to 4.6.4.50, which does not exist"]
    assert len(by_code[Code.REF_MOVED]) == len(by_code[Code.REF_DELETED]) == 1
    without = lint([amended], VOCABULARY, LintPolicy())
    assert len([f for f in without if f.code == Code.DANGLING_REF]) == 3


# --- Retitled clauses: the old title beside the number ---------------------------------------

RETITLE = retitled("SMETS", "5.6.1", "Information provision", "Supply of information")


@pytest.mark.parametrize(
    "text",
    [
        "ESME shall follow the information provision (5.6.1) rules.",
        "ESME shall follow Section 5.6.1 (Information provision).",
        "ESME shall follow 5.6.1 Information provision.",
        "ESME shall follow Section 5.6.1 “Information  Provision”.",
        "ESME shall follow INFORMATION PROVISION, Section 5.6.1.",
        "ESME shall follow Information provision – Section 5.6.1.",
        "ESME shall follow the Information provision (SMETS Section 5.6.1).",
        "ESME shall follow 5.6.1: Information provision.",
        "Information provision (5.6.1) shall be followed.",
        "ESME shall follow Section 5.6.1 Information provision",
    ],
)
def test_a_reference_beside_the_old_title_is_reported_with_the_new_title(text):
    found = structural([smets(("5.5.4", "Balance", [text]))], [RETITLE])
    assert places(found) == [("SMETS", "4.2+IRP9", "5.5.4", Code.REF_RETITLED)]
    assert found[0].message == (
        'SMETS-5.5.4-1 refers to 5.6.1 as "Information provision", which IRP9 change 4 '
        'retitled "Supply of information"'
    )


@pytest.mark.parametrize(
    "text",
    [
        "The GPF shall follow the information provision (SMETS 5.6.1).",
        "The GPF shall follow SMETS Section 5.6.1 (Information provision).",
        "The GPF shall follow SMETS 5.6.1 Information provision.",
        "The GPF shall follow Information provision (5.6.1) of the SMETS.",
    ],
)
def test_a_retitled_clause_is_found_from_another_document(text):
    found = structural([smets(), chts(("4.6.3.1", "Provision", [text]))], [RETITLE])
    assert places(found) == [("CHTS", "1.3", "4.6.3.1", Code.REF_RETITLED)]
    assert 'refers to SMETS 5.6.1 as "Information provision"' in found[0].message


@pytest.mark.parametrize(
    "text",
    [
        "ESME shall follow the supply of information (5.6.1) rules.",
        "ESME shall follow Section 5.6.1 (Supply of information).",
        "ESME shall follow Section 5.6.1.",
        "ESME shall follow the information provisions (5.6.1) rules.",
        "ESME shall follow non-information provision (5.6.1).",
        "ESME shall follow the information provision rules in Section 5.6.1.",
        "ESME shall follow information provision (5.6.11).",
        "ESME shall follow information provision (15.6.1).",
        "ESME shall follow 5.6.1.2 Information provision.",
        "ESME shall follow CHTS 5.6.1 Information provision.",
    ],
)
def test_the_new_title_no_title_or_another_number_is_not_reported(text):
    assert structural([smets(("5.5.4", "Balance", [text])), chts()], [RETITLE]) == []


def test_a_bare_number_is_read_in_its_own_document():
    # "5.6.1 Information provision" in CHTS text is CHTS 5.6.1, not the retitled SMETS clause.
    text = "The GPF shall follow 5.6.1 Information provision."
    assert structural([smets(), chts(("4.6.3.1", "Provision", [text]))], [RETITLE]) == []
    chts_retitle = retitled("CHTS", "5.6.1", "Information provision", "Supply")
    found = structural([smets(), chts(("4.6.3.1", "Provision", [text]))], [chts_retitle])
    assert places(found) == [("CHTS", "1.3", "4.6.3.1", Code.REF_RETITLED)]


def test_a_new_title_that_starts_with_the_old_one_is_not_stale():
    longer = retitled("SMETS", "5.6.1", "Information provision", "Information provision to HAN")
    fine = "ESME shall follow 5.6.1 Information provision to HAN."
    stale = "ESME shall follow 5.6.1 Information provision for HAN."
    assert structural([smets(("5.5.4", "Balance", [fine]))], [longer]) == []
    assert len(structural([smets(("5.5.4", "Balance", [stale]))], [longer])) == 1


def test_a_deleted_clause_beside_its_title_is_a_reference_even_as_a_bare_number():
    revision = deleted("SMETS", "4.6.4.9", title="Emergency Credit Balance")
    found = structural(
        [smets(("5.5.4", "Balance", ["ESME shall use 4.6.4.9 Emergency Credit Balance."]))],
        [revision],
    )
    assert places(found) == [("SMETS", "4.2+IRP9", "5.5.4", Code.REF_DELETED)]


# --- Several changes to one clause --------------------------------------------------------------


def test_a_clause_renumbered_twice_is_moved_to_its_last_number_naming_both_changes():
    revisions = [
        renumbered("SMETS", "4.6.4.9", "4.6.4.10"),
        renumbered("SMETS", "4.6.4.10", "4.6.4.11", change=1, irp="IRP10"),
    ]
    found = structural([smets(("5.5.4", "B", ["ESME shall use (4.6.4.9)."]))], revisions)
    assert [f.message for f in found] == [
        "SMETS-5.5.4-1 refers to 4.6.4.9, which IRP9 change 3 renumbered 4.6.4.10, then IRP10 "
        "change 1 renumbered 4.6.4.11"
    ]


def test_a_shift_reports_each_old_number_with_where_it_went():
    # 4.6.4.10 moves to 4.6.4.11 first, then 4.6.4.9 takes 4.6.4.10.
    revisions = [
        renumbered("SMETS", "4.6.4.10", "4.6.4.11", change=1),
        renumbered("SMETS", "4.6.4.9", "4.6.4.10", change=2),
    ]
    text = "ESME shall use (4.6.4.9) and (4.6.4.10)."
    found = structural([smets(("5.5.4", "B", [text]))], revisions)
    assert [f.message for f in found] == [
        "SMETS-5.5.4-1 refers to 4.6.4.9, which IRP9 change 2 renumbered 4.6.4.10",
        "SMETS-5.5.4-1 refers to 4.6.4.10, which IRP9 change 1 renumbered 4.6.4.11",
    ]


def test_renumbered_then_deleted_is_deleted_and_renumbered_back_is_fine():
    moved_then_deleted = [
        renumbered("SMETS", "4.6.4.9", "4.6.4.10"),
        deleted("SMETS", "4.6.4.10", change=7),
    ]
    index = affected_clauses(moved_then_deleted)
    assert index["SMETS", "4.6.4.9"].code is Code.REF_DELETED
    assert index["SMETS", "4.6.4.9"].what() == (
        "IRP9 change 3 renumbered 4.6.4.10, then IRP9 change 7 deleted"
    )
    back = [renumbered("SMETS", "4.6.4.9", "4.6.4.10"), renumbered("SMETS", "4.6.4.10", "4.6.4.9")]
    assert ("SMETS", "4.6.4.9") not in affected_clauses(back)


def test_a_number_reused_by_an_inserted_clause_is_still_reported():
    revisions = [renumbered("SMETS", "4.6.4.9", "4.6.4.11"), inserted("SMETS", "4.6.4.9")]
    text = "ESME shall use Section 4.6.4.9."
    found = structural([smets(("4.6.4.9", "New", ["New."]), ("5.5.4", "B", [text]))], revisions)
    assert places(found) == [("SMETS", "4.2+IRP9", "5.5.4", Code.REF_MOVED)]


def test_amendments_that_change_no_structure_affect_no_reference():
    revisions = [
        Revision("IRP9", 1, "SMETS", "4.6.4.9"),  # text only
        Revision("IRP9", 2, "SMETS", "4.6.4.8", title_before="Same", title_after="Same"),
        Revision("IRP9", 3, "CHTS", "Glossary", action=Action.ADD_TERM),
        inserted("SMETS", "4.6.4.9A"),
    ]
    assert affected_clauses(revisions) == {}


# --- The lint policy applies to the new codes ---------------------------------------------------


def test_the_policy_regrades_and_waives_the_new_codes():
    text = "ESME shall use (4.6.4.9) and (4.6.4.12)."
    revisions = [renumbered("SMETS", "4.6.4.9", "4.6.4.11"), withdrawn("SMETS", "4.6.4.12")]
    policy = LintPolicy(
        severity={Code.REF_WITHDRAWN: Severity.ERROR},
        waivers=[
            Waiver(Code.REF_MOVED, parse_address("SMETS 5.5.4"), "reviewed", match="4.6.4.11")
        ],
    )
    found = structural([smets(("5.5.4", "B", [text]))], revisions, policy)
    assert [(f.code, f.severity) for f in found] == [(Code.REF_WITHDRAWN, Severity.ERROR)]


def test_the_project_file_accepts_the_new_codes(project_copy):
    config = project_copy / "spectrace.toml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + '\n[lint.severity]\nref-withdrawn = "error"\nref-retitled = "info"\n'
        + '\n[[lint.waive]]\ncode = "ref-moved"\nclause = "CHTS 4.4.6"\nreason = "reviewed"\n',
        encoding="utf-8",
    )
    policy = load_project(project_copy).lint
    assert policy.severity[Code.REF_WITHDRAWN] is Severity.ERROR
    assert policy.severity[Code.REF_RETITLED] is Severity.INFO
    assert policy.waivers[-1].code is Code.REF_MOVED


# --- Linear in the size of the documents ---------------------------------------------------------


def test_thousands_of_clauses_and_revisions_are_checked_in_linear_time():
    def run(size: int) -> float:
        clauses = [
            (
                f"4.{n}",
                f"Item {n}",
                [f"ESME shall use Section 4.{n + 1}, (4.{n + 2}) and 4.{n + 3} Item {n + 3}."],
            )
            for n in range(size)
        ]
        built = document("SMETS", "4.2+IRP9", *clauses)
        revisions = [
            renumbered("SMETS", f"4.{n}", f"4.{n}A")
            if n % 3
            else retitled("SMETS", f"4.{n}", f"Item {n}", f"Thing {n}")
            for n in range(size)
        ]
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            found = structural([built], revisions)
            best = min(best, time.perf_counter() - start)
        assert len(found) > size
        return best

    small, large = run(400), run(3200)
    # Linear: about 8 times as long (quadratic would be 64); the margin absorbs a busy machine.
    assert large < 24 * max(small, 0.005), f"8 times the clauses took {large / small:.1f} times"


@pytest.mark.parametrize(
    "text",
    [
        "Section " * 20_000 + "5.6.1 (Information provision).",
        "Information provision (5.6.1) " * 5_000,
        "5.6.1 " * 20_000,
        "(" * 20_000 + "5.6.1" + ")" * 20_000,
    ],
)
def test_a_long_text_of_references_and_reference_words_is_checked_quickly(text):
    start = time.perf_counter()
    found = structural([smets(("5.5.4", "B", [text]))], [RETITLE])
    assert time.perf_counter() - start < 2.0
    assert len(found) <= 1
