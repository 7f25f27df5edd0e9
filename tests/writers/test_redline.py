"""The redline: word-level marks inside edited lines, whole-line marks for added and removed."""

from __future__ import annotations

from spectrace.model.revision import RevisionLine
from spectrace.writers.redline import redline, words


def _lines(*texts: str) -> list[RevisionLine]:
    return [RevisionLine((text,)) for text in texts]


def test_words_inserted_deleted_and_replaced_are_marked_in_place():
    assert words(
        "on its User Interface following access", "on its User Interface only following access"
    ) == ("on its User Interface {+only+} following access")
    assert words("providing the data annotated", "providing the Data annotated") == (
        "providing the [-data-] {+Data+} annotated"
    )


def test_a_removed_list_item_shows_as_removed_not_as_edits_to_the_items_after_it():
    before = _lines(
        "i. the Currency Units;",
        "ii. the Debt Recovery Rates; and",
        "iii. the Meter Balance.",
    )
    after = _lines("i. the Currency Units; and", "ii. the Meter Balance.")
    assert redline(before, after) == [
        "i. the Currency Units; {+and+}",
        "[-ii. the Debt Recovery Rates; and-]",
        "[-iii.-] {+ii.+} the Meter Balance.",
    ]


def test_added_lines_and_unchanged_lines():
    assert redline(_lines("one two", "three"), _lines("one two", "three", "four five")) == [
        "one two",
        "three",
        "{+four five+}",
    ]


def test_colour_on_a_terminal():
    line = redline(_lines("a b"), _lines("a c"), colour=True)[0]
    assert "\x1b[9;31mb\x1b[0m" in line and "\x1b[4;32mc\x1b[0m" in line


def test_a_row_prints_its_cells_separated_by_a_tab():
    before = [RevisionLine(("UTC identifier", "[INFO]", "The period")), RevisionLine(("A", "b"))]
    after = [RevisionLine(("UTC identifier", "[CONFIG]", "The period"))]
    assert redline(before, after) == [
        "UTC [-identifier\t[INFO]\tThe-] {+identifier\t[CONFIG]\tThe+} period",
        "[-A\tb-]",
    ]
