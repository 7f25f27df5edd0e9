"""Benchmark carrying statement ids across a re-import (``import spec --from``).

The target (issue 12): carrying ids across a re-import of a 10,000-clause edition with 300
edited, 100 inserted and 100 deleted statements and 50 renumbered clauses takes under 3 s on
the 2-core machine, and the time grows linearly with the size (reported at 2,500, 5,000 and
10,000 clauses, the edits scaled with the size).

Steps (only (c) is timed):

(a) the synthetic specification is generated once with ``make_spec.py`` and cached in ``--out``
    as ``spec-N-sSEED.docx`` (the same cache the other benchmarks use), then read once with
    ``spectrace.api.load_document``: the earlier edition, with its ids;
(b) the next edition is made from a copy of it: statements edited a little (one or two words
    replaced, inserted or deleted), new sentences inserted as paragraphs, statements deleted,
    clauses renumbered, and every id replaced by a meaningless one (as a fresh Word import
    gives). The generator remembers, per statement of the next edition, the id it must get:
    the id it continues, or none for an inserted one;
(c) ``carry(before, after)`` (ids) and ``verify(before, after, pairs, [])`` (the check of the
    text, here without proposals: every edit is a discrepancy) run ``--repeat`` times, each on a
    fresh copy of the next edition (copying is not timed); the median is the figure.

Reading the Word file is not part of (c): ``bench_import.py`` measures it.

The matching accuracy is the fraction of the next edition's statements whose id is right: the
id it continues, or for an inserted statement an id that was never used. The report also gives
how many deleted statements were retired, and how many matches were listed as doubts.
Linearity is the per-clause time at the largest size divided by that at the smallest.

Usage::

    python benchmarks/bench_carry.py [--sizes 2500 5000 10000] [--repeat 3] [--seed 0]
                                     [--out benchmarks/out] [--json]
    python benchmarks/bench_carry.py --profile 10000 [--profile-sort tottime]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from benchlib import add_profile_sort, add_standard_options, print_profile  # noqa: E402
from make_spec import DATA, GERUNDS, ITEM_SUFFIXES, LOGS, SUBJECTS, cached_spec  # noqa: E402

from spectrace.api import load_document  # noqa: E402
from spectrace.model import Block, BlockKind, Document, Statement  # noqa: E402
from spectrace.model.continuity import Carry  # noqa: E402
from spectrace.transforms.carry import carry  # noqa: E402
from spectrace.transforms.verify import verify  # noqa: E402

DEFAULT_SIZES = (2500, 5000, 10000)
TARGET_SIZE = 10_000
TARGET_SECONDS = 3.0
LINEAR_TOLERANCE = 1.5
#: The edits at TARGET_SIZE clauses; scaled with the size.
EDITED, INSERTED, DELETED, RENUMBERED = 300, 100, 100, 50
DOCUMENT, EDITION = "BENCH", "1.0"
SMALL_WORDS = ("only", "not", "also", "always", "securely", "each", "any", "its")


# ---------------------------------------------------------------------------------------------
# The next edition, with the ids it must get
# ---------------------------------------------------------------------------------------------


@dataclass
class NextEdition:
    document: Document
    expected: dict[int, str | None]  # id() of a statement of ``document`` -> the id it must get
    deleted: set[str]
    counts: dict[str, int]


def _scaled(count: int, clauses: int) -> int:
    return max(1, round(count * clauses / TARGET_SIZE))


def _small_edit(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    for _ in range(rng.choice((1, 1, 2))):
        at = rng.randrange(1, len(words))
        what = rng.random()
        if what < 0.4:
            words[at] = rng.choice(SMALL_WORDS)
        elif what < 0.8 or len(words) < 6:
            words.insert(at, rng.choice(SMALL_WORDS))
        else:
            del words[at]
    return " ".join(words)


def _new_sentence(rng: random.Random, number: int) -> str:
    return (
        f"{rng.choice(SUBJECTS)} shall be capable of {rng.choice(GERUNDS)} the "
        f"{rng.choice(DATA + LOGS)} {rng.choice(ITEM_SUFFIXES)} within {number + 2} seconds of "
        f"a request from a {rng.choice(('Type 1 Device', 'Type 2 Device', 'CHF', 'GPF'))}."
    )


def _rebuild(block: Block) -> None:
    block.text = " ".join([block.lead] * bool(block.lead) + [s.text for s in block.statements])


def next_edition(before: Document, seed: int) -> NextEdition:
    """Return the next edition made from a copy of ``before`` (step (b))."""
    rng = random.Random(seed)
    size = len(before.clauses)
    after = before.copy()
    after.edition = "2.0"
    places = [
        (clause, block, statement)
        for clause in after.clauses
        for block in clause.blocks
        for statement in block.statements
    ]
    expected = {id(statement): statement.id for _, _, statement in places}
    chosen = rng.sample(places, _scaled(EDITED, size) + _scaled(DELETED, size))
    edited, deleted = chosen[: _scaled(EDITED, size)], chosen[_scaled(EDITED, size) :]
    for _, block, statement in edited:
        statement.text = _small_edit(rng, statement.text)
        _rebuild(block)
    gone = set()
    for clause, block, statement in deleted:
        gone.add(statement.id)
        del expected[id(statement)]
        block.statements.remove(statement)
        _rebuild(block)
        if not block.statements and not block.lead:
            clause.blocks.remove(block)
    with_text = [clause for clause in after.clauses if clause.blocks]
    for number in range(_scaled(INSERTED, size)):
        clause = rng.choice(with_text)
        text = _new_sentence(rng, number)
        statement = Statement("NEW", text)
        expected[id(statement)] = None
        clause.blocks.insert(
            rng.randrange(len(clause.blocks) + 1),
            Block(BlockKind.PARAGRAPH, text, [statement]),
        )
    deep = [clause for clause in after.clauses if clause.number and clause.level >= 3]
    for clause in rng.sample(deep, _scaled(RENUMBERED, size)):
        head, _, last = clause.number.rpartition(".")
        clause.number = f"{head}.{int(last) + 100}"
    for _, statement in after.statements():
        statement.id = f"{DOCUMENT}-fresh-{id(statement)}"
    counts = {
        "edited": len(edited),
        "inserted": _scaled(INSERTED, size),
        "deleted": len(deleted),
        "renumbered": _scaled(RENUMBERED, size),
    }
    return NextEdition(after, expected, gone, counts)


# ---------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------


def fresh_copy(edition: NextEdition) -> tuple[Document, dict[int, str | None]]:
    """Return a copy of the next edition and its expectations keyed by the copy's statements."""
    copy = edition.document.copy()
    originals = [s for _, s in edition.document.statements()]
    copies = [s for _, s in copy.statements()]
    return copy, {id(c): edition.expected[id(o)] for o, c in zip(originals, copies, strict=True)}


def accuracy(before: Document, after: Document, expected: dict[int, str | None]) -> float:
    used = {s.id for _, s in before.statements()} | set(before.retired)
    right = 0
    for _, statement in after.statements():
        wanted = expected[id(statement)]
        right += statement.id == wanted if wanted is not None else statement.id not in used
    return right / len(expected)


def measure(before: Document, edition: NextEdition, repeat: int) -> dict:
    times, carry_times, verify_times = [], [], []
    result: Carry | None = None
    for _ in range(repeat):
        after, expected = fresh_copy(edition)
        gc.collect()
        started = time.perf_counter()
        result = carry(before, after)
        carried = time.perf_counter()
        discrepancies = verify(before, after, result.pairs, [])
        done = time.perf_counter()
        times.append(done - started)
        carry_times.append(carried - started)
        verify_times.append(done - carried)
    assert result is not None
    retired = set(after.retired) - set(before.retired)
    return {
        "clauses": len(before.clauses),
        "statements": sum(1 for _ in before.statements()),
        **edition.counts,
        "carry_s": statistics.median(carry_times),
        "verify_s": statistics.median(verify_times),
        "total_s": statistics.median(times),
        "per_1k_s": statistics.median(times) / len(before.clauses) * 1000,
        "accuracy": accuracy(before, after, expected),
        "retired_right": len(retired & edition.deleted) / len(edition.deleted),
        "retired_wrong": len(retired - edition.deleted),
        "doubts": len(result.doubts),
        "discrepancies": len(discrepancies),
    }


def load(out: Path, size: int, seed: int) -> Document:
    """Step (a): the earlier edition, read from the cached synthetic Word file."""
    return load_document(cached_spec(out, size, seed), DOCUMENT, EDITION)


COLUMNS = (  # (header, width, format spec, key)
    ("size", 6, "d", "clauses"),
    ("statements", 10, "d", "statements"),
    ("carry s", 7, ".2f", "carry_s"),
    ("verify s", 8, ".2f", "verify_s"),
    ("total s", 7, ".2f", "total_s"),
    ("s/1k", 6, ".3f", "per_1k_s"),
    ("accuracy", 8, ".4f", "accuracy"),
    ("retired", 7, ".3f", "retired_right"),
    ("doubts", 6, "d", "doubts"),
)


def table(results: list[dict]) -> str:
    header = "  ".join(name.rjust(width) for name, width, _, _ in COLUMNS)
    lines = [header, "-" * len(header)]
    for row in results:
        lines.append(
            "  ".join(format(row[key], spec).rjust(width) for _, width, spec, key in COLUMNS)
        )
    return "\n".join(lines)


def verdicts(results: list[dict]) -> tuple[list[str], bool]:
    lines, passed = [], True
    row = next((r for r in results if r["clauses"] == TARGET_SIZE), None)
    if row is None:
        lines.append(f"target ({TARGET_SIZE} clauses): not measured")
    else:
        passed = row["total_s"] < TARGET_SECONDS
        lines.append(
            f"target ({TARGET_SIZE} clauses, {row['edited']} edited, {row['inserted']} inserted, "
            f"{row['deleted']} deleted, {row['renumbered']} renumbered, < {TARGET_SECONDS:.0f} s):"
            f" {'PASS' if passed else 'FAIL'} - {row['total_s']:.2f} s, accuracy "
            f"{row['accuracy']:.4f}"
        )
    if len(results) > 1:
        small = min(results, key=lambda r: r["clauses"])
        large = max(results, key=lambda r: r["clauses"])
        ratio = large["per_1k_s"] / small["per_1k_s"]
        lines.append(
            f"linearity ({large['clauses']} vs {small['clauses']} clauses, per-clause time ratio,"
            f" <= {LINEAR_TOLERANCE} counts as linear): "
            f"{'PASS' if ratio <= LINEAR_TOLERANCE else 'FAIL'} - ratio {ratio:.2f}"
        )
    return lines, passed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    add_standard_options(parser, repeat="timed runs per size", seed="make_spec and edit")
    parser.add_argument("--profile", type=int, metavar="SIZE", help="cProfile carry+verify once")
    add_profile_sort(parser)
    args = parser.parse_args(argv)
    if args.profile is not None:
        before = load(args.out, args.profile, args.seed)
        after, _ = fresh_copy(next_edition(before, args.seed))
        profiler = cProfile.Profile()
        profiler.enable()
        result = carry(before, after)
        verify(before, after, result.pairs, [])
        profiler.disable()
        print_profile(profiler, args.profile_sort)
        return 0
    results = []
    for size in args.sizes:
        before = load(args.out, size, args.seed)
        results.append(measure(before, next_edition(before, args.seed), args.repeat))
        row = results[-1]
        print(
            f"{size:>6} clauses: carry {row['carry_s']:.2f} s, verify {row['verify_s']:.2f} s, "
            f"accuracy {row['accuracy']:.4f}",
            file=sys.stderr,
        )
    lines, passed = verdicts(results)
    if args.json:
        print(json.dumps({"results": results, "verdicts": lines}, indent=2))
    else:
        print(table(results))
        print()
        print("\n".join(lines))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
