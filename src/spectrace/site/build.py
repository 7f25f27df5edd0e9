"""Run Sphinx on the site's sources, in-process, into a folder swapped in only on success.

Any Sphinx warning fails the build (``-W``): the first one becomes a :class:`PublishError`
naming the source file (relative to the source folder) and line. The previous output stays as
it was until the new one is complete (:func:`spectrace.fileio.replaced_folder`).

Entry points, from the whole job to its parts (:func:`spectrace.api.publish_html` reads,
amends and publishes a project's site into a folder):

- :func:`write_html` — publish already-amended documents into a (staging) folder, for a build
  that swaps all its outputs in together;
- :func:`build_html` — build a Sphinx project into a folder, swapped in on success;
- :func:`sphinx_html` — build a Sphinx project into a folder, in place.
"""

from __future__ import annotations

import contextlib
import gc
import io
import logging
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from spectrace.config import Project
from spectrace.fileio import replaced_folder
from spectrace.model import Document, Proposal
from spectrace.model.revision import Amendment
from spectrace.site.sources import PublishError, write_site_sources
from spectrace.trace.matrix import Matrix

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
#: Collector thresholds during a build (Python's defaults are 700, 10, 10).
GC_THRESHOLDS = (10_000, 50, 50)


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
) -> None:
    """Write the site of ``documents`` (the bases), ``amendment`` and ``proposals`` as HTML into
    ``folder``, in place: for a build that stages its outputs and swaps them in together.

    The Sphinx sources go to a temporary folder, or to ``sources`` (replaced) to look at;
    ``parallel`` is Sphinx's ``-j``, by default two processes where there are two cores;
    ``matrix``, the traceability matrix of the final editions, adds the Traceability page.
    """
    jobs = parallel if parallel is not None else min(2, os.cpu_count() or 1)
    if sources is not None:
        write_site_sources(project, documents, amendment, proposals, sources, matrix=matrix)
        sphinx_html(sources, folder, parallel=jobs)
        return
    with tempfile.TemporaryDirectory(prefix="spectrace-site-") as temporary:
        written = Path(temporary) / "sources"
        write_site_sources(project, documents, amendment, proposals, written, matrix=matrix)
        sphinx_html(written, folder, parallel=jobs)


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


def sphinx_html(source_folder: Path, folder: Path, *, parallel: int = 1) -> None:
    """Build the Sphinx project in ``source_folder`` as HTML into ``folder``, in place (the
    doctrees go to a temporary folder); raise :class:`PublishError` on any Sphinx warning."""
    _check_sources(Path(source_folder))
    with (
        tempfile.TemporaryDirectory(prefix="spectrace-doctrees-") as doctrees,
        _fewer_collections(),
    ):
        _sphinx(Path(source_folder), Path(folder), Path(doctrees), parallel)


def check_output(output: Path) -> None:
    if output.exists() and not output.is_dir():
        raise PublishError("exists and is not a folder", file=str(output))


def _check_sources(source_folder: Path) -> None:
    if not (source_folder / "conf.py").is_file():
        raise PublishError("no conf.py here: not a Sphinx project", file=str(source_folder))


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the garbage collector less often while Sphinx builds.

    A large edition's doctrees hold about a million objects; with the default thresholds every
    full collection rescans them all, which took over a third of the build of a 10,000-clause
    edition. Collecting less often changes neither the output nor the peak memory (measured
    with benchmarks/bench_html.py).
    """
    previous = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def _sphinx(source: Path, out: Path, doctrees: Path, parallel: int) -> None:
    from sphinx.application import Sphinx
    from sphinx.errors import SphinxError
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    warnings = _Warnings(source)
    stream = io.StringIO()
    try:
        with patch_docutils(source), docutils_namespace():
            app = Sphinx(
                source,
                source,
                out,
                doctrees,
                "html",
                status=None,
                warning=stream,
                freshenv=True,
                warningiserror=True,
                parallel=max(1, parallel),
            )
            logging.getLogger("sphinx").addHandler(warnings)
            try:
                app.build(force_all=True)
            finally:
                logging.getLogger("sphinx").removeHandler(warnings)
    except SphinxError as exc:
        if getattr(exc, "orig_exc", None) is not None:
            raise  # an extension failed: a bug, with its traceback
        raise PublishError(f"Sphinx failed: {_one_line(str(exc))}", file=str(source)) from None
    if warnings.first is not None:
        first = warnings.first
        more = f" (and {warnings.count - 1} more)" if warnings.count > 1 else ""
        raise PublishError(first.message + more, file=first.file, where=first.where)
    if app.statuscode:
        line = _one_line(stream.getvalue().strip().split("\n")[0]) or "Sphinx failed"
        raise PublishError(line, file=str(source))


def _one_line(text: str) -> str:
    return " ".join(_ANSI.sub("", text).split())


class _Warnings(logging.Handler):
    """Keep the first Sphinx warning or error as a PublishError with its file and line, and
    count them. Sphinx holds some back and hands them on again later: each counts once."""

    def __init__(self, source: Path):
        super().__init__(level=logging.WARNING)
        self.source = source
        self.first: PublishError | None = None
        self.records: dict[int, logging.LogRecord] = {}

    @property
    def count(self) -> int:
        return len(self.records)

    def emit(self, record: logging.LogRecord) -> None:
        if id(record) in self.records:
            return
        self.records[id(record)] = record  # holding the record keeps its id unique
        if self.first is not None:
            return
        file, line = _location(record, self.source)
        kind = getattr(record, "type", None)
        subtype = getattr(record, "subtype", None)
        tag = f" [{kind}.{subtype}]" if kind and subtype else (f" [{kind}]" if kind else "")
        message = _one_line(record.getMessage()) + tag
        self.first = PublishError(message, file=file, where=f"line {line}" if line else None)


def _location(record: logging.LogRecord, source: Path) -> tuple[str | None, int | None]:
    """Return (file relative to the sources, line) of a Sphinx log record."""
    from docutils.utils import get_source_line

    location = getattr(record, "location", None)
    file: str | None = None
    line: int | None = None
    if isinstance(location, tuple):
        file, line = location[0], location[1] if len(location) > 1 else None
        file = f"{file}.rst" if file and not file.endswith(".rst") else file
    elif isinstance(location, str):
        file, _, rest = location.rpartition(":")
        file, line = (file, int(rest)) if rest.isdigit() else (location, None)
    elif location is not None:
        try:
            file, line = get_source_line(location)
        except (AttributeError, ValueError):
            file, line = None, None
    if file:
        with contextlib.suppress(ValueError):
            file = Path(file).resolve().relative_to(source.resolve()).as_posix()
    return file, line
