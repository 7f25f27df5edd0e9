"""What the site holds: its editions, their pages, the proposals and, when given, the
traceability matrix; the templates' data.

:func:`plan_site` turns the documents, the amendment, the proposals and the matrix into plain
objects the templates walk. Block bodies are rendered to RST here (with :mod:`.links` and
:mod:`.rst`) so that templates only lay pages out.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import groupby

from spectrace.findings import Code
from spectrace.model import (
    Action,
    Block,
    BlockKind,
    Change,
    Clause,
    Document,
    Op,
    Proposal,
    Revision,
)
from spectrace.model.marks import Mark, MarkedClause, MarkedEntry, MarkedLine
from spectrace.model.proposal import CHANGE_OPTIONS, PROPOSAL_FIELDS, picture_changes, picture_note
from spectrace.model.refs import split_heading
from spectrace.model.revision import Amendment, RevisionLine
from spectrace.site.links import Linker
from spectrace.site.rst import RST, escape, heading, join, marked, option, role, term_line
from spectrace.trace.matrix import Matrix
from spectrace.trace.report import json_lines, matrix_data
from spectrace.transforms.diff import aligned_lines, word_marks
from spectrace.transforms.marks import mark_edition, mark_glossary
from spectrace.writers.redline import structural_summary
from spectrace.writers.rst import sections
from spectrace.writers.rst_irp import markup_lines

#: An amended edition whose name is longer than this is named on the site (folder, label,
#: links) by its base and :data:`PROPOSALS`, a name that stays when a proposal is added.
LONG_EDITION = 48
#: What stands for the proposals of a long amended edition: ``1+proposals``. No edition of
#: the same document can have that name: an amended one continues with IRP numbers, and its
#: base's own name is its start.
PROPOSALS = "proposals"
#: The sidebar lists up to this many IRPs by name; more are reached through the index.
NAVIGATION_IRPS = 12

#: The changes read from a picture, by (IRP, change number).
Pictures = dict[tuple[str, int], Change]


@dataclass
class ClauseView:
    clause: Clause
    heading: RST
    blocks: list[RST]
    glossary: bool = False


@dataclass
class TermView:
    """A glossary entry as a page shows it: RST for the term line, the definition (marked in
    an amended edition), the ``spec:used`` list, and what changed it."""

    term: RST
    definition: RST
    used: RST
    status: RST | None = None


@dataclass
class ChangedClause:
    """A clause of the change-marked view: its number and heading, a summary of each change
    that touched it, and its lines with their marks.

    ``reference`` links to the clause in the text (a deleted clause: in the base edition);
    ``marked_heading`` is its heading with its marks, when a change inserted, deleted,
    renamed or renumbered it; ``deleted`` says a change deleted it (it is in the base only).
    """

    number: str
    title: str
    heading: RST
    changes: list[RST]
    blocks: list[RST]
    reference: RST
    marked_heading: RST | None = None
    deleted: bool = False


@dataclass
class SectionPage:
    name: str
    clauses: list[ClauseView]


@dataclass
class EditionSite:
    """One edition of one document, and the pages it gets; ``name`` is the name the site
    gives the edition (:func:`site_editions`)."""

    document: Document
    name: str
    base: Document | None = None
    proposals: list[str] = field(default_factory=list)
    sections: list[SectionPage] = field(default_factory=list)
    glossary: list[TermView] = field(default_factory=list)
    removed_terms: list[TermView] = field(default_factory=list)
    changed: list[ChangedClause] = field(default_factory=list)
    glossary_changes: list[TermView] = field(default_factory=list)

    @property
    def amended(self) -> bool:
        return self.base is not None

    @property
    def folder(self) -> str:
        """Return the folder of the edition's pages: ``SMETS/4.2+IRP603``."""
        return f"{self.document.name}/{self.name}"

    @property
    def label(self) -> str:
        """Return the edition as the site shows it: ``SMETS 4.2+IRP603``, ``SYN 1+proposals``."""
        return f"{self.document.name} {self.name}"

    @property
    def address(self) -> str:
        """Return the edition as the site's links name it: ``SMETS@4.2+IRP603``."""
        return f"{self.document.name}@{self.name}"

    @property
    def directive(self) -> RST:
        return option(self.label)

    def doc(self, page: str) -> str:
        return f"{self.folder}/{page}"


@dataclass
class ChangeView:
    number: int
    options: dict[str, str]
    body: list[RST]


@dataclass
class ProposalSite:
    proposal: Proposal
    changes: list[ChangeView]
    applied: int
    skipped: int = 0  # changes for documents the project does not have

    @property
    def name(self) -> str:
        return self.proposal.irp

    @property
    def counts(self) -> str:
        """Return how many changes applied: "4 of 6", "4 of 6 (2 not in this project)"."""
        counts = f"{self.applied} of {len(self.changes)}"
        return counts + (f" ({self.skipped} not in this project)" if self.skipped else "")

    @property
    def title(self) -> str:
        title = self.proposal.title
        return f"{self.proposal.irp}: {title}" if title else self.proposal.irp

    @property
    def options(self) -> dict[str, str]:
        values = {field.option: field.text(self.proposal) for field in PROPOSAL_FIELDS}
        return {key: option(value) for key, value in values.items() if value}

    @property
    def sections(self) -> list[tuple[str, list[str]]]:
        return [
            (name, [line for line in text.split("\n") if line.strip()])
            for name, text in self.proposal.sections.items()
            if text.strip()
        ]


@dataclass
class TraceabilityPage:
    """The matrix page: ``data`` is what its ``spec:matrix`` directive reads (the shape of
    ``matrix.json``, each row with the ``target`` its statement id links to, or None)."""

    data: dict

    @property
    def statements(self) -> int:
        return len(self.data["rows"])

    def json(self) -> str:
        return json_lines(self.data)


#: The matrix page's docname and the data file next to it.
TRACEABILITY = "traceability"


@dataclass
class Site:
    title: str
    editions: list[EditionSite]
    proposals: list[ProposalSite]
    traceability: TraceabilityPage | None = None

    @property
    def navigation(self) -> list[tuple[str, str, str]]:
        """Return the sidebar's (docname, anchor, label) entries: every edition, then every
        IRP, or when there are many, the index's list of them, then the matrix page when
        there is one. The sidebar is on every page: the entries change only when an edition
        or a named IRP comes or goes, never with the number of IRPs beyond the named ones."""
        entries = [(e.doc("index"), "", e.label) for e in self.editions]
        if len(self.proposals) <= NAVIGATION_IRPS:
            entries += [(f"irps/{p.name}", "", p.name) for p in self.proposals]
        else:
            entries.append(("index", "issue-resolution-proposals", "Issue Resolution Proposals"))
        if self.traceability is not None:
            entries.append((TRACEABILITY, "", "Traceability"))
        return entries


def plan_site(
    title: str,
    documents: list[Document],
    amendment: Amendment,
    proposals: list[Proposal],
    matrix: Matrix | None = None,
    rendered: RenderedBlocks | None = None,
) -> Site:
    """Return the site of the base ``documents``, their amended editions and the proposals
    (and the traceability ``matrix`` of the final editions, when given); ``rendered`` gives
    the blocks an earlier build rendered."""
    render: BlockRenderer = rendered if rendered is not None else _block
    amended = {d.name: d for d in amendment.amended}
    finals = {d.name: d for d in amendment.final(documents)}
    links = StatementLinks(site_editions(documents, amendment.amended))
    pictures = picture_changes(proposals)
    editions: list[EditionSite] = []
    for base in documents:
        linked = {d.name: d for d in documents}
        editions.append(_edition(base, None, linked, amendment, links, render))
        if base.name in amended:
            edition = _edition(amended[base.name], base, finals, amendment, links, render, pictures)
            editions.append(edition)
    bases = {d.name: d for d in documents}
    lines = rendered.revision if rendered is not None else revision_blocks
    sites = [_proposal(p, amendment, finals, bases, links, lines) for p in proposals]
    traceability = _traceability(matrix, editions) if matrix is not None else None
    return Site(title, editions, sites, traceability)


def _traceability(matrix: Matrix, editions: list[EditionSite]) -> TraceabilityPage:
    """Return the matrix page: each row links to its statement in the clean text of its
    edition, when the site shows that edition and the statement in it (else no link)."""
    shown = {site.document.label: (site, _anchored(site.document)) for site in editions}
    data = matrix_data(matrix)
    for row in data["rows"]:
        edition, ids = shown.get(row["edition"], (None, set()))
        row["target"] = (
            f"{edition.address} {row['statement']}"
            if edition is not None and row["statement"] in ids
            else None
        )
    return TraceabilityPage(data)


def _anchored(document: Document) -> set[str]:
    """Return the ids of the statements the clean text anchors (tables carry none)."""
    return {
        statement.id
        for clause in document.clauses
        for block in clause.blocks
        if block.kind is not BlockKind.TABLE
        for statement in block.statements
    }


# Editions ----------------------------------------------------------------------------------


#: The name the site gives each edition that is not its own, by (document, edition).
SiteEditions = dict[tuple[str, str], str]


def site_editions(bases: list[Document], amended: list[Document]) -> SiteEditions:
    """Return the editions the site names otherwise: each amended edition longer than
    :data:`LONG_EDITION` is named by its base and :data:`PROPOSALS` (``1+proposals``), so
    that adding a proposal moves no page and changes no link (its front page names every
    proposal applied). A base keeps its own name, so neither can be taken for the other."""
    edition = {d.name: d.edition for d in bases}
    return {
        (d.name, d.edition): f"{edition[d.name]}+{PROPOSALS}"
        for d in amended
        if len(d.edition) > LONG_EDITION and d.name in edition
    }


def _edition(
    document: Document,
    base: Document | None,
    linked: dict[str, Document],
    amendment: Amendment,
    links: StatementLinks,
    render: BlockRenderer,
    pictures: Pictures | None = None,
) -> EditionSite:
    """Return the pages of ``document``: its text, and for an amended edition (``base``
    given) its changes, each change named with its label when it was read from a picture
    (``pictures``)."""
    pictures = pictures or {}
    site = EditionSite(document, links.edition(document), base)
    editions = {
        name: (links.edition(d), {c.number for c in d.clauses if c.number})
        for name, d in linked.items()
    }
    linker = Linker(document, editions)
    site.sections = [
        SectionPage(
            name, [_clause_view(c, depth, document, linker, render) for c, depth in clauses]
        )
        for name, clauses in _sections(document)
    ]
    used = _where_used(document)
    if base is None:
        site.glossary = [_entry(e.term, escape(e.definition), used) for e in document.glossary]
        return site
    revisions = [r for r in amendment.revisions if r.document == document.name]
    site.proposals = list(dict.fromkeys(r.irp for r in revisions))
    _amended_glossary(site, mark_glossary(base, document, revisions), used, pictures)
    marked = mark_edition(base, document, revisions, changed=True)
    site.changed = [_changed_clause(m, base, document, links, pictures) for m in marked]
    site.glossary_changes = [
        entry for entry in site.glossary + site.removed_terms if entry.status is not None
    ]
    return site


def _sections(document: Document) -> list[tuple[str, list[tuple[Clause, int]]]]:
    """Split the clauses into one page per top-level clause, as the spec-as-code files are,
    with each clause's nesting depth."""
    return [(name, _depths(group)) for name, group in sections(document)]


def _depths(clauses: list[Clause]) -> list[tuple[Clause, int]]:
    levels: list[int] = []
    result = []
    for clause in clauses:
        while levels and levels[-1] >= clause.level:
            levels.pop()
        levels.append(clause.level)
        result.append((clause, len(levels)))
    return result


def _clause_view(
    clause: Clause, depth: int, document: Document, linker: Linker, render: BlockRenderer
) -> ClauseView:
    title = f"{clause.number} {clause.title}".strip() if clause.number else clause.title
    return ClauseView(
        clause,
        heading(title, depth, guard=clause.number is None and split_heading(title)[0] is not None),
        [render(block, linker) for block in clause.blocks],
        glossary=clause.number is not None and clause.number == document.glossary_clause,
    )


BlockRenderer = Callable[[Block, Linker], RST]


class RenderedBlocks:
    """Blocks as RST, kept from one build to the next (``known``): a block is rendered again
    only when it changed, or the clause numbers its links may name did (its key says both).
    A revision's lines, as a proposal's page shows them (:func:`revision_blocks`), are kept
    the same way, by the revision's content. ``used`` holds what this build rendered or
    took, to keep for the next."""

    def __init__(self, known: object = None):
        self.known: dict[bytes, RST | tuple[RST, ...]] = known if isinstance(known, dict) else {}
        self.used: dict[bytes, RST | tuple[RST, ...]] = {}

    def __call__(self, block: Block, linker: Linker) -> RST:
        key = _digest(
            (
                linker.key,
                block.kind.value,
                block.text,
                block.lead,
                block.label,
                block.level,
                block.header_rows,
                block.rows,
                [(s.id, s.text, s.refs) for s in block.statements],
            )
        )
        found = self.known.get(key)
        if not isinstance(found, str):
            found = _block(block, linker)
        self.used[key] = found
        return found

    def revision(self, revision: Revision) -> list[RST]:
        """Return :func:`revision_blocks` of ``revision``."""
        key = _digest(("revision", revision))
        found = self.known.get(key)
        if not isinstance(found, tuple):
            found = tuple(revision_blocks(revision))
        self.used[key] = found
        return list(found)


def _digest(value: object) -> bytes:
    """Return the digest of a value's ``repr`` (model objects: every field, in order)."""
    text = repr(value).encode("utf-8", "surrogatepass")
    return hashlib.sha1(text, usedforsecurity=False).digest()


def _block(block: Block, linker: Linker) -> RST:
    if block.kind is BlockKind.TABLE:
        return rows(block.rows, block.header_rows)
    lines = linker.block_lines(block)
    if block.kind is BlockKind.LIST_ITEM:
        return item(block.label, block.level, lines)
    return RST("\n".join(lines))


def item(label: str, level: int, lines: Sequence[str]) -> RST:
    """Return a list item: a paragraph that starts with its label, ``:item:`(a)``` (at a
    nesting level, ``:item:`(a) <1>```); an item without a label is a plain paragraph."""
    text = "\n".join(lines)
    if not label.strip():
        return RST(text)
    head = role("item", label, str(level)) if level else role("item", label)
    return RST(f"{head} {text}" if text else head)


def rows(cells: list[list[str]], header_rows: int = 0) -> RST:
    """Return a table of plain-text cells as ``spec:rows``: one JSON array per row."""
    if not cells:
        return RST("")
    head = f" {min(header_rows, len(cells))}" if header_rows else ""
    out = [f".. spec:rows::{head}", ""]
    out += [
        "   " + json.dumps([" ".join(c.split()) for c in row], ensure_ascii=False) for row in cells
    ]
    return RST("\n".join(out))


def table(cells: list[list], header_rows: int = 0) -> RST:
    """Return rows of cells (plain text, or RST) as a ``list-table``."""
    width = max((len(row) for row in cells), default=0)
    if not width:
        return RST("")
    out = [".. list-table::", "   :class: spectrace-table"]
    if header_rows:
        out.append(f"   :header-rows: {min(header_rows, len(cells))}")
    out.append("")
    for row in cells:
        padded = list(row) + [""] * (width - len(row))
        for column, cell in enumerate(padded):
            bullet = "   * - " if column == 0 else "     - "
            out.append((bullet + escape(cell)).rstrip())
    return RST("\n".join(out))


def _where_used(document: Document) -> dict[str, list[str]]:
    used: dict[str, list[str]] = {}
    for _, statement in document.statements():
        for term in statement.terms:
            used.setdefault(term, []).append(statement.id)
    return used


def _entry(
    term: str, definition: RST, used: dict[str, list[str]], status: RST | None = None
) -> TermView:
    return TermView(
        term_line(term), definition or RST(".."), used_directive(used.get(term, [])), status
    )


def used_directive(statements: list[str]) -> RST:
    """Return ``spec:used`` listing the statements (ids, which are never markup)."""
    if not statements:
        return RST("")
    lines, line = [], []
    for statement in statements:
        line.append(option(statement))
        if len(line) == 8:
            lines.append("   " + " ".join(line))
            line = []
    if line:
        lines.append("   " + " ".join(line))
    return RST(".. spec:used::\n\n" + "\n".join(lines))


def _amended_glossary(
    site: EditionSite, entries: list[MarkedEntry], used, pictures: Pictures
) -> None:
    for entry in entries:
        term = " ".join(m.text for m in entry.term if m.op is not Op.DELETE)
        if entry.op is Op.DELETE:
            old = " ".join(m.text for m in entry.term if m.op is not Op.INSERT)
            definition = marked(
                entry.definition, whole=("delete", entry.irp, entry.change), labels=False
            )
            status: RST | None = _status("Removed by", [(entry.irp, entry.change)], pictures)
            site.removed_terms.append(_entry(old, definition, {}, status))
            continue
        if entry.op is Op.INSERT:
            definition = marked(
                entry.definition, whole=("insert", entry.irp, entry.change), labels=False
            )
            status = _status("Added by", [(entry.irp, entry.change)], pictures)
        else:
            definition = marked(entry.definition)
            changes = _changes_of(entry.term + entry.definition)
            status = _status("Changed by", changes, pictures) if changes else None
        site.glossary.append(_entry(term, definition, used, status))


def _changes_of(marks: list[Mark]) -> list[tuple[str, int]]:
    return list(dict.fromkeys((m.irp, m.change) for m in marks if m.op is not Op.KEEP and m.irp))


def _status(verb: str, changes: list[tuple[str, int]], pictures: Pictures) -> RST:
    links = [_change_link(irp, change, pictures) for irp, change in changes]
    return RST(f"{verb} " + ", ".join(links) + ".")


def _change_link(irp: str, change: int, pictures: Pictures) -> RST:
    """Return a link to change ``change`` of ``irp``, followed by "(read from a picture,
    confidence 0.93)" when it was read from one."""
    link = role("irp", f"{irp}#{change}")
    picture = pictures.get((irp, change))
    return join([link, f" ({picture_note(picture.confidence)})"]) if picture else link


# Change-marked view ------------------------------------------------------------------------


def _changed_clause(
    marked_clause: MarkedClause,
    base: Document,
    amended: Document,
    links: StatementLinks,
    pictures: Pictures,
) -> ChangedClause:
    clause = marked_clause.clause
    title = f"{clause.number or ''} {clause.title}".strip()
    deleted = marked_clause.op is Op.DELETE
    edition = base if deleted else amended
    reference = RST(escape(clause.title))
    if clause.number:
        target = f"{links.address(edition)} {clause.number}" if deleted else None
        reference = role("clause", clause.number, target)
    return ChangedClause(
        clause.number or "",
        title,
        heading(title, 2, guard=clause.number is None and split_heading(title)[0] is not None),
        [_revision_summary(r, base, amended, links, pictures) for r in marked_clause.revisions],
        marked_blocks(marked_clause.lines),
        reference,
        _marked_heading(marked_clause),
        deleted,
    )


def _marked_heading(marked_clause: MarkedClause) -> RST | None:
    """Return the heading's number and title with their marks, when a change marked them or
    inserted or deleted the clause; else None."""
    if marked_clause.op is Op.KEEP and not marked_clause.heading_changed:
        return None
    whole = (
        (str(marked_clause.op), marked_clause.irp, marked_clause.change)
        if marked_clause.op is not Op.KEEP
        else None
    )
    return marked(marked_clause.number + marked_clause.title, whole=whole)


def _revision_summary(
    revision: Revision,
    base: Document,
    amended: Document,
    links: StatementLinks,
    pictures: Pictures,
) -> RST:
    link = _change_link(revision.irp, revision.change, pictures)
    statements = statement_changes(revision, base, amended, links, explicit=False)
    what = structural_summary(revision)
    parts = [join([what]) if what else "", statements]
    text = "; ".join(part for part in parts if part)
    return RST(link + (": " + text if text else ""))


def statement_changes(
    revision: Revision,
    base: Document,
    amended: Document,
    links: StatementLinks,
    *,
    explicit: bool = True,
) -> RST:
    """Return "added X; changed Y; retired Z", each statement id a link to where it stands
    (the amended edition, or the base for a retired one); ``explicit`` names the edition even
    for the amended one (for pages that show no edition)."""
    groups = [
        ("added", [links.link(amended, s, explicit) for s in revision.added]),
        ("changed", [links.link(amended, s, explicit) for s in revision.changed]),
        ("retired", [links.link(base, s, True) for s in revision.retired]),
    ]
    return RST("; ".join(f"{verb} " + ", ".join(links) for verb, links in groups if links))


class StatementLinks:
    """Links to statements, each checked against the statement ids of its edition (computed
    once per document): a statement added and retired again within one build has no anchor,
    so it is shown as text. ``names`` are the editions the site names otherwise
    (:func:`site_editions`)."""

    def __init__(self, names: SiteEditions | None = None) -> None:
        self._ids: dict[int, tuple[Document, frozenset[str]]] = {}
        self.names: SiteEditions = names or {}

    def edition(self, document: Document) -> str:
        """Return the name the site gives the edition of ``document``: ``1+proposals``."""
        return self.names.get((document.name, document.edition), document.edition)

    def address(self, document: Document) -> str:
        """Return how the site's links name the edition of ``document``: ``SYN@1+proposals``."""
        return f"{document.name}@{self.edition(document)}"

    def link(self, document: Document, statement: str, explicit: bool) -> RST:
        """Return ``:statement:`ID``` (naming the edition when ``explicit``), or the id."""
        if statement not in self._known(document):
            return RST(escape(statement))
        if not explicit:
            return role("statement", statement)
        return role("statement", statement, f"{self.address(document)} {statement}")

    def _known(self, document: Document) -> frozenset[str]:
        known = self._ids.get(id(document))
        if known is None or known[0] is not document:
            ids = frozenset(s.id for _, s in document.statements())
            known = self._ids[id(document)] = (document, ids)
        return known[1]


def marked_blocks(lines: list[MarkedLine]) -> list[RST]:
    """Return marked lines as RST blocks: paragraphs, labelled items and tables."""
    blocks: list[RST] = []
    for _, grouped in groupby(
        lines, key=lambda line: id(line.block) if _is_row(line) else id(line)
    ):
        run = list(grouped)
        first = run[0].block
        if first is not None and first.kind is BlockKind.TABLE:
            header = first.header_rows
            cells = [[_marked_line(cell, line) for cell in line.cells] for line in run]
            heads = next((n for n, line in enumerate(run) if line.row >= header), len(run))
            blocks.append(table(cells, heads))
            continue
        line = run[0]
        text = _marked_line(line.cells[0] if line.cells else [], line)
        if line.block is not None and line.block.kind is BlockKind.LIST_ITEM:
            blocks.append(item(line.block.label, line.block.level, [text]))
        else:
            blocks.append(text or RST(".."))
    return blocks


def _is_row(line: MarkedLine) -> bool:
    return line.block is not None and line.block.kind is BlockKind.TABLE


def _marked_line(marks: list[Mark], line: MarkedLine) -> RST:
    whole = (str(line.op), line.irp, line.change) if line.op is not Op.KEEP else None
    return marked(marks, whole=whole)


# Proposals ---------------------------------------------------------------------------------


def _proposal(
    proposal: Proposal,
    amendment: Amendment,
    finals: dict[str, Document],
    bases: dict[str, Document],
    links: StatementLinks,
    lines: Callable[[Revision], list[RST]] | None = None,
) -> ProposalSite:
    """Return the page of ``proposal``: each change as applied (its revisions' ``lines``,
    :func:`revision_blocks` unless given), or why not."""
    lines = lines or revision_blocks
    revisions: dict[int, list[Revision]] = {}
    for revision in amendment.revisions:
        if revision.irp == proposal.irp:
            revisions.setdefault(revision.change, []).append(revision)
    problems = amendment.refusals(proposal.irp)
    changes = []
    for change in proposal.changes:
        made = revisions.get(change.number, [])
        document = made[0].document if made else None
        options = _change_options(change, finals, bases, links, document)
        view = ChangeView(change.number, options, [])
        problem = problems.get(change.number)
        if made:
            for revision in made:
                amended, base = finals[revision.document], bases[revision.document]
                view.body.append(_applied(revision, base, amended, links, len(made) > 1))
                view.body += lines(revision)
        elif problem is not None and problem.code is Code.NOT_IN_PROJECT:
            view.body = _skipped(problem.message, change)
        elif problem is not None:
            view.options["problem"] = option(f"{problem.message} [{problem.code}]")
            if problem.code is Code.UNVERIFIED:
                view.body = _best_reading(change)
        elif change.problem:
            view.options["problem"] = option(change.problem)
        changes.append(view)
    skipped = sum(1 for p in problems.values() if p.code is Code.NOT_IN_PROJECT)
    return ProposalSite(proposal, changes, len(revisions), skipped)


def _applied(
    revision: Revision, base: Document, amended: Document, links: StatementLinks, named: bool
) -> RST:
    """Return "Applied: what it did; added …." (``named``: "Applied to SMETS 4.1: …", for a
    change that acted on several clauses)."""
    statements = statement_changes(revision, base, amended, links)
    what = structural_summary(revision)
    parts = [join([what]) if what else "", statements]
    text = "; ".join(part for part in parts if part)
    head = f"Applied to {escape(f'{revision.document} {revision.clause}')}" if named else "Applied"
    return RST(head + (f": {text}." if text else "."))


#: Structural actions whose target is a clause the amended edition no longer has under its
#: number: its link goes to the base edition.
_TARGET_IN_BASE = (Action.DELETE_CLAUSE, Action.RENUMBER_CLAUSE)


def _skipped(message: str, change: Change) -> list[RST]:
    """Return the body of a change skipped because its document is not in the project: the
    note, not a failure, and the mark-up the proposal gives."""
    note = RST(f".. rst-class:: spectrace-skipped\n\n{escape(f'Not in this project: {message}')}")
    markup = [RST("\n".join(markup_lines(change.markup)))] if change.markup else []
    return [note, *markup]


def _best_reading(change: Change) -> list[RST]:
    """Return the body of a change refused because its picture did not reconcile: the
    mark-up as the picture was read, for a reviewer to compare with the picture."""
    if not change.markup:
        return []
    note = RST("*The best reading of the picture:*")
    return [note, RST("\n".join(markup_lines(change.markup)))]


#: The options of ``spec:change`` that say a mark-up was read from a picture, and how it was
#: checked: the site gives them as IRP-as-code writes them.
_PICTURE_OPTIONS = [
    each
    for each in CHANGE_OPTIONS
    if each.option in ("source", "confidence", "corrections", "unverified")
]


def _change_options(
    change: Change,
    finals: dict[str, Document],
    bases: dict[str, Document],
    links: StatementLinks,
    applied_to: str | None = None,
) -> dict[str, str]:
    """Return the ``spec:change`` options: the target names the edition the change went into
    (the base, for a clause it deleted or renumbered; ``applied_to``, the document of its
    revision, for a target that names none)."""
    options: dict[str, str] = {}
    if change.instruction:
        options["instruction"] = option(change.instruction)
    target = change.target
    if target is not None:
        name = target.document or applied_to or ""
        editions = bases if change.action in _TARGET_IN_BASE else finals
        document = editions.get(name)
        where = target.clause or "Glossary"
        options["target"] = option(
            f"{links.address(document)} {where}" if document else str(target)
        )
    if change.action.value != "amend":
        options["action"] = option(change.action.value)
    if change.term:
        options["term"] = option(change.term)
    if change.after:
        options["after"] = option(change.after)
    if change.new_number:
        options["new-number"] = option(change.new_number)
    for each in _PICTURE_OPTIONS:
        value = each.text(change)
        if value is not None:
            options[each.option] = option(value)
    return options


def revision_blocks(revision: Revision) -> list[RST]:
    """Return the lines a revision changed, each with its words marked (unchanged lines are
    left out and counted)."""
    blocks: list[RST] = []
    heading_line = _heading_diff(revision)
    if heading_line is not None:
        blocks.append(heading_line)
    unchanged = 0
    for i, j, same in aligned_lines(revision.before, revision.after):
        if same:
            unchanged += 1
            continue
        old = revision.before[i] if i is not None else None
        new = revision.after[j] if j is not None else None
        blocks.append(_line_diff(old, new))
    if unchanged:
        plural = "s" if unchanged != 1 else ""
        where = "glossary" if revision.clause == "Glossary" else "clause"
        blocks.append(RST(f"*({unchanged} unchanged line{plural} of the {where} not shown.)*"))
    return blocks


def _heading_diff(revision: Revision) -> RST | None:
    """Return the heading a revision changed, its words marked: a clause inserted or deleted
    whole, a renumbered clause's old and new number, a renamed heading's words; None when the
    heading stayed as it was."""
    action = revision.action
    renamed = revision.title_before not in (None, revision.title_after)
    if action in (Action.AMEND, Action.WITHDRAW_CLAUSE) and not renamed:
        return None
    old = [revision.number_before or revision.clause, *(revision.title_before or "").split()]
    new = [revision.clause, *(revision.title_after or revision.title_before or "").split()]
    if action is Action.RENUMBER_CLAUSE and revision.title_before is None:
        old += (revision.title_after or "").split()
    before = [] if action is Action.INSERT_CLAUSE else old
    after = [] if action is Action.DELETE_CLAUSE else new
    return marked(word_marks(before, after), labels=False)


def _line_diff(old: RevisionLine | None, new: RevisionLine | None) -> RST:
    old_cells = old.cells if old is not None else ()
    new_cells = new.cells if new is not None else ()
    cells = []
    for index in range(max(len(old_cells), len(new_cells))):
        before = old_cells[index].split() if index < len(old_cells) else []
        after = new_cells[index].split() if index < len(new_cells) else []
        cells.append(marked(word_marks(before, after), labels=False))
    return RST(" — ".join(cell for cell in cells if cell) or "..")


__all__ = ["EditionSite", "ProposalSite", "Site", "plan_site"]
