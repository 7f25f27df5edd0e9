"""The JSON form of an amendment: a line is one string, its cells joined by a tab."""

from __future__ import annotations

from spectrace.model import Document, Revision, RevisionLine
from spectrace.model.revision import Amendment
from spectrace.writers.json import amendment_to_dict


def test_a_table_row_is_its_cells_joined_by_a_tab_and_glossary_lines_are_entries():
    row = RevisionLine(("Log capacity", "", "100 entries"))
    revisions = [
        Revision("IRP1", 1, "SMETS", "4.6", [RevisionLine(("Text.",)), row],
                 [RevisionLine(("Text.",)), RevisionLine(("Log capacity", "[INFO]", "200"))]),
        Revision("IRP1", 2, "SMETS", "Glossary",
                 [RevisionLine(("Alert", "A message.")), RevisionLine(("Old", "Gone."))],
                 [RevisionLine(("Alert", "A Meter message.")), RevisionLine(("New", "Added."))]),
    ]  # fmt: skip
    data = amendment_to_dict(Amendment([Document("SMETS", "4.2+IRP1")], revisions))
    assert data["clauses"] == [
        {
            "document": "SMETS",
            "number": "4.6",
            "before": ["Text.", "Log capacity\t\t100 entries"],
            "after": ["Text.", "Log capacity\t[INFO]\t200"],
        }
    ]
    assert data["glossary_added"] == [{"document": "SMETS", "term": "New", "definition": "Added."}]
    assert data["glossary_changed"] == [
        {"document": "SMETS", "term": "Alert", "before": "A message.", "after": "A Meter message."}
    ]
    assert data["glossary_removed"] == [{"document": "SMETS", "term": "Old", "definition": "Gone."}]


def _picture_proposals():
    """IRP1: change 1 read from a picture (0.87), change 2 typed; IRP2: change 1 typed,
    change 2 read from a picture whose confidence is not known."""
    from spectrace.model import Change, Proposal
    from spectrace.model.proposal import PICTURE

    return [
        Proposal("IRP1", changes=[
            Change(1, "", None, source=PICTURE, confidence=0.87, corrections="'a' -> 'A'"),
            Change(2, "", None),
        ]),
        Proposal("IRP2", changes=[Change(1, "", None), Change(2, "", None, source=PICTURE)]),
    ]  # fmt: skip


def test_revisions_and_problems_say_which_changes_were_read_from_pictures():
    from spectrace.model.revision import refused

    revisions = [
        Revision(irp, change, "SMETS", "4.6", [RevisionLine(("a",))], [RevisionLine(("A",))])
        for irp, change in (("IRP1", 1), ("IRP1", 2), ("IRP2", 1))
    ]
    problems = [
        refused("unverified", "IRP2", 2, "SMETS 4.7", "read from a picture and not verified"),
        refused("conflict", "IRP1", 3, "SMETS 4.8", "conflicts"),  # a change no proposal has
    ]
    amendment = Amendment([Document("SMETS", "4.2+IRP1+IRP2")], revisions, problems)
    data = amendment_to_dict(amendment, _picture_proposals())
    origins = [(r["irp"], r["change"], r["source"], r["confidence"]) for r in data["revisions"]]
    assert origins == [
        ("IRP1", 1, "picture", 0.87),
        ("IRP1", 2, None, None),
        ("IRP2", 1, None, None),  # the same number as IRP1's picture change, another IRP
    ]
    assert [(p["source"], p["confidence"]) for p in data["problems"]] == [
        ("picture", None),
        (None, None),
    ]


def test_without_the_proposals_no_change_is_taken_for_a_picture():
    revisions = [Revision("IRP1", 1, "SMETS", "4.6", [], [RevisionLine(("A",))])]
    data = amendment_to_dict(Amendment([Document("SMETS", "4.2+IRP1")], revisions))
    assert (data["revisions"][0]["source"], data["revisions"][0]["confidence"]) == (None, None)
