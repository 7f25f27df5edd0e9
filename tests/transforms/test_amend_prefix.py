"""A run resumed from a kept checkpoint (:mod:`spectrace.transforms.amend.prefix`) gives exactly
what applying every proposal to the base gives: the same editions, statement ids, retired ids,
revisions and refused changes, whatever the proposals are and wherever the checkpoint was made.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import spectrace.transforms.amend as engine
from spectrace.api import load_document
from spectrace.model import Action, Change, Clause, Document, Proposal, Target
from spectrace.model.revision import Amendment
from spectrace.transforms.amend import Prefixes, amend
from spectrace.transforms.amend.prefix import digests
from spectrace.transforms.statements import Vocabulary, analyse, segment
from tests.conftest import load_benchmark
from tests.transforms.test_amend import block, markup
from tests.transforms.test_amend_structure_properties import cases

make_spec = load_benchmark("make_spec")
make_irps = load_benchmark("make_irps")


def outcome(result: Amendment) -> str:
    """Everything an amendment says, as text: editions (every clause, block and statement,
    retired ids), revisions and problems, in order."""
    return repr((result.documents, result.revisions, result.problems))


def prefixes(folder, base: Document, vocabulary: Vocabulary | None = None, **settings) -> Prefixes:
    return Prefixes.of(folder, base, vocabulary, settings.get("others", {}), False)


def resumed(folder, base: Document, proposals: list[Proposal], splits: list[int]) -> Amendment:
    """Amend ``base`` by the first ``k`` proposals for each ``k`` of ``splits`` in turn, each
    run keeping its checkpoint for the next, then by them all."""
    for k in splits:
        amend([base], proposals[:k], prefixes=prefixes(folder, base))
    return amend([base], proposals, prefixes=prefixes(folder, base))


@pytest.fixture(params=[1, 16], ids=["checkpoint-every-run", "checkpoint-every-16"])
def replay(request, monkeypatch):
    """How many proposals past its checkpoint a run applies before it keeps a new one."""
    monkeypatch.setattr(engine, "REPLAY", request.param)
    return request.param


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(case=cases(), data=st.data())
def test_a_resumed_structural_run_equals_a_run_from_the_base(case, data, tmp_path_factory):
    base, proposals = case
    splits = sorted(data.draw(st.lists(st.integers(0, len(proposals)), max_size=3)))
    expected = outcome(amend([base], proposals))
    folder = tmp_path_factory.mktemp("cache")
    assert outcome(resumed(folder, base, proposals, splits)) == expected
    assert outcome(amend([base], proposals, prefixes=prefixes(folder, base))) == expected


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    path = tmp_path_factory.mktemp("spec") / "spec.docx"
    make_spec.make_spec(path, 120, seed=3)
    return load_document(path, "SYN", "1")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_resumed_run_of_generated_irps_equals_a_run_from_the_base(
    synthetic, seed, tmp_path, replay
):
    proposals = make_irps.make_irps(synthetic, 40, 120, seed=seed, conflicts=6)
    expected = outcome(amend([synthetic], proposals))
    assert sum(p.code == "conflict" for p in amend([synthetic], proposals).problems) == 6

    # one proposal added at a time, as a spec author adds them to the project file
    for count in range(len(proposals) - 5, len(proposals) + 1):
        result = amend([synthetic], proposals[:count], prefixes=prefixes(tmp_path, synthetic))
        assert outcome(result) == outcome(amend([synthetic], proposals[:count]))
    assert outcome(resumed(tmp_path, synthetic, proposals, [10, 25])) == expected


def test_a_checkpoint_is_only_resumed_from_by_runs_that_start_with_its_proposals(
    synthetic, tmp_path, replay
):
    proposals = make_irps.make_irps(synthetic, 12, 40, seed=5)
    amend([synthetic], proposals, prefixes=prefixes(tmp_path, synthetic))

    fewer = proposals[:-1]  # the last one removed
    assert outcome(amend([synthetic], fewer, prefixes=prefixes(tmp_path, synthetic))) == outcome(
        amend([synthetic], fewer)
    )
    swapped = [proposals[1], proposals[0], *proposals[2:]]  # two swapped: another order
    assert outcome(amend([synthetic], swapped, prefixes=prefixes(tmp_path, synthetic))) == outcome(
        amend([synthetic], swapped)
    )


def test_a_checkpoint_is_kept_for_its_base_vocabulary_and_settings_only(synthetic, tmp_path):
    proposals = make_irps.make_irps(synthetic, 6, 20, seed=7)
    amend([synthetic], proposals, prefixes=prefixes(tmp_path, synthetic))
    kept = prefixes(tmp_path, synthetic)
    edited = synthetic.copy()
    edited.clauses[3].title += " (edited)"
    vocabulary = Vocabulary(actors={"ESME": ("ESME",)})
    others = {"OTHER": {"1", "2"}}
    for made in (
        prefixes(tmp_path, edited),
        prefixes(tmp_path, synthetic, vocabulary),
        prefixes(tmp_path, synthetic, others=others),
        Prefixes.of(tmp_path, synthetic, None, {}, True),
    ):
        assert made.key != kept.key
        assert made.resume(digests(proposals)) == (None, 0)
    assert kept.resume(digests(proposals))[1] == len(proposals)


def test_what_earlier_proposals_did_to_a_clause_still_counts_after_a_checkpoint(tmp_path):
    """The engine holds some of what a change did by the clause (withdrawn, renamed, a clause
    inserted after it): a checkpoint keeps it, so a later proposal that conflicts with it is
    refused after a resume exactly as in one run."""
    base = Document(
        "SMETS",
        "1.0",
        clauses=[
            Clause(number, f"Title {number}", 1, [block(f"ESME shall do {number}.")])
            for number in ("1", "2", "3", "4")
        ],
    )
    segment(base)
    analyse(base)

    def insert(number: int, new: str) -> Change:
        return Change(
            number,
            "insert",
            Target("SMETS", new),
            action=Action.INSERT_CLAUSE,
            after="3",
            markup=[markup(f"# {{+{new} New+}}"), markup("{+ESME shall add it.+}")],
        )

    def rename(number: int, old: str, new: str) -> Change:
        heading = markup(f"# 4 [-{old}-]{{+{new}+}}")
        return Change(number, "rename", Target("SMETS", "4"), markup=[heading])

    first = Proposal(
        "IRP1",
        changes=[
            Change(1, "withdraw", Target("SMETS", "2"), action=Action.WITHDRAW_CLAUSE),
            insert(2, "3A"),
            rename(3, "Title 4", "Four"),
        ],
    )
    second = Proposal(
        "IRP2",
        changes=[
            Change(1, "edit", Target("SMETS", "2"), markup=[markup("ESME shall do {+not+} 2.")]),
            insert(2, "3B"),
            rename(3, "Four", "IV"),
        ],
    )
    whole = amend([base], [first, second])
    assert [p.code for p in whole.problems] == ["conflict"] * 3
    amend([base], [first], prefixes=prefixes(tmp_path, base))
    assert outcome(amend([base], [first, second], prefixes=prefixes(tmp_path, base))) == outcome(
        whole
    )
