"""Check a new official edition against the edition its amendments give.

The edition carried from (a base, or a base with proposals applied) is what the new edition
should say. :func:`verify` compares them clause by clause, as the clause pairs of
:func:`spectrace.transforms.carry.carry` line them up, and lists every departure:

- ``missing``: a change of a listed IRP that the new edition does not make: where the lines
  that change produced differ in the new edition, and the new text is closer to the text
  before the change than to the text after it;
- ``unexplained``: any other difference in a clause's lines (before: the amended text; after:
  the new edition's);
- ``heading``: a clause's number or title differs;
- ``clause-added``, ``clause-removed``: a clause only one of them has.

Structural changes are checked the same way: a clause an IRP inserted that the new edition
lacks, one it deleted that the new edition still has, and a heading it renamed or a number it
gave that the new edition does not show are each ``missing``, naming the change.

Lines are compared without typographic noise (:func:`spectrace.text.plain`): curly and
straight quotes, dash variants, no-break spaces and repeated spaces never count.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz.fuzz import ratio

from spectrace.model import Action, BlockKind, Clause, Document, Revision, RevisionLine
from spectrace.model.continuity import ClausePair, Discrepancy, DiscrepancyKind
from spectrace.model.refs import GLOSSARY
from spectrace.text import plain
from spectrace.transforms.diff import opcodes


def verify(
    before: Document, after: Document, pairs: list[ClausePair], revisions: list[Revision]
) -> list[Discrepancy]:
    """Return where ``after`` departs from ``before`` (the edition whose ``revisions``, of
    its own document, made it), clause by clause in ``after``'s order, then the glossary."""
    by_clause: dict[str, list[Revision]] = defaultdict(list)
    for revision in revisions:
        if revision.document == before.name:
            by_clause[revision.clause].append(revision)
    found: list[Discrepancy] = []
    for pair in pairs:
        old = before.clauses[pair.before] if pair.before is not None else None
        new = after.clauses[pair.after] if pair.after is not None else None
        if new is None:
            assert old is not None, "a pair has at least one clause"
            name = _name(old)
            found.append(Discrepancy(name, DiscrepancyKind.CLAUSE_REMOVED, _heading(old), ""))
            found += [
                Discrepancy(
                    name,
                    DiscrepancyKind.MISSING,
                    "\n".join(map(_text, revision.after)),
                    "",
                    revision.irp,
                    revision.change,
                )
                for revision in by_clause.get(old.number or "", [])
            ]
            continue
        name = _name(new)
        if old is None:
            text = "\n".join([_heading(new), *lines(new)])
            found.append(Discrepancy(name, DiscrepancyKind.CLAUSE_ADDED, "", text))
            found += [
                Discrepancy(name, DiscrepancyKind.MISSING, "", text, revision.irp, revision.change)
                for revision in by_clause.get(new.number or "", [])
                if revision.action is Action.DELETE_CLAUSE
            ]
            continue
        if (old.number, plain(old.title)) != (new.number, plain(new.title)):
            found += _heading_departures(name, old, new, by_clause.get(old.number or "", []))
        found += _compare(name, lines(old), lines(new), by_clause.get(old.number or "", []))
    found += _compare(GLOSSARY, _glossary(before), _glossary(after), by_clause.get(GLOSSARY, []))
    return found


def _heading_departures(
    name: str, old: Clause, new: Clause, revisions: list[Revision]
) -> list[Discrepancy]:
    """Return how ``new``'s heading departs from ``old``'s: ``missing`` for each renaming or
    renumbering whose result the new edition does not show and whose start it does, else one
    ``heading`` discrepancy."""
    missing = [
        Discrepancy(name, DiscrepancyKind.MISSING, _heading(old), _heading(new), r.irp, r.change)
        for r in revisions
        if (r.retitled and plain(new.title) == plain(r.title_before or ""))
        or (r.action is Action.RENUMBER_CLAUSE and new.number == r.number_before)
    ]
    return missing or [Discrepancy(name, DiscrepancyKind.HEADING, _heading(old), _heading(new))]


def lines(clause: Clause) -> list[str]:
    """Return a clause's lines as revisions record them: a paragraph's or list item's text, a
    table row's cells joined by a tab."""
    found: list[str] = []
    for block in clause.blocks:
        if block.kind is BlockKind.TABLE:
            found += ["\t".join(row) for row in block.rows]
        else:
            found.append(block.text)
    return found


def _text(line: RevisionLine) -> str:
    """Return a revision line as :func:`lines` gives a clause's: its cells joined by a tab (the
    text this check compares and reports)."""
    return "\t".join(line.cells)


def _glossary(document: Document) -> list[str]:
    return [f"{entry.term}\t{entry.definition}" for entry in document.glossary]


def _name(clause: Clause) -> str:
    return clause.number or clause.title


def _heading(clause: Clause) -> str:
    return f"{clause.number} {clause.title}".strip() if clause.number else clause.title


@dataclass
class _Step:
    """One stretch a revision changed: ``before`` lines became ``after`` lines (plain)."""

    before: list[str]
    after: list[str]


def _compare(
    name: str, old: list[str], new: list[str], revisions: list[Revision]
) -> list[Discrepancy]:
    """Return the departures of a clause's ``new`` lines from its ``old`` (amended) lines."""
    old_plain, new_plain = [plain(line) for line in old], [plain(line) for line in new]
    if old_plain == new_plain:
        return []
    present = set(old_plain)
    steps = [(revision, _steps(revision, present)) for revision in revisions]
    found: list[Discrepancy] = []
    for tag, i1, i2, j1, j2 in opcodes(old_plain, new_plain):
        if tag == "equal":
            continue
        here, there = old_plain[i1:i2], new_plain[j1:j2]
        before, after = "\n".join(old[i1:i2]), "\n".join(new[j1:j2])
        explained: set[str] = set()
        missing = False
        for revision, revision_steps in steps:
            touched = [
                step
                for step in revision_steps
                if set(step.after) & set(here) or set(step.before) & set(there)
            ]
            if not touched:
                continue
            made_before = "\n".join(line for step in touched for line in step.before)
            made_after = "\n".join(line for step in touched for line in step.after)
            now = "\n".join(there)
            if _closer(now, made_before, made_after):
                missing = True
                found.append(
                    Discrepancy(
                        name,
                        DiscrepancyKind.MISSING,
                        before,
                        after,
                        revision.irp,
                        revision.change,
                    )
                )
                explained |= {line for step in touched for line in step.before}
                explained |= set(here) - {line for step in touched for line in step.after}
        if not missing or any(line not in explained for line in there):
            found.append(Discrepancy(name, DiscrepancyKind.UNEXPLAINED, before, after))
    return found


def _steps(revision: Revision, present: set[str]) -> list[_Step]:
    """Return the stretches ``revision`` changed whose result still stands (some line it
    produced is among the ``present`` lines, or it only deleted lines that are gone)."""
    before = [plain(_text(line)) for line in revision.before]
    after = [plain(_text(line)) for line in revision.after]
    steps = []
    for tag, i1, i2, j1, j2 in opcodes(before, after):
        if tag == "equal":
            continue
        step = _Step(before[i1:i2], after[j1:j2])
        if any(line in present for line in step.after) or (
            not step.after and not any(line in present for line in step.before)
        ):
            steps.append(step)
    return steps


def _closer(now: str, before: str, after: str) -> bool:
    """Return whether ``now`` is closer to ``before`` (the text a change replaced) than to
    ``after`` (the text it gave)."""
    if now in (before, after):
        return now == before
    return ratio(now, before) > ratio(now, after)
