"""Read test results from JUnit XML, as pytest, ctest, Maven Surefire and most runners write it."""

from __future__ import annotations

import glob
import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from spectrace.cache import cached
from spectrace.errors import ReadError
from spectrace.fileio import open_input
from spectrace.findings import Code, in_file
from spectrace.limits import RESULTS_CASES, RESULTS_FILE_BYTES, XML_DEPTH
from spectrace.trace.model import LOCATION_PROPERTY, LinkKind, Outcome, TestResult, TraceError
from spectrace.trace.scanner import shown

if TYPE_CHECKING:
    from lxml import etree
#: How bad each outcome a JUnit file reports is: the worst of several is a test's outcome.
_WORST = {Outcome.ERROR: 3, Outcome.FAILED: 2, Outcome.PASSED: 1, Outcome.SKIPPED: 0}
#: The outcome each child element of a ``<testcase>`` reports.
_REPORTED = {"failure": Outcome.FAILED, "error": Outcome.ERROR, "skipped": Outcome.SKIPPED}


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
                in_file(
                    Code.MISSING_INPUT,
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
        with open_input(path, limit=RESULTS_FILE_BYTES) as handle:
            return _cases(handle, name), None
    except ReadError as exc:
        return [], _refused(name, exc)
    except _NotJUnit as exc:
        return [], exc.problem


def _check(path: Path) -> None:
    """Raise the ReadError of a results file that is not a regular file within
    RESULTS_FILE_BYTES (a FIFO is refused without waiting on it); a folder, which a pattern
    may match, is worded as the system words it."""
    if path.is_dir():
        raise ReadError("cannot be read (Is a directory)", file=str(path))
    with open_input(path, limit=RESULTS_FILE_BYTES):
        pass


class _NotJUnit(Exception):
    """A results file refused for what it holds: malformed, a DTD, another root element."""

    def __init__(self, problem: TraceError):
        super().__init__(problem.message)
        self.problem = problem


def _cases(handle: BinaryIO, name: str) -> list[TestResult]:
    """Return the test cases in the JUnit XML of ``handle``, read as a stream.

    Each ``<testcase>`` is read and then dropped, so memory holds one case at a time, not the
    file's tree (a tree of small cases took twenty times the file). The XML is held to what
    :mod:`spectrace.xmlsafe` allows of all outside XML (no DTD, entity, XInclude or network;
    nesting at most XML_DEPTH), checked as the parser meets it, and may be a huge tree: a
    test's captured output may pass libxml2's 10 MB limit on one text node.
    """
    from lxml import etree  # here: results mostly come from the cache

    from spectrace import xmlsafe

    found: list[TestResult] = []
    depth = 0
    events = etree.iterparse(handle, events=("start", "end"), **_PARSING)
    try:
        for event, element in events:
            if event == "start":
                depth += 1
                if depth == 1:
                    _check_root(element, name)
                if depth > XML_DEPTH:
                    message = f"elements nest deeper than {XML_DEPTH} levels; refused"
                    raise xmlsafe.refused(message, file=name, part=None, line=element.sourceline)
                if element.tag.startswith(xmlsafe.XINCLUDE):
                    raise xmlsafe.refused(
                        "uses XInclude, which is refused", file=name, part=None,
                        line=element.sourceline,
                    )  # fmt: skip
                continue
            depth -= 1
            for child in element:
                if isinstance(child, etree._Entity):
                    message = f"uses the entity reference {child.text}, which is refused"
                    raise xmlsafe.refused(message, file=name, part=None, line=child.sourceline)
            if etree.QName(element).localname == "testcase":
                if len(found) == RESULTS_CASES:
                    raise ReadError(f"holds more than {RESULTS_CASES:,} test cases", file=name)
                found.append(_case(element))
                element.clear()
                parent = element.getparent()
                while parent is not None and element.getprevious() is not None:
                    del parent[0]  # the cases before it, already read
    except etree.XMLSyntaxError as exc:
        raise _malformed(exc, events.error_log.last_error, name) from None
    return found


def _malformed(exc: etree.XMLSyntaxError, last, name: str) -> Exception:
    """Return what a syntax error while streaming refuses the file with: the parser's own
    last error (the exception of a stream says only "no element found"), or nesting past
    libxml2's limit for a huge tree, worded as for every XML part."""
    from spectrace import xmlsafe

    message, line = (last.message, last.line) if last is not None else (exc.msg, exc.lineno)
    if message == "no element found" and not line:
        message, line = "Document is empty", 1
    if "Excessive depth" in message:
        text = f"elements nest deeper than {XML_DEPTH} levels; refused"
        return xmlsafe.refused(text, file=name, part=None, line=line)
    return _NotJUnit(
        in_file(Code.UNREADABLE_INPUT, name, line or 0, f"malformed JUnit XML ({message})")
    )


#: How results files are parsed: as :func:`spectrace.xmlsafe.parser`, as a huge tree.
_PARSING = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": True,
    "remove_comments": True,
    "remove_pis": True,
}


def _check_root(root: etree._Element, name: str) -> None:
    """Refuse a results file with a DOCTYPE, or whose root is not a JUnit element."""
    from lxml import etree

    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise _NotJUnit(
            in_file(Code.UNREADABLE_INPUT, name, 0, "declares a DTD or entities; refused")
        )
    if etree.QName(root).localname not in ("testsuites", "testsuite"):
        raise _NotJUnit(
            in_file(
                Code.UNREADABLE_INPUT,
                name,
                root.sourceline or 0,
                f"not JUnit XML (root element <{etree.QName(root).localname}>)",
            )
        )


def _refused(name: str, exc: ReadError) -> TraceError:
    """Return the tracing problem for a results file refused with ``exc``."""
    message = f"{exc.where}: {exc.message}" if exc.where else exc.message
    return in_file(Code.UNREADABLE_INPUT, name, 0, message)


def _case(case: etree._Element) -> TestResult:
    from lxml import etree

    found = []
    for child in case:
        tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if tag in _REPORTED:
            found.append(_REPORTED[tag])
    if case.get("status") in ("notrun", "disabled"):  # ctest, gtest: did not run
        found.append(Outcome.SKIPPED)
    # a case passed when nothing says otherwise; a skipped one did not pass
    outcome = max(found, key=_WORST.__getitem__) if found else Outcome.PASSED
    properties = [(prop.get("name"), prop.get("value", "")) for prop in case.iter("property")]
    verifies = tuple(value for name, value in properties if name == LinkKind.VERIFIES)
    path, line = case.get("file", ""), 0
    for name, value in properties:
        if name == LOCATION_PROPERTY and (place := re.fullmatch(r"(.+):(\d+)", value)):
            path, line = place[1], int(place[2])
    return TestResult(
        case.get("classname", ""), case.get("name", ""), outcome, path, verifies, line
    )


def worst(outcomes: list[Outcome]) -> Outcome:
    """Return the worst of several outcomes of one test (parametrised cases, reruns), MISSING
    when there are none."""
    return max(outcomes, key=_WORST.__getitem__) if outcomes else Outcome.MISSING


def _relative(path: Path, root: Path) -> str:
    """Return how problems name a results file: relative to the project (as found, or once
    links are resolved), shown as text."""
    for found, base in ((path, root), (path.resolve(), root.resolve())):
        try:
            return shown(found.relative_to(base).as_posix())
        except ValueError:
            pass
    return shown(str(path))
