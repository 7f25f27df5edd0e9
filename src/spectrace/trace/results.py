"""Read test results from JUnit XML, as pytest, ctest, Maven Surefire and most runners write it."""

from __future__ import annotations

import glob
import hashlib
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from spectrace.cache import cached
from spectrace.trace.model import TestResult, TraceError

if TYPE_CHECKING:
    from lxml import etree
_WORST = {"error": 3, "failed": 2, "passed": 1, "skipped": 0}


def read_results(
    root: Path, patterns: list[str], cache: Path | None = None
) -> tuple[list[TestResult], list[TraceError]]:
    """Return the test cases of every JUnit file matching ``patterns`` (relative to ``root``),
    and a problem for each file that cannot be read; one bad file does not stop the rest.
    With a ``cache`` folder, what a file gave is kept there, keyed by its bytes."""
    results: list[TestResult] = []
    errors: list[TraceError] = []
    for pattern in patterns:
        # relative to root_dir, so that a "[" or "*" in the project's own path is not a pattern
        paths = sorted(Path(root, p) for p in glob.glob(pattern, root_dir=root, recursive=True))
        if not paths:
            errors.append(
                TraceError(
                    pattern,
                    0,
                    "no test results found here; run the tests with JUnit XML output first",
                )
            )
        for path in paths:
            found, error = _read_cached(path, root, cache)
            results += found
            errors += [error] if error else []
    return results, errors


def _read_cached(path: Path, root: Path, cache: Path | None):
    if cache is None:
        return read_junit(path, root)
    name = _relative(path, root)
    entry = "junit-" + hashlib.sha1(name.encode()).hexdigest()[:16]
    return cached(cache, entry, [path], name, lambda: read_junit(path, root))


def read_junit(path: Path, root: Path) -> tuple[list[TestResult], TraceError | None]:
    """Return the test cases of one JUnit XML file, or why it cannot be read."""
    name = _relative(path, root)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [], TraceError(name, 0, f"cannot be read ({exc.strerror})")
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:4096]:
        return [], TraceError(name, 0, "declares a DTD or entities; refused")
    from lxml import etree  # here: results mostly come from the cache

    try:
        tree = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        return [], TraceError(name, exc.lineno or 0, f"malformed JUnit XML ({exc.msg})")
    if etree.QName(tree).localname not in ("testsuites", "testsuite"):
        return [], TraceError(
            name,
            tree.sourceline or 0,
            f"not JUnit XML (root element <{etree.QName(tree).localname}>)",
        )
    return [_case(case) for case in tree.iter("testcase")], None


@cache
def _parser():
    """No entities, DTDs or network: a results file cannot read other files or expand. huge_tree
    lifts libxml2's 10 MB limit on one text node, which a test's captured <system-out> can pass."""
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)


def _case(case: etree._Element) -> TestResult:
    from lxml import etree

    found = []
    for child in case:
        tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if tag in ("failure", "error", "skipped"):
            found.append({"failure": "failed", "error": "error", "skipped": "skipped"}[tag])
    if case.get("status") in ("notrun", "disabled"):  # ctest, gtest: did not run
        found.append("skipped")
    # a case passed when nothing says otherwise; a skipped one did not pass
    outcome = max(found, key=_WORST.get) if found else "passed"
    properties = [(prop.get("name"), prop.get("value", "")) for prop in case.iter("property")]
    verifies = tuple(value for name, value in properties if name == "verifies")
    path, line = case.get("file", ""), 0
    for name, value in properties:
        if name == "verifies-at" and (place := re.fullmatch(r"(.+):(\d+)", value)):
            path, line = place[1], int(place[2])
    return TestResult(
        case.get("classname", ""), case.get("name", ""), outcome, path, verifies, line
    )


def worst(outcomes: list[str]) -> str:
    """Return the worst of several outcomes of one test (parametrised cases, reruns)."""
    return max(outcomes, key=_WORST.get) if outcomes else "missing"


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
