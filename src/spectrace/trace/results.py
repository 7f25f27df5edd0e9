"""Read test results from JUnit XML, as pytest, ctest, Maven Surefire and most runners write it."""

from __future__ import annotations

import glob
import hashlib
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from spectrace.cache import cached
from spectrace.errors import ReadError
from spectrace.fileio import open_input, read_input
from spectrace.limits import RESULTS_FILE_BYTES
from spectrace.trace.model import TestResult, TraceError
from spectrace.trace.scanner import shown

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
    try:  # before the cache hashes the file's bytes
        _check(path)
    except ReadError as exc:
        return [], _refused(name, exc)
    entry = "junit-" + hashlib.sha1(name.encode()).hexdigest()[:16]
    return cached(cache, entry, [path], name, lambda: read_junit(path, root))


def read_junit(path: Path, root: Path) -> tuple[list[TestResult], TraceError | None]:
    """Return the test cases of one JUnit XML file, or why it cannot be read."""
    name = _relative(path, root)
    try:
        _check(path)
        data = read_input(path, limit=RESULTS_FILE_BYTES)
    except ReadError as exc:
        return [], _refused(name, exc)
    tree = _parse(data, name)
    if isinstance(tree, TraceError):
        return [], tree
    from lxml import etree

    if etree.QName(tree).localname not in ("testsuites", "testsuite"):
        return [], TraceError(
            name,
            tree.sourceline or 0,
            f"not JUnit XML (root element <{etree.QName(tree).localname}>)",
        )
    return [_case(case) for case in tree.iter("testcase")], None


def _check(path: Path) -> None:
    """Raise the ReadError of a results file that is not a regular file within
    RESULTS_FILE_BYTES (a FIFO is refused without waiting on it); a folder, which a pattern
    may match, is worded as the system words it."""
    if path.is_dir():
        raise ReadError("cannot be read (Is a directory)", file=str(path))
    with open_input(path, limit=RESULTS_FILE_BYTES):
        pass


def _parse(data: bytes, name: str) -> etree._Element | TraceError:
    """Return the root element of a results file, or the problem that refuses it.

    The file is parsed as :mod:`spectrace.xmlsafe` parses all outside XML (no DTD, entity
    expansion or network; a DOCTYPE anywhere, an entity reference, an XInclude or nesting over
    the limit refused), as a huge tree: a test's captured output may pass libxml2's 10 MB
    limit on one text node.
    """
    from lxml import etree  # here: results mostly come from the cache

    from spectrace import xmlsafe

    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        if "Excessive depth" in (exc.msg or ""):  # past libxml2's limit for a huge tree
            return _refused(name, xmlsafe.malformed(exc, file=name))
        return TraceError(name, exc.lineno or 0, f"malformed JUnit XML ({exc.msg})")
    try:
        xmlsafe.check_document(root, file=name)
    except ReadError:
        return TraceError(name, 0, "declares a DTD or entities; refused")
    try:
        xmlsafe.check_content(root, file=name)
        xmlsafe.check_depth(root, file=name)
    except ReadError as exc:
        return _refused(name, exc)
    return root


def _refused(name: str, exc: ReadError) -> TraceError:
    """Return the tracing problem for a results file refused with ``exc``."""
    return TraceError(name, 0, f"{exc.where}: {exc.message}" if exc.where else exc.message)


@cache
def _parser():
    from spectrace import xmlsafe

    return xmlsafe.parser(huge=True)


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
    """Return how problems name a results file: relative to the project (as found, or once
    links are resolved), shown as text."""
    for found, base in ((path, root), (path.resolve(), root.resolve())):
        try:
            return shown(found.relative_to(base).as_posix())
        except ValueError:
            pass
    return shown(str(path))
