"""Benchmark applying proposals: 500 IRPs with 3,000 changes over a 10,000-clause edition.

The target (from the performance issue): ``spectrace.transforms.amend.amend([base], proposals)``
applies 500 IRPs with 3,000 changes in all to a 10,000-clause edition in under 5 s on the
2-core machine.

Steps (only (d) counts for the target; the others are reported for information):

(a) the synthetic specification is generated once with ``make_spec.py`` and cached in ``--out``
    as ``spec-N-sSEED.docx`` (the same cache ``bench_import.py`` uses), then read once with
    ``spectrace.api.load_document``;
(b) ``make_irps.generate`` builds the proposals against it (see ``make_irps.py``);
(c) the proposals are written as IRP-as-code files and read back with ``read_rst_irp``,
    checking that they come back equal;
(d) ``amend([base], proposals)`` runs ``--repeat`` times in this process (after a
    ``gc.collect()``); the median is the figure. The first run's amended text is checked
    against the text the generator modelled, clause by clause.

Every change should apply: a problem means a bug in the generator or in the engine, and the
first few are printed. With ``--conflicts K``, K changes are made to conflict on purpose and
exactly K "conflict" problems are expected.

Usage::

    python benchmarks/bench_amend.py [--clauses 10000] [--proposals 500] [--changes 3000]
                                     [--repeat 3] [--seed 0] [--conflicts 0]
                                     [--out benchmarks/out] [--json]
    python benchmarks/bench_amend.py --profile [--profile-sort tottime]

``--profile`` runs amend once under cProfile and prints the top 25 functions by cumulative
time (or ``--profile-sort tottime``).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from benchlib import add_profile_sort, add_standard_options, print_profile  # noqa: E402
from make_irps import Generated, generate, summary, write_irps  # noqa: E402
from make_spec import cached_spec  # noqa: E402

from spectrace.api import load_document  # noqa: E402
from spectrace.model import Document  # noqa: E402
from spectrace.model.revision import Amendment  # noqa: E402
from spectrace.readers.rst.irp import read_rst_irp  # noqa: E402
from spectrace.transforms.amend import amend  # noqa: E402
from spectrace.transforms.amend.units import ClauseState  # noqa: E402

TARGET_SECONDS = 5.0
DOCUMENT, EDITION = "SYN", "1"
SHOW_PROBLEMS = 10


# ---------------------------------------------------------------------------------------------
# Steps
# ---------------------------------------------------------------------------------------------


def prepare(args: argparse.Namespace) -> tuple[Document, Generated, dict]:
    """Steps (a) and (b): the base document and the proposals, with their timings."""
    source = cached_spec(args.out, args.clauses, args.seed)
    started = time.perf_counter()
    base = load_document(source, DOCUMENT, EDITION)
    read_s = time.perf_counter() - started
    started = time.perf_counter()
    made = generate(base, args.proposals, args.changes, args.seed, args.conflicts)
    info = {
        "spec": str(source),
        "clauses": len(base.clauses),
        "statements": sum(1 for _ in base.statements()),
        "read_spec_s": read_s,
        "generate_s": time.perf_counter() - started,
        **summary(made.proposals),
    }
    return base, made, info


def round_trip(made: Generated, out: Path) -> dict:
    """Step (c): write the IRP-as-code files, time reading them back, compare."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="irps-", dir=out) as tmp:
        paths = write_irps(made.proposals, Path(tmp))
        size = sum(path.stat().st_size for path in paths)
        started = time.perf_counter()
        back = [read_rst_irp(path) for path in paths]
        read_s = time.perf_counter() - started
    unequal = [a.irp for a, b in zip(made.proposals, back, strict=True) if a != b]
    return {
        "irp_files": len(paths),
        "irp_kib": size / 1024,
        "read_irps_s": read_s,
        "unequal": unequal,
    }


def timed_amend(base: Document, made: Generated) -> tuple[float, Amendment]:
    """One run of step (d)."""
    gc.collect()
    started = time.perf_counter()
    result = amend([base], made.proposals)
    return time.perf_counter() - started, result


def check_text(base: Document, made: Generated, result: Amendment) -> dict:
    """Compare the amended clauses with the generator's model and the base."""
    amended = result.documents[0]
    changed, wrong = [], []
    for old, new in zip(base.clauses, amended.clauses, strict=True):
        lines = ClauseState(new).lines()
        if lines != ClauseState(old).lines():
            changed.append(new.number)
        if new.number in made.expected and lines != made.expected[new.number]:
            wrong.append(new.number)
    terms = {entry.term for entry in amended.glossary}
    return {
        "clauses_changed": len(changed),
        "clauses_targeted": len(made.expected),
        "unexpected_changes": sorted(set(changed) - set(made.expected)),
        "not_as_modelled": wrong,
        "terms_added": len(amended.glossary) - len(base.glossary),
        "terms_missing": [term for term in made.terms if term not in terms],
    }


# ---------------------------------------------------------------------------------------------
# Modes
# ---------------------------------------------------------------------------------------------


def benchmark(args: argparse.Namespace) -> int:
    base, made, info = prepare(args)
    print(
        f"base: {info['clauses']} clauses, {info['statements']} statements "
        f"(read in {info['read_spec_s']:.2f} s); {info['proposals']} proposals with "
        f"{info['changes']} changes generated in {info['generate_s']:.2f} s",
        file=sys.stderr,
    )
    info |= round_trip(made, args.out)
    runs, result = [], None
    for index in range(args.repeat):
        seconds, amended = timed_amend(base, made)
        runs.append(seconds)
        result = result or amended
        print(f"amend run {index + 1}/{args.repeat}: {seconds:.2f} s", file=sys.stderr)
    median = statistics.median(runs)
    problems = Counter(problem.kind for problem in result.problems)
    expected = {"conflict": args.conflicts} if args.conflicts else {}
    text = check_text(base, made, result)
    text_ok = not (text["unexpected_changes"] or text["not_as_modelled"] or text["terms_missing"])
    report = {
        **info,
        "revisions": len(result.revisions),
        "problems": len(result.problems),
        "problem_kinds": dict(problems),
        "first_problems": [str(problem) for problem in result.problems[:SHOW_PROBLEMS]],
        "amend_runs_s": runs,
        "amend_s": median,
        "per_change_ms": median / info["changes"] * 1000,
        "text": text,
        "target_s": TARGET_SECONDS,
        "passed": median < TARGET_SECONDS,
        "correct": dict(problems) == expected and text_ok and not info["unequal"],
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print("\n".join(lines(report, args)))
    return 0 if report["passed"] and report["correct"] else 1


def lines(r: dict, args: argparse.Namespace) -> list[str]:
    """The human-readable report."""
    text = r["text"]
    out = [
        f"base               {r['clauses']} clauses, {r['statements']} statements ({r['spec']})",
        f"proposals          {r['proposals']}",
        f"changes            {r['changes']}  "
        + ", ".join(f"{kind} {count}" for kind, count in r["kinds"].items()),
        f"applied revisions  {r['revisions']}",
        f"problems           {r['problems']}"
        + (f"  {r['problem_kinds']}" if r["problems"] else "")
        + (f" (expected {args.conflicts} conflicts)" if args.conflicts else ""),
    ]
    out += [f"  {problem}" for problem in r["first_problems"]]
    out += [
        f"text check         {text['clauses_changed']} clauses changed, "
        f"{text['clauses_targeted']} targeted; {len(text['not_as_modelled'])} not as modelled, "
        f"{len(text['unexpected_changes'])} changed untargeted; {text['terms_added']} terms "
        f"added, {len(text['terms_missing'])} missing",
        f"read spec          {r['read_spec_s']:.2f} s   (informative, not timed for the target)",
        f"generate IRPs      {r['generate_s']:.2f} s",
        f"read IRP files     {r['read_irps_s']:.2f} s for {r['irp_files']} files "
        f"({r['irp_kib']:.0f} KiB); {len(r['unequal'])} differ from the generated proposals",
        "amend runs         " + ", ".join(f"{s:.2f}" for s in r["amend_runs_s"]) + " s",
        f"amend (median)     {r['amend_s']:.2f} s = {r['per_change_ms']:.2f} ms per change",
        "",
        f"target ({r['proposals']} IRPs / {r['changes']} changes / {r['clauses']} clauses, "
        f"< {TARGET_SECONDS:.0f} s): {'PASS' if r['passed'] else 'FAIL'} - "
        f"amend {r['amend_s']:.2f} s",
    ]
    if not r["correct"]:
        out.append("correctness: FAIL - see the problems / text check above")
    return out


def profile(args: argparse.Namespace) -> int:
    """Run amend once under cProfile and print the top functions."""
    base, made, info = prepare(args)
    gc.collect()
    profiler = cProfile.Profile()
    profiler.enable()
    result = amend([base], made.proposals)
    profiler.disable()
    print(
        f"{info['proposals']} proposals, {info['changes']} changes, {len(result.revisions)} "
        f"revisions, {len(result.problems)} problems"
    )
    print_profile(profiler, args.profile_sort)
    return 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clauses", type=int, default=10_000, help="spec size (10000)")
    parser.add_argument("--proposals", type=int, default=500, help="IRPs (500)")
    parser.add_argument("--changes", type=int, default=3000, help="changes in all (3000)")
    parser.add_argument("--conflicts", type=int, default=0, help="changes meant to conflict")
    add_standard_options(parser, repeat="amend runs", seed="spec and IRP")
    parser.add_argument("--profile", action="store_true", help="cProfile one amend run")
    add_profile_sort(parser)
    args = parser.parse_args(argv)
    if min(args.clauses, args.proposals, args.changes, args.repeat) < 1:
        parser.error("--clauses, --proposals, --changes and --repeat must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    return profile(args) if args.profile else benchmark(args)


if __name__ == "__main__":
    sys.exit(main())
