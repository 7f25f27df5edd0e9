"""The re-import benchmark's generator and measurement work on a small edition, so the
benchmark (benchmarks/bench_carry.py) cannot rot between the runs that report its figures."""

from __future__ import annotations

from tests.conftest import load_benchmark

bench_carry = load_benchmark("bench_carry")


def test_a_small_reimport_carries_every_id_right(tmp_path):
    before = bench_carry.load(tmp_path, 300, seed=1)
    edition = bench_carry.next_edition(before, seed=1)
    assert edition.counts == {"edited": 9, "inserted": 3, "deleted": 3, "renumbered": 2}
    row = bench_carry.measure(before, edition, repeat=1)
    assert row["accuracy"] == 1.0 and row["retired_right"] == 1.0 and row["retired_wrong"] == 0
    assert row["discrepancies"] >= row["edited"]
