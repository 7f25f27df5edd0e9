"""Which statements and clauses exist, for checking the ids that tags and marks name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from spectrace.trace.tags import Target


def known_targets(start: Path) -> Callable[[Target], bool] | None:
    """Return a check against the editions the project above ``start`` builds, or None when
    there is no project (then ids are only checked for their form)."""
    from spectrace.api import amend_project, final_editions, load_project_documents
    from spectrace.config import find_project, load_project

    if find_project(start.resolve()) is None:
        return None
    project = load_project(start=start)
    documents = load_project_documents(project)
    editions = final_editions(documents, amend_project(project, documents))
    statements = {s.id for d in editions for _, s in d.statements()}
    clauses = {(d.name, c.number) for d in editions for c in d.clauses if c.number}

    def known(target: Target) -> bool:
        if target.statement:
            return target.statement in statements
        return (target.document, target.clause) in clauses

    return known
