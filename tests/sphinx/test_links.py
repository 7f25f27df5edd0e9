"""Cross-references in statement text become links to clauses that exist (site/links.py)."""

from __future__ import annotations

import pytest

from spectrace.model import Clause, Document
from spectrace.site.links import Linker


def linker(*numbers: str) -> Linker:
    document = Document("SMETS", "4.2", clauses=[Clause(n, f"Clause {n}", 1) for n in numbers])
    return Linker(document, {"SMETS": ("4.2", set(numbers)), "CHTS": ("1.3", {"4.6.3.5"})})


@pytest.mark.parametrize(
    ("text", "refs", "rst"),
    [
        (
            "as set out in Section 4.6.4.9A.",
            ["4.6.4.9A"],
            "as set out in Section :clause:`4.6.4.9A`.",
        ),
        (
            "the Security Log (5.7.5.31) on display",
            ["5.7.5.31"],
            "the Security Log (:clause:`5.7.5.31`) on display",
        ),
        (
            "see Section 4.6.4.9A and 4.6.4.9",
            ["4.6.4.9A", "4.6.4.9"],
            "see Section :clause:`4.6.4.9A` and :clause:`4.6.4.9`",
        ),
    ],
)
def test_a_reference_to_an_existing_clause_links_suffixed_numbers_too(text, refs, rst):
    assert linker("4.6.4.9", "4.6.4.9A", "5.7.5.31").text(text, refs) == rst


@pytest.mark.parametrize(
    ("text", "refs"),
    [
        ("4.6.4.9Apple is no clause", []),
        ("Section 4.6.4.9B does not exist", ["4.6.4.9B"]),
    ],
)
def test_a_number_that_is_no_existing_clause_stays_text(text, refs):
    rst = linker("4.6.4.9", "4.6.4.9A").text(text, refs)
    assert ":clause:" not in rst
