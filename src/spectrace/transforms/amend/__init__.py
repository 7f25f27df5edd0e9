"""Apply proposals to base editions: exact edits, or a precise reason why not.

:func:`amend` takes the base documents and the proposals in order and returns the amended
documents (editions named like ``4.2+IRP603``), a revision for every applied change and a
problem for every refused one. A refused change is never half-applied; the others still apply.
A change for a document the project does not have is skipped, not refused (:func:`resolve`).
"""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from dataclasses import replace

from spectrace.model import (
    Action,
    Change,
    Clause,
    Document,
    MarkupBlock,
    MarkupKind,
    Op,
    Proposal,
    Revision,
    RevisionLine,
    Span,
)
from spectrace.model.refs import split_heading
from spectrace.model.revision import Amendment, refused
from spectrace.text import squash
from spectrace.transforms.amend.clause import apply_to_clause
from spectrace.transforms.amend.conflicts import Origin, Refused
from spectrace.transforms.amend.glossary import GlossaryState
from spectrace.transforms.amend.prefix import REPLAY, Prefixes, digests, snapshot
from spectrace.transforms.amend.structure import (
    Edition,
    NewClause,
    clause_lines,
    withdrawn_text,
)
from spectrace.transforms.amend.units import ClauseState, Restated
from spectrace.transforms.statements import Found, Vocabulary, analyse

__all__ = ["Amendment", "Prefixes", "Refused", "amend", "clause_numbers", "resolve"]

#: The actions that edit a glossary entry.
TERM_ACTIONS = (Action.ADD_TERM, Action.AMEND_TERM, Action.DELETE_TERM)


def amend(
    bases: list[Document],
    proposals: list[Proposal],
    vocabulary: Vocabulary | None = None,
    *,
    others: Sequence[Document] = (),
    require_all: bool = False,
    prefixes: Prefixes | None = None,
) -> Amendment:
    """Return ``bases`` with ``proposals`` applied in order; the bases are not changed.

    Each document's edition is named after the proposals that changed it ("4.2+IRP603"); one
    no change applied to keeps its base edition.

    The project's documents are ``bases`` and ``others``: documents of the project amended by
    another run (a project amends each document by the proposals it lists), whose changes are
    left to that run, silently. A change to a document not in the project is skipped, or
    refused with ``require_all``; a change that names no document goes to the one project
    document that has its clause (:func:`resolve`).

    ``prefixes`` (made for these bases, vocabulary, others and setting) keeps the run after
    its proposals, and resumes from the longest start of ``proposals`` it kept (:mod:`.prefix`).
    """
    chain = digests(proposals) if prefixes is not None else []
    run, done = prefixes.resume(chain) if prefixes is not None else (None, 0)
    resumed = run is not None
    if run is None:
        run = _Run({base.name: base.copy() for base in bases}, others, require_all)
    for proposal in proposals[done:]:
        for change in proposal.changes:
            run.apply(proposal, change)
    if prefixes is None:
        return run.finish(vocabulary)
    data = snapshot(run) if not resumed or len(proposals) - done >= REPLAY else None
    amendment = run.finish(vocabulary, prefixes.terms, prefixes.known)
    if data is not None:
        prefixes.keep(chain, data, run.terms, run.found)
    return amendment


def resolve(
    change: Change, clauses: Mapping[str, Container[str]], *, require_all: bool = False
) -> Change:
    """Return ``change`` with the target the project gives it, from the clause numbers of each
    of the project's documents (``clauses``).

    A target that names a document of the project is kept. One that names no document (a
    "by context" target: ``Target("", "4.6.4.10")``) goes to the one document that has the
    clause: for a new clause, the clause it is inserted after (else its parent); for any other
    action, the target clause. Raise :class:`Refused`: ``ambiguous-target`` when several
    documents have it; ``not-in-project`` (an info finding: the change is skipped) when the
    document named is not in the project, or none has the clause. With ``require_all`` those
    two are ``unknown-document`` and ``unknown-clause`` errors instead.
    """
    target = change.target
    if target is None or target.document:
        if target is not None and target.document not in clauses:
            if require_all:
                raise Refused(
                    "unknown-document", f"{target.document} is not among the specifications given"
                )
            raise Refused(
                "not-in-project",
                f"the change is for {target.document}, which this project does not have; skipped",
            )
        return change
    number = _context_clause(change)
    if number is None:
        raise Refused("unreadable", "the change names neither a document nor a clause")
    having = [name for name, numbers in clauses.items() if number in numbers]
    if len(having) > 1:
        raise Refused(
            "ambiguous-target",
            f"the change names no document, and {', '.join(sorted(having))} each have clause "
            f"{number}; name the document in its target",
        )
    if not having:
        if require_all:
            raise Refused("unknown-clause", f"no document of this project has clause {number}")
        raise Refused(
            "not-in-project",
            f"no document of this project has clause {number}; skipped (it may be for a "
            "document the project does not have)",
        )
    return replace(change, target=replace(target, document=having[0]))


def _context_clause(change: Change) -> str | None:
    """Return the clause that places a by-context change: for a new clause, the one it
    follows (or its parent, when the change names none); else the target clause."""
    assert change.target is not None
    number = change.target.clause
    if change.action is Action.INSERT_CLAUSE and number is not None:
        return change.after or (number.rpartition(".")[0] or number)
    return number


def clause_numbers(document: Document) -> set[str]:
    """Return the numbers of ``document``'s clauses: what :func:`resolve` looks targets up in."""
    return {clause.number for clause in document.clauses if clause.number is not None}


class _Run:
    def __init__(
        self, documents: dict[str, Document], others: Sequence[Document], require_all: bool
    ):
        self.documents = documents
        self.require_all = require_all
        self.others = {other.name: clause_numbers(other) for other in others}
        self.editions = {name: Edition(document) for name, document in documents.items()}
        self.glossaries: dict[str, GlossaryState] = {}
        self.applied: dict[str, list[str]] = {name: [] for name in documents}
        self.result = Amendment()
        # What finish()'s analysis found, and the glossary terms it was found under.
        self.terms: list[str] = []
        self.found: dict[str, Found] = {}

    def apply(self, proposal: Proposal, change: Change) -> None:
        # resolve() looks targets up in the project's other documents as they are, and in
        # this run's as amended so far.
        project: dict[str, Container[str]] = {
            **self.others,
            **{name: edition.index for name, edition in self.editions.items()},
        }
        try:
            change = resolve(change, project, require_all=self.require_all)
            if change.target and change.target.document not in self.documents:
                return  # a document of the project another run amends
            self._apply(proposal, change)
        except Refused as why:
            target = str(change.target) if change.target else "?"
            self.result.problems.append(
                refused(why.code, proposal.irp, change.number, target, why.message)
            )

    def _apply(self, proposal: Proposal, change: Change) -> None:
        if change.problem:
            raise Refused("unreadable", change.problem)
        if change.target is None:
            raise Refused("unreadable", "the change names no target")
        if change.unverified:
            reading = " / ".join(b.text(after=True) for b in change.markup)
            raise Refused(
                "unverified",
                f"read from a picture and not verified: {change.unverified}; "
                f"the best reading: '{reading[:200]}'",
            )
        marked = any(block.marked for block in change.markup)
        if change.action in (Action.AMEND, *TERM_ACTIONS) and not marked:
            raise Refused("unreadable", "the mark-up marks no insertion or deletion")
        name = change.target.document
        edition = self.editions[name]  # resolve() kept the others' changes out
        origin = (proposal.irp, change.number)
        if change.target.glossary:
            glossary = self.glossaries.setdefault(name, GlossaryState(edition.document))
            before = glossary.lines()
            glossary.apply(change, origin)
            self._record(origin, name, "Glossary", before, glossary.lines(), Restated())
            return
        number = change.target.clause
        assert number is not None, "a target that is not the glossary names a clause"
        act = {
            Action.INSERT_CLAUSE: self._insert,
            Action.DELETE_CLAUSE: self._delete,
            Action.WITHDRAW_CLAUSE: self._withdraw,
            Action.RENUMBER_CLAUSE: self._renumber,
        }.get(change.action, self._amend)
        act(edition, number, change, origin)

    def _amend(self, edition: Edition, number: str, change: Change, origin: Origin) -> None:
        """Edit a clause's text and heading; a wholly inserted heading line in the mark-up
        starts a new clause after it."""
        clause = edition.clause(number, origin)
        edition.check_open(clause, origin)
        own, *parts = split_at_new_headings(change.markup)
        planned = self._plan_inserts(edition, clause, parts, origin)
        heading = own[0] if own and own[0].kind is MarkupKind.HEADING else None
        title = edition.rename(clause, heading, origin) if heading and heading.marked else None
        body = own[1:] if heading is not None else own
        edited = any(block.marked for block in body)
        if title is None and not edited and not planned:
            raise Refused("already-applied", "the change is already in the text")
        state = edition.state(clause)
        before, title_before = state.lines(), clause.title
        restated = Restated()
        if edited:
            if heading is not None:  # unmarked, it still anchors the mark-up at the clause start
                body = [MarkupBlock(MarkupKind.HEADING, [Span(heading.text(after=False))]), *body]
            restated = apply_to_clause(state, replace(change, markup=body), origin, edition.ids)
            edition.document.retired += restated.retired
        if title is not None:
            clause.title = title
            edition.renamed[id(clause)] = origin
        if title is not None or edited:
            self._record(
                origin,
                edition.document.name,
                number,
                before,
                state.lines(),
                restated,
                titles=(title_before, clause.title) if title is not None else None,
            )
        self._insert_planned(edition, planned, origin)

    def _plan_inserts(
        self, edition: Edition, anchor: Clause, parts: list[list[MarkupBlock]], origin: Origin
    ) -> list[NewClause]:
        planned: list[NewClause] = []
        for part in parts:
            number, _ = split_heading(squash(part[0].text(after=True)))
            if number is None:
                raise Refused(
                    "unreadable",
                    f"the inserted heading line '{squash(part[0].text(after=True))[:60]}' "
                    "gives no clause number",
                )
            numbers = tuple(p.clause.number or "" for p in planned)
            planned.append(edition.plan_insert(number, anchor, part, origin, numbers))
            anchor = planned[-1].clause
        return planned

    def _insert_planned(self, edition: Edition, planned: list[NewClause], origin: Origin) -> None:
        for new in planned:
            edition.insert(new, origin)
            edition.document.retired += new.restated.retired
            assert new.clause.number is not None, "an inserted clause has a number"
            self._record(
                origin,
                edition.document.name,
                new.clause.number,
                [],
                edition.state(new.clause).lines(),
                new.restated,
                action=Action.INSERT_CLAUSE,
                titles=(None, new.clause.title),
            )

    def _insert(self, edition: Edition, number: str, change: Change, origin: Origin) -> None:
        if not change.after:
            raise Refused("unreadable", f"the change names no clause for {number} to follow")
        anchor = edition.clause(change.after, origin)
        markup = inserted_clause_markup(change.markup)
        if not any(block.kind is MarkupKind.HEADING for block in markup):
            raise Refused("unreadable", f"the mark-up shows no heading line for clause {number}")
        parts = split_at_new_headings(markup)
        if parts[0]:
            raise Refused(
                "unsupported",
                "a new clause's mark-up must start with its heading line, all inserted",
            )
        first, *rest = parts[1:] or [[]]
        planned = [edition.plan_insert(number, anchor, first, origin)]
        planned += self._plan_inserts(edition, planned[0].clause, rest, origin)
        self._insert_planned(edition, planned, origin)

    def _delete(self, edition: Edition, number: str, change: Change, origin: Origin) -> None:
        clause = edition.clause(number, origin)
        _check_heading(change.markup, clause)
        self._remove(edition, edition.subtree(clause), origin, "deleting")

    def _withdraw(self, edition: Edition, number: str, change: Change, origin: Origin) -> None:
        clause = edition.clause(number, origin)
        edition.check_open(clause, origin)
        heading = next((b for b in change.markup if b.kind is MarkupKind.HEADING), None)
        title = edition.rename(clause, heading, origin) if heading and heading.marked else None
        if heading is not None and title is None:
            _check_heading([heading], clause)
        text = withdrawn_text(change.markup)
        state = edition.states.get(id(clause))
        before, title_before = clause_lines(clause, state), clause.title
        retired = _statement_ids(clause, state)
        self._remove(edition, edition.subtree(clause)[1:], origin, "withdrawing", check=[clause])
        edition.withdraw(clause, text, origin)
        if title is not None:
            clause.title = title
        edition.document.retired += retired
        self._record(
            origin,
            edition.document.name,
            number,
            before,
            [RevisionLine((text,))],
            Restated(retired=retired),
            action=Action.WITHDRAW_CLAUSE,
            titles=(title_before, clause.title),
        )

    def _remove(
        self,
        edition: Edition,
        clauses: list[Clause],
        origin: Origin,
        doing: str,
        check: list[Clause] | None = None,
    ) -> None:
        """Delete ``clauses`` (a clause and its sub-clauses, or the sub-clauses of one), each
        with a revision; refuse, changing nothing, when another proposal changed any."""
        edition.check_untouched([*(check or []), *clauses], origin, doing)
        gone = []
        for clause in clauses:
            state = edition.states.get(id(clause))
            gone.append((clause, clause_lines(clause, state), _statement_ids(clause, state)))
        edition.remove(clauses, origin)
        for clause, lines, retired in gone:
            edition.document.retired += retired
            self._record(
                origin,
                edition.document.name,
                clause.key,
                lines,
                [],
                Restated(retired=retired),
                action=Action.DELETE_CLAUSE,
                titles=(clause.title, None),
            )

    def _renumber(self, edition: Edition, number: str, change: Change, origin: Origin) -> None:
        if not change.new_number:
            raise Refused("unreadable", f"the change gives no new number for {number}")
        clause = edition.clause(number, origin)
        if change.new_number == number and not change.after:
            raise Refused("already-applied", f"clause {number} already has that number")
        for before, moved in edition.renumber(clause, change.new_number, change.after, origin):
            assert moved.number is not None, "a renumbered clause has a number"
            lines = clause_lines(moved, edition.states.get(id(moved)))
            self._record(
                origin,
                edition.document.name,
                moved.number,
                lines,
                lines,
                Restated(),
                action=Action.RENUMBER_CLAUSE,
                number_before=before,
            )

    def _record(
        self,
        origin: Origin,
        document: str,
        clause: str,
        before: list[RevisionLine],
        after: list[RevisionLine],
        restated: Restated,
        *,
        action: Action = Action.AMEND,
        titles: tuple[str | None, str | None] | None = None,
        number_before: str = "",
    ) -> None:
        irp, number = origin
        if irp not in self.applied[document]:
            self.applied[document].append(irp)
        title_before, title_after = titles or (None, None)
        self.result.revisions.append(
            Revision(
                irp,
                number,
                document,
                clause,
                before,
                after,
                restated.added,
                restated.changed,
                restated.retired,
                action,
                title_before,
                title_after,
                number_before,
            )
        )

    def finish(
        self,
        vocabulary: Vocabulary | None,
        terms: list[str] | None = None,
        known: dict[str, Found] | None = None,
    ) -> Amendment:
        """Return the amendment: the edited clauses written back into their documents, each
        amended document's edition named and its touched statements analysed (taking what
        ``known`` holds for a statement's text when its glossary has the ``terms`` it was
        found under; what was found is left in ``found``, with ``terms``, for one document)."""
        for name, edition in self.editions.items():
            document = edition.document
            self.result.documents.append(document)
            touched = []
            for clause, state in edition.touched():
                if state.touched_by:  # a clause whose changes were all refused stays as it was
                    state.write_back()
                    touched.append(clause)
            if not self.applied[name]:
                continue
            document.edition += "".join(f"+{irp}" for irp in self.applied[name])
            glossary = self.glossaries.get(name)
            self.terms = [document.name, *(entry.term for entry in document.glossary)]
            # A changed glossary can change the terms of any statement.
            self.found = analyse(
                document,
                vocabulary,
                None if glossary and glossary.touched else touched,
                known if known is not None and terms == self.terms else None,
            )
        return self.result


def split_at_new_headings(markup: list[MarkupBlock]) -> list[list[MarkupBlock]]:
    """Return the blocks before the first wholly inserted heading line, then each such line
    with the blocks up to the next: the changes to a clause, then each new clause."""
    parts: list[list[MarkupBlock]] = [[]]
    for block in markup:
        if block.kind is MarkupKind.HEADING and block.op is Op.INSERT:
            parts.append([])
        parts[-1].append(block)
    return parts


def inserted_clause_markup(markup: list[MarkupBlock]) -> list[MarkupBlock]:
    """Return an insert_clause mark-up from its heading line on, each block inserted.

    Unchanged text before the heading is context (the end of the clause it follows). A mark-up
    with no marks from the heading on is the new clause as plain text: the instruction says it
    is inserted. One that marks some of it and not the rest is returned as it is (and refused).
    """
    start = next((k for k, b in enumerate(markup) if b.kind is MarkupKind.HEADING), len(markup))
    if any(block.marked for block in markup[:start]):
        return markup
    new = markup[start:]
    if any(block.marked for block in new):
        return new
    return [_inserted(block) for block in new]


def _inserted(block: MarkupBlock) -> MarkupBlock:
    return replace(
        block,
        spans=[Span(s.text, Op.INSERT) for s in block.spans],
        cells=[[Span(s.text, Op.INSERT) for s in cell] for cell in block.cells],
    )


def _check_heading(markup: list[MarkupBlock], clause: Clause) -> None:
    """Refuse a mark-up whose heading line is not ``clause``'s (the change names another)."""
    for block in markup:
        if block.kind is MarkupKind.HEADING:
            number, _ = split_heading(squash(block.text(after=False)))
            if number is not None and number != clause.number:
                raise Refused(
                    "not-found",
                    f"the mark-up shows the heading of clause {number}, not {clause.number}",
                )


def _statement_ids(clause: Clause, state: ClauseState | None) -> list[str]:
    """Return the ids of a clause's statements as they are now (``state`` holds its edits)."""
    if state is None:
        return [statement.id for statement in clause.statements]
    return [s.id for unit in state.units if unit.block for s in unit.block.statements]
