"""The one conflict rule between proposals (docs/proposals.rst, "Conflicts between proposals").

Two changes of different proposals conflict when no unchanged word stands between them: they
touch the same word, insert at the same gap, or one changes text right next to text the other
changed. The rule must not depend on which proposal comes first: only which change is refused.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spectrace.model import Block, BlockKind, Clause, Document, Proposal
from spectrace.readers.rst.irp import read_rst_irp
from spectrace.transforms.amend import amend
from spectrace.transforms.statements import analyse, segment

SENTENCE = (
    "GSME shall be capable of displaying the Security Log (4.6.5.17) on its User Interface "
    "following physical access through the Secure Perimeter of GSME."
)


def smets(*paragraphs: str) -> Document:
    doc = Document(
        "SMETS",
        "4.2",
        clauses=[
            Clause(
                "4.4.5",
                "Display of information",
                3,
                [Block(BlockKind.PARAGRAPH, p) for p in paragraphs or (SENTENCE,)],
            )
        ],
    )
    segment(doc)
    analyse(doc)
    return doc


def irp(folder: Path, number: str, *markups: str) -> Proposal:
    """Write an IRP-as-code source with one change per mark-up to SMETS 4.4.5; read it back."""
    changes = "\n".join(
        f".. spec:change:: {index}\n"
        "   :target: SMETS 4.4.5\n"
        "   :instruction: At SMETS 4.4.5 amend the text as shown in the following mark-up:\n"
        "   :run-on: before after\n\n"
        f"   {text}\n"
        for index, text in enumerate(markups, 1)
    )
    path = folder / f"{number}.rst"
    path.write_text(
        f".. spec:proposal:: {number}\n"
        f"   :title: {number} for testing\n\n"
        "Required Changes to Documentation\n"
        "=================================\n\n"
        f"{changes}",
        encoding="utf-8",
    )
    return read_rst_irp(path)


def outcome(first: Proposal, second: Proposal) -> tuple[list[tuple[str, int, str]], str]:
    result = amend([smets()], [first, second])
    problems = [(p.irp, p.change, p.kind) for p in result.problems]
    clause = result.documents[0].clause("4.4.5")
    assert clause is not None
    return problems, clause.blocks[0].text


ONLY = "User Interface :ins:`only` following physical"


class TestTheReportedAsymmetry:
    """issue 12: inserting next to a word an earlier IRP inserted was refused in one case and
    silently applied in the mirror case."""

    def test_inserting_right_after_an_inserted_word_is_refused(self, tmp_path):
        first = irp(tmp_path, "IRP603", ONLY)
        later = irp(tmp_path, "IRP700", "Interface only :ins:`ever` following")
        problems, text = outcome(first, later)
        assert problems == [("IRP700", 1, "conflict")]
        assert "User Interface only following physical" in text

    def test_replacing_the_word_right_after_an_inserted_word_is_refused(self, tmp_path):
        first = irp(tmp_path, "IRP603", ONLY)
        later = irp(tmp_path, "IRP700", "Interface only :del:`following` :ins:`after` physical")
        problems, text = outcome(first, later)
        assert problems == [("IRP700", 1, "conflict")]
        assert "User Interface only following physical" in text

    @pytest.mark.parametrize(
        "markup",
        [
            pytest.param("Interface :del:`following` :ins:`after` physical", id="next-to-it"),
            pytest.param(
                "User Interface following physical access through the Secure Perimeter of "
                ":del:`GSME` :ins:`the meter`.",
                id="far-from-it",
            ),
        ],
    )
    def test_the_verdict_does_not_depend_on_the_order(self, tmp_path, markup):
        one = irp(tmp_path, "IRP603", ONLY)
        other = irp(tmp_path, "IRP700", markup)
        forward, _ = outcome(one, other)
        backward, _ = outcome(other, one)
        assert [kind for _, _, kind in forward] == [kind for _, _, kind in backward]
