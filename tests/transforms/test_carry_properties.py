"""Properties of carrying ids over random documents and random edits.

Each example is a document of a few clauses of sentences, and a next edition made from it by
random edits: sentences kept, edited a little (one word replaced), moved within their clause,
deleted, new sentences inserted, clauses renumbered. Whatever the mix, every sentence that
survives keeps its id, no id is given to two statements, no new statement gets an id the
earlier edition used or retired, and exactly the deleted ones are retired.
"""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from spectrace.model import Block, BlockKind, Clause, Document
from spectrace.model.continuity import Continuity
from spectrace.model.refs import split_statement_id
from spectrace.transforms.carry import carry
from spectrace.transforms.statements import segment

_SYLLABLES = "ka lo mi nu pe ra si tu vo we xa yo zu be di fo gu ha".split()
#: Words of the earlier edition's sentences and titles (lower case, two or three syllables).
WORDS = sorted({a + b + c for a in _SYLLABLES for b in _SYLLABLES for c in ("", "n", "s")})
#: Words only inserted sentences use, so a new sentence never resembles an old one.
NEW_WORDS = [f"Q{n}X{n * 7 % 13}Z" for n in range(40)]

sentence = st.lists(st.sampled_from(WORDS), min_size=8, max_size=14).map(
    lambda words: " ".join(words).capitalize() + "."
)
clauses = st.lists(st.lists(sentence, min_size=0, max_size=6, unique=True), min_size=1, max_size=7)
#: What happens to one sentence: kept, edited, deleted.
fates = st.sampled_from(["keep", "keep", "keep", "edit", "delete"])


def make(outline: list[tuple[str, str, list[str]]], edition: str, retired=()) -> Document:
    document = Document(
        "DOC",
        edition,
        clauses=[
            Clause(number, title, 1, [Block(BlockKind.PARAGRAPH, text) for text in texts])
            for number, title, texts in outline
        ],
        retired=list(retired),
    )
    segment(document)
    return document


@settings(max_examples=150, deadline=None)
@given(
    bodies=clauses,
    data=st.data(),
    seed=st.integers(0, 2**16),
    retired=st.lists(st.integers(1, 30), max_size=3),
)
def test_surviving_statements_keep_their_ids_and_no_id_is_reused(bodies, data, seed, retired):
    rng = random.Random(seed)
    titles = rng.sample(WORDS, len(bodies))
    seen: set[str] = set()
    outline = []
    for index, texts in enumerate(bodies):
        unique = [t for t in texts if t not in seen]
        seen.update(unique)
        outline.append((str(index + 1), titles[index].capitalize(), unique))
    earlier_retired = [f"DOC-1-{n + 50}" for n in retired]
    before = make(outline, "1", earlier_retired)
    old_ids = {s.text: s.id for _, s in before.statements()}

    survivors: dict[str, str] = {}  # new text -> the id it must keep
    deleted: set[str] = set()
    next_outline = []
    for number, title, texts in outline:
        kept = []
        for original in texts:
            text, fate = original, data.draw(fates)
            if fate == "delete":
                deleted.add(old_ids[text])
                continue
            if fate == "edit":
                words = text[:-1].split(" ")
                at = rng.randrange(1, len(words))
                words[at] = rng.choice([w for w in WORDS if w != words[at]])
                text = " ".join(words) + "."
            kept.append(text)
            survivors[text] = old_ids[original]
        if data.draw(st.booleans()):
            rng.shuffle(kept)  # moved within the clause
        for _ in range(data.draw(st.integers(0, 2))):
            words = rng.sample(NEW_WORDS, 6)
            kept.insert(rng.randrange(len(kept) + 1), " ".join(words) + ".")
        if data.draw(st.integers(0, 3)) == 0:
            number = f"{number}.{rng.randrange(1, 9)}"  # renumbered
        next_outline.append((number, title, kept))

    after = make(next_outline, "2")
    result = carry(before, after)

    new_ids = [s.id for _, s in after.statements()]
    assert len(new_ids) == len(set(new_ids))
    for _, statement in after.statements():
        if statement.text in survivors:
            assert statement.id == survivors[statement.text], statement.text
        else:
            assert statement.id not in set(old_ids.values()) | set(earlier_retired)
            assert split_statement_id(statement.id) is not None
    assert set(after.retired) == set(earlier_retired) | deleted
    assert {s.id for s in result.statements if s.status is Continuity.RETIRED} == deleted
