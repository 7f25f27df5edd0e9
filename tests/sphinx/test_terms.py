"""Term linking's pattern: any of the terms, the longest that fits first."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from spectrace.sphinx.terms import longest_first

WORDS = st.text(alphabet="ab -’s", min_size=1, max_size=6)


@given(keys=st.sets(WORDS, min_size=1, max_size=12), text=st.text(alphabet="ab -’sx.", max_size=40))
def test_the_prefix_tree_matches_what_the_plain_alternation_matches(keys, text):
    bounded = r"(?<![\w-])({})(?![\w-])"
    plain = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
    expected = [(m.start(), m.group(1)) for m in re.finditer(bounded.format(plain), text)]
    found = [
        (m.start(), m.group(1)) for m in re.finditer(bounded.format(longest_first(keys)), text)
    ]
    assert found == expected


def test_the_longest_term_that_fits_wins():
    pattern = re.compile(
        r"(?<![\w-])(" + longest_first(["Log", "Logs", "Log Entry"]) + r")(?![\w-])"
    )
    assert [m.group(1) for m in pattern.finditer("Logs, a Log Entry, a Log-in, a Log.")] == [
        "Logs",
        "Log Entry",
        "Log",
    ]
