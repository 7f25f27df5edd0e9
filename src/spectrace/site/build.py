"""Build the site's HTML, into a folder swapped in only on success.

Any Sphinx warning fails the build (:mod:`.runner`). The previous output stays as it was
until the new one is complete (:func:`spectrace.fileio.replaced_folder`).

Entry points, from the whole job to its parts (:func:`spectrace.api.publish_html` reads,
amends and publishes a project's site into a folder):

- :func:`write_html` — publish already-amended documents into a (staging) folder, for a build
  that swaps all its outputs in together;
- :func:`build_html` — build a Sphinx project into a folder, swapped in on success;
- :func:`sphinx_html` — build a Sphinx project into a folder, in place.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from spectrace import cache
from spectrace.config import Project
from spectrace.fileio import replaced_folder
from spectrace.model import Document, Proposal
from spectrace.model.revision import Amendment
from spectrace.progress import QUIET, Progress
from spectrace.site.plan import RenderedBlocks
from spectrace.site.runner import GC_THRESHOLDS, run_sphinx
from spectrace.site.sources import PublishError, site_sources, write_site_sources
from spectrace.site.workspace import build_site
from spectrace.trace.matrix import Matrix

#: The blocks the last build rendered, kept in the workspace (:class:`.plan.RenderedBlocks`).
RENDERED = "blocks.pickle"

__all__ = ["GC_THRESHOLDS", "build_html", "check_output", "sphinx_html", "write_html"]


def write_html(
    project: Project | None,
    documents: list[Document],
    amendment: Amendment,
    proposals: list[Proposal],
    folder: Path,
    *,
    parallel: int | None = None,
    sources: Path | None = None,
    matrix: Matrix | None = None,
    workspace: Path | None = None,
    previous: Path | None = None,
    progress: Progress = QUIET,
) -> None:
    """Write the site of ``documents`` (the bases), ``amendment`` and ``proposals`` as HTML into
    ``folder``, in place: for a build that stages its outputs and swaps them in together.

    The Sphinx sources go to a temporary folder, or to ``sources`` (replaced) to look at, or
    are built in ``workspace``, the Sphinx build kept from the previous build, reading and
    writing only what changed (:mod:`.workspace`; ``previous`` is the HTML that build wrote);
    ``parallel`` is Sphinx's ``-j``, by default two processes where there are two cores;
    ``matrix``, the traceability matrix of the final editions, adds the Traceability page.
    Writing the sources, and Sphinx's reading and writing, are phases of ``progress``.
    """
    jobs = parallel if parallel is not None else min(2, os.cpu_count() or 1)
    if workspace is not None and sources is None:
        kept = workspace / RENDERED
        with progress.phase("write site sources"):
            rendered = RenderedBlocks(cache.load(kept))
            files = site_sources(documents, amendment, proposals, matrix=matrix, rendered=rendered)
        build_site(files, workspace, folder, previous, parallel=jobs, progress=progress)
        if rendered.used != rendered.known:
            cache.store(kept, "", rendered.used)
        return
    if sources is not None:
        with progress.phase("write site sources"):
            write_site_sources(project, documents, amendment, proposals, sources, matrix=matrix)
        sphinx_html(sources, folder, parallel=jobs, progress=progress)
        return
    with tempfile.TemporaryDirectory(prefix="spectrace-site-") as temporary:
        written = Path(temporary) / "sources"
        with progress.phase("write site sources"):
            write_site_sources(project, documents, amendment, proposals, written, matrix=matrix)
        sphinx_html(written, folder, parallel=jobs, progress=progress)


def build_html(source_folder: Path, output: Path, *, parallel: int = 1) -> None:
    """Build the Sphinx project in ``source_folder`` as HTML into ``output``.

    The build goes to a temporary sibling of ``output`` and replaces it only when Sphinx
    finished without a warning; ``parallel`` is Sphinx's ``-j``.
    """
    output = Path(output)
    check_output(output)
    _check_sources(Path(source_folder))
    with replaced_folder(output) as staging:
        sphinx_html(Path(source_folder), staging, parallel=parallel)


def sphinx_html(
    source_folder: Path, folder: Path, *, parallel: int = 1, progress: Progress = QUIET
) -> None:
    """Build the Sphinx project in ``source_folder`` as HTML into ``folder``, in place (the
    doctrees go to a temporary folder); raise :class:`PublishError` on any Sphinx warning.
    Reading and writing the pages are phases of ``progress``."""
    _check_sources(Path(source_folder))
    with tempfile.TemporaryDirectory(prefix="spectrace-doctrees-") as doctrees:
        run_sphinx(Path(source_folder), Path(folder), Path(doctrees), parallel, progress=progress)


def check_output(output: Path) -> None:
    if output.exists() and not output.is_dir():
        raise PublishError("exists and is not a folder", file=str(output))


def _check_sources(source_folder: Path) -> None:
    if not (source_folder / "conf.py").is_file():
        raise PublishError("no conf.py here: not a Sphinx project", file=str(source_folder))
