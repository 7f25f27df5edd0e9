"""Properties of structural amendment over random documents and random structural changes.

Each example is a random tree of numbered clauses and a few proposals of random changes: clauses
inserted (after any clause, at any depth, suffixed numbers too), deleted, withdrawn, renumbered
or moved, headings renamed, text edited. Many are refused (a number already taken, a clause an
earlier proposal removed): whatever happens, identity holds — an id is never given out twice,
never reused after it retired, and every statement that is not retired keeps its id.
"""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spectrace.model import Action, Change, Clause, Document, Proposal, Target
from spectrace.transforms.amend import amend
from spectrace.transforms.statements import analyse, segment
from tests.transforms.test_amend import block, markup

SENTENCES = ["ESME shall log it.", "GSME shall show it.", "The hub may relay it.", "Note this."]


@st.composite
def documents(draw) -> Document:
    """A tree of up to about 20 clauses, numbered in order, each with a sentence or two."""
    clauses: list[Clause] = []

    def grow(prefix: str, level: int) -> None:
        for n in range(1, draw(st.integers(1, 3 if level < 3 else 2)) + 1):
            number = f"{prefix}{n}"
            body = draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=2))
            clauses.append(Clause(number, f"Title {number}", level, [block(" ".join(body))]))
            if level < 4 and draw(st.booleans()):
                grow(number + ".", level + 1)

    grow("", 1)
    document = Document("SMETS", "1.0", clauses=clauses)
    segment(document)
    analyse(document)
    return document


@st.composite
def changes(draw, numbers: list[str], number: int) -> Change:
    action = draw(st.sampled_from(list(_MAKERS)))
    return _MAKERS[action](draw, numbers, number)


def _insert(draw, numbers: list[str], number: int) -> Change:
    after = draw(st.sampled_from(numbers))
    new = draw(
        st.sampled_from(
            [after + "A", after + ".9", after.rsplit(".", 1)[0] + ".8" if "." in after else "8"]
        )
    )
    return Change(
        number,
        "insert",
        Target("SMETS", new),
        action=Action.INSERT_CLAUSE,
        after=after,
        markup=[markup(f"# {{+{new} New {number}+}}"), markup("{+ESME shall add it.+}")],
    )


def _delete(draw, numbers: list[str], number: int) -> Change:
    target = draw(st.sampled_from(numbers))
    return Change(number, "delete", Target("SMETS", target), action=Action.DELETE_CLAUSE)


def _withdraw(draw, numbers: list[str], number: int) -> Change:
    target = draw(st.sampled_from(numbers))
    return Change(number, "withdraw", Target("SMETS", target), action=Action.WITHDRAW_CLAUSE)


def _renumber(draw, numbers: list[str], number: int) -> Change:
    target = draw(st.sampled_from(numbers))
    after = draw(st.sampled_from(["", *numbers]))
    new = draw(st.sampled_from([target + "B", "9", "9.1", target.replace("1", "7")]))
    return Change(
        number,
        "renumber",
        Target("SMETS", target),
        action=Action.RENUMBER_CLAUSE,
        new_number=new,
        after=after,
    )


def _rename(draw, numbers: list[str], number: int) -> Change:
    target = draw(st.sampled_from(numbers))
    heading = f"# {target} Title [-{target}-]{{+renamed {number}+}}"
    return Change(number, "rename", Target("SMETS", target), markup=[markup(heading)])


def _edit(draw, numbers: list[str], number: int) -> Change:
    target = draw(st.sampled_from(numbers))
    sentence = draw(st.sampled_from(SENTENCES))
    return Change(
        number,
        "edit",
        Target("SMETS", target),
        markup=[markup(sentence.replace(" it.", " it {+again+}."))],
    )


_MAKERS = {
    "insert": _insert,
    "delete": _delete,
    "withdraw": _withdraw,
    "renumber": _renumber,
    "rename": _rename,
    "edit": _edit,
}


@st.composite
def cases(draw) -> tuple[Document, list[Proposal]]:
    document = draw(documents())
    numbers = [c.number for c in document.clauses if c.number]
    proposals = []
    for irp in range(1, draw(st.integers(1, 3)) + 1):
        count = draw(st.integers(1, 4))
        proposals.append(
            Proposal(f"IRP{irp}", changes=[draw(changes(numbers, n)) for n in range(1, count + 1)])
        )
    return document, proposals


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_ids_are_never_reused_and_survivors_keep_theirs(case):
    base, proposals = case
    before = {s.id: s.text for _, s in base.statements()}
    result = amend([base], proposals)
    (final,) = result.documents
    after = [s.id for _, s in final.statements()]
    retired = Counter(final.retired)

    assert all(n == 1 for n in Counter(after).values()), "an id is given out twice"
    assert all(n == 1 for n in retired.values()), "an id is retired twice"
    assert not set(after) & set(retired), "a retired id is back in the text"
    added = [i for r in result.revisions for i in r.added]
    assert not set(added) & set(before), "a new statement took an old id"
    assert set(before) <= set(after) | set(retired), "a statement vanished without retiring"
    changed = {i for r in result.revisions for i in r.changed}
    texts = {s.id: s.text for _, s in final.statements()}
    for statement, text in before.items():
        if statement in texts and statement not in changed:
            assert texts[statement] == text, "a statement's text changed with no revision"
    numbered = [c.number for c in final.clauses if c.number]
    assert len(numbered) == len(set(numbered)), "two clauses share a number"
    assert {s.id: s.text for _, s in base.statements()} == before, "the base was changed"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_levels_follow_the_tree(case):
    """Every clause's level is at most one deeper than the clause before it, so the edition
    is still a tree, whatever was inserted, moved or removed."""
    base, proposals = case
    (final,) = amend([base], proposals).documents
    levels = [c.level for c in final.clauses]
    assert all(level >= 1 for level in levels)
    assert all(b <= a + 1 for a, b in zip([0, *levels], levels, strict=False))
