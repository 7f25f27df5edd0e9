"""Tests for benchmarks/make_irps.py, the synthetic IRP generator."""

from __future__ import annotations

import pytest

from spectrace.api import load_document
from spectrace.model import Action, MarkupKind
from spectrace.readers.rst.irp import read_rst_irp
from spectrace.transforms.amend import amend
from spectrace.transforms.amend.units import ClauseState
from spectrace.writers.rst_irp import render_proposal
from tests.conftest import load_benchmark

CLAUSES, PROPOSALS, CHANGES = 200, 10, 40


make_spec = load_benchmark("make_spec")
make_irps = load_benchmark("make_irps")


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    path = tmp_path_factory.mktemp("spec") / "spec.docx"
    make_spec.make_spec(path, CLAUSES, seed=0)
    return load_document(path, "SYN", "1")


@pytest.fixture(scope="module")
def generated(base):
    return make_irps.generate(base, PROPOSALS, CHANGES, seed=0)


def _lines(document) -> dict[str, list[str]]:
    return {clause.number: ClauseState(clause).lines() for clause in document.clauses}


def test_counts_and_targets(base, generated):
    proposals = generated.proposals
    assert [p.irp for p in proposals] == [f"IRP{1001 + i}" for i in range(PROPOSALS)]
    assert sum(len(p.changes) for p in proposals) == CHANGES
    assert all(p.changes for p in proposals)
    for proposal in proposals:
        for change in proposal.changes:
            assert change.target.document == "SYN"
            if change.target.clause is None:
                assert change.action is Action.ADD_TERM
                assert all(b.kind is MarkupKind.TABLE_ROW for b in change.markup)
            else:
                assert base.clause(change.target.clause).blocks
                assert any(block.marked for block in change.markup)


def test_all_apply_and_change_exactly_the_targeted_clauses(base, generated):
    result = amend([base], generated.proposals)
    assert result.problems == []
    assert len(result.revisions) == CHANGES
    before, after = _lines(base), _lines(result.documents[0])
    changed = {number for number in before if before[number] != after[number]}
    targeted = {c.target.clause for p in generated.proposals for c in p.changes if c.target.clause}
    assert changed == targeted == set(generated.expected)
    assert {number: after[number] for number in changed} == generated.expected
    terms = [entry.term for entry in result.documents[0].glossary]
    assert len(terms) == len(base.glossary) + len(generated.terms)
    assert set(generated.terms) <= set(terms)


def test_round_trip_through_irp_as_code(tmp_path, generated):
    for proposal in generated.proposals:
        path = tmp_path / f"{proposal.irp}.rst"
        path.write_text(render_proposal(proposal), encoding="utf-8")
        back = read_rst_irp(path)
        back.file = proposal.file  # where it was read from; not part of the comparison
        assert back == proposal


def test_deterministic_and_conflicts_on_request(base, generated):
    again = make_irps.make_irps(base, PROPOSALS, CHANGES, seed=0)
    assert [render_proposal(p) for p in again] == [render_proposal(p) for p in generated.proposals]
    clashing = make_irps.make_irps(base, PROPOSALS, CHANGES, seed=0, conflicts=3)
    problems = amend([base], clashing).problems
    assert [p.code for p in problems] == ["conflict"] * 3
