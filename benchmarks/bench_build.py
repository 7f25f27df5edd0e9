"""Benchmark the whole ``spectrace build`` command, as a user runs it, beside Sphinx + sphinx-needs.

The targets (from the issue "incremental, model-fed publishing"), on the 2-core machine, for a
generated 10,000-clause edition unless said otherwise:

- cold build (nothing built, no cache) at most 0.1x the time of a sphinx-needs build from nothing;
- no-op build (nothing changed since the last build) under 0.5 s;
- one sentence changed: the build after one word of one statement changed, under 1 s;
- 500 IRPs with 3,000 changes: a cold build of the project listing them under 10 s, and the
  build after adding one more small IRP under 2 s;
- peak memory of a cold build of a 50,000-clause edition at most 500 MiB;
- exit gap: the process exits at most 0.1 s after the last line it writes.

How:

(a) the synthetic specification is generated once with ``make_spec.py`` and cached in ``--out``
    (``spec-N-sSEED.docx``, shared with the other benchmarks), imported once with
    ``spectrace import spec FILE --doc SYN --edition 1 --out specs`` into
    ``--out/bench-build-N-sSEED/base/`` and copied from there into each project (not timed);
(b) the spectrace project ``spectrace/`` holds only ``spectrace.toml`` (``[project] specs``,
    ``[documents.SYN] edition = "1"``) and ``specs/``; the sphinx-needs project ``needs/`` is
    the one ``bench_html.py`` writes (one ``.. req::`` per clause, a ``.. needtable::``), built
    with ``sphinx-build -W -q -b html -j 2`` (the ``-j`` spectrace's site uses on 2 cores) from
    ``--out/needs-venv``, which sphinx-needs lives in: it is never a dependency of spectrace;
(c) every timed build runs in a fresh wrapper process (this script with ``--child``) that starts
    the command, timestamps every line it writes on standard output and error as it arrives,
    waits for it, and reports the wall time from start to exit, the exit gap (exit less the
    last line's timestamp) and ``ru_maxrss`` of ``RUSAGE_CHILDREN``: the largest resident set
    of any one process of the build (Sphinx's forked workers share their parent's pages, so
    this is not a sum). spectrace runs as ``spectrace build`` (the console script beside this
    Python, else ``python -m spectrace``) with ``PYTHONUNBUFFERED=1``, so a line's timestamp is
    when it was written; only the command line is used, so the benchmark measures any version;
(d) each of ``--repeat`` rounds runs, alternating the tools so machine noise hits both: cold
    (spectrace: every file of the project but ``spectrace.toml`` and ``specs/`` removed first;
    sphinx-needs: output removed, ``sphinx-build -E``), no-op (both again, sphinx-needs
    without ``-E``), and one sentence changed (one word of a different statement each round,
    replaced in its spec-as-code file, and the same word of the same clause's text in the
    sphinx-needs source; both build incrementally). After each changed build the benchmark
    checks that a page holding the statement (the need) shows the new word more often than
    before, so a build that skipped the change fails the benchmark;
(e) with IRPs (unless ``--skip-irps``): ``make_irps`` writes ``--irps`` proposals with
    ``--irp-changes`` changes into ``irps/specs/irps/``, all listed in ``proposals``; each round
    builds that project cold, then adds one IRP (one change to one clause no other proposal
    touches) to ``proposals`` and builds again; no peer;
(f) memory: the cold builds' peak at ``--clauses``; with ``--memory-clauses M`` also one cold
    build of each tool over an M-clause edition.

Every time is the median of ``--repeat`` runs; the exit gap is the median over all the runs of
(d), with the largest shown beside it, and the peak memory the largest of the cold runs. A
build that exits with status 2 or more, or that the check in (d) catches, stops the benchmark;
status 1 (findings) is reported, not fatal.
Generated projects stay in ``--out`` (``benchmarks/out`` is ignored by git).

Usage::

    python benchmarks/bench_build.py [--clauses 10000] [--repeat 3] [--out benchmarks/out]
                                     [--seed 0] [--json] [--skip-needs] [--skip-irps]
                                     [--irps 500] [--irp-changes 3000] [--memory-clauses 50000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import bench_html  # noqa: E402
from benchlib import add_standard_options  # noqa: E402
from make_irps import FIRST_IRP, generate, summary, write_irps  # noqa: E402

from spectrace.model import Action, Document  # noqa: E402

DOCUMENT, EDITION = bench_html.DOCUMENT, bench_html.EDITION
JOBS = min(2, os.cpu_count() or 1)  # what spectrace's site uses by default
FATAL = 2  # exit status from which a build counts as failed (1 is findings)
TAIL = 20  # lines of a failed build shown
MIB = 1024  # ru_maxrss is in KiB on Linux
#: Targets: (the row's key, the comparison shown, the test on the row).
TARGETS = {
    "cold": ("<= 0.1x sphinx-needs", lambda row: row["ratio"] is not None and row["ratio"] <= 0.1),
    "noop": ("< 0.5 s", lambda row: row["spectrace_s"] < 0.5),
    "one_change": ("< 1 s", lambda row: row["spectrace_s"] < 1.0),
    "irps_cold": ("< 10 s", lambda row: row["spectrace_s"] < 10.0),
    "irps_plus_one": ("< 2 s", lambda row: row["spectrace_s"] < 2.0),
    "exit_gap": ("<= 0.1 s", lambda row: row["spectrace_s"] <= 0.1),
}
MEMORY_TARGET = (50_000, 500.0)  # at 50,000 clauses, at most 500 MiB
#: Words a changed statement gets (a different one each round), none a modal verb or a term.
NEW_WORDS = ("altered", "amended", "reworded", "modified", "rewritten", "updated", "edited")
KEEP = {"shall", "should", "must", "will", "may", "not", "only", "also"}
_STATEMENT = re.compile(
    r"^:st:`(?P<id>[A-Z][A-Za-z0-9]*-(?P<clause>[0-9.]+)-[0-9]+)` (?P<text>.*)$"
)
_WORD = re.compile(r"(?<![\w`:<>|*\\-])[a-z]{4,}(?![\w`:<>|*\\-])")


# ---------------------------------------------------------------------------------------------
# The timed run: a fresh wrapper process per build
# ---------------------------------------------------------------------------------------------


def child(argv: list[str]) -> int:
    """``--child CWD COMMAND...``: run COMMAND in CWD; print its timings and peak memory."""
    cwd, command = argv[0], argv[1:]
    lines: list[tuple[float, str]] = []
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def read(stream) -> None:
        for line in stream:
            lines.append((time.perf_counter(), line.decode("utf-8", "replace").rstrip("\n")))

    readers = [threading.Thread(target=read, args=(s,)) for s in (process.stdout, process.stderr)]
    for reader in readers:
        reader.start()
    status = process.wait()
    exited = time.perf_counter()
    for reader in readers:
        reader.join()
    last = max((when for when, _ in lines), default=None)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    report = {
        "seconds": exited - started,
        "exit_gap_s": None if last is None else max(0.0, exited - last),
        "status": status,
        "max_rss_mib": usage.ru_maxrss / MIB,
        "tail": [text for _, text in sorted(lines)[-TAIL:]],
    }
    print(json.dumps(report))
    return 0


def timed(command: list[str], cwd: Path, what: str) -> dict:
    """Run ``command`` in ``cwd`` through a fresh wrapper process; return its report."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("SPECTRACE_NO_CACHE", None)
    wrapper = [sys.executable, __file__, "--child", str(cwd), *command]
    result = subprocess.run(wrapper, capture_output=True, text=True, env=env, check=False)
    if result.returncode:
        raise SystemExit(f"{what}: the wrapper failed:\n{result.stderr[-3000:]}")
    report = json.loads(result.stdout)
    if report["status"] >= FATAL or report["status"] < 0:
        tail = "\n".join(report["tail"])
        raise SystemExit(f"{what} exited with status {report['status']}:\n{tail}")
    print(f"{what}: {report['seconds']:.2f} s", file=sys.stderr)
    return report


def spectrace_command() -> list[str]:
    """``spectrace``, the console script a user runs (or ``python -m spectrace`` without it)."""
    script = Path(sys.executable).with_name("spectrace")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "spectrace"]


# ---------------------------------------------------------------------------------------------
# Projects
# ---------------------------------------------------------------------------------------------


def base_specs(folder: Path, spec: Path) -> Path:
    """Import ``spec`` afresh into ``folder/specs`` (not timed); return that folder."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    command = [*spectrace_command(), "import", "spec", str(spec), "--doc", DOCUMENT]
    command += ["--edition", EDITION, "--out", "specs"]
    subprocess.run(command, cwd=folder, check=True, capture_output=True)
    return folder / "specs"


def write_project_file(project: Path, proposals: list[str]) -> None:
    listed = ", ".join(f'"{irp}"' for irp in proposals)
    text = f'[project]\nspecs = "specs"\n\n[documents.{DOCUMENT}]\nedition = "{EDITION}"\n'
    text += f"proposals = [{listed}]\n" if proposals else ""
    (project / "spectrace.toml").write_text(text, encoding="utf-8")


def spectrace_project(project: Path, specs: Path, proposals: list[str] = ()) -> Path:
    """A project folder holding a copy of ``specs`` and its ``spectrace.toml``."""
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    shutil.copytree(specs, project / "specs")
    write_project_file(project, list(proposals))
    return project


def clean(project: Path) -> None:
    """Remove everything a build may have left: all but ``spectrace.toml`` and ``specs/``."""
    for path in project.iterdir():
        if path.name in ("spectrace.toml", "specs"):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


@dataclass
class Needs:
    """The sphinx-needs project: its Python, sources and output."""

    python: Path
    folder: Path

    @property
    def source(self) -> Path:
        return self.folder / "src"

    @property
    def html(self) -> Path:
        return self.folder / "build" / "html"

    def command(self, *, fresh: bool) -> list[str]:
        arguments = ["-W", "-q", *(["-E"] if fresh else []), "-b", "html", "-j", str(JOBS)]
        folders = [str(self.folder / "build" / "doctrees"), str(self.source), str(self.html)]
        return [str(self.python), "-m", "sphinx", *arguments, "-d", *folders]


def needs_project(python: Path, folder: Path, document: Document) -> Needs:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    bench_html.needs_sources(document, folder / "src")
    return Needs(python, folder)


# ---------------------------------------------------------------------------------------------
# One sentence changed
# ---------------------------------------------------------------------------------------------


@dataclass
class Edit:
    """One word of one statement, replaced in both tools' sources."""

    statement: str
    clause: str
    source: str  # the spec-as-code file, relative to specs/
    line: int
    old: str
    new: str = ""

    @property
    def need(self) -> str:
        return f"{DOCUMENT}_{self.clause.replace('.', '_')}"


def edit_candidates(specs: Path, seed: int) -> list[Edit]:
    """One candidate word per statement paragraph, in a shuffled order (by ``seed``)."""
    found = []
    for path in sorted(specs.rglob("*.rst")):
        if "irps" in path.relative_to(specs).parts:
            continue
        text = path.read_text(encoding="utf-8").split("\n")
        for number, line in enumerate(text):
            match = _STATEMENT.match(line)
            if match is None:
                continue
            words = [w for w in _WORD.findall(match["text"]) if w not in KEEP]
            if words:
                relative = str(path.relative_to(specs))
                found.append(Edit(match["id"], match["clause"], relative, number, words[0]))
    random.Random(seed).shuffle(found)
    return found


def _whole(word: str) -> re.Pattern:
    return re.compile(rf"(?<![\w`:-]){re.escape(word)}(?![\w`:-])")


def _need_lines(pages: list[Path], need: str) -> tuple[Path, list[str], int, int] | None:
    """The page holding ``need`` and the lines of its content (start, end)."""
    marker = f"   :id: {need}"
    for page in pages:
        lines = page.read_text(encoding="utf-8").split("\n")
        if marker in lines:
            start = lines.index(marker) + 1
            end = next(
                (i for i in range(start, len(lines)) if lines[i].startswith(".. ")), len(lines)
            )
            return page, lines, start, end
    return None


def pick_edit(candidates: list[Edit], needs: Needs | None, round_: int) -> Edit:
    """The next candidate whose word the sphinx-needs source also has; it is used up."""
    pages = sorted(needs.source.glob("section-*.rst")) if needs else []
    while candidates:
        edit = candidates.pop()
        if needs is None or _find_in_need(pages, edit) is not None:
            edit.new = NEW_WORDS[round_ % len(NEW_WORDS)]
            if edit.new != edit.old:
                return edit
    raise SystemExit("no statement left to change: use a larger --clauses")


def _find_in_need(pages: list[Path], edit: Edit) -> tuple[Path, list[str], int] | None:
    found = _need_lines(pages, edit.need)
    if found is None:
        return None
    page, lines, start, end = found
    pattern = _whole(edit.old)
    for index in range(start, end):
        if pattern.search(lines[index]):
            return page, lines, index
    return None


def apply_spectrace(specs: Path, edit: Edit) -> None:
    path = specs / edit.source
    lines = path.read_text(encoding="utf-8").split("\n")
    line = lines[edit.line]
    if f"`{edit.statement}`" not in line:
        raise SystemExit(f"{path}:{edit.line + 1}: {edit.statement} moved")
    role_end = line.index("` ") + 1
    lines[edit.line] = line[:role_end] + _whole(edit.old).sub(edit.new, line[role_end:], count=1)
    path.write_text("\n".join(lines), encoding="utf-8")


def apply_needs(needs: Needs, edit: Edit) -> None:
    page, lines, index = _find_in_need(sorted(needs.source.glob("section-*.rst")), edit)
    lines[index] = _whole(edit.old).sub(edit.new, lines[index], count=1)
    page.write_text("\n".join(lines), encoding="utf-8")


def shown(html: Path, anchor: str, word: str) -> dict[str, int]:
    """How often ``word`` appears on each page of ``html`` that mentions ``anchor``."""
    pattern = re.compile(rf"\b{re.escape(word)}\b")
    counts = {}
    for page in sorted(html.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        if anchor in text:
            counts[str(page.relative_to(html))] = len(pattern.findall(text))
    return counts


def check_shown(what: str, before: dict[str, int], after: dict[str, int]) -> list[str]:
    """The pages that show the new word more often than before; none stops the benchmark."""
    pages = [page for page, count in after.items() if count > before.get(page, 0)]
    if not pages:
        raise SystemExit(f"{what}: the build did not show the changed sentence")
    return pages


# ---------------------------------------------------------------------------------------------
# IRPs
# ---------------------------------------------------------------------------------------------


def irp_project(args: argparse.Namespace, document: Document, specs: Path) -> tuple[Path, dict]:
    """The project listing ``--irps`` generated proposals, and the extra one-change IRP."""
    project = spectrace_project(args.work / "irps", specs)
    started = time.perf_counter()
    generated = generate(document, args.irps, args.irp_changes, args.seed)
    extra = one_more_irp(document, set(generated.expected), FIRST_IRP + args.irps, args.seed)
    irps = project / "specs" / "irps"
    write_irps(generated.proposals, irps)
    write_irps([extra], project / "extra")
    names = [p.irp for p in generated.proposals]
    write_project_file(project, names)
    info = {
        **summary(generated.proposals),
        "extra": extra.irp,
        "extra_target": str(extra.changes[0].target),
        "generate_s": time.perf_counter() - started,
    }
    return project, {"names": names, **info}


def one_more_irp(document: Document, touched: set[str], number: int, seed: int):
    """One proposal with one change to a clause none of the others touches."""
    for attempt in range(200):
        proposal = generate(document, 1, 1, seed * 1000 + attempt).proposals[0]
        change = proposal.changes[0]
        if change.action is Action.AMEND and change.target.clause not in touched:
            return replace(proposal, irp=f"IRP{number}")
    raise SystemExit("found no clause left for one more IRP")


def add_irp(project: Path, names: list[str], extra: str) -> None:
    shutil.copy(project / "extra" / f"{extra}.rst", project / "specs" / "irps" / f"{extra}.rst")
    write_project_file(project, [*names, extra])


def remove_irp(project: Path, names: list[str], extra: str) -> None:
    (project / "specs" / "irps" / f"{extra}.rst").unlink(missing_ok=True)
    write_project_file(project, names)


def clean_irps(project: Path) -> None:
    """Like :func:`clean`, keeping the extra IRP's waiting room."""
    for path in project.iterdir():
        if path.name in ("spectrace.toml", "specs", "extra"):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


# ---------------------------------------------------------------------------------------------
# The benchmark
# ---------------------------------------------------------------------------------------------


def _row(key: str, work: str, mine: list[float], theirs: list[float] | None, unit="s") -> dict:
    spectrace_s = statistics.median(mine)
    needs_s = statistics.median(theirs) if theirs else None
    row = {
        "key": key,
        "work": work,
        "unit": unit,
        "spectrace_s": spectrace_s,
        "needs_s": needs_s,
        "ratio": spectrace_s / needs_s if needs_s else None,
        "spectrace_runs": mine,
        "needs_runs": theirs,
    }
    target = TARGETS.get(key)
    row["target"] = target[0] if target else None
    row["passed"] = target[1](row) if target and (needs_s or key != "cold") else None
    return row


def run(args: argparse.Namespace) -> dict:
    """Run the benchmark; return the report."""
    document, info = bench_html.prepare(args)
    spec = Path(info["spec"])
    specs = base_specs(args.work / "base", spec)
    project = spectrace_project(args.work / "spectrace", specs)
    build = [*spectrace_command(), "build"]
    needs = None
    if not args.skip_needs:
        needs = needs_project(bench_html.needs_python(args.out), args.work / "needs", document)
    candidates = edit_candidates(project / "specs", args.seed)
    runs: dict[str, list[dict]] = {k: [] for k in ("cold", "noop", "one_change")}
    peer: dict[str, list[dict]] = {k: [] for k in runs}
    edits = []
    for round_ in range(args.repeat):
        tag = f"round {round_ + 1}/{args.repeat}"
        clean(project)
        runs["cold"].append(timed(build, project, f"{tag} spectrace cold"))
        if needs:
            shutil.rmtree(needs.folder / "build", ignore_errors=True)
            peer["cold"].append(timed(needs.command(fresh=True), needs.folder, f"{tag} needs cold"))
        runs["noop"].append(timed(build, project, f"{tag} spectrace no-op"))
        if needs:
            peer["noop"].append(
                timed(needs.command(fresh=False), needs.folder, f"{tag} needs no-op")
            )
        edit = pick_edit(candidates, needs, round_)
        html = project / "build" / "html"
        before = shown(html, edit.statement, edit.new)
        apply_spectrace(project / "specs", edit)
        runs["one_change"].append(timed(build, project, f"{tag} spectrace one change"))
        done = {
            **vars(edit),
            "spectrace_pages": check_shown(
                f"spectrace ({edit.statement})", before, shown(html, edit.statement, edit.new)
            ),
        }
        if needs:
            anchor = f'id="{edit.need}"'
            before = shown(needs.html, anchor, edit.new)
            apply_needs(needs, edit)
            peer["one_change"].append(
                timed(needs.command(fresh=False), needs.folder, f"{tag} needs one change")
            )
            after = shown(needs.html, anchor, edit.new)
            done["needs_pages"] = check_shown(f"sphinx-needs ({edit.need})", before, after)
        edits.append(done)

    def seconds(reports: list[dict]) -> list[float]:
        return [r["seconds"] for r in reports]

    n = info["clauses"]
    rows = [
        _row("cold", f"cold build, {n} clauses", seconds(runs["cold"]), seconds(peer["cold"])),
        _row("noop", "no-op build", seconds(runs["noop"]), seconds(peer["noop"])),
        _row(
            "one_change",
            "one sentence changed",
            seconds(runs["one_change"]),
            seconds(peer["one_change"]),
        ),
    ]
    report = {
        **info,
        "cpus": os.cpu_count(),
        "jobs": JOBS,
        "repeat": args.repeat,
        "command": build,
        "statuses": sorted({r["status"] for rs in runs.values() for r in rs}),
        "edits": edits,
    }
    if not args.skip_irps:
        irp_rows, report["irps"] = irp_rounds(args, document, specs, build)
        rows += irp_rows
        runs["irps_cold"] = report["irps"].pop("cold_reports")
    memory = [
        {
            "clauses": n,
            "spectrace_mib": max(r["max_rss_mib"] for r in runs["cold"]),
            "needs_mib": max((r["max_rss_mib"] for r in peer["cold"]), default=None),
        }
    ]
    if args.memory_clauses:
        memory.append(memory_at(args, args.memory_clauses))
    for entry in memory:
        rows.append(memory_row(entry))
    gaps = [r["exit_gap_s"] for k in ("cold", "noop", "one_change") for r in runs[k]]
    gaps = [g for g in gaps if g is not None]
    if gaps:
        gap = _row("exit_gap", f"exit gap (max {max(gaps):.2f})", gaps, None)
        rows.append(gap)
    report["rows"] = rows
    report["passed"] = all(row["passed"] is not False for row in rows)
    return report


def irp_rounds(args, document, specs, build) -> tuple[list[dict], dict]:
    project, info = irp_project(args, document, specs)
    cold, plus = [], []
    for round_ in range(args.repeat):
        tag = f"round {round_ + 1}/{args.repeat}"
        remove_irp(project, info["names"], info["extra"])
        clean_irps(project)
        cold.append(timed(build, project, f"{tag} spectrace {args.irps} IRPs cold"))
        add_irp(project, info["names"], info["extra"])
        plus.append(timed(build, project, f"{tag} spectrace +1 IRP"))
        if not shown(project / "build" / "html", info["extra"], info["extra"]):
            raise SystemExit(f"spectrace +1 IRP: the site does not show {info['extra']}")
    del info["names"]
    info["cold_reports"] = cold
    info["statuses"] = sorted({r["status"] for r in cold + plus})
    work = f"cold build, {info['proposals']} IRPs / {info['changes']} changes"
    rows = [
        _row("irps_cold", work, [r["seconds"] for r in cold], None),
        _row("irps_plus_one", "+1 IRP (one change)", [r["seconds"] for r in plus], None),
    ]
    return rows, info


def memory_at(args: argparse.Namespace, clauses: int) -> dict:
    """One cold build of each tool over a ``clauses``-clause edition; their peak memory."""
    sized = argparse.Namespace(**{**vars(args), "clauses": clauses})
    document, info = bench_html.prepare(sized)
    work = args.out / f"bench-build-{clauses}-s{args.seed}"
    specs = base_specs(work / "base", Path(info["spec"]))
    project = spectrace_project(work / "spectrace", specs)
    mine = timed([*spectrace_command(), "build"], project, f"spectrace cold, {clauses} clauses")
    entry = {"clauses": info["clauses"], "spectrace_mib": mine["max_rss_mib"], "needs_mib": None}
    entry["spectrace_cold_s"] = mine["seconds"]
    if not args.skip_needs:
        needs = needs_project(bench_html.needs_python(args.out), work / "needs", document)
        del document
        theirs = timed(needs.command(fresh=True), needs.folder, f"needs cold, {clauses} clauses")
        entry["needs_mib"] = theirs["max_rss_mib"]
        entry["needs_cold_s"] = theirs["seconds"]
    return entry


def memory_row(entry: dict) -> dict:
    row = _row(
        f"memory_{entry['clauses']}",
        f"peak memory, {entry['clauses']} clauses",
        [entry["spectrace_mib"]],
        [entry["needs_mib"]] if entry["needs_mib"] else None,
        unit="MiB",
    )
    clauses, limit = MEMORY_TARGET
    if entry["clauses"] >= clauses:
        row["target"] = f"<= {limit:.0f} MiB"
        row["passed"] = entry["spectrace_mib"] <= limit
    return {**row, **{k: v for k, v in entry.items() if k.endswith("_cold_s")}}


def lines(report: dict) -> list[str]:
    def figure(value, unit) -> str:
        if value is None:
            return "-"
        return f"{value:.0f}" if unit == "MiB" else f"{value:.2f}"

    out = [
        f"edition   {report['clauses']} clauses, {report['statements']} statements "
        f"({report['spec']})",
        f"machine   {report['cpus']} CPUs; sphinx-needs with -j {report['jobs']}; "
        f"median of {report['repeat']} runs; spectrace = {' '.join(report['command'])}",
        "",
        f"{'work':44} {'spectrace':>10} {'sphinx-needs':>13} {'ratio':>7}  target",
    ]
    for row in report["rows"]:
        unit = row["unit"]
        ratio = "-" if row["ratio"] is None else f"{row['ratio']:.2f}"
        verdict = {True: "PASS", False: "FAIL", None: ""}[row["passed"]]
        target = f"{row['target']} {verdict}" if row["target"] else ""
        out.append(
            f"{row['work'] + f' ({unit})':44} {figure(row['spectrace_s'], unit):>10} "
            f"{figure(row['needs_s'], unit):>13} {ratio:>7}  {target}"
        )
    if "irps" in report:
        irps = report["irps"]
        out.append(
            f"\nIRPs      {irps['proposals']} proposals, {irps['changes']} changes "
            f"{irps['kinds']}; +1 IRP {irps['extra']} -> {irps['extra_target']}"
        )
    out.append(f"statuses  spectrace build exited with {report['statuses']}")
    return out


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clauses", type=int, default=10_000, help="spec size (10000)")
    add_standard_options(parser, repeat="rounds of builds", seed="spec, edit and IRP")
    parser.add_argument("--skip-needs", action="store_true", help="no sphinx-needs runs")
    parser.add_argument("--skip-irps", action="store_true", help="no IRP builds")
    parser.add_argument("--irps", type=int, default=500, help="IRPs for the IRP builds (500)")
    parser.add_argument("--irp-changes", type=int, default=3000, help="their changes (3000)")
    parser.add_argument(
        "--memory-clauses", type=int, default=0, help="also measure memory at this size"
    )
    args = parser.parse_args(argv)
    if min(args.clauses, args.repeat, args.irps, args.irp_changes) < 1:
        parser.error("--clauses, --repeat, --irps and --irp-changes must be positive")
    args.out = args.out.resolve()
    args.work = args.out / f"bench-build-{args.clauses}-s{args.seed}"
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return child(argv[1:])
    args = parse_args(argv)
    report = run(args)
    print(json.dumps(report, indent=2) if args.json else "\n".join(lines(report)))
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
