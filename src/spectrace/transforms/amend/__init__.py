"""Apply proposals to base editions: exact edits, or a precise reason why not.

:func:`amend` takes the base documents and the proposals in order and returns the amended
documents (editions named like ``4.2+IRP603``), a revision for every applied change and a
problem for every refused one. A refused change is never half-applied; the others still apply.
"""

from __future__ import annotations

from spectrace.model import Change, Clause, Document, Proposal, Revision, RevisionLine
from spectrace.model.revision import Amendment, refused
from spectrace.transforms.amend.clause import apply_to_clause
from spectrace.transforms.amend.conflicts import Refused
from spectrace.transforms.amend.glossary import GlossaryState
from spectrace.transforms.amend.units import ClauseState, Ids, Restated
from spectrace.transforms.statements import Vocabulary, analyse

__all__ = ["Amendment", "amend"]


def amend(
    bases: list[Document],
    proposals: list[Proposal],
    vocabulary: Vocabulary | None = None,
    *,
    elsewhere: frozenset[str] = frozenset(),
) -> Amendment:
    """Return ``bases`` with ``proposals`` applied in order; the bases are not changed.

    Each document's edition is named after the proposals that changed it ("4.2+IRP603"); one
    no change applied to keeps its base edition. Changes to a document named in ``elsewhere``
    are left for another run, silently; changes to any other document that is not among the
    bases are problems.
    """
    run = _Run({base.name: base.copy() for base in bases}, elsewhere)
    for proposal in proposals:
        for change in proposal.changes:
            run.apply(proposal, change)
    return run.finish(vocabulary)


class _Run:
    def __init__(self, documents: dict[str, Document], elsewhere: frozenset[str]):
        self.documents = documents
        self.elsewhere = elsewhere
        self.ids = {name: Ids(document) for name, document in documents.items()}
        self.index = {name: _clause_index(document) for name, document in documents.items()}
        self.clauses: dict[tuple[str, str], ClauseState] = {}
        self.glossaries: dict[str, GlossaryState] = {}
        self.applied: dict[str, list[str]] = {name: [] for name in documents}
        self.result = Amendment()

    def apply(self, proposal: Proposal, change: Change) -> None:
        target = str(change.target) if change.target else "?"
        if change.target and change.target.document in self.elsewhere:
            return
        try:
            self._apply(proposal, change)
        except Refused as why:
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
        document = self.documents.get(name)
        if document is None:
            raise Refused("unknown-document", f"{name} is not among the specifications given")
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
