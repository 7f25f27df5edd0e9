"""Apply one change to a document's glossary: add, amend or remove entries, in term order.

Each entry is a sequence of one item for the conflict rule (:mod:`.conflicts`): a change that
adds, amends, renames or deletes an entry reaches all of it, so two proposals conflict when
they change the same entry (by its term, either side of a rename). An unchanged row of a
mark-up is context: it must read as the entry does, or did in the base edition.
"""

from __future__ import annotations

from typing import NamedTuple

from spectrace.model import (
    Action,
    Change,
    Document,
    GlossaryEntry,
    MarkupBlock,
    MarkupKind,
    Op,
    RevisionLine,
)
from spectrace.model.document import is_glossary_header
from spectrace.text import squash
from spectrace.transforms.amend.align import fold
from spectrace.transforms.amend.conflicts import Ledger, Origin, Reach, Refused


class _Step(NamedTuple):
    """What one row of a glossary mark-up does: keep, add, delete or amend the entry ``term``
    (giving it ``definition``, and renaming it to ``new_term`` when that is not empty)."""

    kind: str
    term: str
    definition: str
    new_term: str


class GlossaryState:
    """A document's glossary while proposals are applied to it."""

    def __init__(self, document: Document):
        self.document = document
        self.ledger = Ledger()
        self.base = {_key(e.term): e.definition for e in document.glossary}

    @property
    def touched(self) -> bool:
        """Whether a change was applied to the glossary."""
        return bool(self.ledger)

    def lines(self) -> list[RevisionLine]:
        return [RevisionLine((e.term, e.definition)) for e in self.document.glossary]

    def find(self, term: str) -> GlossaryEntry | None:
        key = _key(term)
        return next((e for e in self.document.glossary if _key(e.term) == key), None)

    def apply(self, change: Change, origin: Origin) -> None:
        """Apply ``change``'s table rows; raise Refused, changing nothing, if it cannot."""
        rows = [b for b in change.markup if b.kind is MarkupKind.TABLE_ROW]
        if not rows or len(rows) != len(change.markup):
            raise Refused(
                "unsupported", "a glossary mark-up must be rows of a Term | Definition table"
            )
        plan = [self._plan(row, origin) for row in rows]
        self._check_instruction(change, [step for step in plan if step[0] != "keep"])
        _check_distinct(plan)
        for step in plan:
            self._do(step, origin)

    def _plan(self, row: MarkupBlock, origin: Origin) -> _Step:
        if len(row.cells) != 2:
            raise Refused("unsupported", f"a glossary row has two cells, not {len(row.cells)}")
        before = [squash("".join(s.text for s in c if s.op is not Op.INSERT)) for c in row.cells]
        after = [squash("".join(s.text for s in c if s.op is not Op.DELETE)) for c in row.cells]
        if is_glossary_header(before):
            return _Step("keep", before[0], before[1], "")
        if not row.marked:
            return self._context(before)
        for term in dict.fromkeys(term for term in (before[0], after[0]) if term):
            self.ledger.check([_entry(term)], origin, f"'{term}'")
        existing = self.find(before[0]) if before[0] else None
        if row.op is Op.INSERT:
            self._check_defined(after, None)
            return _Step("add", after[0], after[1], "")
        if existing is None:
            self._check_defined(after, None)
            raise Refused("not-found", f"the glossary has no entry '{before[0]}'")
        if row.op is Op.DELETE:
            return _Step("delete", existing.term, "", "")
        if fold(existing.definition) != fold(before[1]):
            if fold(existing.definition) == fold(after[1]):
                raise Refused(
                    "already-applied",
                    f"the glossary already defines '{existing.term}' as the mark-up does",
                )
            raise Refused(
                "not-found",
                f"the definition of '{existing.term}' differs from the mark-up's unchanged text",
            )
        self._check_defined(after, existing)
        return _Step("amend", existing.term, after[1], after[0])

    def _context(self, row: list[str]) -> _Step:
        """Check an unchanged row against the entry as it is, or as the base edition has it
        (a mark-up quotes the base edition, which an earlier proposal may have changed)."""
        existing = self.find(row[0])
        now = existing.definition if existing is not None else None
        was = self.base.get(_key(row[0]))
        if not any(d is not None and fold(d) == fold(row[1]) for d in (now, was)):
            if now is None and was is None:
                raise Refused("not-found", f"the glossary has no entry '{row[0]}'")
            raise Refused(
                "not-found",
                f"the definition of '{row[0]}' differs from the mark-up's unchanged text",
            )
        return _Step("keep", existing.term if existing is not None else row[0], "", "")

    def _check_defined(self, after: list[str], renamed: GlossaryEntry | None) -> None:
        """Refuse adding (or renaming an entry to) a term the glossary already defines."""
        found = self.find(after[0])
        if found is None or found is renamed:
            return
        if fold(found.definition) == fold(after[1]):
            raise Refused(
                "already-applied",
                f"the glossary already defines '{found.term}' as the mark-up does",
            )
        raise Refused("conflict", f"the glossary already defines '{found.term}', differently")

    @staticmethod
    def _check_instruction(change: Change, steps: list[_Step]) -> None:
        if not change.term or change.action is Action.AMEND:
            return
        wanted = {Action.ADD_TERM: "add", Action.DELETE_TERM: "delete", Action.AMEND_TERM: "amend"}[
            change.action
        ]
        if not any(
            kind == wanted and _key(term) == _key(change.term) for kind, term, _, _ in steps
        ):
            raise Refused(
                "unsupported",
                f"the instruction says {change.action.value} "
                f"'{change.term}', but the mark-up does not",
            )

    def _planned(self, term: str) -> GlossaryEntry:
        """Return the entry a planned step changes: planning found it, and no other step of
        the change touches it (:func:`_check_distinct`)."""
        entry = self.find(term)
        assert entry is not None, f"planned glossary entry '{term}' is gone"
        return entry

    def _do(self, step: _Step, origin: Origin) -> None:
        kind, term, definition, new_term = step
        glossary = self.document.glossary
        if kind == "add":
            position = next(
                (i for i, e in enumerate(glossary) if _key(e.term) > _key(term)), len(glossary)
            )
            glossary.insert(position, GlossaryEntry(term, definition))
        elif kind == "delete":
            glossary.remove(self._planned(term))
        elif kind == "amend":
            entry = self._planned(term)
            entry.definition = definition
            if new_term and new_term != entry.term:
                glossary.remove(entry)
                self.ledger.record([_entry(entry.term)], origin)
                self._do(_Step("add", new_term, definition, ""), origin)
                term = new_term
        if kind != "keep":
            self.ledger.record([_entry(term)], origin)


def _key(term: str) -> str:
    return squash(term).casefold()


def _entry(term: str) -> Reach:
    """Return the reach of changing the entry ``term``: all of it (its only item)."""
    return Reach(("glossary", _key(term)), 0, 1)


def _check_distinct(plan: list[_Step]) -> None:
    """Refuse a mark-up two of whose rows change one term (delete it twice, delete and amend
    it, add it twice, rename onto a term another row adds): every row is planned against the
    glossary as it was, so the second would act on what the first already changed."""
    seen: set[str] = set()
    for kind, term, _, new_term in plan:
        if kind == "keep":
            continue
        for name in dict.fromkeys([term, *([new_term] if new_term else [])]):
            if _key(name) in seen:
                raise Refused("unsupported", f"two rows of the mark-up change '{name}'")
            seen.add(_key(name))
