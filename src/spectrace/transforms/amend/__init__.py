"""Apply proposals to base editions: exact edits, or a precise reason why not.

:func:`amend` takes the base documents and the proposals in order and returns the amended
documents (editions named like ``4.2+IRP603``), a revision for every applied change and a
problem for every refused one. A refused change is never half-applied; the others still apply.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from spectrace.model import Change, Document, Problem, Proposal, Revision
from spectrace.transforms.amend.clause import Refused, apply_to_clause
from spectrace.transforms.amend.glossary import GlossaryState
from spectrace.transforms.amend.units import ClauseState, Ids, Restated
from spectrace.transforms.statements import Vocabulary, analyse

__all__ = ["Amendment", "amend"]


@dataclass
class Amendment:
    """The result of applying proposals: amended documents, revisions and problems."""

    documents: list[Document] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def document(self, name: str) -> Document | None:
        return next((d for d in self.documents if d.name == name), None)


def amend(
    bases: list[Document],
    proposals: list[Proposal],
    vocabulary: Vocabulary | None = None,
    *,
    elsewhere: frozenset[str] = frozenset(),
) -> Amendment:
    """Return ``bases`` with ``proposals`` applied in order; the bases are not changed.

    Changes to a document named in ``elsewhere`` are left for another run, silently; changes
    to any other document that is not among the bases are problems.
    """
    run = _Run({base.name: copy.deepcopy(base) for base in bases}, elsewhere)
    for proposal in proposals:
        for change in proposal.changes:
            run.apply(proposal, change)
    return run.finish(vocabulary)


class _Run:
    def __init__(self, documents: dict[str, Document], elsewhere: frozenset[str]):
        self.documents = documents
        self.elsewhere = elsewhere
        self.ids = {name: Ids(document) for name, document in documents.items()}
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
        except Refused as refused:
            self.result.problems.append(
                Problem(proposal.irp, change.number, target, refused.kind, refused.message)
            )

    def _apply(self, proposal: Proposal, change: Change) -> None:
        if change.problem:
            raise Refused("unreadable", change.problem)
        if change.target is None:
            raise Refused("unreadable", "the change names no target")
        name = change.target.document
        document = self.documents.get(name)
        if document is None:
            raise Refused("unknown-document", f"{name} is not among the specifications given")
        if proposal.irp not in self.applied[name]:
            self.applied[name].append(proposal.irp)
        origin = (proposal.irp, change.number)
        if change.target.glossary:
            state = self.glossaries.setdefault(name, GlossaryState(document))
            before = state.lines()
            state.apply(change, origin)
            self._record(origin, name, "Glossary", before, state.lines(), Restated())
            return
        clause = document.clause(change.target.clause)
        if clause is None:
            raise Refused(
                "unknown-clause", f"{document.label} has no clause {change.target.clause}"
            )
        state = self.clauses.get((name, clause.number))
        if state is None:
            state = self.clauses[(name, clause.number)] = ClauseState(clause)
        before = state.lines()
        restated = apply_to_clause(state, change, origin, self.ids[name])
        self._record(origin, name, clause.number, before, state.lines(), restated)

    def _record(
        self,
        origin,
        document: str,
        clause: str,
        before: list[str],
        after: list[str],
        restated: Restated,
    ) -> None:
        self.result.revisions.append(
            Revision(
                origin[0],
                origin[1],
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
        for state in self.clauses.values():
            if state.touched_by:  # a clause whose changes were all refused stays as it was
                state.write_back()
        for name, document in self.documents.items():
            document.edition += "".join(f"+{irp}" for irp in self.applied[name])
            analyse(document, vocabulary)
            self.result.documents.append(document)
        return self.result
