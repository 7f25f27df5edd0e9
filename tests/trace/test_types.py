"""The small types tracing passes instead of strings: a row's changes, test outcomes, link kinds,
and the retired statement a tracing problem is about. Each writes exactly the text the matrix
files, the site and the commands have always shown."""

from __future__ import annotations

import pytest

from spectrace.trace.html import complete_row, irps, render_row, row_attributes
from spectrace.trace.model import Action, ChangeRef, Row
from spectrace.trace.report import csv_record

ADDED = ChangeRef("IRP603", 3, Action.ADDED)
CHANGED = ChangeRef("IRP604", 12, Action.CHANGED)


def test_a_change_is_written_as_the_matrix_files_have_always_written_it():
    assert str(ADDED) == "IRP603 change 3 (added)"
    assert str(CHANGED) == "IRP604 change 12 (changed)"
    assert ADDED.target == "IRP603#3"  # what an :irp: role names


@pytest.mark.parametrize("change", [ADDED, CHANGED, ChangeRef("IRP_9-b", 0, Action.REMOVED)])
def test_a_change_read_back_from_its_text_is_the_same_change(change):
    assert ChangeRef.parse(str(change)) == change


@pytest.mark.parametrize(
    "text",
    [
        "",
        "IRP603",
        "IRP603 change 3",
        "IRP603 change 03 (added)",  # not how a change is written
        "IRP603 change 3 (retired)",
        "IRP603 change 3 (added) ",
        " IRP603 change 3 (added)",
        "IRP603  change 3 (added)",
        "603 change 3 (added)",  # not an IRP number
        "IRP603 change -1 (added)",
        "IRP603 change 3 (added)\n",
    ],
)
def test_text_that_writes_no_change_is_refused(text):
    assert ChangeRef.parse(text) is None


def test_a_row_writes_its_changes_as_text_in_json_and_csv():
    row = Row("SMETS 4.2+IRP603", "SMETS", "SMETS-1-1", "1", "shall", "Text.")
    row.changed_by = [ADDED, CHANGED]
    assert row.as_dict()["changed_by"] == ["IRP603 change 3 (added)", "IRP604 change 12 (changed)"]
    assert "IRP603 change 3 (added); IRP604 change 12 (changed)" in csv_record(row)


def test_matrix_data_read_from_a_file_gives_its_changes_and_keeps_other_text_as_it_is():
    data = {"statement": "SMETS-1-1", "changed_by": ["IRP603 change 3 (added)", "see <IRP9>", 7]}
    row = complete_row(data)
    assert row["changed_by"] == [ADDED, "see <IRP9>", "7"]
    assert irps(data["changed_by"]) == irps(row["changed_by"]) == ["IRP603"]
    assert row_attributes(row)["irps"] == "IRP603"
    html = str(render_row(row, None, ["irps/IRP603.html#IRP603-change-3", None]))
    assert (
        '<a class="spectrace-ref spectrace-irp" href="irps/IRP603.html#IRP603-change-3">'
        "IRP603 change 3 (added)</a><br>"
        '<span class="spectrace-change-ref">see &lt;IRP9&gt;</span><br>'
        '<span class="spectrace-change-ref">7</span>'
    ) in html


def test_the_irps_of_a_row_are_each_named_once_in_order():
    assert irps([CHANGED, ADDED, ChangeRef("IRP604", 1, Action.ADDED)]) == ["IRP604", "IRP603"]
