"""Trace a project: gather its editions, tags, test results and reviews, then compute."""

from __future__ import annotations

from pathlib import Path

from spectrace.config import Project
from spectrace.model import Document
from spectrace.trace.matrix import Inputs, Matrix, compute
from spectrace.trace.results import read_results
from spectrace.trace.review import read_reviewed
from spectrace.trace.scanner import Scanner
from spectrace.transforms.amend import Amendment


def trace_project(
    project: Project,
    documents: list[Document],
    amendment: Amendment,
    results: list[str] | None = None,
) -> Matrix:
    """Return the matrix of the editions ``project`` builds (``documents`` amended by
    ``amendment``); ``results`` overrides the JUnit files the project file names."""
    from spectrace.api import final_editions

    config = project.trace
    scanner = Scanner(project.root, config.exclude, cache=cache_path(project))
    scan = scanner.scan([*config.code, *config.tests])
    scanner.save()
    found, problems = read_results(
        project.root,
        results if results is not None else config.results,
        cache=project.output / "cache",
    )
    inputs = Inputs(
        editions=final_editions(documents, amendment),
        bases=documents,
        links=scan.links,
        results=found,
        reviewed=read_reviewed(project.root / config.reviewed),
        changes=_changes(amendment),
        documents=config.documents,
        modalities=config.modalities,
        waivers=config.waivers,
        errors=[*scan.errors, *problems],
        project_file=project.file.name,
    )
    return compute(inputs)


def cache_path(project: Project) -> Path:
    return project.output / "trace" / "cache.json"


def _changes(amendment: Amendment) -> dict[str, list[str]]:
    changes: dict[str, list[str]] = {}
    for revision in amendment.revisions:
        for action, ids in (("added", revision.added), ("changed", revision.changed)):
            for statement in ids:
                changes.setdefault(statement, []).append(
                    f"{revision.irp} change {revision.change} ({action})"
                )
    return changes
