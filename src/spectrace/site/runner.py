"""Run Sphinx on the site's sources, in-process: any warning fails the build (``-W``).

The first warning becomes a :class:`~spectrace.site.sources.PublishError` naming the source
file (relative to the source folder) and line.
"""

from __future__ import annotations

import contextlib
import gc
import io
import logging
import os
import re
from collections.abc import Iterator, Set
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from spectrace.progress import QUIET, Progress, Step
from spectrace.site.sources import PublishError

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
#: Collector thresholds during a build (Python's defaults are 700, 10, 10).
GC_THRESHOLDS = (10_000, 50, 50)
#: Fewer pages than this are read in this process even in a parallel build: Sphinx's parallel
#: reader sends the whole environment back from each worker (pickled), which for a large site
#: costs more than reading a few pages (adding one proposal to 500: 5 pages, most of the time
#: of the build went on the two environments).
SERIAL_READ = 24


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


def run_sphinx(
    source: Path,
    out: Path,
    doctrees: Path,
    parallel: int,
    *,
    fresh: bool = True,
    changed: Set[str] = frozenset(),
    progress: Progress = QUIET,
) -> None:
    """Build ``source`` as HTML into ``out`` with the environment in ``doctrees``: from
    nothing when ``fresh``, else reading again only the pages whose sources are newer or are
    among ``changed`` (file names relative to ``source``; a page reading a changed file, such
    as the matrix's JSON, counts as changed). Reading and writing the pages are phases of
    ``progress``."""
    from sphinx.application import Sphinx
    from sphinx.errors import SphinxError
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    warnings = _Warnings(source)
    stream = io.StringIO()
    try:
        with patch_docutils(source), docutils_namespace(), _fewer_collections():
            app = Sphinx(
                source,
                source,
                out,
                doctrees,
                "html",
                status=None,
                warning=stream,
                freshenv=fresh,
                warningiserror=True,
                parallel=max(1, parallel),
            )
            if changed:
                app.connect("env-get-outdated", partial(_read_again, changed=changed))
            if not fresh:
                _read_few_serially(app)
            logging.getLogger("sphinx").addHandler(warnings)
            try:
                with _phases(app, progress, fresh):
                    app.build(force_all=fresh)
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


def _read_few_serially(app) -> None:
    """Make the builder read fewer than :data:`SERIAL_READ` pages in this process (the same
    reading, one page after another), however many processes it may use."""
    builder = app.builder
    parallel, serial = (getattr(builder, name, None) for name in ("_read_parallel", "_read_serial"))
    if parallel is None or serial is None:  # another Sphinx: it reads as it does
        return

    def read(docnames: list[str], nproc: int) -> None:
        if len(docnames) < SERIAL_READ:
            serial(docnames)
        else:
            parallel(docnames, nproc)

    builder._read_parallel = read


def _read_again(app, env, added, changed_docs, removed, *, changed: Set[str]) -> list[str]:
    """Return the pages to read again whatever their files' times say: those whose source
    file or a file they read is among ``changed``."""
    paths = {os.fspath(Path(app.srcdir, name)) for name in changed}
    pages = {env.path2doc(path) for path in paths}
    pages |= {
        docname
        for docname, files in env.dependencies.items()
        if any(os.fspath(file) in paths for file in files)
    }
    return sorted(page for page in pages if page is not None)


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


@contextmanager
def _phases(app, progress: Progress, fresh: bool) -> Iterator[None]:
    """Show Sphinx's reading and writing of the pages as phases of ``progress`` while the
    block builds ``app``, counted by its events: ``doctree-read`` per page read in this process,
    ``env-merge-info`` per chunk read in parallel (its workers' events stay there), and
    ``doctree-resolved`` per page about to be written (always in this process). A build that
    is not ``fresh`` writes only some of the pages: how many is not known beforehand."""
    if progress is QUIET:
        yield
        return
    with contextlib.ExitStack() as stack:
        current: list[Step] = []

        def begin(name: str | None = None, total: int | None = None) -> None:
            if current:
                current[0].describe(f"{current[0].done} pages")
            stack.close()
            current[:] = [stack.enter_context(progress.phase(name, total=total))] if name else []

        def count(number: int) -> None:
            if current:
                current[0].advance(number)

        def written(env) -> None:
            begin("write site pages", len(env.found_docs) if fresh else None)

        app.connect(
            "env-before-read-docs", lambda _, env, names: begin("read site pages", len(names))
        )
        app.connect("doctree-read", lambda _, doctree: count(1))
        app.connect("env-merge-info", lambda _, env, names, other: count(len(names)))
        app.connect("env-updated", lambda _, env: written(env))
        app.connect("doctree-resolved", lambda _, doctree, name: count(1))
        yield
        begin()
