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
