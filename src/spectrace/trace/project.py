"""Trace a project: gather its editions, tags, test results and reviews, then compute."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from spectrace.config import Project
from spectrace.model import Document
from spectrace.model.revision import Amendment
from spectrace.trace.matrix import Inputs, Matrix, compute
from spectrace.trace.model import Action, ChangeRef, TestResult, TraceError
from spectrace.trace.results import read_results
from spectrace.trace.review import add_baselines, read_reviewed
from spectrace.trace.scanner import FileScan, Scanner


def trace_project(
    project: Project,
    documents: list[Document],
    amendment: Amendment,
    results: list[str] | None = None,
    scan: FileScan | None = None,
    *,
    record: bool = False,
) -> Matrix:
    """Return the matrix of the editions ``project`` builds (``documents`` amended by
    ``amendment``); ``results`` overrides the JUnit files the project file names; ``scan``
    is the project's scan, when the caller has made it (:func:`scanning`).

    With ``record``, each linked statement the review file has no record of gets its baseline
    recorded there (``matrix.recorded``; :func:`~spectrace.trace.review.add_baselines`), and
    is compared with it; without, it is suspect. A record is never replaced here.
    """
    scan = scan if scan is not None else scan_project(project)
    found, problems = project_results(project, results)
    inputs = matrix_inputs(project, documents, amendment, scan, found, problems)
    inputs.record = record
    matrix = compute(inputs)
    if matrix.recorded:
        matrix.recorded = add_baselines(project.root / project.trace.reviewed, matrix.recorded)
    return matrix


def scan_project(project: Project) -> FileScan:
    """Return the tags in the project's code and tests (and update the scan cache)."""
    with scanning(project) as finish:
        return finish()


@contextmanager
def scanning(project: Project) -> Iterator[Callable[[], FileScan]]:
    """Start scanning the project's code and tests, and yield the function that returns the
    scan (and updates the scan cache): changed files are read in the background meanwhile."""
    config = project.trace
    scanner = Scanner(project.root, config.exclude, cache=cache_path(project))
    with scanner.start([*config.code, *config.tests]) as scanned:

        def finish() -> FileScan:
            scan = scanned()
            scanner.save()
            return scan

        yield finish


def project_results(
    project: Project, results: list[str] | None = None
) -> tuple[list[TestResult], list[TraceError]]:
    """Return the test results of the project's JUnit files (or of ``results``)."""
    patterns = results if results is not None else project.trace.results
    return read_results(project.root, patterns, cache=project.output / "cache")


def matrix_inputs(
    project: Project,
    documents: list[Document],
    amendment: Amendment,
    scan: FileScan,
    found: list[TestResult],
    problems: list[TraceError],
) -> Inputs:
    """Return what the matrix is computed from: the editions, the links, the results, the
    review records and the project file's coverage rules."""
    config = project.trace
    return Inputs(
        editions=amendment.final(documents),
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
        reviewed_file=config.reviewed,
    )


def cache_path(project: Project) -> Path:
    """Return the scan cache's file: with the other caches, outside the published outputs."""
    return project.output / "cache" / "scan.json"


def _changes(amendment: Amendment) -> dict[str, list[ChangeRef]]:
    """Return, per statement id, the changes that added or changed it, in order."""
    changes: dict[str, list[ChangeRef]] = {}
    for revision in amendment.revisions:
        for action, ids in ((Action.ADDED, revision.added), (Action.CHANGED, revision.changed)):
            for statement in ids:
                changes.setdefault(statement, []).append(
                    ChangeRef(revision.irp, revision.change, action)
                )
    return changes
