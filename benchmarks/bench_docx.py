"""Benchmark the Word writer: the clean and the redline .docx of a 10,000-clause amended edition.

The target (from the Word output issue): the Word writer writes the redline of a 10,000-clause
edition in under 10 s.

Steps (only (d) counts for the target; the others are reported for information):

(a) the synthetic specification is generated once with ``make_spec.py`` and cached in ``--out``
    as ``spec-N-sSEED.docx`` (the cache ``bench_amend.py`` and ``bench_import.py`` use), then
    read once with ``spectrace.api.load_document``;
(b) ``make_irps.generate`` builds the proposals against it and ``amend([base], proposals)``
    applies them (as ``bench_amend.py`` does);
(c) the clean edition is written with ``write_docx``;
(d) the redline: ``mark_edition`` + ``mark_glossary`` (what ``write_editions`` does before
    writing) and ``write_docx`` with the marks, ``--repeat`` times (after a ``gc.collect()``);
    the median of mark + write is the figure.

With ``--check`` both files are read back with spectrace's own Word reader and compared with
the amended edition (slow; informative).

Usage::

    python benchmarks/bench_docx.py [--clauses 10000] [--proposals 500] [--changes 3000]
                                    [--repeat 3] [--seed 0] [--out benchmarks/out] [--check]
                                    [--json]
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from bench_amend import DOCUMENT, EDITION  # noqa: E402
from benchlib import add_standard_options  # noqa: E402
from make_irps import generate  # noqa: E402
from make_spec import cached_spec  # noqa: E402

from spectrace.api import load_document  # noqa: E402
from spectrace.model import Document, Revision  # noqa: E402
from spectrace.readers.docx.spec import read_docx_spec  # noqa: E402
from spectrace.transforms.amend import amend  # noqa: E402
from spectrace.transforms.marks import mark_edition, mark_glossary  # noqa: E402
from spectrace.writers.docx import write_docx  # noqa: E402

TARGET_SECONDS = 10.0


def prepare(args: argparse.Namespace) -> tuple[Document, Document, list[Revision], dict, dict]:
    """Steps (a) and (b): the base, the amended edition, its revisions and the proposals."""
    source = cached_spec(args.out, args.clauses, args.seed)
    started = time.perf_counter()
    base = load_document(source, DOCUMENT, EDITION)
    read_s = time.perf_counter() - started
    made = generate(base, args.proposals, args.changes, args.seed)
    started = time.perf_counter()
    result = amend([base], made.proposals)
    info = {
        "spec": str(source),
        "clauses": len(base.clauses),
        "proposals": len(made.proposals),
        "changes": sum(len(p.changes) for p in made.proposals),
        "revisions": len(result.revisions),
        "problems": len(result.problems),
        "read_spec_s": read_s,
        "amend_s": time.perf_counter() - started,
    }
    proposals = {proposal.irp: proposal for proposal in made.proposals}
    return base, result.documents[0], result.revisions, proposals, info


def timed_redline(
    base: Document, amended: Document, revisions: list[Revision], proposals: dict, path: Path
) -> tuple[float, float]:
    """One run of step (d): seconds to mark, seconds to write."""
    gc.collect()
    started = time.perf_counter()
    clauses = mark_edition(base, amended, revisions)
    glossary = mark_glossary(base, amended, revisions)
    marked = time.perf_counter()
    write_docx(amended, path, clauses=clauses, glossary=glossary, proposals=proposals)
    return marked - started, time.perf_counter() - marked


def check(amended: Document, paths: list[Path]) -> dict[str, bool]:
    """Read each file back and compare clause numbers, titles and block texts."""

    def shape(document: Document) -> list:
        return [
            (c.number, c.title, c.level, [(b.kind, b.text, b.label) for b in c.blocks])
            for c in document.clauses
        ]

    wanted = shape(amended)
    return {
        path.name: shape(read_docx_spec(path, amended.name, amended.edition)) == wanted
        for path in paths
    }


def benchmark(args: argparse.Namespace) -> int:
    base, amended, revisions, proposals, info = prepare(args)
    print(
        f"base: {info['clauses']} clauses (read in {info['read_spec_s']:.2f} s); "
        f"{info['proposals']} proposals, {info['revisions']} revisions applied in "
        f"{info['amend_s']:.2f} s",
        file=sys.stderr,
    )
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="docx-", dir=args.out) as tmp:
        clean, redline = Path(tmp) / "clean.docx", Path(tmp) / "redline.docx"
        gc.collect()
        started = time.perf_counter()
        write_docx(amended, clean)
        clean_s = time.perf_counter() - started
        runs = []
        for index in range(args.repeat):
            mark_s, write_s = timed_redline(base, amended, revisions, proposals, redline)
            runs.append((mark_s, write_s))
            print(
                f"redline run {index + 1}/{args.repeat}: mark {mark_s:.2f} s + write "
                f"{write_s:.2f} s",
                file=sys.stderr,
            )
        sizes = {
            "clean_kib": clean.stat().st_size / 1024,
            "redline_kib": redline.stat().st_size / 1024,
        }
        checked = check(amended, [clean, redline]) if args.check else {}
    totals = [mark + write for mark, write in runs]
    median = statistics.median(totals)
    report = {
        **info,
        **sizes,
        "clean_s": clean_s,
        "redline_mark_s": statistics.median(m for m, _ in runs),
        "redline_write_s": statistics.median(w for _, w in runs),
        "redline_runs_s": totals,
        "redline_s": median,
        "read_back": checked,
        "target_s": TARGET_SECONDS,
        "passed": median < TARGET_SECONDS and all(checked.values()),
    }
    print(json.dumps(report, indent=2) if args.json else "\n".join(lines(report)))
    return 0 if report["passed"] else 1


def lines(r: dict) -> list[str]:
    """The human-readable report."""
    out = [
        f"edition            {r['clauses']} clauses amended by {r['proposals']} proposals "
        f"({r['revisions']} revisions, {r['problems']} problems)",
        f"clean .docx        {r['clean_s']:.2f} s  ({r['clean_kib']:.0f} KiB)",
        f"redline marks      {r['redline_mark_s']:.2f} s  (mark_edition + mark_glossary)",
        f"redline .docx      {r['redline_write_s']:.2f} s  ({r['redline_kib']:.0f} KiB)",
        "redline runs       " + ", ".join(f"{s:.2f}" for s in r["redline_runs_s"]) + " s",
    ]
    out += [
        f"read back          {name}: {'ok' if ok else 'DIFFERS'}"
        for name, ok in r["read_back"].items()
    ]
    out += [
        "",
        f"target (redline of {r['clauses']} clauses, marks + write < {TARGET_SECONDS:.0f} s): "
        f"{'PASS' if r['passed'] else 'FAIL'} - {r['redline_s']:.2f} s",
    ]
    return out


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clauses", type=int, default=10_000, help="spec size (10000)")
    parser.add_argument("--proposals", type=int, default=500, help="IRPs (500)")
    parser.add_argument("--changes", type=int, default=3000, help="changes in all (3000)")
    add_standard_options(parser, repeat="redline runs", seed="spec and IRP")
    parser.add_argument("--check", action="store_true", help="read both files back (slow)")
    args = parser.parse_args(argv)
    if min(args.clauses, args.proposals, args.changes, args.repeat) < 1:
        parser.error("--clauses, --proposals, --changes and --repeat must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    return benchmark(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
