"""Tests for benchmarks/make_code.py, the synthetic code tree generator for ``spectrace trace``."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from spectrace.api import load_document
from spectrace.trace.results import read_junit
from spectrace.trace.tags import TAG, parse_targets
from tests.conftest import load_benchmark

FILES, LINES, CASES = 50, 5000, 100
MARK = re.compile(r"@pytest\.mark\.verifies\(([^)]*)\)")

make_code = load_benchmark("make_code")
make_spec = load_benchmark("make_spec")


@pytest.fixture(scope="module")
def spec(tmp_path_factory):
    path = tmp_path_factory.mktemp("spec") / "spec.docx"
    make_spec.make_spec(path, 200, seed=0)
    return load_document(path, "SMETS", "4.2")


@pytest.fixture(scope="module")
def tree(spec, tmp_path_factory):
    folder = tmp_path_factory.mktemp("code") / "project"
    summary = make_code.make_code(folder, spec, files=FILES, lines=LINES, seed=0)
    return folder, summary


def _sources(folder: Path) -> list[Path]:
    return sorted(p for p in (folder / "src").rglob("*") if p.is_file()) + sorted(
        p for p in (folder / "tests").rglob("*") if p.is_file()
    )


def test_tree_shape(tree):
    folder, summary = tree
    files = _sources(folder)
    kinds = Counter((p.relative_to(folder).parts[0], p.suffix) for p in files)
    assert len(files) == summary.files == FILES
    assert kinds[("src", ".py")] == summary.python_sources > kinds[("src", ".c")]
    assert kinds[("src", ".c")] == kinds[("src", ".h")] == summary.c_sources > 0
    assert kinds[("tests", ".py")] == summary.python_tests
    assert kinds[("tests", ".cpp")] == summary.c_tests > 0
    lines = sum(p.read_text(encoding="utf-8").count("\n") for p in files)
    assert lines == summary.lines
    assert 0.9 * LINES < lines < 1.2 * LINES
    for path in files:
        if path.suffix == ".py":
            ast.parse(path.read_text(encoding="utf-8"), str(path))  # valid Python
    assert (folder / "spectrace.toml").is_file()
    assert (folder / "specs" / "SMETS" / "4.2" / "index.rst").is_file()
    assert json.loads((folder / "summary.json").read_text())["links"] == summary.links


def test_a_fifth_of_the_functions_are_tagged(tree):
    _, summary = tree
    assert 0.12 < summary.tagged_functions / summary.functions < 0.28
    assert summary.links == summary.implements_tags + summary.verifies_tags
    assert summary.tagged_functions == summary.implements_tags
    assert summary.tagged_tests == summary.verifies_tags


def test_tags_name_real_statements_and_clauses(tree, spec):
    folder, summary = tree
    ids = {s.id for _, s in spec.statements()}
    clauses = {c.number for c in spec.clauses}
    texts = []
    for path in _sources(folder):
        text = path.read_text(encoding="utf-8")
        texts += [match["targets"] for match in TAG.finditer(text)]
        texts += [m.replace('"', "") for m in MARK.findall(text)]
    assert len(texts) == summary.links
    named = set()
    for text in texts:
        targets, malformed = parse_targets(text)
        assert targets and not malformed, text
        for target in targets:
            if target.statement:
                assert target.statement in ids
                named.add(target.statement)
            else:
                assert target.document == "SMETS" and target.clause in clauses
    assert named <= set(summary.statement_ids)
    assert len(set(summary.statement_ids)) == summary.statements == FILES


def test_junit_parses_and_matches_the_tests(tree):
    folder, summary = tree
    results, error = read_junit(folder / summary.junit, folder)
    assert error is None
    assert len(results) == summary.test_cases == CASES
    outcomes = Counter(r.outcome for r in results)
    assert outcomes["failed"] == summary.failed >= 1
    assert outcomes["skipped"] == summary.skipped >= 1
    assert outcomes["error"] == summary.errors
    modules = {
        p.relative_to(folder).with_suffix("").as_posix().replace("/", ".")
        for p in (folder / "tests").rglob("*.py")
    }
    cpp = "".join(p.read_text(encoding="utf-8") for p in (folder / "tests").rglob("*.cpp"))
    for result in results:
        if "::" in result.key and result.classname.startswith("tests."):
            module = result.classname
            if module.rsplit(".", 1)[-1].startswith("Test"):
                module = module.rsplit(".", 1)[0]
            assert module in modules, result.classname
        else:  # ctest: "Suite.Case", both name and classname
            suite, case = result.name.split(".")
            assert f"TEST({suite}, {case})" in cpp
    assert any(r.verifies for r in results)  # the pytest plugin's properties


def test_deterministic(spec, tree, tmp_path):
    folder, _ = tree
    again = make_code.make_code(tmp_path / "again", spec, files=FILES, lines=LINES, seed=0)
    for path in _sources(folder):
        assert (tmp_path / "again" / path.relative_to(folder)).read_bytes() == path.read_bytes()
    assert (tmp_path / "again" / again.junit).read_bytes() == (folder / again.junit).read_bytes()


@pytest.mark.parametrize("dialect", ["lobster", "strictdoc"])
def test_dialects_write_the_same_functions(spec, tree, tmp_path, dialect):
    _, summary = tree
    other = make_code.make_code(tmp_path / dialect, spec, files=FILES, lines=LINES, dialect=dialect)
    for key in ("functions", "tagged_functions", "tagged_tests", "links", "test_cases"):
        assert getattr(other, key) == getattr(summary, key), key
    text = "".join(p.read_text(encoding="utf-8") for p in _sources(tmp_path / dialect))
    assert "implements:" not in text and "verifies:" not in text
    if dialect == "lobster":
        assert text.count("# lobster-trace: bench.") >= summary.tagged_python_functions
        names = re.findall(
            r"^Requirement (\w+)",
            (tmp_path / dialect / "requirements" / "bench.trlc").read_text(),
            re.M,
        )
        assert len(names) == summary.spec_statements
        # TRLC refuses names that differ only in case or underscores
        assert len({n.replace("_", "").lower() for n in names}) == len(names)
    else:
        assert text.count(", scope=function)") == summary.links
        sdoc = (tmp_path / dialect / "docs" / "requirements.sdoc").read_text()
        assert sdoc.count("[REQUIREMENT]") == summary.spec_statements


def test_spectrace_trace_finds_every_tag(tree):
    folder, summary = tree
    done = subprocess.run(
        [sys.executable, "-m", "spectrace", "--project", str(folder), "trace"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    matrix = json.loads((folder / "build" / "trace" / "matrix.json").read_text())
    assert matrix["errors"] == []
    places = set()
    for row in matrix["rows"]:
        places.update(row["implemented_by"])
        places.update(e["test"] for e in row["verified_by"])
    scanned = {p for p in places if not re.search(r":0( |$)", p)}
    assert len(scanned) == summary.links
    statuses = Counter(row["status"] for row in matrix["rows"] if row["required"])
    assert statuses["covered"] > 0 and statuses["uncovered"] > 0
    assert (folder / "build" / "cache" / "scan.json").is_file()
