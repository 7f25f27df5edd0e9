"""What spectrace does, as library calls; the CLI is a thin shell over these.

A typical session: :func:`load_document` reads a Word file or a spec-as-code folder;
:func:`import_spec` writes a Word specification as spec-as-code; :func:`build` runs the main
job on a project (read every document, lint, write the requirement database).
"""

from __future__ import annotations

import datetime
import json
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path

from spectrace import background
from spectrace import cache as cache_entry
from spectrace import progress as open_phase
from spectrace.config import Project, load_project
from spectrace.errors import ConfigError, ReadError
from spectrace.fileio import atomic_path, write_tree
from spectrace.findings import Code, Finding, InDocument, Severity
from spectrace.inputs import inputs_digest
from spectrace.limits import EDITION_CHARS, NAME_CHARS
from spectrace.model import Document, Problem, Proposal, Revision
from spectrace.model.continuity import Carry, Discrepancy
from spectrace.model.proposal import PICTURE, MarkupStyle
from spectrace.model.refs import is_document_name, is_edition, is_irp_number
from spectrace.model.revision import Amendment, refused
from spectrace.outputs import DATABASE, ENTRIES, Generation, Outputs
from spectrace.progress import QUIET, Progress
from spectrace.readers import PROPOSAL_READERS, READERS, detect, detect_proposal
from spectrace.trace.matrix import Matrix
from spectrace.trace.tags import Target
from spectrace.transforms.amend import Prefixes, Refused, amend, clause_numbers, resolve
from spectrace.transforms.carry import carry
from spectrace.transforms.lint import lint
from spectrace.transforms.reconcile import reconcile_pictures
from spectrace.transforms.statements import Vocabulary, analyse, segment
from spectrace.transforms.verify import verify


def load_document(
    path: Path,
    document: str | None = None,
    edition: str | None = None,
    vocabulary: Vocabulary | None = None,
    *,
    cache: Path | None = None,
) -> Document:
    """Return the specification at ``path`` (Word file or spec-as-code folder), analysed.

    A Word file gets new statement ids; spec-as-code keeps the ids recorded in it. With
    ``cache`` (a folder), what was read is kept there (:mod:`spectrace.cache`): a spec-as-code
    folder read again parses only the files changed since, and only statements whose text is
    new are analysed.
    """
    kind = detect(path)
    loaded = READERS[kind](path, document, edition, cache)
    if kind == "docx":
        segment(loaded)
    if cache is None:
        analyse(loaded, vocabulary)
        return loaded
    vocabulary = vocabulary or Vocabulary()
    words = [vocabulary.actors, vocabulary.documents, vocabulary.informative_titles]
    glossary = [entry.term for entry in loaded.glossary]
    key = json.dumps([words, loaded.name, glossary], sort_keys=True)
    known = cache_entry.load(cache / "statements.pickle", key) or {}
    found = analyse(loaded, vocabulary, known=known)
    if found.keys() != known.keys():
        cache_entry.store(cache / "statements.pickle", key, found)
    return loaded


def import_spec(
    source: Path,
    document: str,
    edition: str,
    specs: Path,
    *,
    replace: bool = False,
    vocabulary: Vocabulary | None = None,
) -> tuple[Document, Path]:
    """Read the Word specification ``source`` and write it as spec-as-code under ``specs``.

    Returns the document and the folder written (``specs/DOC/EDITION``).
    """
    check_names(document, edition)
    if detect(source) != "docx":
        raise ConfigError("is a folder; `import spec` reads a Word .docx file", file=str(source))
    loaded = load_document(source, document, edition, vocabulary)
    return loaded, write_spec_sources(loaded, specs, replace=replace)


def write_spec_sources(document: Document, specs: Path, *, replace: bool = False) -> Path:
    """Write ``document`` as spec-as-code under ``specs/DOC/EDITION``; return that folder."""
    target = specs / document.name / document.edition
    from spectrace.writers import rst

    write_tree(rst.render(document), target, replace=replace)
    return target


@dataclass
class NextEdition:
    """A new official edition imported to continue an earlier one (:func:`import_next_edition`):
    the ``document`` read, with the ids carried from ``continues``; what each statement became
    and the matches not made with certainty (``carry``); where its text departs from the
    amendments that made ``continues`` (``discrepancies``); the folder written, if any."""

    document: Document
    continues: Document
    carry: Carry
    discrepancies: list[Discrepancy]
    folder: Path | None = None

    @property
    def needs_attention(self) -> bool:
        """Whether something must be looked at: a discrepancy, or a match made in doubt."""
        return bool(self.discrepancies or self.carry.doubts)


def import_next_edition(
    session: Session,
    source: Path,
    document: str,
    edition: str,
    continues: str,
    specs: Path | None,
    *,
    replace: bool = False,
) -> NextEdition:
    """Read the Word specification ``source`` as ``document`` ``edition``, continuing the edition
    ``continues`` names (:meth:`Session.edition`): its statements keep their ids there
    (:func:`spectrace.transforms.carry.carry`), and its text is checked against the amendments
    that made that edition (:func:`spectrace.transforms.verify.verify`).

    With ``specs`` the edition is written as spec-as-code under it, discrepancies or not (the
    caller's exit status says they need attention); without, nothing is written. A ``--from``
    edition the project cannot build, or a Word file none of whose headings matches a clause
    of it, raises a SpectraceError and writes nothing.
    """
    check_names(document, edition)
    if detect(source) != "docx":
        raise ConfigError("is a folder; `import spec` reads a Word .docx file", file=str(source))
    where = f"--from '{continues}'"
    try:
        built = session.edition(continues)
    except ConfigError as exc:  # an edition the project cannot build: say which option named it
        if exc.file is not None:
            raise
        raise ConfigError(exc.message, file=str(session.project.file), where=where) from None
    before = built.document
    refused = [problem for problem in built.problems if problem.severity is Severity.ERROR]
    if refused:
        raise ConfigError(
            f"cannot be built: {refused[0]}", file=str(session.project.file), where=where
        )
    if before.name != document:
        raise ConfigError(
            f"continues {before.label}, a different document from --doc {document}",
            file=str(session.project.file),
            where=f"--from '{continues}'",
        )
    after = load_document(source, document, edition, session.project.vocabulary)
    carried = carry(before, after)
    if before.clauses and not carried.matched_clauses:
        raise ReadError(
            f"none of its {len(after.clauses)} headings matches a clause of {before.label} by "
            "number, title or text; is it an edition of that document?",
            file=str(source),
            where="headings",
        )
    result = NextEdition(
        after, before, carried, verify(before, after, carried.pairs, built.revisions)
    )
    if specs is not None:
        result.folder = write_spec_sources(after, specs, replace=replace)
    return result


def check_names(document: str, edition: str) -> None:
    """Refuse document names and editions that cannot safely name folders and ids."""
    if not is_document_name(document):
        raise ConfigError(
            f"'{document}' is not a document name: letters and digits, starting with a capital "
            f"(e.g. SMETS), at most {NAME_CHARS} characters"
        )
    if not is_edition(edition):
        raise ConfigError(
            f"'{edition}' is not an edition: letters, digits, '.', '+', '-', '_' (e.g. 4.2), "
            f"at most {EDITION_CHARS} characters"
        )


def load_project_documents(project: Project, progress: Progress = QUIET) -> list[Document]:
    """Return every document the project names, read from its spec-as-code sources (or from
    the cache of what they gave when they were last read, :mod:`spectrace.cache`); each is a
    phase of ``progress``."""
    documents = []
    for entry in project.documents:
        if not (entry.sources / "index.rst").is_file():
            raise ConfigError(
                f"no spec sources for {entry.name} {entry.edition} at {entry.sources}; "
                "import them with `spectrace import spec`",
                file=str(project.file),
            )
        with progress.phase(f"read {entry.name} {entry.edition}") as step:
            loaded = _load_sources(project, entry.name, entry.edition, entry.sources)
            clauses = f"{len(loaded.clauses)} clauses"
            if step.total is None:  # the reader counts the files it reads: none, from the cache
                step.describe(f"{clauses}, from the cache")
            else:
                step.describe(f"{step.done} section files, {clauses}")
        documents.append(loaded)
    return documents


def _load_sources(project: Project, name: str, edition: str, sources: Path) -> Document:
    """Return edition ``edition`` of ``name`` read from the spec-as-code folder ``sources`` of
    the project (parsing only what changed since the last read, ``OUTPUT/cache/DOC-EDITION``)."""
    cache = project.output / "cache" / f"{name}-{edition}"
    loaded = load_document(sources, name, edition, project.vocabulary, cache=cache)
    loaded.source = _relative(sources, project.root)
    return loaded


def _relative(path: Path, root: Path) -> str:
    """Return ``path`` relative to ``root`` when inside it: outputs must not depend on where
    the project is checked out."""
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


@dataclass
class Built:
    """An edition the project can build (:meth:`Session.edition`): the document, the revisions
    that made it from its base, and the changes refused in making it."""

    document: Document
    revisions: list[Revision] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class Session:
    """One project's pipeline, each step computed once and only when asked for: documents →
    proposals → amendment → editions → findings, and the matrix. Every command runs on one.

    ``results`` overrides the JUnit files the project file names, for the matrix; with
    record of (as ``spectrace trace`` does), instead of showing it suspect. Each step is a
    phase of ``progress`` (:mod:`spectrace.progress`).
    """

    def __init__(
        self,
        project: Project,
        results: list[str] | None = None,
        *,
        record: bool = False,
        progress: Progress = QUIET,
    ):
        self.project = project
        self.results = results
        self.record = record
        self.progress = progress

    @cached_property
    def documents(self) -> list[Document]:
        """The base editions the project names, read from their spec-as-code sources."""
        return load_project_documents(self.project, self.progress)

    @cached_property
    def proposals(self) -> list[Proposal]:
        """The proposals the project's documents list, in the order listed."""
        names = dict.fromkeys(irp for d in self.project.documents for irp in d.proposals)
        with self.progress.phase("read proposals", total=len(names)) as step:
            proposals = project_proposals(self.project, step.advance)
            changes = sum(len(proposal.changes) for proposal in proposals)
            step.describe(f"{len(proposals)} proposal(s), {changes} changes")
        return proposals

    @cached_property
    def amendment(self) -> Amendment:
        """What applying the proposals to the documents gave (``problems``: what it refused)."""
        documents, proposals = self.documents, self.proposals
        with self.progress.phase("amend") as step:
            amendment = amend_project(self.project, documents, proposals)
            refused = sum(1 for p in amendment.problems if p.severity is Severity.ERROR)
            step.describe(
                f"{len(amendment.amended)} editions, {len(amendment.revisions)} revisions, "
                f"{refused} refused"
            )
        return amendment

    @cached_property
    def editions(self) -> list[Document]:
        """Each document as the build ends with it (:meth:`Amendment.final`)."""
        return self.amendment.final(self.documents)

    @cached_property
    def findings(self) -> list[Finding[InDocument]]:
        """The lint findings of the editions, after the project's lint policy; the amendment's
        revisions let lint report references to the clauses it deleted, moved or retitled."""
        revisions, editions = self.amendment.revisions, self.editions
        with self.progress.phase("lint") as step:
            found = lint(editions, self.project.vocabulary, self.project.lint, revisions)
            errors = sum(1 for finding in found if finding.severity is Severity.ERROR)
            step.describe(f"{errors} errors, {len(found) - errors} warnings")
        return found

    @cached_property
    def matrix(self) -> Matrix:
        """The traceability matrix of the editions; code is scanned while they load."""
        from spectrace.trace.project import scanning, trace_project

        with scanning(self.project) as scanned:  # changed files are read meanwhile
            self.amendment  # noqa: B018 (computed here, while the scan runs)
            with self.progress.phase("scan code and tests"):
                scan = scanned()
        with self.progress.phase("trace") as step:
            matrix = trace_project(
                self.project, self.documents, self.amendment, self.results, scan, record=self.record
            )
            step.describe(f"{len(matrix.rows)} statements, {len(matrix.links)} links")
        return matrix

    def edition(self, expression: str) -> Built:
        """Return the edition ``expression`` names, the revisions that made it from its base and
        the changes refused in making it.

        ``expression`` is ``DOC EDITION``: an edition the project builds (``SMETS 4.2``,
        ``SMETS 4.2+IRP603``), or any base whose sources are under the project's specs folder
        (``specs/SMETS/4.3``, an imported official edition) followed by proposals of its IRP
        folder applied in order (``SMETS 4.3+IRP610+IRP611``); the longest start of the edition
        that is a folder is the base. Anything else names a spec-as-code folder
        (:func:`load_edition`). Changes to the project's other documents are left out; those
        to documents not in the project are skipped (``not-in-project`` problems).
        """
        named = _edition_expression(expression)
        if named is None:
            return Built(load_edition(expression, self.project))
        name, edition = named
        for document in self.editions:
            if (document.name, document.edition) == (name, edition):
                amendment = self.amendment
                return Built(
                    document,
                    [r for r in amendment.revisions if r.document == name],
                    [p for p in amendment.problems if p.location.target.split(" ")[0] == name],
                )
        for document in self.documents:
            if (document.name, document.edition) == (name, edition):
                return Built(document)
        return self._amended(expression, name, edition)

    def _amended(self, expression: str, name: str, edition: str) -> Built:
        parts = edition.split("+")
        folder = self.project.specs / name
        for count in range(len(parts), 0, -1):
            if (folder / "+".join(parts[:count]) / "index.rst").is_file():
                break
        else:
            raise ConfigError(
                f"the project can build no edition '{expression}': no spec sources for {name} "
                f"{parts[0]} at {folder / parts[0]} (it builds: "
                f"{', '.join(self._buildable())})"
            )
        base_edition, irps = "+".join(parts[:count]), parts[count:]
        base = next(
            (d for d in self.documents if (d.name, d.edition) == (name, base_edition)),
            None,
        ) or _load_sources(self.project, name, base_edition, folder / base_edition)
        proposals = [project_proposal(self.project, irp, listed=False) for irp in irps]
        for proposal in proposals:  # a change naming no document may be for this one
            if not any(c.target and c.target.document in (name, "") for c in proposal.changes):
                raise ConfigError(f"'{expression}': {proposal.irp} makes no change to {name}")
        others = [document for document in self.documents if document.name != name]
        run = amend(
            [base],
            proposals,
            self.project.vocabulary,
            others=others,
            require_all=self.project.amend.require_all_documents,
        )
        return Built(run.documents[0], run.revisions, run.problems)

    def _buildable(self) -> list[str]:
        """Return the editions the project builds, bases and final, and those whose sources are
        in its specs folder."""
        labels = [d.label for d in self.documents] + [d.label for d in self.editions]
        specs = self.project.specs
        if specs.is_dir():
            labels += [
                f"{folder.parent.name} {folder.name}"
                for folder in sorted(specs.glob("*/*"))
                if (folder / "index.rst").is_file()
            ]
        return list(dict.fromkeys(labels))


def _edition_expression(text: str) -> tuple[str, str] | None:
    """Return (document, edition) of ``DOC EDITION`` ("SMETS 4.2+IRP603"), else None."""
    match = re.fullmatch(r"\s*(\S+)\s+(\S+)\s*", text)
    if match and is_document_name(match[1]) and is_edition(match[2]):
        return match[1], match[2]
    return None


def load_edition(path: str | Path, project: Project | None = None) -> Document:
    """Return the edition in the spec-as-code folder ``path`` (``build/amended/SMETS/4.3``, an
    edition ``amend --out`` or ``import spec`` wrote), read with the project's vocabulary."""
    folder = Path(path)
    if not (folder / "index.rst").is_file():
        raise ConfigError(
            f"'{path}' is neither an edition the project builds (SMETS 4.2, SMETS 4.2+IRP603) "
            "nor a spec-as-code folder"
        )
    return load_document(folder, vocabulary=project.vocabulary if project else None)


def edition(expression: str, project: Project | None) -> Built:
    """Return the edition ``expression`` names (:meth:`Session.edition`); without a project,
    only a spec-as-code folder."""
    if project is not None:
        return Session(project).edition(expression)
    if _edition_expression(expression) is not None:
        raise ConfigError(f"'{expression}' names an edition: run it in a project")
    return Built(load_edition(expression))


def diff_editions(
    project: Project | None, old: str, new: str
) -> tuple[Document, Document, list[Problem]]:
    """Return the editions ``old`` and ``new`` name (:meth:`Session.edition`; without a
    project, spec-as-code folders), and the changes refused or skipped in making them."""
    if project is None:
        return edition(old, None).document, edition(new, None).document, []
    session = Session(project)
    before, after = session.edition(old), session.edition(new)
    problems = before.problems + [p for p in after.problems if p not in before.problems]
    return before.document, after.document, problems


def lint_project(project: Project) -> tuple[list[Finding[InDocument]], Amendment]:
    """Return the lint findings for the editions the project builds, after its lint policy, and
    the amendment that made those editions (its ``problems`` are the changes it refused)."""
    session = Session(project)
    return session.findings, session.amendment


def project_outputs(project: Project) -> Outputs:
    """Return the generations of the project's outputs (:mod:`spectrace.outputs`)."""
    return Outputs(project.output, project.database)


def write_project_database(
    project: Project, output: Path | None = None, progress: Progress = QUIET
) -> tuple[Path, Amendment]:
    """Write the requirement database of the project (base and amended editions) as a new
    generation of its outputs, or to ``output``; return its path and the amendment stored in
    it (its ``problems`` are the changes it refused). Each step is a phase of ``progress``."""
    from spectrace.store import fill_database, write_database

    session = Session(project, progress=progress)
    documents, proposals, amendment = session.documents, session.proposals, session.amendment
    if output is not None:
        with _writing_database(progress, documents, amendment):
            write_database(documents, output, project.vocabulary, amendment, proposals)
        return output, amendment
    with (
        project_outputs(project).generation(writes=(DATABASE,)) as generation,
        _writing_database(progress, documents, amendment),
    ):
        fill_database(
            generation.path(DATABASE), documents, project.vocabulary, amendment, proposals
        )
    return project.database, amendment


@contextmanager
def _writing_database(
    progress: Progress, documents: list[Document], amendment: Amendment
) -> Iterator[None]:
    """Run the block as the phase of writing the database of ``documents`` and ``amendment``."""
    with progress.phase("write the database") as step:
        yield
        editions = len(documents) + len(amendment.amended)
        step.describe(f"{editions} editions")


@dataclass
class BuildResult:
    """What a build read and wrote: the trace entries are None without a [trace] table;
    ``proposals`` are the proposals it applied."""

    documents: list[Document]
    amendment: Amendment
    findings: list[Finding[InDocument]]
    database: Path
    word: list[Path]
    html: Path
    matrix: Matrix | None = None
    trace: Path | None = None
    proposals: list[Proposal] = field(default_factory=list)
    said: list = field(default_factory=list)  # what the build's ``report`` made of it

    @property
    def failed(self) -> bool:
        return self.amendment.failed or any(f.severity is Severity.ERROR for f in self.findings)


#: What a build said, as the command line formats it: each line's stream and text (stored in
#: the generation's record, so that a build with nothing to do can say it again).
Report = Callable[[BuildResult], list]


def build(
    project: Project,
    *,
    record: bool = False,
    report: Report | None = None,
    progress: Progress = QUIET,
    inputs: str | None = None,
) -> BuildResult:
    """Run the main job: read every document and proposal, apply the proposals, lint the
    editions the build ends with (amended where the project lists proposals), and write the
    requirement database, the Word files and the HTML site; and, when the project file has a
    ``[trace]`` table, the traceability matrix (in the site, and under ``OUTPUT/trace``).

    Every output is written into a new generation that replaces the previous one in one
    step (:mod:`spectrace.outputs`), so a failed or killed build leaves the previous outputs as
    they were. Tracing problems (unknown tags, unreadable results) are listed in the matrix,
    not failures of the build: ``spectrace check`` is the gate. ``record`` records baselines
    for newly linked statements, as :func:`trace` does. Each step is a phase of ``progress``.

    The generation keeps a record of the build: the digest of its inputs
    (:mod:`spectrace.inputs`), whether it failed, and what ``report`` makes of the result
    (see :func:`last_build`; ``inputs``, when the caller has it from :func:`inputs_of`). The
    site is built in the Sphinx build the previous build kept,
    reading and writing only the pages that changed (:mod:`spectrace.site.workspace`).
    """
    from spectrace.site import write_html  # Sphinx: imported only by the commands that publish
    from spectrace.store import fill_database
    from spectrace.writers.docx import edition_files

    digest = inputs if inputs is not None else inputs_of(project)
    session = Session(project, record=record, progress=progress)
    documents, proposals, amendment = session.documents, session.proposals, session.amendment
    matrix = session.matrix if project.trace.configured else None
    outputs = project_outputs(project)
    with outputs.generation(writes=ENTRIES) as generation:
        word = generation.path("docx")
        word.mkdir()
        written = [path for edition in amendment.amended for path in edition_files(word, edition)]

        def beside_the_site() -> list[Finding[InDocument]]:
            fill_database(
                generation.path(DATABASE), documents, project.vocabulary, amendment, proposals
            )
            write_word_files(documents, amendment, proposals, word)
            return session.findings

        job = background.start(beside_the_site)  # while the site is built here
        html = generation.path("html")
        html.mkdir()
        try:
            write_html(
                project,
                documents,
                amendment,
                proposals,
                html,
                matrix=matrix,
                workspace=site_workspace(project),
                previous=generation.before("html"),
                progress=progress,
            )
        except BaseException:
            job.cancel()
            raise
        with progress.phase("lint, database, Word files") as step:
            findings = job.join()  # done beside the site: this is the time it took longer
            errors = sum(1 for f in findings if f.severity is Severity.ERROR)
            warnings = sum(1 for f in findings if f.severity is Severity.WARNING)
            editions = len(documents) + len(amendment.amended)
            step.describe(
                f"{errors} errors, {warnings} warnings; {editions} editions; "
                f"{len(written)} Word files"
            )
        if matrix is not None:
            with progress.phase("write the matrix"):
                _write_trace_files(project, matrix, generation)
        result = BuildResult(
            documents,
            amendment,
            findings,
            project.database,
            [outputs.names()["docx"] / path.name for path in written],
            project.output / "html",
            matrix,
            outputs.names()["trace"] if matrix is not None else None,
            proposals,
        )
        result.said = report(result) if report is not None else []
        outputs.write_record(
            generation,
            {"inputs": digest, "record": record, "failed": result.failed, "said": result.said},
        )
    return result


@dataclass
class LastBuild:
    """The current outputs' build, when no input has changed since: whether it failed, and
    what it said (as its ``report`` made it)."""

    failed: bool
    said: list


def inputs_of(project: Project) -> str:
    """Return the digest of everything a build of ``project`` reads (:mod:`spectrace.inputs`)."""
    return inputs_digest(project, project.output / "cache")


def last_build(
    project: Project, *, record: bool = False, inputs: str | None = None
) -> LastBuild | None:
    """Return the build that wrote the current outputs if every input is as it read them
    and it was asked to ``record`` baselines as this one is (so a new build would write the
    same bytes and record nothing more); None when anything changed, when the current outputs
    were written by another command, or when caching is off. ``inputs``: the digest of the
    inputs, when the caller has it from :func:`inputs_of`."""
    if os.environ.get("SPECTRACE_NO_CACHE"):
        return None
    found = project_outputs(project).record()
    if found is None or found.get("record") is not record:
        return None
    if found.get("inputs") != (inputs if inputs is not None else inputs_of(project)):
        return None
    failed, said = found.get("failed"), found.get("said")
    if not isinstance(failed, bool) or not isinstance(said, list):
        return None
    return LastBuild(failed, said)


def site_workspace(project: Project) -> Path | None:
    """Return where the project's builds keep their Sphinx build between runs (None when
    caching is off: every build is then from nothing)."""
    return None if os.environ.get("SPECTRACE_NO_CACHE") else project.output / "cache" / "site"


def publish_html(
    project: Project,
    output: Path,
    *,
    parallel: int | None = None,
    sources: Path | None = None,
) -> None:
    """Read the project's documents and proposals, amend, and publish the site into ``output``
    (replaced only when the build succeeded). See :func:`spectrace.site.write_html` for the
    options."""
    from spectrace.fileio import replaced_folder
    from spectrace.site import check_output, write_html

    output = Path(output)
    check_output(output)
    session = Session(project)
    with replaced_folder(output) as staging:
        write_html(
            project,
            session.documents,
            session.amendment,
            session.proposals,
            staging,
            parallel=parallel,
            sources=sources,
        )


def known_targets(start: Path) -> Callable[[Target], str | None] | None:
    """Return a check against the editions the project above ``start`` builds: what is wrong
    with a target, or None when it names statements, by the same rules as ``spectrace trace``.
    None when there is no project (then ids are only checked for their form)."""
    from spectrace.config import find_project
    from spectrace.trace.matrix import Resolver

    if find_project(start.resolve()) is None:
        return None
    resolver = Resolver(Session(load_project(start=start)).editions, [])

    def problem(target: Target) -> str | None:
        unresolved = resolver.target(target)[1]
        return unresolved.message if unresolved else None

    return problem


def write_word_files(
    documents: list[Document], amendment: Amendment, proposals: list[Proposal], folder: Path
) -> list[Path]:
    """Write each amended edition clean and as a redline into ``folder``; return the files."""
    from spectrace.writers.docx import write_editions

    bases = {document.name: document for document in documents}
    written: list[Path] = []
    for amended in amendment.amended:
        written += write_editions(
            bases[amended.name], amended, amendment.revisions, proposals, folder
        )
    return written


def load_proposal(path: Path, markup: MarkupStyle | None = None) -> Proposal:
    """Return the proposal in ``path``: a Word IRP, or IRP-as-code (``.rst``)."""
    return PROPOSAL_READERS[detect_proposal(path)](path, markup)


def import_irp(
    source: Path,
    irps: Path,
    *,
    replace: bool = False,
    markup: MarkupStyle | None = None,
    documents: Callable[[], list[Document]] | None = None,
) -> tuple[Proposal, Path]:
    """Read the Word IRP ``source`` and write it as IRP-as-code ``irps/IRPnnn.rst``; mark-ups
    read from pictures are checked against the clauses of ``documents()`` (the project's base
    editions, read only when there are pictures), else left unverified."""
    from spectrace.writers.rst_irp import render_proposal

    if detect_proposal(source) != "docx":
        raise ConfigError(
            "is IRP-as-code already; `import irp` reads a Word .docx file", file=str(source)
        )
    proposal = load_proposal(source, markup)
    if documents is not None and any(c.source == PICTURE for c in proposal.changes):
        reconcile_pictures(proposal, documents())
    target = irps / f"{proposal.irp}.rst"
    if target.exists() and not replace:
        raise ConfigError("already exists; pass --force to replace it", file=str(target))
    with atomic_path(target) as temporary:
        temporary.write_text(render_proposal(proposal), encoding="utf-8", newline="\n")
    return proposal, target


def project_proposals(project: Project, read: Callable[[], None] | None = None) -> list[Proposal]:
    """Return every proposal the project's documents list, read from its IRP folder; ``read``
    is called after each."""
    names = dict.fromkeys(irp for d in project.documents for irp in d.proposals)
    proposals = []
    for name in names:
        proposals.append(project_proposal(project, name))
        if read is not None:
            read()
    return proposals


def project_proposal(project: Project, name: str, *, listed: bool = True) -> Proposal:
    """Return the proposal ``name`` (IRP603) read from the project's IRP folder; ``listed``
    when the project file names it (a missing source is then the project file's error)."""
    path = project.irps / f"{name}.rst"
    if not is_irp_number(name) or not path.is_file():
        raise ConfigError(
            f"no IRP source for {name!r} at {path}; import it with `spectrace import irp`",
            file=str(project.file) if listed else None,
        )
    # parsed once per version of its bytes: 500 IRP-as-code sources take docutils seconds
    proposal = cache_entry.cached(
        project.output / "cache" / "irps",
        name,
        [path],
        f"irp-as-code {path}",
        partial(load_proposal, path),
    )
    if proposal.irp != name:
        raise ConfigError(
            f"holds {proposal.irp}, not {name}; the file name must be the IRP number",
            file=str(path),
        )
    return proposal


def amend_project(
    project: Project,
    documents: list[Document] | None = None,
    proposals: list[Proposal] | None = None,
) -> Amendment:
    """Apply each document's proposals, in the order the project lists them, to its base
    (counting the changes of each document's run in the open phase of progress, if any)."""
    documents = documents if documents is not None else load_project_documents(project)
    proposals = proposals if proposals is not None else project_proposals(project)
    by_name = {proposal.irp: proposal for proposal in proposals}
    result = Amendment()
    reported: set[tuple[str, int]] = set()  # a change refused in two documents' runs
    changes = {irp: len(proposal.changes) for irp, proposal in by_name.items()}
    open_phase.expect(sum(changes[irp] for entry in project.documents for irp in entry.proposals))
    for entry, base in zip(project.documents, documents, strict=True):
        if not entry.proposals:
            continue
        listed = [by_name[irp] for irp in entry.proposals]
        others = [document for document in documents if document is not base]
        run = _amend_document(project, base, others, listed)
        open_phase.advance(sum(changes[irp] for irp in entry.proposals))
        result.documents += run.documents
        result.revisions += run.revisions
        for problem in run.problems:
            change = (problem.location.irp, problem.location.change)
            if change not in reported:
                reported.add(change)
                result.problems.append(problem)
    result.problems += _unlisted(project, by_name, documents)
    return result


def _amend_document(
    project: Project, base: Document, others: list[Document], proposals: list[Proposal]
) -> Amendment:
    """Apply ``proposals`` in order to the project document ``base``; their changes to the
    project's ``others`` are left to those documents' own runs, and those to documents not in
    the project are skipped (or refused, with ``[amend] require-all-documents``); resumed from
    the run an earlier build kept in ``OUTPUT/cache`` (:mod:`spectrace.transforms.amend.prefix`)."""
    require_all = project.amend.require_all_documents
    prefixes = None
    if not os.environ.get("SPECTRACE_NO_CACHE"):  # resume from the run the last build kept
        numbers = {other.name: clause_numbers(other) for other in others}
        cache = project.output / "cache"
        prefixes = Prefixes.of(cache, base, project.vocabulary, numbers, require_all)
    return amend(
        [base],
        proposals,
        project.vocabulary,
        others=others,
        require_all=require_all,
        prefixes=prefixes,
    )


def _unlisted(
    project: Project, proposals: dict[str, Proposal], documents: list[Document]
) -> list[Problem]:
    """Return a problem for each change to a project document that does not list its IRP (a
    change naming no document is for the one that has its clause)."""
    lists = {entry.name: entry.proposals for entry in project.documents}
    clauses = {document.name: clause_numbers(document) for document in documents}
    problems = []
    for proposal in proposals.values():
        for change in proposal.changes:
            try:
                change = resolve(change, clauses)
            except Refused:  # ambiguous, or not in the project: the runs report it
                continue
            name = change.target.document if change.target else None
            if name in lists and proposal.irp not in lists[name]:
                problems.append(
                    refused(
                        Code.NOT_LISTED,
                        proposal.irp,
                        change.number,
                        str(change.target),
                        f"{name} does not list {proposal.irp} in the project file, so this change "
                        "is not applied",
                    )
                )
    return problems


def amend_files(
    specs: list[tuple[str, str | None, Path]],
    irps: list[Path],
    vocabulary: Vocabulary | None = None,
    markup: MarkupStyle | None = None,
    *,
    require_all: bool = False,
) -> tuple[Amendment, list[Proposal]]:
    """Apply the proposals in ``irps``, in order, to specifications given as files; return
    the amendment and the proposals as applied (their pictures checked against the documents).

    ``specs`` holds (document, edition or None, Word file or spec-as-code folder). A Word file
    without an edition takes it from the proposals' documentation references ("SMETS v4.2").
    The documents given are the project: changes to others are skipped, or refused with
    ``require_all``.
    """
    proposals = [load_proposal(path, markup) for path in irps]
    documents = []
    for name, edition, path in specs:
        if detect(path) == "docx" and edition is None:
            edition = _referenced_edition(name, proposals) or "base"
        documents.append(load_document(path, name, edition, vocabulary))
    for proposal in proposals:
        reconcile_pictures(proposal, documents)
    return amend(documents, proposals, vocabulary, require_all=require_all), proposals


def _referenced_edition(document: str, proposals: list[Proposal]) -> str | None:
    for proposal in proposals:
        for reference in proposal.references:
            match = re.match(rf"^{re.escape(document)}\s+v?(\S+)$", reference)
            if match and is_edition(match.group(1)):
                return match.group(1)
    return None


def trace(
    project: Project,
    results: list[str] | None = None,
    *,
    record: bool = False,
    progress: Progress = QUIET,
) -> tuple[Matrix, Amendment]:
    """Return the traceability matrix of the editions the project builds, and the amendment
    that made them; ``results`` overrides the JUnit files the project file names.

    With ``record`` (``spectrace trace``), a linked statement ``[trace] reviewed`` has no
    record of gets one, its baseline (``matrix.recorded``); without (``spectrace check``),
    nothing is written and such a statement is suspect. Each step is a phase of ``progress``.
    """
    session = Session(project, results, record=record, progress=progress)
    return session.matrix, session.amendment


def review(
    project: Project,
    targets: list[str],
    irps: list[str],
    everything: bool,
    *,
    by: str | None = None,
    note: str = "",
    clock: Callable[[], datetime.date] | None = None,
) -> list[str]:
    """Record the current text of statements as reviewed: those named (ids or clauses), those
    the IRPs added or changed, or all; return the ids recorded.

    Each record says who reviewed (``by``; default git's ``user.name`` for the project, else
    the system's user name), on which day (``clock``, default today) and ``note``.
    """
    from spectrace.trace.matrix import Resolver
    from spectrace.trace.review import (
        Record,
        check_note,
        check_reviewer,
        read_reviewed,
        reviewer,
        today,
        write_reviewed,
    )
    from spectrace.trace.tags import parse_targets

    note = check_note(note)
    name = by if by is not None else reviewer(project.root)
    if by is None and not name.strip():
        raise ConfigError("cannot tell who is reviewing (no git user.name): give --by NAME")
    name = check_reviewer(name)
    session = Session(project)
    editions, amendment = session.editions, session.amendment
    statements = {s.id: s for d in editions for _, s in d.statements()}
    resolver = Resolver(editions, [])
    chosen: list[str] = list(statements) if everything else []
    for text in targets:
        found, malformed = parse_targets(text)
        if malformed or not found:
            raise ConfigError(f"'{text}' is not a statement id or clause")
        for target in found:
            ids, problem = resolver.target(target)  # as tags are resolved
            if problem:
                raise ConfigError(problem.message)
            chosen += ids
    for irp in irps:
        revisions = [r for r in amendment.revisions if r.irp == irp]
        if not revisions:
            raise ConfigError(f"{irp} changed no statement in this build")
        chosen += [i for r in revisions for i in [*r.added, *r.changed]]
    on = (clock or today)().isoformat()
    path = project.root / project.trace.reviewed
    reviewed = read_reviewed(path)
    chosen = list(dict.fromkeys(chosen))
    reviewed |= {i: Record(statements[i].fingerprint, name, on, note) for i in chosen}
    write_reviewed(path, reviewed)
    return chosen


def write_trace(
    project: Project, matrix: Matrix, out: Path | None = None, progress: Progress = QUIET
) -> Path:
    """Write the matrix as JSON, CSV, standalone HTML and a Markdown summary, as a new
    generation of the project's outputs or into the folder ``out`` (a phase of ``progress``);
    return the folder.

    Only rows that changed since the last run are rendered again (:mod:`spectrace.trace.rows`).
    """
    if out is not None:
        with progress.phase("write the matrix"):
            _write_matrix(matrix, out, project.output / "cache", out)
        return out
    outputs = project_outputs(project)
    with (
        outputs.generation(writes=("trace",)) as generation,
        progress.phase("write the matrix"),
    ):
        _write_trace_files(project, matrix, generation)
    return outputs.names()["trace"]


def _write_trace_files(project: Project, matrix: Matrix, generation: Generation) -> None:
    folder = generation.path("trace")
    folder.mkdir()
    _write_matrix(matrix, folder, project.output / "cache", generation.before("trace"))


def _write_matrix(matrix: Matrix, folder: Path, cache: Path, previous: Path | None) -> None:
    from spectrace.trace.report import summary_markdown
    from spectrace.trace.rows import write_matrix_files

    with atomic_path(folder / "summary.md") as temporary:  # renamed after the other three
        temporary.write_text(summary_markdown(matrix), encoding="utf-8", newline="\n")
        write_matrix_files(folder, matrix, cache, previous)


def impact(irp: str, matrix: Matrix, amendment: Amendment) -> dict:
    """Return what ``irp`` adds, changes and removes, with each statement's links and tests;
    a removed statement, the places whose tags (or waivers) still name it."""
    from spectrace.trace.model import Action

    revisions = [r for r in amendment.revisions if r.irp == irp]
    if not revisions:
        raise ConfigError(
            f"{irp} is not applied in this build (is it listed in the project "
            "file, and did its changes apply?)"
        )
    retired_links: dict[str, list[str]] = {}
    for revision in revisions:
        for statement in revision.retired:
            retired_links[statement] = [
                error.where for error in matrix.errors if statement in error.retired
            ]
    statements = []
    for revision in revisions:
        for action, ids in (
            (Action.ADDED, revision.added),
            (Action.CHANGED, revision.changed),
            (Action.REMOVED, revision.retired),
        ):
            for statement in ids:
                row = matrix.row(statement)
                statements.append(
                    {
                        "action": action,
                        "statement": statement,
                        "change": revision.change,
                        "clause": f"{revision.document} {revision.clause}",
                        "text": row.text if row else "",
                        "status": row.status.value if row else "removed",
                        "suspect": bool(row and row.suspect),
                        "implemented_by": [link.where for link in row.implemented_by]
                        if row
                        else [],
                        "verified_by": [
                            {"test": e.link.where, "outcome": e.outcome} for e in row.verified_by
                        ]
                        if row
                        else [],
                        "still_linked": retired_links.get(statement, []),
                    }
                )
    return {"irp": irp, "statements": statements}
