"""The one word diff that the redline, the change-marked HTML and the Word redline share."""

from __future__ import annotations

from spectrace.model.marks import Mark
from spectrace.model.proposal import Op
from spectrace.model.revision import RevisionLine
from spectrace.transforms.diff import aligned_lines, word_marks


def test_words_are_kept_deleted_and_inserted_in_reading_order():
    marks = word_marks("ESME shall not provide".split(), "ESME shall never provide it".split())
    assert marks == [
        Mark("ESME"),
        Mark("shall"),
        Mark("not", Op.DELETE),
        Mark("never", Op.INSERT),
        Mark("provide"),
        Mark("it", Op.INSERT),
    ]


def test_lines_pair_an_edited_line_with_the_one_it_resembles_and_leave_the_rest_alone():
    before = [RevisionLine((text,)) for text in ["a b c d", "removed line here", "same"]]
    after = [RevisionLine((text,)) for text in ["a b c e", "brand new words", "same"]]
    assert list(aligned_lines(before, after)) == [
        (0, 0, False),
        (1, None, False),
        (None, 1, False),
        (2, 2, True),
    ]


def test_a_row_is_matched_as_one_run_of_words_across_its_cells():
    """The last word of a cell and the first of the next count as one word (as when a row was
    its cells joined by a tab): a row of one-word cells with a cell changed is replaced, a row
    of longer cells with a word changed is edited."""
    short = [RevisionLine(("Yes", "No", "Maybe"))], [RevisionLine(("Yes", "No", "Never"))]
    assert list(aligned_lines(*short)) == [(0, None, False), (None, 0, False)]
    long = (
        [RevisionLine(("Log size", "[INFO]", "Entries held now"))],
        [RevisionLine(("Log size", "[INFO]", "Entries kept now"))],
    )
    assert list(aligned_lines(*long)) == [(0, 0, False)]
