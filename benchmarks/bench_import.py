"""Benchmark importing a Word specification: read it, write the requirement database.

The target (from the performance issue): a 10,000-clause specification (about 800 pages) is
read and written to the database in under 10 s with under 1 GiB peak memory, and the time
grows linearly with the number of clauses N (reported at 1k, 10k and 50k).

For each size the synthetic specification is generated once with ``make_spec.py`` and cached
in ``--out`` as ``spec-N-sSEED.docx`` (generation is not timed). Each repeat is one fresh
child process (this script with the hidden ``--child`` option), so the peak resident memory
(``ru_maxrss``) belongs to that run alone. The child imports spectrace first (not timed), then
times with ``time.perf_counter``:

(a) read   ``spectrace.api.load_document``: read the .docx, segment and analyse statements;
(b) db     ``spectrace.store.write_database`` to a temporary file;
(c) rst    ``spectrace.writers.rst.render`` plus writing the files (``fileio.write_tree``),
           the spec-as-code that ``spectrace import spec`` writes; informative only.

"peak MiB" is the peak RSS after (a)+(b), the quantity the target bounds; the child also
reports the peak after (c). The table shows medians of the repeats for times and the maximum
for memory; "s/1k" is the read+db median per 1,000 clauses. Linearity is the ratio of the
per-clause read+db time at the largest size to that at the smallest (1.0 = exactly linear).

Usage::

    python benchmarks/bench_import.py [--sizes 1000 10000 50000] [--repeat 3]
                                      [--out benchmarks/out] [--seed 0] [--json]
    python benchmarks/bench_import.py --profile 10000 [--profile-sort tottime]

``--profile SIZE`` runs read+db once in-process under cProfile and prints the top 25
functions by cumulative time (or ``--profile-sort tottime``).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from benchlib import add_profile_sort, add_standard_options, print_profile  # noqa: E402
from make_spec import cached_spec  # noqa: E402

DEFAULT_SIZES = (1000, 10000, 50000)
TARGET_SIZE = 10_000
TARGET_SECONDS = 10.0
TARGET_MIB = 1024.0
LINEAR_TOLERANCE = 1.5
DOCUMENT, EDITION = "BENCH", "1.0"

# ---------------------------------------------------------------------------------------------
# Input files
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# One measurement (runs in the child process)
# ---------------------------------------------------------------------------------------------


def peak_mib() -> float:
    """Peak resident memory of this process so far, in MiB (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read_and_store(source: Path, database: Path):
    """Steps (a) and (b); return the document and the two durations."""
    from spectrace.api import load_document
    from spectrace.store import write_database
    from spectrace.transforms.statements import Vocabulary

    vocabulary = Vocabulary()
    started = time.perf_counter()
    document = load_document(source, DOCUMENT, EDITION, vocabulary)
    read_done = time.perf_counter()
    write_database([document], database, vocabulary)
    return document, read_done - started, time.perf_counter() - read_done


def write_rst(document, target: Path) -> float:
    """Step (c): render spec-as-code and write its files; return the duration."""
    from spectrace.fileio import write_tree
    from spectrace.writers import rst

    started = time.perf_counter()
    write_tree(rst.render(document), target)
    return time.perf_counter() - started


def measure(source: Path, scratch: Path) -> dict:
    """Time (a), (b), (c) on ``source`` once, writing into a temporary folder under ``scratch``."""
    import spectrace.api
    import spectrace.store
    import spectrace.writers.rst  # noqa: F401  (imports are not part of the timings)

    scratch.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-", dir=scratch) as tmp:
        document, read_s, db_s = read_and_store(source, Path(tmp) / "spectrace.db")
        peak = peak_mib()
        db_bytes = (Path(tmp) / "spectrace.db").stat().st_size
        rst_s = write_rst(document, Path(tmp) / "specs" / DOCUMENT / EDITION)
    return {
        "clauses": len(document.clauses),
        "statements": sum(1 for _ in document.statements()),
        "glossary": len(document.glossary),
        "read_s": read_s,
        "db_s": db_s,
        "rst_s": rst_s,
        "peak_mib": peak,
        "peak_with_rst_mib": peak_mib(),
        "db_bytes": db_bytes,
    }


def run_child(source: Path, scratch: Path) -> dict:
    """Run :func:`measure` in a fresh interpreter and return its JSON result."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(source)]
    command += ["--out", str(scratch)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark child failed on {source}:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------
# Summaries and verdicts
# ---------------------------------------------------------------------------------------------


def summarise(size: int, source: Path, runs: list[dict]) -> dict:
    """Medians of the timings and the maximum peak over the repeats of one size."""
    first = runs[0]
    total = statistics.median(r["read_s"] + r["db_s"] for r in runs)
    return {
        "size": size,
        "file": str(source),
        "file_mib": source.stat().st_size / 2**20,
        "clauses": first["clauses"],
        "statements": first["statements"],
        "read_s": statistics.median(r["read_s"] for r in runs),
        "db_s": statistics.median(r["db_s"] for r in runs),
        "read_db_s": total,
        "rst_s": statistics.median(r["rst_s"] for r in runs),
        "peak_mib": max(r["peak_mib"] for r in runs),
        "peak_with_rst_mib": max(r["peak_with_rst_mib"] for r in runs),
        "per_1k_s": total / first["clauses"] * 1000,
        "runs": runs,
    }


def target_verdict(results: list[dict]) -> dict | None:
    """PASS/FAIL of the 10k-clause target (time and memory), or None if 10k was not run."""
    row = next((r for r in results if r["size"] == TARGET_SIZE), None)
    if row is None:
        return None
    time_ok = row["read_db_s"] < TARGET_SECONDS
    memory_ok = row["peak_mib"] < TARGET_MIB
    return {
        "size": TARGET_SIZE,
        "read_db_s": row["read_db_s"],
        "peak_mib": row["peak_mib"],
        "time_ok": time_ok,
        "memory_ok": memory_ok,
        "passed": time_ok and memory_ok,
    }


def linearity(results: list[dict]) -> dict | None:
    """Per-clause read+db time at the largest size divided by that at the smallest."""
    if len(results) < 2:
        return None
    small = min(results, key=lambda r: r["clauses"])
    large = max(results, key=lambda r: r["clauses"])
    ratio = large["per_1k_s"] / small["per_1k_s"]
    return {
        "smallest": small["size"],
        "largest": large["size"],
        "ratio": ratio,
        "linear": ratio <= LINEAR_TOLERANCE,
    }


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------

COLUMNS = (  # (header, width, format spec, result key)
    ("size", 6, "d", "size"),
    ("clauses", 7, "d", "clauses"),
    ("statements", 10, "d", "statements"),
    ("read s", 7, ".2f", "read_s"),
    ("db s", 6, ".2f", "db_s"),
    ("read+db s", 9, ".2f", "read_db_s"),
    ("rst s", 6, ".2f", "rst_s"),
    ("peak MiB", 8, ".0f", "peak_mib"),
    ("s/1k clauses", 12, ".3f", "per_1k_s"),
)


def table(results: list[dict]) -> str:
    """The result table, one row per size."""
    header = "  ".join(name.rjust(width) for name, width, _, _ in COLUMNS)
    lines = [header, "-" * len(header)]
    for row in results:
        cells = (format(row[key], spec).rjust(width) for _, width, spec, key in COLUMNS)
        lines.append("  ".join(cells))
    return "\n".join(lines)


def verdict_lines(target: dict | None, linear: dict | None) -> list[str]:
    """The human-readable PASS/FAIL judgements."""
    lines = []
    if target is None:
        lines.append(f"target ({TARGET_SIZE} clauses): not measured (add {TARGET_SIZE} to --sizes)")
    else:
        lines.append(
            f"target ({TARGET_SIZE} clauses, < {TARGET_SECONDS:.0f} s and < 1 GiB): "
            f"{'PASS' if target['passed'] else 'FAIL'} - read+db {target['read_db_s']:.2f} s "
            f"[{'ok' if target['time_ok'] else 'too slow'}], peak {target['peak_mib']:.0f} MiB "
            f"[{'ok' if target['memory_ok'] else 'too much'}]"
        )
    if linear is None:
        lines.append("linearity: needs at least two sizes")
    else:
        lines.append(
            f"linearity ({linear['largest']} vs {linear['smallest']} clauses, per-clause time "
            f"ratio, <= {LINEAR_TOLERANCE} counts as linear): "
            f"{'PASS' if linear['linear'] else 'FAIL'} - ratio {linear['ratio']:.2f}"
        )
    return lines


# ---------------------------------------------------------------------------------------------
# Modes
# ---------------------------------------------------------------------------------------------


def benchmark(sizes: list[int], repeat: int, out: Path, seed: int, as_json: bool) -> int:
    """Measure every size ``repeat`` times in child processes and print the results."""
    sources = {size: cached_spec(out, size, seed) for size in sizes}
    results = []
    for size in sizes:
        runs = []
        for index in range(repeat):
            runs.append(run_child(sources[size], out))
            last = runs[-1]
            print(
                f"{size:>6} clauses run {index + 1}/{repeat}: read {last['read_s']:.2f} s, "
                f"db {last['db_s']:.2f} s, rst {last['rst_s']:.2f} s, "
                f"peak {last['peak_mib']:.0f} MiB",
                file=sys.stderr,
            )
        results.append(summarise(size, sources[size], runs))
    target, linear = target_verdict(results), linearity(results)
    if as_json:
        print(json.dumps({"results": results, "target": target, "linearity": linear}, indent=2))
    else:
        print(table(results))
        print()
        print("\n".join(verdict_lines(target, linear)))
    return 0 if target is None or target["passed"] else 1


def profile(size: int, out: Path, seed: int, sort: str) -> int:
    """Run read+db once in-process under cProfile and print the top functions."""
    source = cached_spec(out, size, seed)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="profile-", dir=out) as tmp:
        profiler = cProfile.Profile()
        profiler.enable()
        read_and_store(source, Path(tmp) / "spectrace.db")
        profiler.disable()
    print_profile(profiler, sort)
    return 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES), help="clause counts"
    )
    add_standard_options(parser, repeat="runs per size", seed="make_spec")
    parser.add_argument("--profile", type=int, metavar="SIZE", help="cProfile read+db once")
    add_profile_sort(parser)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeat < 1 or min(args.sizes) < 1:
        parser.error("--repeat and --sizes must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child is not None:
        print(json.dumps(measure(args.child, args.out)))
        return 0
    if args.profile is not None:
        return profile(args.profile, args.out, args.seed, args.profile_sort)
    return benchmark(args.sizes, args.repeat, args.out, args.seed, args.json)


if __name__ == "__main__":
    sys.exit(main())
