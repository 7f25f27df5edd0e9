"""The pytest plugin: ``@pytest.mark.verifies("SMETS-5.6.1-2", "CHTS 4.4.6.1")``.

Registered through the ``pytest11`` entry point. It declares the marker, checks at collection
that every id is well formed (and, inside a spectrace project, names a statement or clause of
the editions the project builds), and writes each test's statements into the JUnit XML as
``verifies`` properties (and its place as ``verifies-at``, ``path:line``), where ``spectrace
trace`` finds them with the test's outcome.
"""

from __future__ import annotations

import pytest

from spectrace.trace.model import LOCATION_PROPERTY, LinkKind
from spectrace.trace.tags import parse_targets

#: The marker, and the JUnit property naming each id it verifies: named after the link kind.
MARKER: str = LinkKind.VERIFIES.value
LOCATION = LOCATION_PROPERTY  # the JUnit property giving where the marked test is


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(*ids): the specification statements (SMETS-5.6.1-2) or clauses "
        "(SMETS 5.6.1) this test verifies (spectrace)",
    )


def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    marked = [(item, marked_ids(item)) for item in items]
    marked = [(item, ids) for item, ids in marked if ids]
    if not marked:
        return  # nothing to check: do not even look for a project
    known = _known(config)
    problems: dict[pytest.Item, list[str]] = {}
    for item, ids in marked:
        for text in ids:
            targets, malformed = parse_targets(text)
            found = [f"'{piece}' is not a statement id or clause" for piece in malformed]
            if known is not None:
                found += [p for target in targets if (p := known(target)) is not None]
            if found:
                problems.setdefault(item, []).extend(found)
        item.user_properties += [(MARKER, text) for text in ids]
        path, line, _ = item.location  # pytest's JUnit (xunit2) names no file or line
        item.user_properties.append((LOCATION, f"{path}:{(line or 0) + 1}"))
    if not problems:
        return
    if not hasattr(config, "workerinput"):
        lines = [f"{item.nodeid}: {p}" for item, found in problems.items() for p in found]
        raise pytest.UsageError(_BAD + "\n  " + "\n  ".join(lines))
    # In a pytest-xdist worker a usage error would crash the run: those tests fail instead.
    for item, found in problems.items():
        item.stash[_BAD_MARKS] = _BAD + "\n  " + "\n  ".join(found)


_BAD = "spectrace: bad verifies marks:"
_BAD_MARKS = pytest.StashKey[str]()


def pytest_runtest_setup(item: pytest.Item) -> None:
    message = item.stash.get(_BAD_MARKS, None)
    if message is not None:
        pytest.fail(message, pytrace=False)


def marked_ids(item: pytest.Item) -> list[str]:
    """Return the ids the test's ``verifies`` marks name, in order."""
    return [str(arg) for mark in item.iter_markers(MARKER) for arg in mark.args]


def _known(config: pytest.Config):
    """Return a check of a target against the project (what is wrong with it, or None), or
    None outside a project."""
    from spectrace.api import known_targets
    from spectrace.errors import SpectraceError

    try:
        return known_targets(config.rootpath)
    except SpectraceError as exc:
        raise pytest.UsageError(f"spectrace: {exc}") from None
