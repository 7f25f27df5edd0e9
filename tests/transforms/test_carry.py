"""Carrying statement ids into a new edition (transforms/carry.py): each way real editions
change — a sentence inserted, a statement moved, a clause renumbered, a small edit — keeps the
ids of the statements that survive, gives new statements ids never used, retires the rest, and
lists every match it was not sure of."""

from __future__ import annotations

import pytest

from spectrace.model import Block, BlockKind, Clause, Document
from spectrace.model.continuity import Continuity, DoubtKind
from spectrace.model.refs import split_statement_id
from spectrace.transforms.carry import ACCEPT, SURE, carry, similarity
from spectrace.transforms.statements import segment

Outline = list[tuple[str, str, list[str]]]  # (number, title, paragraphs)

BASE: Outline = [
    ("1", "Introduction", ["This document sets out requirements for meters."]),
    (
        "4.6.5.17",
        "Security Log",
        [
            "GSME shall be capable of recording each Sensitive Event in its Security Log. "
            "When the Security Log is full, GSME shall overwrite the oldest entry. "
            "The Security Log shall not be cleared by a remote command."
        ],
    ),
    (
        "4.6.5.18",
        "Event Log",
        [
            "GSME shall be capable of recording each event other than a Sensitive Event.",
            "GSME shall retain the Event Log in Non-Volatile Memory.",
        ],
    ),
    ("5", "Electricity Smart Metering Equipment", []),
    (
        "5.7.5.31",
        "Security Log",
        ["ESME shall be capable of recording each Sensitive Event with its UTC Date-Time."],
    ),
]


def document(outline: Outline, edition: str = "4.2", retired: list[str] | None = None) -> Document:
    clauses = [
        Clause(
            number,
            title,
            number.count(".") + 1,
            [Block(BlockKind.PARAGRAPH, text) for text in paragraphs],
        )
        for number, title, paragraphs in outline
    ]
    made = Document("SMETS", edition, clauses=clauses, retired=list(retired or []))
    segment(made)
    return made


def edited(outline: Outline, **changes) -> Outline:
    """Return a copy of ``outline`` with clauses replaced by number (None removes one)."""
    result = []
    for number, title, paragraphs in outline:
        if number in changes:
            if changes[number] is not None:
                result.append(changes[number])
            continue
        result.append((number, title, list(paragraphs)))
    return result


def ids_by_text(doc: Document) -> dict[str, str]:
    return {statement.text: statement.id for _, statement in doc.statements()}


def test_an_unchanged_edition_keeps_every_id_and_reports_nothing_to_doubt():
    before, after = document(BASE), document(BASE, "4.3")
    result = carry(before, after)
    assert ids_by_text(after) == ids_by_text(before)
    assert {s.status for s in result.statements} == {Continuity.CARRIED}
    assert result.doubts == [] and after.changed == [] and after.retired == []
    assert after.continues == "SMETS 4.2"


def test_a_sentence_inserted_first_gets_a_new_id_and_the_others_keep_theirs():
    """The issue's case: one sentence inserted at the start of 4.6.5.17 moved every id."""
    old = ids_by_text(document(BASE))
    text = BASE[1][2][0]
    new_outline = edited(
        BASE,
        **{
            "4.6.5.17": (
                "4.6.5.17",
                "Security Log",
                ["The GSME shall keep a Security Log. " + text],
            )
        },
    )
    before, after = document(BASE), document(new_outline, "4.3")
    result = carry(before, after)
    new = ids_by_text(after)
    for sentence, sid in old.items():
        assert new[sentence] == sid
    added = new["The GSME shall keep a Security Log."]
    assert added == "SMETS-4.6.5.17-4"  # after the three the clause had: never one of theirs
    assert [s.id for s in result.statements if s.status is Continuity.NEW] == [added]


def test_a_statement_moved_within_its_clause_keeps_its_id():
    first, second, third = (
        "GSME shall be capable of recording each Sensitive Event in its Security Log.",
        "When the Security Log is full, GSME shall overwrite the oldest entry.",
        "The Security Log shall not be cleared by a remote command.",
    )
    moved = edited(BASE, **{"4.6.5.17": ("4.6.5.17", "Security Log", [f"{third} {first}", second])})
    before, after = document(BASE), document(moved, "4.3")
    carry(before, after)
    assert ids_by_text(after) == ids_by_text(before)


@pytest.mark.parametrize("new_number", ["4.6.5.19", "4.6.6.1", "4.6.5.17A"])
def test_a_renumbered_clause_keeps_its_ids(new_number):
    renumbered = edited(BASE, **{"4.6.5.17": (new_number, "Security Log", list(BASE[1][2]))})
    before, after = document(BASE), document(renumbered, "4.3")
    result = carry(before, after)
    assert ids_by_text(after) == ids_by_text(before)
    assert after.clause(new_number) is not None
    assert all(s.id.startswith("SMETS-4.6.5.17-") for s in after.clause(new_number).statements)
    assert {s.before for s in result.statements if s.clause == new_number} == {"4.6.5.17"}


def test_a_clause_inserted_before_its_siblings_shifts_their_numbers_not_their_ids():
    """A new 4.6.5.17 pushes the old one to 4.6.5.18 and that one to 4.6.5.19, both edited a
    little: matched by title and content, not by the number that now names another clause."""
    log, event = BASE[1][2][0], BASE[2][2]
    shifted = edited(
        BASE,
        **{
            "4.6.5.17": ("4.6.5.17", "Privacy PIN", ["GSME shall protect its User Interface."]),
            "4.6.5.18": ("4.6.5.18", "Security Log", [log.replace("each", "every")]),
        },
    )
    shifted.insert(3, ("4.6.5.19", "Event Log", list(event)))
    before, after = document(BASE), document(shifted, "4.3")
    result = carry(before, after)
    old = ids_by_text(before)
    new = ids_by_text(after)
    assert new[event[0]] == old[event[0]] and new[event[1]] == old[event[1]]
    assert new[log.split(". ")[0].replace("each", "every") + "."] == "SMETS-4.6.5.17-1"
    pin = new["GSME shall protect its User Interface."]
    assert pin not in old.values()
    assert split_statement_id(pin) == ("SMETS", "4.6.5.17", 4)  # past 4.6.5.17-1..3
    assert result.doubts == []


def test_a_small_edit_keeps_the_id_and_is_recorded_as_changed():
    text = "ESME shall be capable of recording each Sensitive Event with its UTC Date-Time."
    small = text.replace("each Sensitive Event", "every Sensitive Event")
    before = document(BASE)
    after = document(edited(BASE, **{"5.7.5.31": ("5.7.5.31", "Security Log", [small])}), "4.3")
    result = carry(before, after)
    assert ids_by_text(after)[small] == ids_by_text(before)[text] == "SMETS-5.7.5.31-1"
    assert after.changed == ["SMETS-5.7.5.31-1"]
    (entry,) = [s for s in result.statements if s.id == "SMETS-5.7.5.31-1"]
    assert entry.status is Continuity.CHANGED
    assert similarity(text, small) >= SURE


def test_typographic_noise_is_not_a_change():
    text = "GSME shall retain the \u2018Event Log\u2019 in Non-Volatile Memory \u2013 always."
    noisy = "GSME  shall retain the 'Event\u00a0Log' in Non\u2011Volatile Memory - always."
    before = document(edited(BASE, **{"4.6.5.18": ("4.6.5.18", "Event Log", [text])}))
    after = document(edited(BASE, **{"4.6.5.18": ("4.6.5.18", "Event Log", [noisy])}), "4.3")
    result = carry(before, after)
    assert after.changed == []
    assert {s.status for s in result.statements} == {Continuity.CARRIED}
    assert after.clause("4.6.5.18").blocks[0].statements[0].text == noisy  # the new text kept


def test_a_statement_that_disappeared_is_retired_and_its_id_never_comes_back():
    cut = edited(
        BASE,
        **{"4.6.5.18": ("4.6.5.18", "Event Log", [BASE[2][2][0]])},
    )
    before, after = document(BASE), document(cut, "4.3")
    result = carry(before, after)
    assert after.retired == ["SMETS-4.6.5.18-2"]
    assert [s.id for s in result.statements if s.status is Continuity.RETIRED] == [
        "SMETS-4.6.5.18-2"
    ]
    # the next edition adds a statement to that clause: it does not get the retired id
    again = edited(
        cut,
        **{"4.6.5.18": ("4.6.5.18", "Event Log", [BASE[2][2][0], "GSME shall log firmware."])},
    )
    later = document(again, "4.4")
    carry(after, later)
    assert ids_by_text(later)["GSME shall log firmware."] == "SMETS-4.6.5.18-3"
    assert later.retired == ["SMETS-4.6.5.18-2"]


def test_ids_retired_by_an_earlier_amendment_are_not_given_out():
    before = document(BASE, retired=["SMETS-5.7.5.31-2", "SMETS-5.7.5.31-7"])
    grown = edited(
        BASE,
        **{
            "5.7.5.31": (
                "5.7.5.31",
                "Security Log",
                [BASE[4][2][0], "ESME shall keep 100 entries."],
            )
        },
    )
    after = document(grown, "4.3")
    carry(before, after)
    assert ids_by_text(after)["ESME shall keep 100 entries."] == "SMETS-5.7.5.31-8"
    assert after.retired == ["SMETS-5.7.5.31-2", "SMETS-5.7.5.31-7"]


def test_a_tie_is_resolved_by_position_and_listed():
    """Two old statements equally like one new one: the nearer wins, and both are listed."""
    tied = [("1", "Data", ["ESME shall record the ab value.", "ESME shall record the cd value."])]
    merged = [("1", "Data", ["ESME shall record the xy value."])]
    before, after = document(tied), document(merged, "4.3")
    result = carry(before, after)
    (doubt,) = result.doubts
    assert doubt.kind is DoubtKind.TIE and doubt.what == "statement"
    assert doubt.chosen == "SMETS-1-1" == after.clauses[0].blocks[0].statements[0].id
    assert [c.name for c in doubt.candidates] == ["SMETS-1-1", "SMETS-1-2"]
    assert doubt.text == "ESME shall record the xy value."


def test_a_duplicate_sentence_that_lost_a_copy_is_a_tie():
    twice = [("1", "Data", ["ESME shall log it.", "GSME shall log it.", "ESME shall log it."])]
    once = [("1", "Data", ["ESME shall log it.", "GSME shall log it."])]
    before, after = document(twice), document(once, "4.3")
    result = carry(before, after)
    assert [d.kind for d in result.doubts] == [DoubtKind.TIE]
    assert [c.name for c in result.doubts[0].candidates] == ["SMETS-1-1", "SMETS-1-3"]


def test_a_low_confidence_match_is_made_and_listed():
    old_text = "The meter shall display the balance."
    new_text = "The meter shall show the credit balance on screen."
    score = similarity(old_text, new_text)
    assert ACCEPT <= score < SURE
    before = document([("1", "Display", [old_text])])
    after = document([("1", "Display", [new_text])], "4.3")
    result = carry(before, after)
    (doubt,) = result.doubts
    assert doubt.kind is DoubtKind.LOW and doubt.chosen == "SMETS-1-1"
    assert after.changed == ["SMETS-1-1"]


def test_a_rewritten_statement_is_new_and_the_old_one_retired():
    before = document([("1", "Display", ["The meter shall display the balance."])])
    after = document([("1", "Display", ["Firmware updates are signed by the supplier."])], "4.3")
    result = carry(before, after)
    assert [(s.id, s.status) for s in result.statements] == [
        ("SMETS-1-2", Continuity.NEW),
        ("SMETS-1-1", Continuity.RETIRED),
    ]


def test_a_statement_moved_to_another_clause_keeps_its_id():
    moving = BASE[2][2][1]
    moved = edited(
        BASE,
        **{
            "4.6.5.18": ("4.6.5.18", "Event Log", [BASE[2][2][0]]),
            "5.7.5.31": ("5.7.5.31", "Security Log", [BASE[4][2][0], moving]),
        },
    )
    before, after = document(BASE), document(moved, "4.3")
    carry(before, after)
    assert ids_by_text(after)[moving] == "SMETS-4.6.5.18-2"


def test_clause_pairs_cover_both_editions():
    removed = edited(BASE, **{"4.6.5.18": None})
    removed.append(("6", "In-Home Display", ["The IHD shall display the balance."]))
    before, after = document(BASE), document(removed, "4.3")
    result = carry(before, after)
    matched = [(p.before, p.after) for p in result.pairs]
    assert (2, None) in matched and (None, 4) in matched
    assert result.matched_clauses == 4


def test_two_near_identical_statements_both_edited_keep_their_own_ids():
    """Greedy matching would give the ten-word statement's id to the edited nine-word one (its
    best single score) and lose the other pair; the best total keeps both."""
    nine, ten = "Bebe " + "bebe " * 7 + "bebe.", "Bebe " + "bebe " * 8 + "bebe."
    before = document([("1", "Log", [nine, ten])], "1")
    after = document(
        [("1", "Log", [nine.replace("bebe", "hayos", 1), ten.replace("bebe", "lulu", 1)])], "2"
    )
    carry(before, after)
    assert [s.id for _, s in after.statements()] == [s.id for _, s in before.statements()]


def test_the_best_assignment_is_the_least_total_cost():
    import itertools
    import random

    from spectrace.transforms.carry import _hungarian

    rng = random.Random(7)
    for size in range(1, 7):
        for _ in range(30):
            cost = [[rng.randint(-100, 0) for _ in range(size)] for _ in range(size)]
            chosen = _hungarian(cost)
            best = min(
                sum(cost[r][p[r]] for r in range(size)) for p in itertools.permutations(range(size))
            )
            assert sorted(chosen) == list(range(size))
            assert sum(cost[r][chosen[r]] for r in range(size)) == best
