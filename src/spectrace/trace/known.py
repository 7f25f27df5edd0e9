"""Which statements and clauses exist, for checking the ids that tags and marks name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from spectrace.trace.tags import Target


def known_targets(start: Path) -> Callable[[Target], str | None] | None:
    """Return a check against the editions the project above ``start`` builds: what is wrong
    with a target, or None when it names statements, by the same rules as ``spectrace trace``.
    None when there is no project (then ids are only checked for their form)."""
    from spectrace.api import amend_project, final_editions, load_project_documents
    from spectrace.config import find_project, load_project
    from spectrace.trace.matrix import Resolver

    if find_project(start.resolve()) is None:
        return None
    project = load_project(start=start)
    documents = load_project_documents(project)
    resolver = Resolver(final_editions(documents, amend_project(project, documents)), [])

    def problem(target: Target) -> str | None:
        return resolver.target(target)[1]

    return problem
