"""Benchmark tracing: ``spectrace trace`` and ``spectrace check`` on a 10,000-file code tree.

The target (from the performance issue): on the 2-core machine, ``spectrace trace`` and
``spectrace check`` each finish in under 5 s on a project of 10,000 source files (about a
million lines, tags on a fifth of the functions), a JUnit file of 20,000 test cases and
10,000 traced statements of a 10,000-clause specification; a second run with one file changed
finishes in under 1 s (the scan cache, ``OUTPUT/cache/scan.json``, keys files by content).

The corpus is made once by ``make_code.py`` from the cached 10,000-clause specification
(``make_spec.py``, ``spec-10000-sSEED.docx``, shared with the other benchmarks) and kept in
``--out`` as ``code-FILES-LINES-sSEED-vN``: a spectrace project whose spec-as-code is that
specification (26,679 statements, of which 10,000 are tagged). Generation is not timed.

Each timing runs the real command line as a subprocess (``python -m spectrace --project
CORPUS trace``, then ``check``), wall clock, interpreter start and imports included:

(a) cold: no cache at all (``OUTPUT/cache/``, the parsed spec, and ``OUTPUT/cache/scan.json``,
    the scan, deleted), so the spec is parsed and every file read;
(b) first: the parsed spec cached (as after a build or any earlier command on the same spec),
    the scan cache deleted, so every file is read;
(c) second: right after (b), one Python source file gets a new function with an
    ``implements:`` tag; the run must find it (checked in ``matrix.json`` for trace).
    The file is restored afterwards.

The figures are medians of ``--repeat`` runs. For context, two more are measured in child
processes: reading the spec itself (``load_project`` + ``load_project_documents``, the
spec-as-code parse every command starts with, parsed and from the cache) and the start-up
(``python -m spectrace --help``); and one run of each kind is split into phases (project
file, spec, amend, scan, JUnit, matrix, report files, gate), calling the steps of
``spectrace.trace.project.trace_project`` one by one.

``--tools`` also runs LOBSTER and StrictDoc on the same tree written in their tag syntax
(``make_code.py --dialect lobster|strictdoc``: same functions, same targets), from a separate
virtual environment ``OUT/tools-venv`` (``--setup-tools`` creates it with pip; nothing is
installed in the project's environment). LOBSTER: lobster-trlc over TRLC requirements (every
statement), lobster-python over the Python sources (``--only-tagged-functions``) and, with
``--activity``, the Python tests, lobster-report, then lobster-ci-report (the gate); it reads
neither C nor JUnit here (lobster-cpp needs a patched clang-tidy; lobster-gtest reads
GoogleTest XML with lobster properties, which this corpus's ctest results do not have).
StrictDoc: ``strictdoc export --formats html`` with REQUIREMENT_TO_SOURCE_TRACEABILITY over
an .sdoc of every statement and ``@relation(ID, scope=function)`` markers in Python, C and
C++ files; the second run keeps its output cache.

Usage::

    python benchmarks/bench_trace.py [--files 10000] [--lines 1000000] [--seed 0]
        [--repeat 3] [--out benchmarks/out] [--json]
        [--tools lobster strictdoc] [--setup-tools] [--tool-timeout 1800]
    python benchmarks/bench_trace.py --profile first|second [--profile-sort tottime]

``--profile`` runs load_project + api.trace + write_trace once in-process under cProfile
(``second``: after a warm run and with one file changed) and prints the top 25 functions.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from benchlib import add_profile_sort, add_standard_options, print_profile  # noqa: E402
from make_spec import cached_spec  # noqa: E402

TARGET_FIRST = 5.0
TARGET_SECOND = 1.0
SPEC_CLAUSES = 10_000
DOCUMENT, EDITION = "SMETS", "4.2"
RUN_TIMEOUT = 600
TOOL_PACKAGES = (
    "bmw-lobster-core",
    "bmw-lobster-tool-python",
    "bmw-lobster-tool-trlc",
    "strictdoc",
)
CHANGED_NAME = "bench_trace_changed_function"

# ---------------------------------------------------------------------------------------------
# Inputs: the specification and the code trees (cached)
# ---------------------------------------------------------------------------------------------


CORPUS_VERSION = 2  # bump when make_code.py writes other trees for the same parameters


def corpus_path(out: Path, files: int, lines: int, seed: int, dialect: str) -> Path:
    suffix = "" if dialect == "spectrace" else f"-{dialect}"
    return out / f"code-{files}-{lines}-s{seed}-v{CORPUS_VERSION}{suffix}"


def ensure_corpus(out: Path, files: int, lines: int, seed: int, dialect: str) -> tuple[Path, dict]:
    """Return the cached tree for these parameters and its summary, generating it if needed."""
    folder = corpus_path(out, files, lines, seed, dialect)
    summary = folder / "summary.json"
    if summary.is_file():
        return folder, json.loads(summary.read_text())
    from make_code import make_code

    from spectrace.api import load_document

    spec = load_document(cached_spec(out, SPEC_CLAUSES, seed), DOCUMENT, EDITION)
    partial = folder.with_name(folder.name + ".part")
    shutil.rmtree(partial, ignore_errors=True)
    started = time.perf_counter()
    result = make_code(partial, spec, files, lines, seed, dialect=dialect)
    data = result.as_dict() | {"folder": str(folder)}
    (partial / "summary.json").write_text(json.dumps(data, indent=1) + "\n")
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(partial, folder)
    print(
        f"generated {folder} ({result.files} files, {result.lines} lines) in "
        f"{time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return folder, data


# ---------------------------------------------------------------------------------------------
# One changed file
# ---------------------------------------------------------------------------------------------

_TAG_TARGET = {
    "spectrace": re.compile(r"(?:implements|verifies): (SMETS-[\w.-]+-\d+)"),
    "lobster": re.compile(r"lobster-trace: (\S+)"),
    "strictdoc": re.compile(r"@relation\(([^,)]+)"),
}


@contextlib.contextmanager
def one_file_changed(folder: Path, dialect: str = "spectrace"):
    """Append a traced function to one Python source file; restore the file on exit.

    Yields (relative path, statement id, line of the new tag).
    """
    candidates = sorted((folder / "src" / "metering").rglob("*.py"))
    start = len(candidates) // 2
    for path in candidates[start:] + candidates[:start]:
        original = path.read_bytes()
        text = original.decode("utf-8")
        match = _TAG_TARGET[dialect].search(text)
        if match:
            break
    else:
        raise RuntimeError(f"no tagged Python file under {folder}")
    statement = match.group(1)
    head = f"def {CHANGED_NAME}(value=None) -> int:"
    if dialect == "lobster":
        lines = [head, '    """Added by bench_trace."""', f"    # lobster-trace: {statement}"]
    elif dialect == "strictdoc":
        lines = [head, '    """Added by bench_trace.', ""]
        lines += [f"    @relation({statement}, scope=function)", '    """']
    else:
        lines = [f"# implements: {statement}", head, '    """Added by bench_trace."""']
    lines.append("    return 0 if value is None else value")
    tag_line = text.count("\n") + 3
    try:
        path.write_text(text + "\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
        yield path.relative_to(folder).as_posix(), statement, tag_line
    finally:
        path.write_bytes(original)


# ---------------------------------------------------------------------------------------------
# spectrace runs
# ---------------------------------------------------------------------------------------------


def spectrace_command(folder: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "spectrace", "--project", str(folder), *args]


def timed(command: list[str], cwd: Path | None = None, timeout: float = RUN_TIMEOUT) -> dict:
    """Run ``command``; return its wall time, exit status and output tails."""
    started = time.perf_counter()
    try:
        done = subprocess.run(
            command, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return {"seconds": time.perf_counter() - started, "returncode": None, "timeout": True}
    return {
        "seconds": time.perf_counter() - started,
        "returncode": done.returncode,
        "stdout_tail": done.stdout[-2000:],
        "stderr_tail": done.stderr[-2000:],
    }


def cache_file(folder: Path) -> Path:
    return folder / "build" / "trace" / "cache.json"


def matrix_links(folder: Path) -> set[str]:
    """The places (path:line name) of the scanned links that ``matrix.json`` lists."""
    data = json.loads((folder / "build" / "trace" / "matrix.json").read_text(encoding="utf-8"))
    places = set()
    for row in data["rows"]:
        places.update(row["implemented_by"])
        places.update(evidence["test"] for evidence in row["verified_by"])
    return {place for place in places if not re.search(r":0( |$)", place)}


def spec_cache(folder: Path) -> Path:
    return folder / "build" / "cache"


def spectrace_runs(folder: Path, summary: dict, command: str, repeat: int) -> dict:
    """Time ``command`` ``repeat`` times in three states: cold (no cache at all: the spec is
    parsed and every file scanned), first (the parsed spec cached, as after any earlier
    command or a build, and every file scanned), and second (right after, one file changed)."""
    runs: dict[str, list[dict]] = {"cold": [], "first": [], "second": []}
    checks: dict = {}
    for index in range(repeat):
        shutil.rmtree(spec_cache(folder), ignore_errors=True)
        cache_file(folder).unlink(missing_ok=True)
        runs["cold"].append(timed(spectrace_command(folder, command)))
        cache_file(folder).unlink(missing_ok=True)
        runs["first"].append(timed(spectrace_command(folder, command)))
        if command == "trace" and index == 0:
            found = len(matrix_links(folder))
            checks["first_links"] = found
            checks["first_links_ok"] = found == summary["links"]
        with one_file_changed(folder) as (path, _statement, line):
            runs["second"].append(timed(spectrace_command(folder, command)))
            if command == "trace" and index == 0:
                place = f"{path}:{line} {CHANGED_NAME}"
                checks["second_finds_change"] = place in matrix_links(folder)
        print(
            f"{command} run {index + 1}/{repeat}: "
            + ", ".join(
                f"{kind} {done[-1]['seconds']:.2f} s (exit {done[-1]['returncode']})"
                for kind, done in runs.items()
            ),
            file=sys.stderr,
        )
    tail = (runs["first"][0].get("stderr_tail") or "").strip().splitlines()
    every = [run for done in runs.values() for run in done]
    return {
        "command": command,
        **{f"{kind}_s": statistics.median(r["seconds"] for r in run) for kind, run in runs.items()},
        **{f"{kind}_runs": [r["seconds"] for r in done] for kind, done in runs.items()},
        "exit_codes": sorted({r["returncode"] for r in every}, key=str),
        "last_message": tail[-1] if tail else "",
        **checks,
    }


def child(mode: str, folder: Path) -> dict:
    """Run in a fresh interpreter: the spec read alone, or one traced run split in phases."""
    import gc

    started = time.perf_counter()
    from spectrace.cli import GC_THRESHOLDS

    gc.set_threshold(*GC_THRESHOLDS)  # as the command line does (spectrace.cli.main)
    from spectrace import api
    from spectrace.config import load_project
    from spectrace.trace.gate import check
    from spectrace.trace.matrix import compute
    from spectrace.trace.project import matrix_inputs, project_results, scan_project

    phases = {"imports": time.perf_counter() - started}

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        phases[name] = now - since
        return now

    mark = time.perf_counter()
    project = load_project(folder)
    mark = lap("project file", mark)
    documents = api.load_project_documents(project)
    mark = lap("spec (load_project_documents)", mark)
    if mode == "spec":
        return phases
    amendment = api.amend_project(project, documents)
    mark = lap("amend", mark)
    scan = scan_project(project)
    mark = lap("scan (with the cache's load and save)", mark)
    found, problems = project_results(project)
    mark = lap("junit", mark)
    matrix = compute(matrix_inputs(project, documents, amendment, scan, found, problems))
    mark = lap("matrix", mark)
    api.write_trace(project, matrix)
    mark = lap("report files", mark)
    check(matrix, project.trace)
    lap("gate", mark)
    phases["links"] = len(scan.links)
    phases["results"] = len(found)
    return phases


def run_child(mode: str, folder: Path) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", mode, str(folder)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark child failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def context_figures(folder: Path, repeat: int) -> dict:
    """Start-up, spec read, and one first and one second run split into phases."""
    startup = [timed([sys.executable, "-m", "spectrace", "--help"])["seconds"] for _ in range(3)]
    spec = []
    for _ in range(repeat):
        shutil.rmtree(spec_cache(folder), ignore_errors=True)
        spec.append(run_child("spec", folder))
    cached = [run_child("spec", folder) for _ in range(repeat)]
    cache_file(folder).unlink(missing_ok=True)
    first = run_child("phases", folder)
    with one_file_changed(folder):
        second = run_child("phases", folder)
    key = "spec (load_project_documents)"
    return {
        "startup_s": statistics.median(startup),
        "spec_s": statistics.median(s[key] for s in spec),
        "spec_cached_s": statistics.median(s[key] for s in cached),
        "spec_imports_s": statistics.median(s["imports"] for s in spec),
        "phases_first": first,
        "phases_second": second,
    }


# ---------------------------------------------------------------------------------------------
# LOBSTER and StrictDoc
# ---------------------------------------------------------------------------------------------


def tools_bin(out: Path) -> Path:
    return out / "tools-venv" / "bin"


def setup_tools(out: Path) -> None:
    """Create OUT/tools-venv with the tools from the package registry (pip)."""
    venv = out / "tools-venv"
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", *TOOL_PACKAGES], check=True)


def tool_versions(out: Path) -> dict:
    if not (tools_bin(out) / "pip").exists():
        return {}
    done = subprocess.run(
        [str(tools_bin(out) / "pip"), "list", "--format=json"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return {}
    wanted = {"bmw-lobster-core", "bmw-lobster-tool-python", "bmw-lobster-tool-trlc"}
    wanted |= {"strictdoc", "trlc", "libcst", "tree-sitter"}
    return {p["name"]: p["version"] for p in json.loads(done.stdout) if p["name"] in wanted}


def lobster(out: Path, folder: Path, summary: dict, timeout: float) -> dict:
    """Run the LOBSTER pipeline on the lobster-dialect tree; time each step."""
    tools = tools_bin(out)
    steps = {
        "requirements (lobster-trlc)": [
            tools / "lobster-trlc",
            "--config",
            "lobster-trlc.yaml",
            "--out",
            "out/requirements.lobster",
        ],
        "code (lobster-python)": [
            tools / "lobster-python",
            "--only-tagged-functions",
            "src/metering",
            "--out",
            "out/code.lobster",
        ],
        "tests (lobster-python --activity)": [
            tools / "lobster-python",
            "--activity",
            "--only-tagged-functions",
            "tests/metering",
            "--out",
            "out/tests.lobster",
        ],
        "report (lobster-report)": [
            tools / "lobster-report",
            "--lobster-config",
            "lobster.conf",
            "--out",
            "out/report.lobster",
        ],
        "gate (lobster-ci-report)": [tools / "lobster-ci-report", "out/report.lobster"],
    }
    shutil.rmtree(folder / "out", ignore_errors=True)
    (folder / "out").mkdir()
    results = {}
    for name, command in steps.items():
        run = timed([str(part) for part in command], cwd=folder, timeout=timeout)
        results[name] = run
        print(f"LOBSTER {name}: {run['seconds']:.2f} s (exit {run['returncode']})", file=sys.stderr)
        if run["returncode"] != 0 and "gate" not in name:
            break
    names = list(steps)
    seconds = {name: run["seconds"] for name, run in results.items()}
    report: dict = {
        "steps": {n: {k: r.get(k) for k in ("seconds", "returncode")} for n, r in results.items()}
    }
    if len(results) == len(steps):
        report["trace_s"] = sum(seconds[n] for n in names[:4])
        report["check_s"] = report["trace_s"] + seconds[names[4]]
        report |= lobster_counts(folder, summary)
        with one_file_changed(folder, "lobster"):
            again = [
                timed([str(p) for p in steps[n]], cwd=folder, timeout=timeout) for n in names[1:2]
            ]
            again += [
                timed([str(p) for p in steps[n]], cwd=folder, timeout=timeout) for n in names[3:]
            ]
        report["second_trace_s"] = again[0]["seconds"] + again[1]["seconds"]
        report["second_check_s"] = report["second_trace_s"] + again[2]["seconds"]
    else:
        last = results[list(results)[-1]]
        report["failed"] = (last.get("stdout_tail") or "") + (last.get("stderr_tail") or "")
    return report


def lobster_counts(folder: Path, summary: dict) -> dict:
    def items(name: str) -> list:
        return json.loads((folder / "out" / name).read_text(encoding="utf-8"))["data"]

    code, tests = items("code.lobster"), items("tests.lobster")
    report = json.loads((folder / "out" / "report.lobster").read_text(encoding="utf-8"))
    statuses: Counter = Counter()
    for level in report["levels"]:
        if level["kind"] == "requirements":
            statuses.update(item["tracing_status"] for item in level["items"])
    return {
        "code_items": len(code),
        "test_items": len(tests),
        "expected_code_items": summary["tagged_python_functions"],
        "expected_test_items": summary["tagged_python_tests"],
        "requirement_status": dict(statuses),
    }


def strictdoc(out: Path, folder: Path, summary: dict, timeout: float) -> dict:
    """Run ``strictdoc export`` (HTML, source traceability) first with no cache, then again
    with one file changed and its cache kept."""
    command = [
        str(tools_bin(out) / "strictdoc"),
        "export",
        ".",
        "--config",
        "strictdoc_config.py",
        "--output-dir",
        "out/strictdoc",
        "--formats",
        "html",
    ]
    shutil.rmtree(folder / "out", ignore_errors=True)
    first = timed(command, cwd=folder, timeout=timeout)
    print(
        f"StrictDoc first: {first['seconds']:.2f} s (exit {first['returncode']})", file=sys.stderr
    )
    report = {"first_s": first["seconds"], "first_exit": first["returncode"]}
    if first["returncode"] != 0:
        report["failed"] = (first.get("stdout_tail") or "") + (first.get("stderr_tail") or "")
        return report
    report |= strictdoc_counts(folder, summary)
    with one_file_changed(folder, "strictdoc"):
        second = timed(command, cwd=folder, timeout=timeout)
    print(
        f"StrictDoc second: {second['seconds']:.2f} s (exit {second['returncode']})",
        file=sys.stderr,
    )
    report |= {"second_s": second["seconds"], "second_exit": second["returncode"]}
    report["log_tail"] = (first.get("stdout_tail") or "")[-600:]
    return report


def strictdoc_counts(folder: Path, summary: dict) -> dict:
    """Functions StrictDoc found traced, from its source coverage page."""
    page = folder / "out" / "strictdoc" / "html" / "source_coverage.html"
    if not page.is_file():
        return {}
    tokens = re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")).split()
    covered = files = 0
    for index, token in enumerate(tokens):
        if re.match(r"^(src|tests)/\S+\.\w+$", token):
            numbers = tokens[index + 1 : index + 8]
            if len(numbers) == 7 and all(re.match(r"^[\d.]+$", n) for n in numbers):
                files += 1
                covered += int(numbers[5])
    return {
        "source_files": files,
        "functions_traced": covered,
        "expected_functions_traced": summary["tagged_functions"] + summary["tagged_tests"],
    }


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------


def verdict(seconds: float, target: float) -> str:
    return "PASS" if seconds < target else "FAIL"


def report_lines(result: dict) -> list[str]:
    summary = result["corpus"]
    lines = [
        f"corpus: {summary['files']} files ({summary['python_sources']} Python, "
        f"{summary['c_sources']} C + {summary['c_headers']} headers, {summary['python_tests']} "
        f"pytest, {summary['c_tests']} GoogleTest), {summary['lines']} lines, "
        f"{summary['functions']} functions ({summary['tagged_functions']} tagged), "
        f"{summary['test_cases']} JUnit cases ({summary['failed']} failed, {summary['errors']} "
        f"errors, {summary['skipped']} skipped), {summary['links']} tags naming "
        f"{summary['statements']} of {summary['spec_statements']} statements",
        "",
    ]
    context = result.get("context", {})
    for run in result["spectrace"]:
        name = f"spectrace {run['command']}"
        for key, target, label in (
            ("cold_s", TARGET_FIRST, "cold (no cache at all)"),
            ("first_s", TARGET_FIRST, "first (spec cached, no scan cache)"),
            ("second_s", TARGET_SECOND, "second (one file changed)"),
        ):
            seconds = run[key]
            lines.append(
                f"{name:<16} {label:<36} {seconds:6.2f} s  (< {target:.0f} s: "
                f"{verdict(seconds, target)})"
            )
        checks = {k: v for k, v in run.items() if k.startswith(("first_links", "second_finds"))}
        lines.append(
            f"{'':<16} exit codes {run['exit_codes']}; {run['last_message']}"
            + (f"; checks {checks}" if checks else "")
        )
    if context:
        lines += [
            "",
            f"start-up (python -m spectrace --help): {context['startup_s']:.2f} s; "
            f"spec read (load_project_documents, 10,000 clauses): {context['spec_s']:.2f} s "
            f"parsed, {context['spec_cached_s']:.2f} s from the cache "
            f"(+ {context['spec_imports_s']:.2f} s imports)",
        ]
        for key in ("phases_first", "phases_second"):
            phases = context[key]
            parts = ", ".join(
                f"{name} {value:.2f}"
                for name, value in phases.items()
                if isinstance(value, float) and name not in ("links", "results")
            )
            lines.append(f"phases, {key.split('_')[1]} run (s): {parts}")
    if "lobster" in result:
        lines += ["", *lobster_lines(result["lobster"])]
    if "strictdoc" in result:
        lines += ["", *strictdoc_lines(result["strictdoc"])]
    return lines


def lobster_lines(report: dict) -> list[str]:
    lines = ["LOBSTER (Python sources and tests only):"]
    for name, step in report["steps"].items():
        lines.append(f"  {name:<36} {step['seconds']:7.2f} s  exit {step['returncode']}")
    if "trace_s" in report:
        lines += [
            f"  trace-equivalent (requirements + code + tests + report): {report['trace_s']:.2f} s;"
            f" with the gate: {report['check_s']:.2f} s",
            f"  one file changed (no cache: re-run lobster-python on the code, report, gate): "
            f"{report['second_trace_s']:.2f} s / {report['second_check_s']:.2f} s",
            f"  items: {report['code_items']} code (expected {report['expected_code_items']}), "
            f"{report['test_items']} tests (expected {report['expected_test_items']}); "
            f"requirements by status {report['requirement_status']}",
        ]
    else:
        lines.append(f"  failed: {report.get('failed', '')[-400:]}")
    return lines


def strictdoc_lines(report: dict) -> list[str]:
    lines = ["StrictDoc (export --formats html, source traceability, all languages):"]
    lines.append(f"  first run (no cache): {report['first_s']:.2f} s, exit {report['first_exit']}")
    if "second_s" in report:
        lines.append(
            f"  second run (one file changed, cache kept): {report['second_s']:.2f} s, "
            f"exit {report['second_exit']}"
        )
    if "functions_traced" in report:
        lines.append(
            f"  functions traced: {report['functions_traced']} (expected "
            f"{report['expected_functions_traced']}) in {report['source_files']} source files"
        )
    if "failed" in report:
        lines.append(f"  failed: {report['failed'][-400:]}")
    return lines


# ---------------------------------------------------------------------------------------------
# Modes
# ---------------------------------------------------------------------------------------------


def benchmark(args: argparse.Namespace) -> int:
    folder, summary = ensure_corpus(args.out, args.files, args.lines, args.seed, "spectrace")
    result: dict = {"corpus": summary, "spectrace": []}
    for command in ("trace", "check"):
        result["spectrace"].append(spectrace_runs(folder, summary, command, args.repeat))
    result["context"] = context_figures(folder, args.repeat)
    if args.setup_tools:
        setup_tools(args.out)
    tools = args.tools if args.tools is not None else []
    if tools:
        result["tool_versions"] = tool_versions(args.out)
    for tool in tools:
        if not (tools_bin(args.out) / ("lobster-python" if tool == "lobster" else tool)).exists():
            result[tool] = {"failed": f"not installed in {args.out / 'tools-venv'}"}
            continue
        tree, tree_summary = ensure_corpus(args.out, args.files, args.lines, args.seed, tool)
        runner = lobster if tool == "lobster" else strictdoc
        result[tool] = runner(args.out, tree, tree_summary, args.tool_timeout)
    passed = all(
        run["first_s"] < TARGET_FIRST and run["second_s"] < TARGET_SECOND
        for run in result["spectrace"]
    )
    cold = all(run["cold_s"] < TARGET_FIRST for run in result["spectrace"])
    result["passed"], result["cold_passed"] = passed, cold
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print("\n".join(report_lines(result)))
        print()
        print(
            f"target (trace and check < {TARGET_FIRST:.0f} s, second run < "
            f"{TARGET_SECOND:.0f} s): cold {'PASS' if cold else 'FAIL'}, spec cached "
            f"{'PASS' if passed else 'FAIL'}"
        )
    return 0 if passed else 1


def profile(args: argparse.Namespace) -> int:
    """cProfile one in-process trace (project, spec, scan, matrix, report files)."""
    folder, _ = ensure_corpus(args.out, args.files, args.lines, args.seed, "spectrace")
    from spectrace import api
    from spectrace.config import load_project

    def run() -> None:
        project = load_project(folder)
        matrix, _ = api.trace(project)
        api.write_trace(project, matrix)

    cache_file(folder).unlink(missing_ok=True)
    if args.profile == "second":
        run()
    with one_file_changed(folder) if args.profile == "second" else contextlib.nullcontext():
        profiler = cProfile.Profile()
        profiler.enable()
        run()
        profiler.disable()
    print_profile(profiler, args.profile_sort)
    return 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000, help="files in the tree")
    parser.add_argument("--lines", type=int, default=1_000_000, help="lines in the tree")
    add_standard_options(parser, repeat="runs of each kind", seed="make_spec/make_code")
    parser.add_argument(
        "--tools",
        nargs="*",
        choices=("lobster", "strictdoc"),
        help="also run these tools from OUT/tools-venv on the same tree",
    )
    parser.add_argument(
        "--setup-tools", action="store_true", help="create OUT/tools-venv and pip install them"
    )
    parser.add_argument("--tool-timeout", type=float, default=1800, help="seconds per tool step")
    parser.add_argument("--profile", choices=("first", "second"), help="cProfile one trace")
    add_profile_sort(parser)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.out = args.out.resolve()  # the tools run with the corpus as their working folder
    if args.repeat < 1:
        parser.error("--repeat must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]))))
        return 0
    if args.profile:
        return profile(args)
    return benchmark(args)


if __name__ == "__main__":
    sys.exit(main())
