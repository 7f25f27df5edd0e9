"""The ``spectrace`` command: a thin shell over :mod:`spectrace.api`.

Each command parses its arguments, makes one library call, prints the result, and exits 0 on
success, 1 when the result has error-level findings, 2 on bad input (one ``error:`` line).
"""

from __future__ import annotations

import errno
import gc
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from functools import partial
from pathlib import Path

import click

from spectrace import api
from spectrace.config import Project, find_project, load_project
from spectrace.errors import SpectraceError
from spectrace.findings import Code, Finding, InChange, Severity
from spectrace.model import Action, Problem, parse_address
from spectrace.model.continuity import Continuity
from spectrace.model.proposal import PICTURE, Proposal, picture_changes, picture_note
from spectrace.model.refs import ClauseAddress, match_glossary_address, split_statement_id
from spectrace.progress import QUIET, Bars, Lines, Progress
from spectrace.trace.model import Status
from spectrace.trace.report import summary_markdown
from spectrace.writers.json import (
    amendment_to_dict,
    document_to_dict,
    dumps,
    next_edition_to_dict,
    proposal_to_dict,
)
from spectrace.writers.redline import document_lines, redline, structural_summary


def _json_option(what: str):
    return click.option("--json", "as_json", is_flag=True, help=f"Print {what} as JSON.")


_database_option = click.option(
    "--database",
    type=click.Path(path_type=Path),
    help="The database to read (default: the project's).",
)


class _Group(click.Group):
    """A command group that turns a SpectraceError, or a failure of the system to read or
    write a file (a full disk, a read-only folder), into one ``error:`` line and exit 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except SpectraceError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(2)
        except OSError as exc:
            click.echo(f"error: {_system_error(exc)}", err=True)
            ctx.exit(2)


def _system_error(exc: OSError) -> str:
    """Return ``FILE: what`` for an error the system gave while reading or writing."""
    what = exc.strerror or str(exc)
    return f"{exc.filename}: {what}" if exc.filename else f"cannot read or write a file: {what}"


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--project",
    "project_path",
    type=click.Path(path_type=Path),
    help="The project file or folder (default: the nearest spectrace.toml).",
)
@click.option(
    "--allow-output",
    "allowed",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False),
    metavar="FOLDER",
    help="Let the project file name outputs in FOLDER, outside the project (repeatable).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Print each phase of build, trace and db, with its duration, as it ends (on a "
    "terminal the phases are shown live anyway).",
)
@click.version_option(package_name="spectrace")
@click.pass_context
def cli(
    ctx: click.Context,
    project_path: Path | None,
    allowed: tuple[Path, ...],
    quiet: bool,
    verbose: bool,
) -> None:
    """Specifications as code: read GB smart-metering specs, query and lint them."""
    if quiet and verbose:
        raise click.UsageError("give -q (--quiet) or -v (--verbose), not both")
    ctx.obj = {
        "project_path": project_path,
        "allowed": list(allowed),
        "quiet": quiet,
        "verbose": verbose,
        "began": time.perf_counter(),
    }


def _project(ctx: click.Context) -> Project:
    return load_project(ctx.obj["project_path"], allowed=ctx.obj["allowed"])


@contextmanager
def _status(ctx: click.Context, message: str) -> Iterator[None]:
    """Show a spinner on a terminal; stay silent in CI, in pipes and with --quiet."""
    if ctx.obj["quiet"] or not sys.stderr.isatty():
        with nullcontext():
            yield
        return
    from rich.console import Console

    with Console(stderr=True).status(message):
        yield


@contextmanager
def _progress(ctx: click.Context) -> Iterator[Progress]:
    """Yield the progress a long command shows: live phases on a terminal; with --verbose
    elsewhere (CI, a pipe), a line per phase with its duration; else, and with --quiet,
    nothing. All of it goes to standard error."""
    if ctx.obj["quiet"]:
        yield QUIET
    elif sys.stderr.isatty():
        with Bars() as bars:
            yield bars
    elif ctx.obj["verbose"]:
        yield Lines(sys.stderr)
    else:
        yield QUIET


def _say_elapsed(ctx: click.Context) -> None:
    """End a long command's output with the time it took: on a terminal, or with --verbose."""
    if ctx.obj["verbose"] or sys.stderr.isatty():
        _say(ctx, f"done in {time.perf_counter() - ctx.obj['began']:.1f} s")


def _say(ctx: click.Context, message: str) -> None:
    _emit(ctx, message)


def _emit(ctx: click.Context, text: str, *, err: bool = True, always: bool = False) -> None:
    """Print a line (to stderr unless not ``err``; with --quiet only if ``always``), or keep
    it in ``ctx.obj["said"]`` while a build's report is made (:func:`_report`)."""
    said = ctx.obj.get("said")
    if said is not None:
        said.append([text, err, always])
    elif always or not ctx.obj["quiet"]:
        click.echo(text, err=err)


@cli.command()
@click.option("--force", is_flag=True, help="Build even if no input changed since the last build.")
@click.pass_context
def build(ctx: click.Context, force: bool) -> None:
    """Run the main job: read the specs and IRPs, amend, lint, and write the database, the Word
    files and the HTML site (docx/ and html/ under [project] output, default build/).

    When no input changed since the last build, its outputs are current: it says so, and what
    that build said, and ends as it did."""
    project = _project(ctx)
    with _progress(ctx) as progress:
        inputs, last = _unchanged(project, progress, force)
        outcome = last if last is not None else _build(ctx, project, progress, inputs)
    _tell(ctx, outcome, up_to_date=last is not None)
    ctx.exit(1 if outcome.failed else 0)


def _build(ctx: click.Context, project: Project, progress: Progress, inputs: str):
    """Build ``project`` (whose inputs' digest is ``inputs``), keeping what it says to tell."""
    report = partial(_report, ctx, project)
    return api.build(project, record=_records(), report=report, progress=progress, inputs=inputs)


def _tell(ctx: click.Context, outcome: api.BuildResult | api.LastBuild, up_to_date: bool) -> None:
    """Say what a build said (the last one's, ``up_to_date``: no input changed since), and how
    long this command took."""
    if up_to_date:
        _say(ctx, UP_TO_DATE)
    _replay(ctx, outcome.said)
    _say_elapsed(ctx)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to serve on.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="The port to serve on (0: any free port).",
)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Build, serve the site at http://HOST:PORT/, and build again whenever an input changes
    (specs, IRPs, traced code and tests, the project file): open pages reload themselves, or
    show why the build failed. Ctrl-C stops."""
    from spectrace.serve import LiveSite, changes, free_port

    project = _project(ctx)
    try:
        site = LiveSite(project.output / "html", host, port).start()
    except OSError as exc:
        free = free_port(host, port) if exc.errno == errno.EADDRINUSE else None
        hint = f" (port {free} is free: --port {free})" if free is not None else ""
        raise SpectraceError(
            f"cannot serve: {exc.strerror or exc}{hint}", file=f"{host}:{port}"
        ) from None
    click.echo(f"serving {site.url} (Ctrl-C to stop)", err=True)
    stop = threading.Event()
    try:
        tried = _serve_build(ctx, project, site, None)
        roots = [project.root, project.specs, project.irps]
        roots += [entry.sources for entry in project.documents]
        broken = False  # the project file could not be read
        for changed in changes(roots, [project.output], stop):
            if broken and not changed:
                continue  # a broken project file waits for an edit
            try:
                project = _project(ctx)
            except SpectraceError as exc:
                click.echo(f"error: {exc}", err=True)
                site.announce(False, f"error: {exc}")
                broken = True
                continue
            tried = _serve_build(ctx, project, site, None if broken else tried)
            broken = False
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        site.close()


def _serve_build(ctx: click.Context, project: Project, site, tried: str | None) -> str | None:
    """Build ``project`` unless its inputs are ``tried`` (the digest of the last build tried
    here), say what the build said, and tell the pages of ``site``; return the inputs tried."""
    inputs = None
    try:
        inputs = api.inputs_of(project)
        if inputs == tried:
            return tried
        ctx.obj["began"] = time.perf_counter()
        with _progress(ctx) as progress:
            last = _current(project, inputs)
            outcome = last if last is not None else _build(ctx, project, progress, inputs)
        _tell(ctx, outcome, up_to_date=last is not None)
        site.announce(True)
        gc.collect()  # the previous build's model, now, while nobody waits
    except (SpectraceError, OSError) as exc:
        message = _system_error(exc) if isinstance(exc, OSError) else str(exc)
        click.echo(f"error: {message}", err=True)
        site.announce(False, f"error: {message}")
    return inputs


UP_TO_DATE = "up to date: no input changed since the last build, which said:"
#: ``build`` names this many tracing problems; the rest are counted (all: ``summary.md``).
SHOWN_PROBLEMS = 3


def _unchanged(
    project: Project, progress: Progress, force: bool
) -> tuple[str, api.LastBuild | None]:
    """Return the digest of the project's inputs, and the build that wrote the current
    outputs when no input changed since and what it said can be said again (None with
    ``force``); a phase of ``progress``."""
    with progress.phase("check the inputs") as step:
        inputs = api.inputs_of(project)
        unchanged = None if force else _current(project, inputs)
        step.describe("unchanged since the last build" if unchanged else "to build")
    return inputs, unchanged


def _current(project: Project, inputs: str) -> api.LastBuild | None:
    """Return the build that wrote the current outputs if its inputs were ``inputs`` and what
    it said can be said again, else None."""
    last = api.last_build(project, record=_records(), inputs=inputs)
    return last if last is not None and _replayable(last.said) else None


def _report(ctx: click.Context, project: Project, result: api.BuildResult) -> list:
    """Return what ``build`` says of ``result``: [text, to stderr, even with --quiet] lines."""
    said: list[list] = []
    ctx.obj["said"] = said
    try:
        for document in result.documents:
            _say(ctx, f"read {document.label}: {len(document.clauses)} clauses")
        _print_amendment(ctx, result.amendment, result.proposals, err=True)
        _print_findings(ctx, result.findings, err=True)
        final = result.amendment.final(result.documents)
        statements = sum(1 for doc in final for _ in doc.statements())
        labels = ", ".join(doc.label for doc in final)
        _say(ctx, f"wrote {result.database} ({labels}: {statements} statements)")
        for path in result.word:
            _say(ctx, f"wrote {path}")
        _say(ctx, f"wrote {result.html / 'index.html'}")
        if result.matrix is not None and result.trace is not None:
            counts = Counter(row.status for row in result.matrix.rows if row.required)
            shown = ", ".join(f"{counts[s]} {s.value}" for s in Status if counts[s])
            errors = len(result.matrix.errors)
            problems = f"; {errors} tracing problem(s)" if errors else ""
            _say(
                ctx, f"wrote {result.trace / 'matrix.html'} ({shown or 'none required'}{problems})"
            )
            for error in result.matrix.errors[:SHOWN_PROBLEMS]:
                _say(ctx, str(error))  # as the count: --quiet leaves the matrix to check
            if errors > SHOWN_PROBLEMS:
                more = errors - SHOWN_PROBLEMS
                _say(ctx, f"and {more} more tracing problem(s): {result.trace / 'summary.md'}")
            _say_recorded(ctx, project, result.matrix)
    finally:
        del ctx.obj["said"]
    return said


def _replayable(said: list) -> bool:
    """Whether a build record's lines are lines ``_report`` made."""
    return all(
        isinstance(line, list)
        and len(line) == 3
        and isinstance(line[0], str)
        and all(isinstance(flag, bool) for flag in line[1:])
        for line in said
    )


def _replay(ctx: click.Context, said: list) -> None:
    for text, err, always in said:
        _emit(ctx, text, err=err, always=always)


@cli.group("import", cls=_Group)
def import_() -> None:
    """Import official Word files as spec-as-code sources."""


@import_.command("spec")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--doc", "document", required=True, help="Document name, e.g. SMETS.")
@click.option("--edition", required=True, help="Edition of the file, e.g. 4.2.")
@_json_option("the document read, writing nothing,")
@click.option(
    "--out",
    "specs",
    type=click.Path(path_type=Path),
    help="Spec-as-code root to write under (default: the project's, else ./specs).",
)
@click.option("--force", is_flag=True, help="Replace sources already at the target folder.")
@click.option(
    "--from",
    "continues",
    metavar="EDITION",
    help='The edition this one continues, e.g. "SMETS 4.2+IRP603": keep its statement ids and '
    "check the new text against its amendments; exit 1 when something needs attention.",
)
@click.pass_context
def import_spec(
    ctx: click.Context,
    source: Path,
    document: str,
    edition: str,
    as_json: bool,
    specs: Path | None,
    force: bool,
    continues: str | None,
) -> None:
    """Read a Word specification and write it as spec-as-code under SPECS/DOC/EDITION."""
    api.check_names(document, edition)
    if continues is not None:
        _import_next_edition(ctx, source, document, edition, continues, as_json, specs, force)
        return
    if as_json:
        with _status(ctx, f"Reading {source.name}"):
            loaded = api.load_document(source, document, edition)
        click.echo(dumps(document_to_dict(loaded)), nl=False)
        return
    project = _optional_project(ctx)
    vocabulary = project.vocabulary if project else None
    specs = specs or (project.specs if project else Path("specs"))
    with _status(ctx, f"Importing {source.name}"):
        loaded, target = api.import_spec(
            source, document, edition, specs, replace=force, vocabulary=vocabulary
        )
    count = sum(1 for _ in loaded.statements())
    _say(
        ctx,
        f"wrote {target}: {len(loaded.clauses)} clauses, {count} statements, "
        f"{len(loaded.glossary)} glossary terms",
    )


def _import_next_edition(
    ctx: click.Context,
    source: Path,
    document: str,
    edition: str,
    continues: str,
    as_json: bool,
    specs: Path | None,
    force: bool,
) -> None:
    """``import spec --from``: carry ids over, report, exit 1 when something needs attention."""
    project = _project(ctx)
    session = api.Session(project)
    with _status(ctx, f"Importing {source.name}"):
        result = api.import_next_edition(
            session,
            source,
            document,
            edition,
            continues,
            None if as_json else (specs or project.specs),
            replace=force,
        )
    carried = result.carry
    if as_json:
        click.echo(
            dumps(
                next_edition_to_dict(
                    result.document, result.continues.label, carried, result.discrepancies
                )
            ),
            nl=False,
        )
        ctx.exit(1 if result.needs_attention else 0)
    loaded = result.document
    _say(
        ctx,
        f"wrote {result.folder}: {len(loaded.clauses)} clauses, "
        f"{sum(1 for _ in loaded.statements())} statements, {len(loaded.glossary)} glossary terms",
    )
    counts = ", ".join(f"{carried.count(status)} {status.value}" for status in Continuity)
    _say(ctx, f"continues {result.continues.label}: {counts}")
    for discrepancy in result.discrepancies:
        change = f" {discrepancy.irp} change {discrepancy.change}" if discrepancy.irp else ""
        click.echo(f"{discrepancy.kind.value}: {document} {discrepancy.clause}{change}")
        for label, text in (("before", discrepancy.before), ("after", discrepancy.after)):
            for number, line in enumerate(text.split("\n") if text else ["(nothing)"]):
                click.echo(f"    {label + ':' if not number else '':7} {line}")
    for doubt in carried.doubts:
        click.echo(f"doubt: {doubt}")
    if result.needs_attention:
        _say(
            ctx,
            f"{len(result.discrepancies)} discrepancies, {len(carried.doubts)} doubtful "
            "matches: the edition is written; check them before publishing it",
        )
    ctx.exit(1 if result.needs_attention else 0)


@import_.command("irp")
@click.argument("source", type=click.Path(path_type=Path))
@_json_option("the proposal read, writing nothing,")
@click.option(
    "--out",
    "irps",
    type=click.Path(path_type=Path),
    help="Folder to write IRPnnn.rst into (default: the project's, else specs/irps).",
)
@click.option("--force", is_flag=True, help="Replace an IRP source already there.")
@click.pass_context
def import_irp(
    ctx: click.Context, source: Path, as_json: bool, irps: Path | None, force: bool
) -> None:
    """Read a Word IRP and write it as IRP-as-code (IRPnnn.rst) under the IRP folder."""
    project = _optional_project(ctx)
    markup = project.markup if project else None
    if as_json:
        with _status(ctx, f"Reading {source.name}"):
            proposal = api.load_proposal(source, markup)
            if project and any(change.source == PICTURE for change in proposal.changes):
                api.reconcile_pictures(proposal, api.Session(project).documents)
        click.echo(dumps(proposal_to_dict(proposal)), nl=False)
        return
    irps = irps or (project.irps if project else Path("specs") / "irps")
    with _status(ctx, f"Importing {source.name}"):
        documents = (lambda: api.Session(project).documents) if project else None
        proposal, target = api.import_irp(
            source, irps, replace=force, markup=markup, documents=documents
        )
    flagged = [change for change in proposal.changes if change.problem]
    _say(ctx, f"wrote {target}: {len(proposal.changes)} changes")
    if project and not any(proposal.irp in entry.proposals for entry in project.documents):
        targets = sorted(
            {c.target.document for c in proposal.changes if c.target and c.target.document}
        )
        _say(
            ctx,
            f'to apply it, add "{proposal.irp}" to the proposals of '
            f"{', '.join(f'[documents.{name}]' for name in targets or ['NAME'])} "
            f"in {project.file.name}",
        )
    for change in flagged:  # the amendment refuses them as unreadable; here, a warning
        place = InChange(proposal.irp, change.number, str(change.target))
        unreadable = Finding(Code.UNREADABLE, Severity.WARNING, place, change.problem or "")
        click.echo(str(unreadable))
    for change in proposal.changes:
        if change.source == PICTURE and not change.problem:
            place = InChange(proposal.irp, change.number, str(change.target))
            read = picture_note(change.confidence)
            if change.unverified:  # the amendment refuses it as unverified; here, a warning
                message = f"{read}, unverified: {change.unverified}"
                click.echo(str(Finding(Code.UNVERIFIED, Severity.WARNING, place, message)))
            else:
                _say(ctx, f"{place}: {read}, checked against its clause")


def _optional_project(ctx: click.Context) -> Project | None:
    """Return the project, or None when there is none; a broken project file is an error."""
    if ctx.obj["project_path"] is None and find_project(Path.cwd().resolve()) is None:
        return None
    return _project(ctx)


@cli.command()
@click.option(
    "--spec",
    "specs",
    multiple=True,
    metavar="DOC[@EDITION]=PATH",
    help="A base specification (Word file or spec-as-code folder); repeat per "
    "document. Without it, the project's documents and proposals are used.",
)
@click.option(
    "--irp",
    "irps",
    multiple=True,
    type=click.Path(path_type=Path),
    help="A proposal (Word or .rst) to apply, in order; repeat for more.",
)
@_json_option("what changed and the problems")
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    help="Also write each amended edition as spec-as-code under OUT/DOC/EDITION.",
)
@click.option("--force", is_flag=True, help="With --out, replace editions already written.")
@click.pass_context
def amend(
    ctx: click.Context,
    specs: tuple[str, ...],
    irps: tuple[Path, ...],
    as_json: bool,
    out: Path | None,
    force: bool,
) -> None:
    """Apply proposals to base editions; exit 1 when any change is refused."""
    with _status(ctx, "Applying proposals"):
        if specs or irps:
            if not (specs and irps):
                raise SpectraceError("give both --spec and --irp, or neither (to use the project)")
            project = _optional_project(ctx)
            result, proposals = api.amend_files(
                [_spec_option(spec) for spec in specs],
                list(irps),
                project.vocabulary if project else None,
                project.markup if project else None,
                require_all=project.amend.require_all_documents if project else False,
            )
        else:
            session = api.Session(_project(ctx))
            result, proposals = session.amendment, session.proposals
    if out is not None:
        existing = [
            out / d.name / d.edition for d in result.amended if (out / d.name / d.edition).exists()
        ]
        if existing and not force:  # refuse before writing any, so nothing is half-written
            raise SpectraceError(
                "already holds an edition; pass --force to replace it", file=str(existing[0])
            )
        for document in result.amended:
            target = api.write_spec_sources(document, out, replace=force)
            _say(ctx, f"wrote {target}")
    if as_json:
        click.echo(dumps(amendment_to_dict(result, proposals)), nl=False)
    else:
        _print_amendment(ctx, result, proposals, summary=True)
    ctx.exit(1 if result.failed else 0)


def _spec_option(text: str) -> tuple[str, str | None, Path]:
    name, separator, path = text.partition("=")
    document, _, edition = name.partition("@")
    if not separator or not document or not path:
        raise SpectraceError(f"--spec '{text}': write it as DOC=PATH or DOC@EDITION=PATH")
    api.check_names(document, edition or "x")
    return document, edition or None, Path(path)


def _print_refused(ctx: click.Context, amendment, err: bool = False) -> None:
    """Print each change a proposal could not make: an error line when it was refused, an info
    line (not with --quiet) when it was skipped, its document not being in the project."""
    for problem in amendment.problems:
        _emit(ctx, str(problem), err=err, always=problem.severity is Severity.ERROR)


def _print_amendment(
    ctx: click.Context, result, proposals: list[Proposal], summary: bool = False, err: bool = False
) -> None:
    """Print the refused changes (to stderr with ``err``), then an ``applied`` line per revision
    (with ``summary``; else only for the changes read from a picture), then the ``amended``
    lines."""
    _print_refused(ctx, result, err=err)
    pictures = picture_changes(proposals)
    for revision in result.revisions:
        picture = pictures.get((revision.irp, revision.change))
        if not (summary or picture):
            continue
        ids = [f"+{i}" for i in revision.added] + [f"~{i}" for i in revision.changed]
        ids += [f"-{i}" for i in revision.retired]
        notes = [structural_summary(revision, _clause_before(result, revision))]
        notes.append(picture_note(picture.confidence) if picture else "")
        what = "; ".join(note for note in notes if note)
        _say(
            ctx,
            f"applied {revision.irp} change {revision.change} to {revision.document} "
            f"{revision.clause}"
            + (f" ({what})" if what else "")
            + (f": {' '.join(ids)}" if ids else ""),
        )
    for document in result.amended:
        _say(ctx, f"amended {document.label}")


def _clause_before(result, revision) -> str:
    """Return the number of the clause an inserted clause follows in its amended edition
    ("" for another revision, or one inserted first)."""
    if revision.action is not Action.INSERT_CLAUSE:
        return ""
    document = result.document(revision.document)
    numbers = [c.number for c in document.clauses] if document is not None else []
    at = numbers.index(revision.clause) if revision.clause in numbers else 0
    return next((n for n in reversed(numbers[:at]) if n is not None), "")


@cli.command()
@click.argument("old")
@click.argument("new")
@_database_option
@click.pass_context
def diff(ctx: click.Context, old: str, new: str, database: Path | None) -> None:
    """Print a word-level redline of every clause that differs between two editions: any the
    project can build ("SMETS 4.2", "SMETS 4.2+IRP603", "SMETS 4.3+IRP610") or spec-as-code
    folders; exit 1 when a proposal's change was refused."""
    colour = sys.stdout.isatty()
    problems: list[Problem] = []
    if database is not None:  # the editions a database holds, by their labels
        with _database(database) as store:
            old_lines, new_lines = store.lines(old), store.lines(new)
        names = (old.split(" ", 1)[0], new.split(" ", 1)[0])
    else:
        with _status(ctx, "Building the editions"):
            old_edition, new_edition, problems = api.diff_editions(_optional_project(ctx), old, new)
        old_lines, new_lines = document_lines(old_edition), document_lines(new_edition)
        names = (old_edition.name, new_edition.name)
    if names[0] != names[1]:
        raise SpectraceError(
            f"{old} and {new} are editions of different documents ({names[0]}, {names[1]}): "
            "diff compares two editions of one document"
        )
    for problem in problems:
        if problem.severity is Severity.ERROR or not ctx.obj["quiet"]:
            click.echo(str(problem), err=True)
    before = {number: lines for number, _, lines in old_lines}
    kept = {number for number, _, _ in new_lines}
    shown = [(number, title, lines, False) for number, title, lines in new_lines]
    shown += [(number, title, [], True) for number, title, _ in old_lines if number not in kept]
    differ = False
    for number, title, lines, deleted in shown:
        was = before.get(number, [])
        if was == lines and not deleted:
            continue
        differ = True
        click.echo(f"{names[1]} {number}  {title}".rstrip() + ("  (deleted)" if deleted else ""))
        for line in redline(was, lines, colour=colour):
            click.echo(f"    {line}")
        click.echo()
    if not differ and not any(p.severity is Severity.ERROR for p in problems):
        _say(ctx, f"no differences between {old} and {new}")
    ctx.exit(1 if any(p.severity is Severity.ERROR for p in problems) else 0)


_junit_option = click.option(
    "--junit",
    "junit",
    multiple=True,
    metavar="GLOB",
    help="JUnit XML files of test results (default: the project's [trace] results).",
)


def _format_option(what: str):
    return click.option(
        "--format",
        "form",
        type=click.Choice(["text", "json"]),
        default="text",
        help=f"Print {what} as text (default) or JSON.",
    )


@cli.command("trace")
@_junit_option
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Folder for matrix.json, matrix.csv, matrix.html and summary.md (default: OUTPUT/trace).",
)
@click.pass_context
def trace_(ctx: click.Context, junit: tuple[str, ...], out: Path | None) -> None:
    """Compute the traceability matrix: which code implements and which tests verify every
    statement; exit 1 when a tag or result file cannot be used."""
    project = _project(ctx)
    with _progress(ctx) as progress:
        matrix, _ = api.trace(project, _from_here(junit), record=_records(), progress=progress)
        folder = api.write_trace(project, matrix, out, progress=progress)
    for error in matrix.errors:
        click.echo(str(error))
    _say_recorded(ctx, project, matrix)
    if not ctx.obj["quiet"]:  # the summary is in the folder too; --quiet prints only errors
        click.echo(summary_markdown(matrix), nl=False)
    _say(ctx, f"wrote {folder}")
    _say_elapsed(ctx)
    ctx.exit(1 if matrix.errors else 0)


@cli.command()
@_junit_option
@_format_option("the verdict")
@click.pass_context
def check(ctx: click.Context, junit: tuple[str, ...], form: str) -> None:
    """The CI gate: apply the project's coverage rules; exit 1 listing what fails."""
    from spectrace.trace.gate import check as gate

    project = _project(ctx)
    with _status(ctx, "Checking"):
        matrix, _ = api.trace(project, _from_here(junit))
        verdict = gate(matrix, project.trace)
    if form == "json":
        click.echo(dumps(verdict.as_dict()), nl=False)
    else:
        for error in verdict.errors:
            click.echo(str(error))
        for rule, row in verdict.failures:
            click.echo(
                f"fail: {row.statement} ({row.edition} {row.clause}) is {row.status.value}"
                + (f" ({row.suspect_reason})" if row.status is Status.SUSPECT else "")
                + f" [{rule}]: {_short(row.text)}"
            )
        for shortfall in verdict.shortfalls:
            click.echo(f"fail: {shortfall} [min-coverage]")
        required = sum(1 for row in matrix.rows if row.required)
        _say(
            ctx,
            f"check: {len(verdict.failures)} of {required} required statements fail, "
            f"{len(verdict.errors)} tracing problems",
        )
    ctx.exit(0 if verdict.passed else 1)


def _records() -> bool:
    """Return whether ``trace`` and ``build`` may record the baseline of newly linked
    statements in the review file: not in CI (the ``CI`` environment variable set, as CI
    services set it), where the file is the committed one and a record made there would be
    lost and would hide a missing one, so that ``check`` fails until the record is committed."""
    return os.environ.get("CI", "").strip().lower() in ("", "0", "false", "no")


def _say_recorded(ctx: click.Context, project: Project, matrix) -> None:
    if matrix.recorded:
        _say(
            ctx,
            f"recorded the text of {len(matrix.recorded)} newly linked statement(s) in "
            f"{project.trace.reviewed}: commit it",
        )


def _from_here(patterns: tuple[str, ...]) -> list[str] | None:
    """The --junit patterns, relative to the current folder (the project's are relative to
    the project); None when there are none, meaning the project's [trace] results."""
    return [str(Path.cwd() / pattern) for pattern in patterns] or None


def _short(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@cli.command()
@click.argument("targets", nargs=-1)
@click.option("--irp", "irps", multiple=True, help="Every statement this IRP added or changed.")
@click.option("--all", "everything", is_flag=True, help="Every statement.")
@click.option(
    "--by",
    metavar="NAME",
    help="Who reviewed (default: git's user.name, else the system's user name).",
)
@click.option(
    "--note", default="", metavar="TEXT", help="Why the links still hold, or what changed."
)
@click.pass_context
def review(
    ctx: click.Context,
    targets: tuple[str, ...],
    irps: tuple[str, ...],
    everything: bool,
    by: str | None,
    note: str,
) -> None:
    """Record that the links of statements (ids or clauses) were reviewed against their
    current text, by whom and when, so they are no longer suspect."""
    if not (targets or irps or everything):
        raise SpectraceError("name statements or clauses, an --irp, or --all")
    project = _project(ctx)
    reviewed = api.review(project, list(targets), list(irps), everything, by=by, note=note)
    _say(ctx, f"reviewed {len(reviewed)} statements in {project.trace.reviewed}")


@cli.command()
@click.argument("irp")
@_junit_option
@_format_option("the report")
@click.pass_context
def impact(ctx: click.Context, irp: str, junit: tuple[str, ...], form: str) -> None:
    """List what an IRP adds, changes and removes, with the links and tests of each statement:
    what an implementer must do."""
    project = _project(ctx)
    matrix, amendment = api.trace(project, _from_here(junit))
    report = api.impact(irp, matrix, amendment)
    if form == "json":
        click.echo(dumps(report), nl=False)
        return
    for item in report["statements"]:
        click.echo(
            f"{item['action']}: {item['statement']} ({item['clause']}, {irp} change "
            f"{item['change']}) — {item['status']}"
            + (" (suspect)" if item["suspect"] and item["status"] != Status.SUSPECT else "")
        )
        click.echo(f"    {item['text']}")
        for where in item["implemented_by"]:
            click.echo(f"    implemented by {where}")
        for test in item["verified_by"]:
            click.echo(f"    verified by {test['test']} [{test['outcome']}]")
        for where in item.get("still_linked", []):
            click.echo(f"    still tagged at {where}: move or remove the tag")


@cli.command()
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    help="Where to write the database (default: the project's).",
)
@click.pass_context
def db(ctx: click.Context, output: Path | None) -> None:
    """Write the requirement database (SQLite) from the project's spec sources; exit 1 when a
    proposal's change was refused (it is stored as a problem)."""
    project = _project(ctx)
    with _progress(ctx) as progress:
        path, amendment = api.write_project_database(project, output=output, progress=progress)
    _print_refused(ctx, amendment)
    _say(ctx, f"wrote {path}")
    _say_elapsed(ctx)
    ctx.exit(1 if amendment.failed else 0)


@cli.command()
@_json_option("the findings")
@click.pass_context
def lint(ctx: click.Context, as_json: bool) -> None:
    """Report dangling cross-references, duplicate clauses, undefined terms, missing modals (and
    any proposal change that was refused: the findings are of the editions without it)."""
    project = _project(ctx)
    with _status(ctx, "Linting"):
        findings, amendment = api.lint_project(project)
    _print_refused(ctx, amendment, err=as_json)  # with --json, standard output holds only the JSON
    if as_json:
        click.echo(dumps([finding.as_dict() for finding in findings]), nl=False)
    else:
        _print_findings(ctx, findings)
    failed = amendment.failed or any(f.severity is Severity.ERROR for f in findings)
    ctx.exit(1 if failed else 0)


def _print_findings(ctx: click.Context, findings: list[Finding], err: bool = False) -> None:
    """Print each finding (to stderr with ``err``: diagnostics of a command whose results are
    files), then the count."""
    for finding in findings:
        _emit(ctx, str(finding), err=err, always=finding.severity is Severity.ERROR)
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    _say(ctx, f"lint: {counts[Severity.ERROR]} errors, {counts[Severity.WARNING]} warnings")


@cli.command()
@click.argument("sql")
@_json_option("the rows (a list of objects)")
@_database_option
@click.pass_context
def query(ctx: click.Context, sql: str, as_json: bool, database: Path | None) -> None:
    """Run read-only SQL against the requirement database and print the rows."""
    path = database or _project(ctx).database
    with _database(path) as store:
        columns, rows = store.query(sql)
    if as_json:
        click.echo(dumps([dict(zip(columns, row, strict=True)) for row in rows]), nl=False)
    else:
        click.echo(_table(columns, rows), nl=False)


def _table(columns: list[str], rows: list[tuple]) -> str:
    cells = [[("" if value is None else str(value)) for value in row] for row in rows]
    widths = [max([len(c), *(len(row[i]) for row in cells)]) for i, c in enumerate(columns)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += [
        "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    return "\n".join(lines) + f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})\n"


@cli.command()
@click.argument("address")
@_json_option("the clause")
@_database_option
@click.pass_context
def show(ctx: click.Context, address: str, as_json: bool, database: Path | None) -> None:
    """Print one clause ("SMETS 5.6.1" or "SMETS@4.2 5.6.1") with its statements and terms, the
    clause that holds a statement ("SMETS-5.6.1-2"), or a glossary ("CHTS Glossary")."""
    address = address.strip()
    glossary = match_glossary_address(address)
    statement = split_statement_id(address) if glossary is None else None
    target = None
    if glossary is not None:
        document, edition = glossary
    elif statement is not None:
        document, edition = statement[0], None
    else:
        target = parse_address(address)
        document, edition = target.document, target.edition
    base = None
    if database is None:
        project = _project(ctx)
        base, database = project.edition_of(document), project.database
    with _database(database) as store:
        edition = edition or store.final_edition(document, base)
        if glossary:
            label, entries = store.glossary(document, edition)
            if as_json:
                terms = [{"term": term, "definition": text} for term, text in entries]
                click.echo(dumps({"edition": label, "glossary": terms}), nl=False)
            else:
                shown = [_entry(term, text) for term, text in entries]
                click.echo("\n".join([f"{label} Glossary", "", *shown]))
            return
        if statement:
            number = store.statement_clause(address, document, edition)
            target = ClauseAddress(document, number)
        view = store.clause(target, edition)
    if as_json:
        click.echo(dumps(view.as_dict()), nl=False)
        return
    click.echo(_render_clause(view), nl=False)


def _render_clause(view) -> str:
    lines = [f"{view.edition} {view.number}  {view.title}"]
    if view.part:
        lines.append(f"({view.part})")
    if view.informative:
        lines.append("(informative)")
    lines.append("")
    for block in view.blocks:
        if block["kind"] == "list_item":
            lines.append("    " * (block["level"] + 1) + f"{block['label']} {block['text']}")
        elif block["kind"] == "table":
            lines += ["    | " + " | ".join(row) + " |" for row in block["rows"]]
        else:
            lines.append(block["text"])
        lines.append("")
    lines += [_entry(entry["term"], entry["definition"]) for entry in view.entries]
    if view.entries:
        lines.append("")
    if view.statements:
        lines.append("Statements:")
    for statement in view.statements:
        lines.append(f"  {statement['id']}  [{statement['modality']}]  {statement['text']}")
        for key in ("actors", "refs", "terms"):
            if statement[key]:
                lines.append(f"      {key}: {', '.join(statement[key])}")
    if view.terms:
        lines += ["", "Glossary:"]
        lines += [
            f"  {t['term']}: {t['definition'] or '(not in the glossary)'}" for t in view.terms
        ]
    return "\n".join(lines) + "\n"


def _entry(term: str, definition: str) -> str:
    """Return a glossary entry as ``show`` prints it: a line, a definition's own lines indented."""
    return f"{term}: {definition}".replace("\n", "\n    ")


def _database(path: Path):
    """Open the requirement database (the store is imported only by the commands using it)."""
    from spectrace.store import open_database

    return open_database(path)


#: A large edition is millions of objects that live until the command ends, few of them in
#: reference cycles: at the default thresholds the collector walks them again and again (a third
#: of a trace's time), and still a tenth of it at 100,000.
GC_THRESHOLDS = (1_000_000, 50, 1000)


def main() -> None:
    """Run the command line, then end the process without freeing what it built.

    Every output is written, closed and switched into place by the time a command returns,
    and worker pools are shut down where they are used; what is left is the model, millions
    of objects at 50,000 clauses, whose teardown took seconds after the last line of output.
    So the process flushes its streams and ends at once (``os._exit``), with the command's
    exit status.
    """
    gc.set_threshold(*GC_THRESHOLDS)
    for stream in (sys.stdout, sys.stderr):  # a file name that is not UTF-8 prints escaped
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        cli(prog_name="spectrace")
        status = 0
    except SystemExit as done:  # click ends every command this way
        status = _exit_status(done.code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said
            status = status or 1
    os._exit(status)


def _exit_status(code: object) -> int:
    """Return the status ``sys.exit(code)`` would end with (a message is printed first)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1
