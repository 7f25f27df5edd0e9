"""The one conflict rule between proposals (docs/proposals.rst, "Conflicts between proposals").

Two changes of different proposals conflict when no unchanged word stands between them: they
touch the same word, insert at the same gap, or one changes text right next to text the other
changed. The rule must not depend on which proposal comes first: only which change is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from spectrace.model import (
    Block,
    BlockKind,
    Change,
    Clause,
    Document,
    GlossaryEntry,
    MarkupBlock,
    MarkupKind,
    Op,
    Problem,
    Proposal,
    Span,
    Target,
)
from spectrace.model.proposal import normalize_spans
from spectrace.model.revision import Amendment
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
    problems = [(p.location.irp, p.location.change, p.code) for p in result.problems]
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


# -- the rule, case by case --------------------------------------------------------------------
#
# Each case is two changes, each of its own proposal, run in both orders. A mark-up line is
# written ``keep [-deleted-] {+inserted+}``; ``| a | b |`` is a table row.

PARAGRAPH = "GSME shall display the Security Log on its User Interface after physical access."
CLAUSES: dict[str, list] = {
    "1.1": [PARAGRAPH, "ESME shall record each event.", "The log holds one hundred entries."],
    "1.2": [
        ["Event", "Code", "Action"],
        ["Low battery", "0x01", "Log it"],
        ["Tamper", "0x02", "Alert the supplier"],
    ],
}
GLOSSARY = [
    ("Alert", "A message from a Device."),
    ("Gas Proxy Function", "Part of the Communications Hub."),
    ("Sensitive Event", "An event that may indicate an attack."),
]
_MARK = re.compile(r"\[-(.*?)-\]|\{\+(.*?)\+\}")


def spans(text: str) -> list[Span]:
    found, position = [], 0
    for match in _MARK.finditer(text):
        found.append(Span(text[position : match.start()]))
        op = Op.DELETE if match[1] is not None else Op.INSERT
        found.append(Span(match[1] if match[1] is not None else match[2], op))
        position = match.end()
    found.append(Span(text[position:]))
    return normalize_spans(found)


def markup(line: str) -> MarkupBlock:
    if line.startswith("|"):
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        return MarkupBlock(MarkupKind.TABLE_ROW, cells=[spans(cell) for cell in cells])
    return MarkupBlock(MarkupKind.PARAGRAPH, spans(line))


def proposal(irp: str, target: str, *lines: str) -> Proposal:
    """Return ``irp`` with one change (numbered after the IRP) to ``target`` ("SMETS 1.1",
    "SMETS Glossary"), whose excerpt runs on from and into existing text."""
    document, clause = target.split(" ")
    change = Change(
        int(irp[3:]),
        f"At {target} amend the text as shown in the following mark-up:",
        Target(document, None if clause == "Glossary" else clause),
        run_on_before=True,
        run_on_after=True,
        markup=[markup(line) for line in lines],
    )
    return Proposal(irp, title=f"{irp} for testing", changes=[change])


def base() -> Document:
    blocks = {
        number: [
            Block(BlockKind.TABLE, "", rows=[list(r) for r in lines], header_rows=1)
            if isinstance(lines[0], list)
            else Block(BlockKind.PARAGRAPH, line)
            for line in ([lines] if isinstance(lines[0], list) else lines)
        ]
        for number, lines in CLAUSES.items()
    }
    doc = Document(
        "SMETS",
        "4.2",
        clauses=[Clause(n, f"Clause {n}", 2, b) for n, b in blocks.items()],
        glossary=[GlossaryEntry(term, definition) for term, definition in GLOSSARY],
        glossary_clause="9",
    )
    segment(doc)
    analyse(doc)
    return doc


def text(result: Amendment) -> list[str]:
    """Every line of the amended document: clause blocks (table rows by cell) and entries."""
    (doc,) = result.documents
    found = []
    for clause in doc.clauses:
        for block in clause.blocks:
            rows = block.rows if block.kind is BlockKind.TABLE else [[block.text]]
            found += [f"{clause.number}: " + " | ".join(row) for row in rows]
    return found + [f"{e.term}: {e.definition}" for e in doc.glossary]


P, T, G = "SMETS 1.1", "SMETS 1.2", "SMETS Glossary"
CONFLICTING = [
    # the same word
    ("same-word", (P, "the [-Security-]{+Audit+} Log"), (P, "the [-Security-]{+Event+} Log")),
    ("same-word-deleted", (P, "the [-Security-] Log"), (P, "[-Security-]{+Audit+} Log on")),
    ("overlapping-runs", (P, "the [-Security Log-] on"), (P, "Security [-Log on-]{+Record in+}")),
    # the same gap
    ("same-gap", (P, "Interface {+only+} after"), (P, "User Interface {+solely+} after")),
    ("same-change", (P, "Interface {+only+} after"), (P, "Interface {+only+} after")),
    (
        "inside-a-deleted-run",
        (P, "its [-User Interface-] after"),
        (P, "User {+Display+} Interface"),
    ),
    # right next to text the other inserted or deleted
    ("right-of-inserted", (P, "Interface {+only+} after"), (P, "Interface [-after-]{+once+}")),
    ("left-of-inserted", (P, "Interface {+only+} after"), (P, "User [-Interface-]{+Display+}")),
    (
        "replaced-side-by-side",
        (P, "the [-Security-]{+Audit+} Log"),
        (P, "Security [-Log-]{+File+}"),
    ),
    (
        "inserted-before-deleted",
        (P, "Interface [-after-] physical"),
        (P, "Interface {+only+} after"),
    ),
    (
        "inserted-after-deleted",
        (P, "Interface [-after-] physical"),
        (P, "after {+direct+} physical"),
    ),
    ("deleted-side-by-side", (P, "the [-Security-] Log"), (P, "Security [-Log-] on")),
    # paragraphs and rows: a clause's units are the items
    ("paragraphs-same-gap", (P, "access.", "{+First.+}"), (P, "access.", "{+Second.+}", "ESME")),
    (
        "paragraph-next-to-removed",
        (P, "[-ESME shall record each event.-]"),
        (P, "ESME shall record each event.", "{+New.+}"),
    ),
    (
        "words-of-removed-paragraph",
        (P, "[-ESME shall record each event.-]"),
        (P, "shall record [-each-]{+every+} event"),
    ),
    (
        "paragraphs-removed-side-by-side",
        (P, "[-ESME shall record each event.-]"),
        (P, "[-The log holds one hundred entries.-]"),
    ),
    (
        "one-cell",
        (T, "| Tamper | 0x02 | Alert the [-supplier-]{+DCC+} |"),
        (T, "| Tamper | 0x02 | Alert [-the-]{+a+} supplier |"),
    ),
    (
        "rows-same-gap",
        (T, "| Low battery | 0x01 | Log it |", "| {+Reset+} | {+0x03+} | {+Log it+} |"),
        (T, "| Low battery | 0x01 | Log it |", "| {+Power loss+} | {+0x04+} | {+Alert+} |"),
    ),
    # glossary entries: each entry is one item
    (
        "entry-amended-twice",
        (G, "| Alert | A message [-from-]{+sent by+} a Device. |"),
        (G, "| Alert | A message from a [-Device-]{+Meter+}. |"),
    ),
    (
        "entry-amended-and-deleted",
        (G, "| Alert | A message [-from-]{+sent by+} a Device. |"),
        (G, "| [-Alert-] | [-A message from a Device.-] |"),
    ),
    ("term-added-twice", (G, "| {+Zone+} | {+An area.+} |"), (G, "| {+Zone+} | {+A region.+} |")),
    (
        "renamed-onto-added",
        (G, "| {+Event Log+} | {+A log.+} |"),
        (G, "| [-Alert-]{+Event Log+} | A message from a Device. |"),
    ),
]
DISJOINT = [
    ("word-between-replaced", (P, "the [-Security-]{+Audit+} Log"), (P, "Log [-on-]{+in+} its")),
    ("word-between-inserted", (P, "its {+own+} User"), (P, "User {+Display+} Interface")),
    ("word-between-deleted-and-inserted", (P, "the [-Security-] Log"), (P, "Log {+Event+} on")),
    (
        "far-apart-quoting-each-other",
        (P, "User Interface {+only+} after physical"),
        (P, "[-GSME-]{+The meter+} shall display the Security Log on its User Interface after"),
    ),
    (
        "paragraph-next-to-changed-words",
        (P, "physical [-access-]{+entry+}."),
        (P, "access.", "{+New.+}", "ESME"),
    ),
    (
        "paragraph-between-removed",
        (P, f"[-{PARAGRAPH}-]"),
        (P, "[-The log holds one hundred entries.-]"),
    ),
    (
        "cells-of-one-row",
        (T, "| Tamper | [-0x02-]{+0x12+} | Alert the supplier |"),
        (T, "| Tamper | 0x02 | Alert the [-supplier-]{+network operator+} |"),
    ),
    (
        "word-between-in-a-cell",
        (T, "| Tamper | 0x02 | Alert the [-supplier-]{+DCC+} |"),
        (T, "| Tamper | 0x02 | [-Alert-]{+Warn+} the supplier |"),
    ),
    (
        "different-entries",
        (G, "| Alert | A message [-from-]{+sent by+} a Device. |"),
        (G, "| Gas Proxy Function | Part of the [-Communications Hub-]{+CH+}. |"),
    ),
    (
        "terms-added-side-by-side",
        (G, "| {+Zebra+} | {+A crossing.+} |"),
        (G, "| {+Zone+} | {+An area.+} |"),
    ),
    (
        "entry-quoted-as-context",
        (G, "| Alert | A message [-from-]{+sent by+} a Device. |"),
        (G, "| Alert | A message from a Device. |", "| {+Alarm+} | {+A sound.+} |"),
    ),
]


def both_orders(one: tuple[str, ...], other: tuple[str, ...]):
    first, second = proposal("IRP1", *one), proposal("IRP2", *other)
    return (first, second, amend([base()], [first, second])), (
        second,
        first,
        amend([base()], [second, first]),
    )


@pytest.mark.parametrize(
    ("one", "other"), [c[1:] for c in CONFLICTING], ids=[c[0] for c in CONFLICTING]
)
def test_changes_with_no_unchanged_word_between_them_conflict(one, other):
    for first, second, result in both_orders(one, other):
        problem = only(result)
        assert (problem.location.irp, problem.location.change, problem.code) == (
            second.irp,
            second.changes[0].number,
            "conflict",
        )
        assert problem.message.startswith(
            f"conflicts with {first.irp} change {first.changes[0].number}, which already changed "
        )
        assert text(result) == text(amend([base()], [first]))


@pytest.mark.parametrize(("one", "other"), [c[1:] for c in DISJOINT], ids=[c[0] for c in DISJOINT])
def test_changes_with_an_unchanged_word_between_them_both_apply(one, other):
    (first, second, forward), (_, _, backward) = both_orders(one, other)
    assert forward.problems == backward.problems == []
    assert text(forward) == text(backward)
    for alone in (first, second):
        assert text(forward) != text(amend([base()], [alone]))


def test_both_changes_are_made_where_they_reach():
    (_, _, result), _ = both_orders(
        *next(c[1:] for c in DISJOINT if c[0] == "far-apart-quoting-each-other")
    )
    assert text(result)[0] == (
        "1.1: The meter shall display the Security Log on its User Interface only after "
        "physical access."
    )


def only(result: Amendment) -> Problem:
    (problem,) = result.problems
    return problem


# -- the rule as a property: random clauses, random pairs of changes, both orders ---------------
#
# A clause of one or two paragraphs of distinct words; two changes, each of its own proposal,
# each inserting at a gap or deleting or replacing a run of one to three words of a paragraph,
# quoting from none to all of the words around it, or removing a whole paragraph. No word is
# the start of another, so every excerpt is found once, where it was drawn, and the model below
# is exact: it says where each change reaches, in the words of its paragraph or, for a removed
# paragraph, also among the clause's paragraphs.

WORDS = (
    "alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo lima mike november "
    "oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu"
).split()
#: Words each proposal inserts: never in the clause, never the other proposal's.
FRESH = {"IRP1": ["amber", "black"], "IRP2": ["olive", "pink"]}
_ALL = [*WORDS, *FRESH["IRP1"], *FRESH["IRP2"]]
assert not any(a != b and b.startswith(a) for a in _ALL for b in _ALL), "one word starts another"


@dataclass(frozen=True)
class Edit:
    """Replace words ``first..end-1`` of paragraph ``paragraph`` with ``new`` (``first ==
    end``: insert at that gap), quoting ``left`` words before and ``right`` words after; or,
    ``removes``, remove the paragraph (a mark-up that is the whole paragraph, deleted)."""

    paragraph: int
    first: int
    end: int
    new: tuple[str, ...] = ()
    left: int = 0
    right: int = 0
    removes: bool = False

    def conflicts(self, other: Edit) -> bool:
        """The rule in the model's terms: no unchanged word (or paragraph) between them."""
        if self.paragraph == other.paragraph:
            return max(self.first, other.first) <= min(self.end, other.end)
        return self.removes and other.removes and abs(self.paragraph - other.paragraph) == 1

    def apply(self, paragraphs: list[list[str]]) -> list[list[str]]:
        """Return the paragraphs after the edit; a removed paragraph keeps its place, empty,
        so that the other edit's paragraph number still holds."""
        words = paragraphs[self.paragraph]
        changed = [*words[: self.first], *self.new, *words[self.end :]]
        return [changed if k == self.paragraph else p for k, p in enumerate(paragraphs)]

    def change(self, paragraphs: list[list[str]]) -> Change:
        words = paragraphs[self.paragraph]
        start, stop = self.first - self.left, self.end + self.right
        found = [
            Span(" ".join(words[start : self.first]) + " "),
            Span(" ".join(words[self.first : self.end]) + " ", Op.DELETE),
            Span(" ".join(self.new) + " ", Op.INSERT),
            Span(" ".join(words[self.end : stop])),
        ]
        return Change(
            1,
            "At SMETS 1.1 amend the text as shown in the following mark-up:",
            Target("SMETS", "1.1"),
            run_on_before=start > 0 or self.paragraph > 0,
            run_on_after=stop < len(words) or self.paragraph < len(paragraphs) - 1,
            markup=[MarkupBlock(MarkupKind.PARAGRAPH, normalize_spans(found))],
        )


@st.composite
def edits(draw, paragraphs: list[list[str]], irp: str) -> Edit:
    paragraph = draw(st.integers(0, len(paragraphs) - 1))
    size = len(paragraphs[paragraph])
    kind = draw(st.sampled_from(["insert", "delete", "replace", "remove"]))
    if kind == "remove":
        return Edit(paragraph, 0, size, removes=True)
    if kind == "insert":
        first = end = draw(st.integers(0, size))
    else:
        first = draw(st.integers(0, size - 1))
        end = draw(st.integers(first + 1, min(size, first + 3)))
    new = () if kind == "delete" else tuple(FRESH[irp][: draw(st.integers(1, 2))])
    left, right = draw(st.integers(0, first)), draw(st.integers(0, size - end))
    if not (left or right or new or first or end < size):  # all of it, deleted: a removal
        return Edit(paragraph, 0, size, removes=True)
    if kind == "insert" and not left + right:  # an insertion is placed by the words around it
        left, right = (1, 0) if first else (0, 1)
    return Edit(paragraph, first, end, new, left, right)


@st.composite
def pairs(draw) -> tuple[list[list[str]], Edit, Edit]:
    sizes = draw(st.lists(st.integers(2, 9), min_size=1, max_size=3))
    # Distinct words are all the rule needs; which words they are does not matter.
    paragraphs = [WORDS[sum(sizes[:k]) : sum(sizes[: k + 1])] for k in range(len(sizes))]
    one, other = draw(edits(paragraphs, "IRP1")), draw(edits(paragraphs, "IRP2"))
    event("conflict" if one.conflicts(other) else "no conflict")
    if one.paragraph != other.paragraph:
        event("different paragraphs")
    return paragraphs, one, other


@settings(max_examples=300, deadline=None)
@given(pairs())
def test_the_rule_is_symmetric_and_the_order_only_picks_which_is_refused(drawn):
    paragraphs, one, other = drawn
    doc = Document(
        "SMETS",
        "4.2",
        clauses=[
            Clause(
                "1.1",
                "Clause 1.1",
                2,
                [Block(BlockKind.PARAGRAPH, " ".join(p)) for p in paragraphs],
            )
        ],
    )
    segment(doc)
    conflicting = one.conflicts(other)
    assert conflicting == other.conflicts(one)
    made = {
        "IRP1": Proposal("IRP1", changes=[one.change(paragraphs)]),
        "IRP2": Proposal("IRP2", changes=[other.change(paragraphs)]),
    }
    both = (
        other.apply(one.apply(paragraphs))
        if one.first >= other.first
        else one.apply(other.apply(paragraphs))
    )
    for first, second, edit in (("IRP1", "IRP2", one), ("IRP2", "IRP1", other)):
        result = amend([doc], [made[first], made[second]])
        clause = result.documents[0].clause("1.1")
        assert clause is not None
        got = [block.text.split(" ") for block in clause.blocks]
        if conflicting:
            problem = only(result)
            assert (problem.location.irp, problem.code) == (second, "conflict")
            assert problem.message.startswith(f"conflicts with {first} change 1,")
            assert got == [p for p in edit.apply(paragraphs) if p]
        else:
            assert result.problems == []
            assert got == [p for p in both if p]
