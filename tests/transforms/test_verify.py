"""Checking a new edition against the amendments it should consolidate (transforms/verify.py):
an IRP change it lacks, a difference no IRP explains, and nothing for typographic noise."""

from __future__ import annotations

import pytest

from spectrace.model import Action, GlossaryEntry, Revision, RevisionLine
from spectrace.model.continuity import DiscrepancyKind
from spectrace.transforms.carry import carry
from spectrace.transforms.verify import verify
from tests.transforms.test_carry import BASE, document, edited


def _revision(irp, change, document, clause, before, after) -> Revision:
    """A revision whose lines are given as text, a tab between a row's cells."""
    return Revision(
        irp,
        change,
        document,
        clause,
        [RevisionLine(tuple(text.split("\t"))) for text in before],
        [RevisionLine(tuple(text.split("\t"))) for text in after],
    )


LOG = "GSME shall be capable of displaying the Security Log only following physical access."
WAS = "GSME shall be capable of displaying the Security Log following physical access."
NEW_PARAGRAPH = "GSME shall not provide the Security Log to Type 1 Devices."
IRP_TEXT = [
    ("1", "Introduction", ["This document sets out requirements for meters."]),
    ("4.4.5", "User Interface", [LOG, NEW_PARAGRAPH]),
    ("4.4.6", "Clock", ["GSME shall keep UTC Date-Time."]),
]
#: What IRP1 did to 4.4.5: change 1 inserted "only", change 2 the second paragraph.
REVISIONS = [
    _revision("IRP1", 1, "SMETS", "4.4.5", [WAS], [LOG]),
    _revision("IRP1", 2, "SMETS", "4.4.5", [LOG], [LOG, NEW_PARAGRAPH]),
]


def check(official, amended=IRP_TEXT, revisions=REVISIONS, glossaries=((), ())):
    before = document(amended, "4.2+IRP1")
    after = document(official, "4.3")
    before.glossary, after.glossary = (list(g) for g in glossaries)
    result = carry(before, after)
    return [
        (d.kind, d.clause, d.irp, d.change, d.before, d.after)
        for d in verify(before, after, result.pairs, revisions)
    ]


def test_an_edition_that_makes_every_change_and_nothing_else_is_clean():
    assert check(IRP_TEXT) == []


@pytest.mark.parametrize(
    "noisy",
    [
        LOG.replace("Security Log", "\u2018Security Log\u2019").replace("\u2018", "'"),
        LOG.replace(" ", "  "),
        LOG.replace(" ", "\u00a0", 3),
        LOG + " ",
    ],
)
def test_typographic_noise_is_never_a_discrepancy(noisy):
    quoted = (
        IRP_TEXT
        if "'" not in noisy
        else edited(
            IRP_TEXT,
            **{
                "4.4.5": (
                    "4.4.5",
                    "User Interface",
                    [LOG.replace("Security Log", "\u2018Security Log\u2019"), NEW_PARAGRAPH],
                )
            },
        )
    )
    official = edited(IRP_TEXT, **{"4.4.5": ("4.4.5", "User Interface", [noisy, NEW_PARAGRAPH])})
    assert check(official, quoted) == []


def test_dash_variants_are_noise():
    amended = edited(
        IRP_TEXT, **{"4.4.6": ("4.4.6", "Clock", ["GSME shall keep UTC Date\u2013Time."])}
    )
    official = edited(IRP_TEXT, **{"4.4.6": ("4.4.6", "Clock", ["GSME shall keep UTC Date-Time."])})
    assert check(official, amended) == []


def test_a_missing_word_change_names_its_irp_and_change():
    official = edited(IRP_TEXT, **{"4.4.5": ("4.4.5", "User Interface", [WAS, NEW_PARAGRAPH])})
    assert check(official) == [(DiscrepancyKind.MISSING, "4.4.5", "IRP1", 1, LOG, WAS)]


def test_a_missing_paragraph_names_its_change():
    official = edited(IRP_TEXT, **{"4.4.5": ("4.4.5", "User Interface", [LOG])})
    assert check(official) == [(DiscrepancyKind.MISSING, "4.4.5", "IRP1", 2, NEW_PARAGRAPH, "")]


def test_a_deletion_not_made_is_missing():
    revisions = [
        _revision(
            "IRP2",
            1,
            "SMETS",
            "4.4.6",
            ["GSME shall keep UTC Date-Time.", "Old."],
            ["GSME shall keep UTC Date-Time."],
        )
    ]
    official = edited(
        IRP_TEXT, **{"4.4.6": ("4.4.6", "Clock", ["GSME shall keep UTC Date-Time.", "Old."])}
    )
    assert check(official, revisions=revisions) == [
        (DiscrepancyKind.MISSING, "4.4.6", "IRP2", 1, "", "Old.")
    ]


def test_an_edit_no_irp_made_is_unexplained_with_before_and_after():
    edit = "GSME shall keep UTC Date-Time to within 10 seconds."
    official = edited(IRP_TEXT, **{"4.4.6": ("4.4.6", "Clock", [edit])})
    assert check(official) == [
        (
            DiscrepancyKind.UNEXPLAINED,
            "4.4.6",
            None,
            None,
            "GSME shall keep UTC Date-Time.",
            edit,
        )
    ]


def test_a_change_made_and_edited_further_is_unexplained_not_missing():
    further = LOG.replace("physical access", "physical access through the Secure Perimeter")
    official = edited(IRP_TEXT, **{"4.4.5": ("4.4.5", "User Interface", [further, NEW_PARAGRAPH])})
    assert check(official) == [(DiscrepancyKind.UNEXPLAINED, "4.4.5", None, None, LOG, further)]


def test_a_missing_change_with_another_edit_in_its_place_is_both():
    other = WAS.replace("displaying", "showing")
    official = edited(IRP_TEXT, **{"4.4.5": ("4.4.5", "User Interface", [other, NEW_PARAGRAPH])})
    assert [row[0] for row in check(official)] == [
        DiscrepancyKind.MISSING,
        DiscrepancyKind.UNEXPLAINED,
    ]


def test_clauses_added_removed_and_renumbered():
    official = edited(IRP_TEXT, **{"4.4.6": None})
    official.append(("4.4.8", "Tariffs", ["GSME shall apply the Tariff Register."]))
    official[1] = ("4.4.5A", *official[1][1:])
    found = check(official)
    assert [(kind, clause) for kind, clause, *_ in found] == [
        (DiscrepancyKind.HEADING, "4.4.5A"),
        (DiscrepancyKind.CLAUSE_ADDED, "4.4.8"),
        (DiscrepancyKind.CLAUSE_REMOVED, "4.4.6"),
    ]
    assert found[0][4:] == ("4.4.5 User Interface", "4.4.5A User Interface")


def test_a_removed_clause_lists_the_changes_made_in_it():
    official = edited(IRP_TEXT, **{"4.4.5": None})
    found = check(official)
    assert [(kind, irp, change) for kind, _, irp, change, *_ in found] == [
        (DiscrepancyKind.CLAUSE_REMOVED, None, None),
        (DiscrepancyKind.MISSING, "IRP1", 1),
        (DiscrepancyKind.MISSING, "IRP1", 2),
    ]


def _structural(change: int, clause: str, action: Action, **fields) -> Revision:
    return Revision("IRP2", change, "SMETS", clause, action=action, **fields)


def test_a_clause_an_irp_inserted_and_the_edition_lacks_is_missing():
    amended = [*IRP_TEXT, ("4.4.7", "Tariffs", ["GSME shall apply tariffs."])]
    inserted = _structural(
        1,
        "4.4.7",
        Action.INSERT_CLAUSE,
        after=[RevisionLine(("GSME shall apply tariffs.",))],
        title_after="Tariffs",
    )
    found = check(IRP_TEXT, amended, [*REVISIONS, inserted])
    assert [(kind, clause, irp, change) for kind, clause, irp, change, *_ in found] == [
        (DiscrepancyKind.CLAUSE_REMOVED, "4.4.7", None, None),
        (DiscrepancyKind.MISSING, "4.4.7", "IRP2", 1),
    ]


def test_a_clause_an_irp_deleted_and_the_edition_still_has_is_missing():
    amended = edited(IRP_TEXT, **{"4.4.6": None})
    deleted = _structural(
        1,
        "4.4.6",
        Action.DELETE_CLAUSE,
        before=[RevisionLine(("GSME shall keep UTC Date-Time.",))],
        title_before="Clock",
    )
    found = check(IRP_TEXT, amended, [*REVISIONS, deleted])
    assert [(kind, clause, irp, change) for kind, clause, irp, change, *_ in found] == [
        (DiscrepancyKind.CLAUSE_ADDED, "4.4.6", None, None),
        (DiscrepancyKind.MISSING, "4.4.6", "IRP2", 1),
    ]


def test_a_withdrawal_the_edition_lacks_is_missing():
    amended = edited(IRP_TEXT, **{"4.4.6": ("4.4.6", "Clock", ["Not used"])})
    withdrawn = _structural(
        1,
        "4.4.6",
        Action.WITHDRAW_CLAUSE,
        before=[RevisionLine(("GSME shall keep UTC Date-Time.",))],
        after=[RevisionLine(("Not used",))],
    )
    found = check(IRP_TEXT, amended, [*REVISIONS, withdrawn])
    assert [(kind, irp, change) for kind, _, irp, change, *_ in found] == [
        (DiscrepancyKind.MISSING, "IRP2", 1)
    ]


def test_a_renaming_or_renumbering_the_edition_lacks_is_missing():
    amended = [
        IRP_TEXT[0],
        ("4.4.5", "Display", IRP_TEXT[1][2]),
        ("4.4.9", "Clock", IRP_TEXT[2][2]),
    ]
    renamed = _structural(
        1, "4.4.5", Action.AMEND, title_before="User Interface", title_after="Display"
    )
    renumbered = _structural(2, "4.4.9", Action.RENUMBER_CLAUSE, number_before="4.4.6")
    found = check(IRP_TEXT, amended, [*REVISIONS, renamed, renumbered])
    assert [(kind, clause, irp, change) for kind, clause, irp, change, *_ in found] == [
        (DiscrepancyKind.MISSING, "4.4.5", "IRP2", 1),
        (DiscrepancyKind.MISSING, "4.4.6", "IRP2", 2),
    ]


def test_a_heading_no_irp_changed_is_a_heading_discrepancy():
    official = edited(IRP_TEXT, **{"4.4.6": ("4.4.6", "Time", IRP_TEXT[2][2])})
    found = check(official)
    assert [(kind, irp) for kind, _, irp, *_ in found] == [(DiscrepancyKind.HEADING, None)]


def test_a_glossary_term_an_irp_added_and_the_edition_lacks_is_missing():
    term = GlossaryEntry("GSME Security Log", "The Security Log of a GSME.")
    kept = GlossaryEntry("GSME", "Gas Smart Metering Equipment.")
    revisions = [
        _revision(
            "IRP1",
            6,
            "SMETS",
            "Glossary",
            [f"{kept.term}\t{kept.definition}"],
            [f"{kept.term}\t{kept.definition}", f"{term.term}\t{term.definition}"],
        )
    ]
    found = check(IRP_TEXT, revisions=revisions, glossaries=([kept, term], [kept]))
    assert found == [
        (
            DiscrepancyKind.MISSING,
            "Glossary",
            "IRP1",
            6,
            "GSME Security Log\tThe Security Log of a GSME.",
            "",
        )
    ]


def test_revisions_of_other_documents_are_not_checked():
    revisions = [_revision("IRP1", 5, "CHTS", "4.4.5", ["x"], ["y"])]
    assert check(IRP_TEXT, revisions=revisions) == []


def test_base_fixture_is_clean_against_itself():
    assert check(BASE, BASE, []) == []
