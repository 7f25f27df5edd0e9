"""Benchmark publishing HTML: spectrace's site against sphinx-needs for one 10,000-clause edition.

The target (from the publishing issue): ``spectrace build``'s HTML for a generated
10,000-clause edition takes at most half the time sphinx-needs takes to build the same
10,000 requirements as ``.. req::`` needs with a ``.. needtable::``.

Steps:

(a) the synthetic specification is generated once with ``make_spec.py`` and cached in ``--out``
    as ``spec-N-sSEED.docx`` (the cache ``bench_import.py`` and ``bench_amend.py`` use), then
    read once with ``spectrace.api.load_document`` (not timed);
(b) spectrace: ``write_site_sources`` (one edition, no proposals) plus ``build_html`` with
    ``--jobs`` Sphinx processes, timed together in a fresh process per run (as ``spectrace
    build`` runs; the child unpickles the document before its clock starts), ``--repeat``
    times (median);
(c) sphinx-needs: a Sphinx project with one ``.. req::`` per clause (``:id:`` from the clause
    number, the clause title as the need's title, its text as content), one page per top-level
    clause like spectrace's, and a ``.. needtable::`` of all needs on the index page. It is
    built with ``sphinx-build -W -b html -j JOBS`` from a separate virtual environment,
    ``--out/needs-venv`` (``python3.11 -m venv``; ``pip install sphinx sphinx-needs``), created
    on first use: sphinx-needs is never a dependency of spectrace. Writing the sources is not
    timed; the build is, ``--repeat`` times (median);
(d) for information, sphinx-needs again with the garbage-collector thresholds spectrace's
    ``build_html`` uses (``GC_THRESHOLDS``), so the report shows how much of the difference
    that setting alone makes.

Both tools build from nothing (fresh environment and output), warnings as errors, with the same
theme and comparable HTML settings (sphinx-needs gets the lighter sidebars). PASS when
spectrace's median is at most half of sphinx-needs' (c).

Usage::

    python benchmarks/bench_html.py [--clauses 10000] [--jobs 2] [--repeat 3]
                                    [--out benchmarks/out] [--seed 0] [--json]
    python benchmarks/bench_html.py --profile [--jobs 1] [--profile-sort tottime]

``--profile`` runs spectrace's part once in-process under cProfile (serially unless ``--jobs``
says otherwise: worker processes are not profiled) and prints the top 30 functions.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import pickle
import shutil
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

from spectrace.api import load_document  # noqa: E402
from spectrace.model import BlockKind, Document  # noqa: E402
from spectrace.model.revision import Amendment  # noqa: E402
from spectrace.site import build_html, write_site_sources  # noqa: E402
from spectrace.site.build import GC_THRESHOLDS  # noqa: E402
from spectrace.writers.rst_text import block  # noqa: E402

DOCUMENT, EDITION = "SYN", "1"
TARGET_RATIO = 0.5
PROFILE_LINES = 30
NEEDS_PACKAGES = ("sphinx", "sphinx-needs")

NEEDS_CONF = """\
project = "sphinx-needs benchmark"
extensions = ["sphinx_needs"]
needs_id_regex = r"^[A-Z0-9_]{3,}"
needs_build_json = False
smartquotes = False
html_theme = "alabaster"
# The sidebars of spectrace's site, less its edition list: no whole-site toctree per page.
html_sidebars = {"**": ["searchbox.html", "localtoc.html", "relations.html"]}
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False
html_use_index = False
html_domain_indices = False
"""


# ---------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------


def needs_python(out: Path) -> Path:
    """Return the Python of the sphinx-needs environment, creating it on first use."""
    venv = out / "needs-venv"
    python = venv / "bin" / "python"
    if not python.is_file():
        print(f"creating {venv} (pip install {' '.join(NEEDS_PACKAGES)})", file=sys.stderr)
        subprocess.run(["python3.11", "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *NEEDS_PACKAGES], check=True)
    return python


def needs_sources(document: Document, folder: Path) -> int:
    """Write the sphinx-needs project of ``document``: one need per clause; return the count."""
    pages: dict[str, list[str]] = {}
    page = None
    top = min(clause.level for clause in document.clauses)
    count = 0
    for clause in document.clauses:
        if clause.level == top or page is None:
            page = f"section-{len(pages) + 1:03d}"
            title = block(f"{clause.number or ''} {clause.title}".strip())
            pages[page] = [title, "=" * max(len(title), 1), ""]
        if clause.number is None:
            continue
        count += 1
        need_id = f"{DOCUMENT}_{clause.number.replace('.', '_')}"
        lines = [
            f".. req:: {' '.join(clause.title.split()) or clause.number}",
            f"   :id: {need_id}",
            "",
        ]
        for item in clause.blocks:
            text = (
                " | ".join(" ".join(row) for row in item.rows)
                if item.kind is BlockKind.TABLE
                else item.text
            )
            if text.strip():
                lines += [f"   {block(' '.join(text.split()))}", ""]
        pages[page] += lines
    folder.mkdir(parents=True)
    (folder / "conf.py").write_text(NEEDS_CONF, encoding="utf-8")
    index = ["Requirements", "============", "", ".. toctree::", "   :maxdepth: 1", ""]
    index += [f"   {name}" for name in pages]
    index += ["", ".. needtable::", "   :columns: id;title;status", "   :style: table", ""]
    (folder / "index.rst").write_text("\n".join(index), encoding="utf-8")
    for name, lines in pages.items():
        (folder / f"{name}.rst").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return count


# ---------------------------------------------------------------------------------------------
# Timed runs
# ---------------------------------------------------------------------------------------------


def spectrace_run(document: Document, scratch: Path, jobs: int) -> float:
    """One timed spectrace run in this process: write the site's sources and build them."""
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    gc.collect()
    started = time.perf_counter()
    write_site_sources(None, [document], Amendment(documents=[document]), [], scratch / "src")
    build_html(scratch / "src", scratch / "html", parallel=jobs)
    return time.perf_counter() - started


def spectrace_child(document: Path, scratch: Path, jobs: int) -> float:
    """One timed spectrace run in a fresh process, as ``spectrace build`` runs (the child
    unpickles the document before its clock starts)."""
    command = [sys.executable, __file__, "--child", str(document), str(scratch), str(jobs)]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"spectrace build failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)["seconds"]


def child(argv: list[str]) -> int:
    """The child of :func:`spectrace_child`: DOCUMENT.pickle SCRATCH JOBS."""
    document, scratch, jobs = Path(argv[0]), Path(argv[1]), int(argv[2])
    with document.open("rb") as handle:
        loaded = pickle.load(handle)
    print(json.dumps({"seconds": spectrace_run(loaded, scratch, jobs)}))
    return 0


def needs_run(python: Path, source: Path, scratch: Path, jobs: int, *, tuned: bool) -> float:
    """One timed sphinx-needs build from nothing, warnings as errors: ``sphinx-build`` as it
    comes, or (``tuned``) with the garbage-collector thresholds spectrace builds with."""
    shutil.rmtree(scratch, ignore_errors=True)
    arguments = ["-W", "-q", "-E", "-b", "html", "-j", str(jobs)]
    arguments += ["-d", str(scratch / "doctrees"), str(source), str(scratch / "html")]
    setup = f"import gc; gc.set_threshold{GC_THRESHOLDS!r}; " if tuned else ""
    code = f"import sys; {setup}from sphinx.cmd.build import main; sys.exit(main({arguments!r}))"
    started = time.perf_counter()
    result = subprocess.run([str(python), "-c", code], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode:
        raise SystemExit(f"sphinx-needs build failed:\n{result.stderr[-3000:]}")
    return seconds


# ---------------------------------------------------------------------------------------------
# Modes
# ---------------------------------------------------------------------------------------------


def prepare(args: argparse.Namespace) -> tuple[Document, dict]:
    source = cached_spec(args.out, args.clauses, args.seed)
    started = time.perf_counter()
    document = load_document(source, DOCUMENT, EDITION)
    return document, {
        "spec": str(source),
        "clauses": len(document.clauses),
        "statements": sum(1 for _ in document.statements()),
        "terms": len(document.glossary),
        "read_spec_s": time.perf_counter() - started,
    }


def _repeat(what: str, repeat: int, run) -> list[float]:
    runs = []
    for index in range(repeat):
        runs.append(run())
        print(f"{what} run {index + 1}/{repeat}: {runs[-1]:.1f} s", file=sys.stderr)
    return runs


def benchmark(args: argparse.Namespace) -> int:
    document, info = prepare(args)
    python = needs_python(args.out)
    with tempfile.TemporaryDirectory(prefix="bench-html-", dir=args.out) as tmp:
        scratch = Path(tmp)
        pickled = scratch / "document.pickle"
        with pickled.open("wb") as handle:
            pickle.dump(document, handle, pickle.HIGHEST_PROTOCOL)
        site = scratch / "spectrace"
        runs = _repeat("spectrace", args.repeat, lambda: spectrace_child(pickled, site, args.jobs))
        info["pages"] = len(list((site / "html").rglob("*.html")))
        info["needs"] = needs_sources(document, scratch / "needs-src")
        needs_build = scratch / "needs"

        def needs(tuned: bool) -> float:
            return needs_run(python, scratch / "needs-src", needs_build, args.jobs, tuned=tuned)

        plain = _repeat("sphinx-needs", args.repeat, lambda: needs(False))
        tuned = _repeat("sphinx-needs (GC tuned)", args.repeat, lambda: needs(True))
    spectrace_s, needs_s = statistics.median(runs), statistics.median(plain)
    tuned_s = statistics.median(tuned)
    report = {
        **info,
        "jobs": args.jobs,
        "cpus": os.cpu_count(),
        "spectrace_runs_s": runs,
        "needs_runs_s": plain,
        "needs_tuned_runs_s": tuned,
        "spectrace_s": spectrace_s,
        "needs_s": needs_s,
        "needs_tuned_s": tuned_s,
        "ratio": spectrace_s / needs_s,
        "ratio_tuned": spectrace_s / tuned_s,
        "target_ratio": TARGET_RATIO,
        "passed": spectrace_s <= TARGET_RATIO * needs_s,
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print("\n".join(lines(report)))
    return 0 if report["passed"] else 1


def lines(r: dict) -> list[str]:
    def runs(key: str) -> str:
        return ", ".join(f"{s:.1f}" for s in r[key])

    return [
        f"edition        {r['clauses']} clauses, {r['statements']} statements, {r['terms']} "
        f"terms ({r['spec']}; read in {r['read_spec_s']:.1f} s, not timed)",
        f"machine        {r['cpus']} CPUs; every build with -j {r['jobs']}, from nothing",
        f"spectrace      {r['pages']} HTML pages: {runs('spectrace_runs_s')} s "
        f"(median {r['spectrace_s']:.1f} s; sources + Sphinx HTML, fresh process each)",
        f"sphinx-needs   {r['needs']} needs + needtable: {runs('needs_runs_s')} s "
        f"(median {r['needs_s']:.1f} s; sphinx-build)",
        f"  GC tuned     {runs('needs_tuned_runs_s')} s (median {r['needs_tuned_s']:.1f} s; "
        f"sphinx-build with spectrace's collector thresholds {GC_THRESHOLDS}; informative: "
        f"spectrace = {r['ratio_tuned']:.0%} of it)",
        "",
        f"target (spectrace <= {r['target_ratio']:.0%} of sphinx-needs): "
        f"{'PASS' if r['passed'] else 'FAIL'} - {r['spectrace_s']:.1f} s vs {r['needs_s']:.1f} s "
        f"= {r['ratio']:.0%}",
    ]


def profile(args: argparse.Namespace) -> int:
    document, _ = prepare(args)
    with tempfile.TemporaryDirectory(prefix="bench-html-", dir=args.out) as tmp:
        profiler = cProfile.Profile()
        profiler.enable()
        seconds = spectrace_run(document, Path(tmp) / "spectrace", args.jobs)
        profiler.disable()
    print(f"spectrace run: {seconds:.1f} s (under the profiler)")
    print_profile(profiler, args.profile_sort, PROFILE_LINES)
    return 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clauses", type=int, default=10_000, help="spec size (10000)")
    parser.add_argument("--jobs", type=int, default=None, help="Sphinx -j (2; 1 for --profile)")
    add_standard_options(parser, repeat="runs of each build", seed="spec")
    parser.add_argument("--profile", action="store_true", help="cProfile one spectrace run")
    add_profile_sort(parser)
    args = parser.parse_args(argv)
    if args.jobs is None:
        args.jobs = 1 if args.profile else 2
    if min(args.clauses, args.repeat, args.jobs) < 1:
        parser.error("--clauses, --repeat and --jobs must be positive")
    args.out = args.out.resolve()
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return child(argv[1:])
    args = parse_args(argv)
    return profile(args) if args.profile else benchmark(args)


if __name__ == "__main__":
    sys.exit(main())
