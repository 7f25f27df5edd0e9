"""Apply proposals to base editions: exact edits, or a precise reason why not.

:func:`amend` takes the base documents and the proposals in order and returns the amended
documents (editions named like ``4.2+IRP603``), a revision for every applied change and a
problem for every refused one. A refused change is never half-applied; the others still apply.
A change for a document the project does not have is skipped, not refused (:func:`resolve`).
"""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from dataclasses import replace

from spectrace.model import Action, Change, Clause, Document, Proposal, Revision, RevisionLine
from spectrace.model.revision import Amendment, refused
from spectrace.transforms.amend.clause import apply_to_clause
from spectrace.transforms.amend.conflicts import Refused
from spectrace.transforms.amend.glossary import GlossaryState
from spectrace.transforms.amend.units import ClauseState, Ids, Restated
from spectrace.transforms.statements import Vocabulary, analyse

__all__ = ["Amendment", "Refused", "amend", "clause_numbers", "resolve"]


def amend(
    bases: list[Document],
    proposals: list[Proposal],
    vocabulary: Vocabulary | None = None,
    *,
    others: Sequence[Document] = (),
    require_all: bool = False,
) -> Amendment:
    """Return ``bases`` with ``proposals`` applied in order; the bases are not changed.

    Each document's edition is named after the proposals that changed it ("4.2+IRP603"); one
    no change applied to keeps its base edition.

    The project's documents are ``bases`` and ``others``: documents of the project amended by
    another run (a project amends each document by the proposals it lists), whose changes are
    left to that run, silently. A change to a document not in the project is skipped, or
    refused with ``require_all``; a change that names no document goes to the one project
    document that has its clause (:func:`resolve`).
    """
    run = _Run({base.name: base.copy() for base in bases}, others, require_all)
    for proposal in proposals:
        for change in proposal.changes:
            run.apply(proposal, change)
    return run.finish(vocabulary)


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
        self.ids = {name: Ids(document) for name, document in documents.items()}
        self.index = {name: _clause_index(document) for name, document in documents.items()}
        self.others = {other.name: clause_numbers(other) for other in others}
        self.clauses: dict[tuple[str, str], ClauseState] = {}
        self.glossaries: dict[str, GlossaryState] = {}
        self.applied: dict[str, list[str]] = {name: [] for name in documents}
        self.result = Amendment()

    def apply(self, proposal: Proposal, change: Change) -> None:
        # resolve() looks targets up in the project's other documents as they are, and in
        # this run's as amended so far.
        project: dict[str, Container[str]] = {**self.others, **self.index}
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
        if not any(block.marked for block in change.markup):
            raise Refused("unreadable", "the mark-up marks no insertion or deletion")
        name = change.target.document
        document = self.documents[name]  # resolve() kept the others' changes out
        origin = (proposal.irp, change.number)
        if change.target.glossary:
            glossary = self.glossaries.setdefault(name, GlossaryState(document))
            before = glossary.lines()
            glossary.apply(change, origin)
            self._record(origin, name, "Glossary", before, glossary.lines(), Restated())
            return
        number = change.target.clause
        assert number is not None, "a target that is not the glossary names a clause"
        clause = self.index[name].get(number)
        if clause is None:
            raise Refused("unknown-clause", f"{document.label} has no clause {number}")
        # The index holds a clause by its number, so clause.number is ``number``.
        state = self.clauses.get((name, number))
        if state is None:
            state = self.clauses[(name, number)] = ClauseState(clause)
        before = state.lines()
        restated = apply_to_clause(state, change, origin, self.ids[name])
        document.retired += restated.retired
        self._record(origin, name, number, before, state.lines(), restated)

    def _record(
        self,
        origin: tuple[str, int],
        document: str,
        clause: str,
        before: list[RevisionLine],
        after: list[RevisionLine],
        restated: Restated,
    ) -> None:
        irp, number = origin
        if irp not in self.applied[document]:
            self.applied[document].append(irp)
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
            )
        )

    def finish(self, vocabulary: Vocabulary | None) -> Amendment:
        touched: dict[str, list] = {name: [] for name in self.documents}
        for (name, _), state in self.clauses.items():
            if state.touched_by:  # a clause whose changes were all refused stays as it was
                state.write_back()
                touched[name].append(state.clause)
        for name, document in self.documents.items():
            self.result.documents.append(document)
            if not self.applied[name]:
                continue
            document.edition += "".join(f"+{irp}" for irp in self.applied[name])
            glossary = self.glossaries.get(name)
            # A changed glossary can change the terms of any statement.
            analyse(document, vocabulary, None if glossary and glossary.touched else touched[name])
        return self.result


def _clause_index(document: Document) -> dict[str, Clause]:
    index: dict[str, Clause] = {}
    for clause in document.clauses:
        if clause.number is not None:
            index.setdefault(clause.number, clause)
    return index
