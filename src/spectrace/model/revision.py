"""What applying proposals did: a revision per applied change, a problem per refused one."""

from __future__ import annotations

from dataclasses import dataclass, field

from spectrace.findings import Code, Finding, InChange, Severity
from spectrace.model.document import Document
from spectrace.model.proposal import Action


@dataclass(frozen=True, slots=True)
class RevisionLine:
    """One line of a clause or a glossary as revisions and diffs compare them: its ``cells``.

    A paragraph or list item is one cell (its text, without a list item's label), a table row
    one cell per column, a glossary entry two (term, definition). The cells stay apart so no
    receiver has to split a joined string again; an output that prints a line as one string
    (the JSON forms, the terminal) joins them itself.
    """

    cells: tuple[str, ...]


@dataclass
class Revision:
    """Change ``change`` of ``irp`` turned the lines of ``clause`` from ``before`` into ``after``.

    ``clause`` is a clause number, or "Glossary"; a line is a block or a glossary entry
    (:class:`RevisionLine`). The statement ids say which statements the change added, changed
    (same id, new text) and retired.

    A structural change gives one revision per clause it acts on, with ``action``:

    - ``amend``: the clause's lines changed; ``title_before``/``title_after`` are set (both)
      when the change renamed its heading;
    - ``insert_clause``: a new clause (``before`` empty, ``title_before`` None);
    - ``delete_clause``: the clause is gone (``after`` empty, ``title_after`` None); deleting
      or withdrawing a clause deletes its sub-clauses, each with a revision of its own;
    - ``withdraw_clause``: number and heading kept, the body replaced by "Not used";
    - ``renumber_clause``: ``clause`` is the new number, ``number_before`` the old one (a
      sub-clause renumbered with its parent has a revision of its own).
    """

    irp: str
    change: int
    document: str
    clause: str
    before: list[RevisionLine] = field(default_factory=list)
    after: list[RevisionLine] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    action: Action = Action.AMEND
    title_before: str | None = None
    title_after: str | None = None
    number_before: str = ""

    @property
    def retitled(self) -> bool:
        """Whether the change renamed the clause's heading (it kept its number)."""
        return (
            self.action is Action.AMEND
            and self.title_before is not None
            and self.title_after is not None
            and self.title_before != self.title_after
        )


#: A change the amendment engine refused, and why (a finding of stage ``amend``).
Problem = Finding[InChange]


def refused(code: Code | str, irp: str, change: int, target: str, message: str) -> Problem:
    """Return the problem of change ``change`` of ``irp`` (aimed at ``target``), refused."""
    return Finding.of(code, InChange(irp, change, target), message)


@dataclass
class Amendment:
    """The result of applying proposals: amended documents, revisions and problems.

    ``problems`` holds a finding for each change not applied: refused (an error) or skipped
    because its document is not in the project (``not-in-project``, info).
    """

    documents: list[Document] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """Whether a change was refused: a problem of severity error. A change skipped because
        its document is not in the project (``not-in-project``, info) is not a failure."""
        return any(problem.severity is Severity.ERROR for problem in self.problems)

    def refusals(self, irp: str) -> dict[int, Problem]:
        """Return the problems of ``irp``'s refused changes, by change number."""
        return {p.location.change: p for p in self.problems if p.location.irp == irp}

    def document(self, name: str) -> Document | None:
        return next((d for d in self.documents if d.name == name), None)

    @property
    def amended(self) -> list[Document]:
        """Return the documents some change was applied to: the new editions."""
        changed = {revision.document for revision in self.revisions}
        return [d for d in self.documents if d.name in changed]

    def final(self, bases: list[Document]) -> list[Document]:
        """Return each of ``bases`` as the build ends with it: its edition after the proposals
        (the base's own edition when none of their changes applied), else the base itself."""
        amended = {document.name: document for document in self.documents}
        return [amended.get(base.name, base) for base in bases]
