"""Generate synthetic Issue Resolution Proposals (IRPs) against a specification, for benchmarking.

The proposals imitate the real ones (``tests/fixtures/IRP603.docx``): each change targets a
clause that has text and shows a mark-up excerpt quoting the clause's real text, either a whole
paragraph or part of one with ``run_on_before`` / ``run_on_after`` set, with

* a word inserted ("shall :ins:`also` be", ":ins:`only` following physical access"),
* words deleted (":del:`any` information", a reference "(5.7.5.31)", a whole sentence),
* a word replaced ("data" -> "Data", "may" -> "shall", "within 9 seconds" -> "within 18"),
* a whole new paragraph inserted after an existing one, sometimes with the clause heading line
  as a ``heading`` block (then the excerpt quotes the clause from its first paragraph),
* a list item deleted, shown with the item before it (which gets the "and" of the deleted
  item when that was the last but one), and
* occasionally a new glossary term (``Target(doc, None)``, ``Action.ADD_TERM``): a
  ``table_row`` mark-up keeping the neighbouring entry's row and inserting the new one.

The generator applies every change to its own model of the clauses as it goes, in the order
the engine will apply them, so each excerpt is checked against the text the engine will see:
it occurs exactly once in the clause (mirroring the engine's whitespace-blind matching) and the
change is not already there. No two proposals touch the same paragraph (a change "touches" the
paragraphs it edits, deletes or inserts after, and the item kept beside a deleted list item),
so applying them gives no conflicts, unless ``conflicts`` asks for some: each of those changes
rewrites, against the base text, a paragraph an earlier proposal has already changed, and the
engine must refuse it as a conflict. The same document, counts and seed give the same proposals.

Usage::

    python benchmarks/make_irps.py SPEC.docx --doc SYN --edition 1 --proposals 500 \\
        --changes 3000 --out DIR [--seed S] [--conflicts K]

writes ``DIR/IRP1001.rst`` … (IRP-as-code, one file per proposal) and prints a JSON summary.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from spectrace.model import (
    Action,
    BlockKind,
    Change,
    Clause,
    Document,
    MarkupBlock,
    MarkupKind,
    Op,
    Proposal,
    RevisionLine,
    Span,
    Target,
)
from spectrace.model.proposal import normalize_spans
from spectrace.transforms.amend.align import SEGMENT, UNIT, find_all, fold
from spectrace.transforms.amend.units import ClauseState

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_spec import DATA, EVENTS, LOGS  # the spec generator's own vocabulary

FIRST_IRP = 1001
DEVICES = ("ESME", "GSME", "CHF", "GPF", "IHD", "PPMID", "CAD")
RECIPIENTS = ("Type 1 Devices", "Type 2 Devices", "the CHF", "the GPF", "an IHD", "a PPMID")
GERUNDS = ("displaying", "recording", "providing", "storing", "retaining", "updating", "sending")
SOURCES = ("DCC", "BEIS", "SECAS", "TABASC", "Landis+Gyr", "Secure Meters", "EDMI")
#: (kind, weight) of the changes drawn; a kind that fits nowhere nearby is redrawn.
KINDS = (
    ("insert", 0.22),
    ("replace", 0.22),
    ("delete", 0.15),
    ("paragraph", 0.24),
    ("delete_item", 0.15),
    ("term", 0.02),
)
REPLACEMENTS = {
    "may": "shall",
    "should": "shall",
    "data": "Data",
    "recording": "logging",
    "displaying": "showing",
    "retaining": "storing",
    "any": "all",
}
DELETABLE = ("any", "immediately")
_REFERENCE = re.compile(r"^\(\d+(?:\.\d+)*\)$")
_NUMBER = re.compile(r"^\d+$")
WHOLE_EXCERPT = 0.6  # share of word edits quoting the whole paragraph
HEADING_SHARE = 0.35  # share of new paragraphs shown under the clause heading line
NEARBY = 150  # a proposal's changes mostly sit within this many clauses of each other
ATTEMPTS = 100  # kinds drawn for one change before giving up
PLACES = 60  # clauses tried for one kind of change


@dataclass
class _Unit:
    """A paragraph, list item or table row of the modelled clause, as the engine will see it."""

    kind: BlockKind
    segments: list[str]
    label: str = ""
    level: int = 0
    used: bool = False  # touched by a change: no other proposal may touch it
    edited_by: str = ""  # the IRP whose word edit changed it (a conflict can be drawn on it)
    base: str = ""  # its text before that edit
    edit: tuple = ()  # that edit: (first word, end word, new words)

    @property
    def text(self) -> str:
        return self.segments[0]

    @property
    def prose(self) -> bool:
        return self.kind is not BlockKind.TABLE


@dataclass
class _Clause:
    clause: Clause
    units: list[_Unit]
    touched: bool = False

    def stream(self) -> str:
        """The clause as the engine's matcher sees it (see spectrace.transforms.amend.align)."""
        body = UNIT.join(SEGMENT.join(fold(s) for s in unit.segments) for unit in self.units)
        return f"{UNIT}{body}{UNIT}"


@dataclass
class _Draft:
    """A change's mark-up and what committing it does to the modelled clause."""

    markup: list[MarkupBlock]
    run_on_before: bool = False
    run_on_after: bool = False
    commit: Callable[[], None] = lambda: None
    term: str | None = None


@dataclass
class _State:
    document: Document
    rng: random.Random
    clauses: list[_Clause]
    numbers: list[str]
    glossary: list[tuple[str, str]]
    terms: list[str]
    used_texts: set[str] = field(default_factory=set)
    added_terms: list[str] = field(default_factory=list)
    edited: list[tuple[_Clause, _Unit]] = field(default_factory=list)


@dataclass
class Generated:
    """Proposals and the text the generator expects once they are applied.

    ``expected`` maps each clause the proposals change to its lines after them (a block's text,
    or a table row's cells, as in :class:`spectrace.model.Revision`); ``terms`` are the
    glossary terms they add.
    """

    proposals: list[Proposal]
    expected: dict[str, list[RevisionLine]]
    terms: list[str]


def make_irps(
    document: Document, proposals: int, changes: int, seed: int = 0, conflicts: int = 0
) -> list[Proposal]:
    """Return ``proposals`` IRPs with ``changes`` changes in all against ``document``.

    Applied in order with :func:`spectrace.transforms.amend.amend`, every change applies,
    except ``conflicts`` changes that the engine refuses as conflicts.
    """
    return generate(document, proposals, changes, seed, conflicts).proposals


def generate(
    document: Document, proposals: int, changes: int, seed: int = 0, conflicts: int = 0
) -> Generated:
    """Like :func:`make_irps`, and also return the amended text the generator modelled."""
    if proposals < 1 or changes < proposals:
        raise ValueError("need at least one proposal and at least one change per proposal")
    if not 0 <= conflicts < changes:
        raise ValueError("conflicts must be between 0 and the number of changes")
    rng = random.Random(seed)
    state = _new_state(document, rng)
    if not state.clauses:
        raise ValueError(f"{document.label} has no clause with text to change")
    sizes = [1] * proposals
    for _ in range(changes - proposals):
        sizes[rng.randrange(proposals)] += 1
    conflict_slots = (
        set(rng.sample(range(changes // 4, changes), conflicts)) if conflicts else set()
    )
    pending = 0
    result: list[Proposal] = []
    slot = 0
    for index, size in enumerate(sizes):
        irp = f"IRP{FIRST_IRP + index}"
        home = rng.randrange(len(state.clauses))
        made: list[Change] = []
        for number in range(1, size + 1):
            pending += slot in conflict_slots
            slot += 1
            change = _conflict(state, irp, number) if pending else None
            if change is not None:
                pending -= 1
            else:
                change = _change(state, irp, number, home)
            made.append(change)
        result.append(_proposal(state, irp, index, made))
    if pending:
        raise ValueError(f"could not place {pending} of the {conflicts} conflicts asked for")
    expected = {
        where.clause.number: [RevisionLine(tuple(unit.segments)) for unit in where.units]
        for where in state.clauses
        if where.touched
    }
    return Generated(result, expected, state.added_terms)


# ---------------------------------------------------------------------------------------------
# Set-up and proposal metadata
# ---------------------------------------------------------------------------------------------


def _new_state(document: Document, rng: random.Random) -> _State:
    clauses = []
    for clause in document.clauses:
        if clause.number is None or clause.number == document.glossary_clause:
            continue
        units = [
            _Unit(u.kind, list(u.segments), u.label, u.level) for u in ClauseState(clause).units
        ]
        if any(unit.prose for unit in units):
            clauses.append(_Clause(clause, units))
    glossary = [(e.term, e.definition) for e in document.glossary]
    have = {term.casefold() for term, _ in glossary}
    terms = [f"{device} {name}" for device in DEVICES for name in (*LOGS, *DATA)]
    terms = [term for term in terms if term.casefold() not in have]
    rng.shuffle(terms)
    numbers = [c.number for c in document.clauses if c.number]
    return _State(document, rng, clauses, numbers, glossary, terms)


def _proposal(state: _State, irp: str, index: int, changes: list[Change]) -> Proposal:
    rng = state.rng
    targets = [str(c.target) for c in changes if c.target is not None]
    first = next((c for c in changes if c.target and c.target.clause), None)
    clause = state.document.clause(first.target.clause) if first else None
    topic = clause.title if clause is not None else "Glossary"
    year, month, day = 2019 + rng.randrange(5), rng.randint(1, 12), rng.randint(1, 14)
    shown = ", ".join(dict.fromkeys(targets[:4])) + (" and others" if len(targets) > 4 else "")
    return Proposal(
        irp,
        issues_log_id=f"TS{2000 + index}",
        title=f"{topic}: clarify the requirements",
        source=rng.choice(SOURCES),
        date=f"{year}-{month:02d}-{day + 14:02d}",
        date_raised=f"{year}-{month:02d}-{day:02d}",
        status="Draft 0_1",
        ts_version="TBC",
        impact_on_previous="None",
        attachments="None",
        sections={
            "Description": f"The requirements on {topic} in {shown} are unclear.",
            "Proposed Position": (
                "The proposed position is to amend the text as follows:\n"
                + "\n".join(f"• {target}" for target in dict.fromkeys(targets[:6]))
            ),
            "Interoperability and / or Compatibility": "None: the change clarifies the text.",
        },
        changes=changes,
    )


def _instruction(document: Document, target: Target, term: str | None = None) -> str:
    if target.clause is None:
        return (
            f"At {target.document} Section {document.glossary_clause}, Glossary, add the new "
            f"definition for ‘{term}’ as shown in the mark-up below:"
        )
    return f"At {target} amend the text as shown in the following mark-up:"


# ---------------------------------------------------------------------------------------------
# One change
# ---------------------------------------------------------------------------------------------


def _change(state: _State, irp: str, number: int, home: int) -> Change:
    """Draw a change of a random kind on a clause near ``home``; redraw until one fits."""
    rng = state.rng
    names, weights = zip(*KINDS, strict=True)
    for _ in range(ATTEMPTS):
        kind = rng.choices(names, weights)[0]
        if kind == "term":
            draft, where = _term(state), None
        else:
            draft, where = _place(state, kind, irp, home)
        if draft is None:
            continue
        draft.commit()
        if where is not None:
            where.touched = True
        target = Target(state.document.name, where.clause.number if where else None)
        return Change(
            number,
            _instruction(state.document, target, draft.term),
            target,
            action=Action.ADD_TERM if draft.term else Action.AMEND,
            term=draft.term,
            run_on_before=draft.run_on_before,
            run_on_after=draft.run_on_after,
            markup=draft.markup,
        )
    raise ValueError(f"found nothing left to change for {irp} change {number}")


def _place(state: _State, kind: str, irp: str, home: int) -> tuple[_Draft | None, _Clause]:
    """Try clauses, most near ``home``, until one takes a change of ``kind``."""
    rng = state.rng
    clauses = state.clauses
    for _ in range(PLACES):
        if rng.random() < 0.7:
            where = clauses[(home + rng.randint(-NEARBY, NEARBY)) % len(clauses)]
        else:
            where = clauses[rng.randrange(len(clauses))]
        draft = _DRAFTERS[kind](state, where, irp)
        if draft is not None:
            return draft, where
    return None, where


def _count(haystack: str, needle: str) -> int:
    return len(find_all(haystack, needle))


def _excerpt(blocks: list[MarkupBlock], hide: Op) -> str:
    """A mark-up as the engine's matcher sees it before (hide INSERT) or after (hide DELETE)."""
    texts = []
    for block in blocks:
        if block.kind is MarkupKind.HEADING:
            continue
        cells = block.cells if block.kind is MarkupKind.TABLE_ROW else [block.spans]
        shown = [[s.text for s in cell if s.op is not hide] for cell in cells]
        if any(text.strip() for cell in shown for text in cell):
            texts.append(SEGMENT.join(fold("".join(cell)) for cell in shown))
    return UNIT.join(texts)


def _locates(where: _Clause, blocks: list[MarkupBlock], anchored: bool = False) -> bool:
    """Whether the engine will find the mark-up exactly once and not find it already applied."""
    stream = where.stream()
    before, after = _excerpt(blocks, Op.INSERT), _excerpt(blocks, Op.DELETE)
    hits = [h for h in find_all(stream, before) if not anchored or h == 1]
    if len(hits) != 1:
        return False
    return after == before or len(after) <= len(before) or not _count(stream, after)


def _block(unit: _Unit, spans: list[Span]) -> MarkupBlock:
    kind = MarkupKind.LIST_ITEM if unit.kind is BlockKind.LIST_ITEM else MarkupKind.PARAGRAPH
    label = unit.label if kind is MarkupKind.LIST_ITEM else ""
    return MarkupBlock(kind, normalize_spans(spans), label=label, level=unit.level)


def _run_on(where: _Clause, first: int, last: int) -> tuple[bool, bool]:
    return first > 0, last < len(where.units) - 1


# --- word edits: insert, replace, delete ------------------------------------------------------


def _inserts(words: list[str]) -> list[tuple[int, int, list[str]]]:
    found = []
    for i, word in enumerate(words):
        before = words[i - 1] if i else ""
        if word == "shall" and i + 1 < len(words) and words[i + 1] not in ("not", "also"):
            found.append((i + 1, i + 1, ["also"]))
        elif word in ("following", "within") and i and before != "only":
            found.append((i, i, ["only"]))
        elif word in GERUNDS and before == "of":
            found.append((i, i, ["securely"]))
    return found


def _replaces(words: list[str]) -> list[tuple[int, int, list[str]]]:
    found = []
    for i, word in enumerate(words):
        if not i:
            continue
        if word in REPLACEMENTS:
            found.append((i, i + 1, [REPLACEMENTS[word]]))
        elif _NUMBER.match(word) and words[i - 1] == "within":
            found.append((i, i + 1, [str(int(word) * 2)]))
    return found


def _deletes(words: list[str]) -> list[tuple[int, int, list[str]]]:
    found = [
        (i, i + 1, [])
        for i, word in enumerate(words)
        if i and (word in DELETABLE or _REFERENCE.match(word))
    ]
    ends = [i + 1 for i, word in enumerate(words[:-1]) if word.endswith(".")]
    if ends and words[-1].endswith("."):
        starts = [0, *ends]
        stops = [*ends, len(words)]
        found += [(a, b, []) for a, b in zip(starts, stops, strict=True)]
    return found


_EDITS = {"insert": _inserts, "replace": _replaces, "delete": _deletes}


def _word_edit(kind: str):
    def draft(state: _State, where: _Clause, irp: str) -> _Draft | None:
        rng = state.rng
        options = [
            (k, edit)
            for k, unit in enumerate(where.units)
            if unit.prose and not unit.used
            for edit in _EDITS[kind](unit.text.split(" "))
        ]
        rng.shuffle(options)
        for k, (i, j, new) in options[:6]:
            unit = where.units[k]
            words = unit.text.split(" ")
            if rng.random() < WHOLE_EXCERPT:
                a, b = 0, len(words)
            else:
                a, b = max(0, i - rng.randint(2, 6)), min(len(words), j + rng.randint(2, 6))
            while True:
                spans = [
                    Span(" ".join(words[a:i]) + " "),
                    Span(" ".join(words[i:j]), Op.DELETE),
                    Span(" ".join(new), Op.INSERT),
                    Span(" " + " ".join(words[j:b])),
                ]
                block = _block(unit, spans)
                if _locates(where, [block]):
                    break
                if a == 0 and b == len(words):
                    block = None
                    break
                a, b = max(0, a - 3), min(len(words), b + 3)
            if block is None:
                continue
            before, after = _run_on(where, k, k)
            commit = partial(_commit_edit, state, where, unit, irp, (i, j, new))
            return _Draft([block], before or a > 0, after or b < len(words), commit)
        return None

    return draft


def _commit_edit(state: _State, where: _Clause, unit: _Unit, irp: str, edit: tuple) -> None:
    i, j, new = edit
    words = unit.text.split(" ")
    unit.base, unit.edited_by, unit.edit, unit.used = unit.text, irp, edit, True
    unit.segments = [" ".join(words[:i] + new + words[j:])]
    state.edited.append((where, unit))


# --- a new paragraph after an existing one ----------------------------------------------------


def _sentence(state: _State) -> str:
    """A new normative sentence in the style of the specification, not used before."""
    rng = state.rng
    for _ in range(50):
        device, data, log = rng.choice(DEVICES), rng.choice(DATA), rng.choice(LOGS)
        pick = rng.randrange(5)
        if pick == 0:
            text = (
                f"{device} shall not provide any information from the {log} to "
                f"{rng.choice(RECIPIENTS)}."
            )
        elif pick == 1:
            text = (
                f"{device} shall be capable of {rng.choice(GERUNDS)} the {data} only following "
                f"physical access through the Secure Perimeter of {device}."
            )
        elif pick == 2:
            text = (
                f"Where a {rng.choice(EVENTS)} occurs, {device} shall be capable of recording "
                f"the {data} in the {log} within {rng.randint(2, 90)} seconds."
            )
        elif pick == 3:
            text = (
                f"{device} shall ensure that the {data} is not altered while operating in "
                f"{rng.choice(('Prepayment Mode', 'Credit Mode'))} (as set out in Section "
                f"{rng.choice(state.numbers)})."
            )
        else:
            text = (
                f"{device} shall be capable of providing the {log} to {rng.choice(RECIPIENTS)} "
                f"on request (as set out in Section {rng.choice(state.numbers)})."
            )
        if text not in state.used_texts:
            state.used_texts.add(text)
            return text
    raise ValueError("ran out of new sentences")


def _paragraph(state: _State, where: _Clause, irp: str) -> _Draft | None:
    rng = state.rng
    units = where.units
    anchors = [
        k
        for k, unit in enumerate(units)
        if unit.kind is BlockKind.PARAGRAPH
        and not unit.used
        and (k + 1 == len(units) or units[k + 1].kind is not BlockKind.LIST_ITEM)
    ]
    if not anchors:
        return None
    k = rng.choice(anchors)
    new = _Unit(BlockKind.PARAGRAPH, [_sentence(state)], used=True)
    inserted = _block(new, [Span(new.text, Op.INSERT)])
    heading = k <= 2 and all(u.prose for u in units[: k + 1]) and rng.random() < HEADING_SHARE
    if heading:
        title = MarkupBlock(
            MarkupKind.HEADING, [Span(f"{where.clause.number} {where.clause.title}")]
        )
        blocks = [title, *(_block(u, [Span(u.text)]) for u in units[: k + 1]), inserted]
        before, after = False, k + 1 < len(units)
    else:
        blocks = [_block(units[k], [Span(units[k].text)]), inserted]
        before, after = _run_on(where, k, k)
    if not _locates(where, blocks, anchored=heading):
        return None

    def commit() -> None:
        units[k].used = True
        units.insert(k + 1, new)

    return _Draft(blocks, before, after, commit)


# --- deleting a list item ---------------------------------------------------------------------


def _delete_item(state: _State, where: _Clause, irp: str) -> _Draft | None:
    units = where.units
    items = [
        j
        for j in range(1, len(units) - 1)
        if units[j].kind is BlockKind.LIST_ITEM
        and units[j - 1].kind is BlockKind.LIST_ITEM
        and units[j + 1].kind is BlockKind.LIST_ITEM
        and units[j + 1].level == units[j].level
        and not (units[j].used or units[j - 1].used)
    ]
    if not items:
        return None
    j = state.rng.choice(items)
    keep, gone = units[j - 1], units[j]
    keep_spans = [Span(keep.text)]
    kept_text = keep.text
    if gone.text.endswith("; and") and keep.level == gone.level and keep.text.endswith(";"):
        keep_spans.append(Span(" and", Op.INSERT))
        kept_text = keep.text + " and"
    blocks = [_block(keep, keep_spans), _block(gone, [Span(gone.text, Op.DELETE)])]
    if not _locates(where, blocks):
        return None
    before, after = _run_on(where, j - 1, j)

    def commit() -> None:
        keep.used = True
        keep.segments = [kept_text]
        units.remove(gone)

    return _Draft(blocks, before, after, commit)


# --- a new glossary term ----------------------------------------------------------------------


def _term(state: _State) -> _Draft | None:
    if not state.terms or not state.glossary:
        return None
    term = state.terms.pop()
    rng = state.rng
    device, name = term.split(" ", 1)
    definition = (
        f"The {name} held on {device} as described at Section {rng.choice(state.numbers)} "
        "of this document."
    )
    key = term.casefold()
    earlier = [entry for entry in state.glossary if entry[0].casefold() < key]
    anchor = earlier[-1] if earlier else state.glossary[0]
    kept = MarkupBlock(MarkupKind.TABLE_ROW, cells=[[Span(anchor[0])], [Span(anchor[1])]])
    added = MarkupBlock(
        MarkupKind.TABLE_ROW, cells=[[Span(term, Op.INSERT)], [Span(definition, Op.INSERT)]]
    )
    rows = [kept, added] if earlier else [added, kept]
    return _Draft(
        rows, run_on_after=True, commit=partial(state.added_terms.append, term), term=term
    )


_DRAFTERS = {
    "insert": _word_edit("insert"),
    "replace": _word_edit("replace"),
    "delete": _word_edit("delete"),
    "paragraph": _paragraph,
    "delete_item": _delete_item,
}


# --- a deliberate conflict --------------------------------------------------------------------


def _conflict(state: _State, irp: str, number: int) -> Change | None:
    """A change that rewrites, from the base text, words of a paragraph another IRP already
    edited, right at that edit: with no unchanged word between them, the engine refuses it
    (docs/proposals.rst, "Conflicts between proposals")."""
    rng = state.rng
    options = [(w, u) for w, u in state.edited if u.edited_by != irp]
    if not options:
        return None
    where, unit = rng.choice(options)
    words = unit.base.split(" ")
    first, last, made = unit.edit
    edits = [
        (i, j, new)
        for i, j, new in _inserts(words) + _replaces(words)
        if (i, j, new) != unit.edit and max(i, first) <= min(j, last)
    ]
    fallback = (first, first, ["also" if made == ["only"] else "only"])
    i, j, new = rng.choice(edits or [fallback])
    spans = [
        Span(" ".join(words[:i]) + " "),
        Span(" ".join(words[i:j]), Op.DELETE),
        Span(" ".join(new), Op.INSERT),
        Span(" " + " ".join(words[j:])),
    ]
    k = next(k for k, other in enumerate(where.units) if other is unit)
    before, after = _run_on(where, k, k)
    target = Target(state.document.name, where.clause.number)
    return Change(
        number,
        _instruction(state.document, target),
        target,
        run_on_before=before,
        run_on_after=after,
        markup=[_block(unit, spans)],
    )


# ---------------------------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------------------------


def write_irps(proposals: list[Proposal], out: Path) -> list[Path]:
    """Write each proposal as IRP-as-code ``out/IRPnnnn.rst``; return the paths."""
    from spectrace.writers.rst_irp import render_proposal

    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for proposal in proposals:
        path = out / f"{proposal.irp}.rst"
        path.write_text(render_proposal(proposal), encoding="utf-8")
        paths.append(path)
    return paths


def summary(proposals: list[Proposal]) -> dict:
    """Counts of the proposals, their changes and the kinds of change."""
    kinds: Counter = Counter()
    for proposal in proposals:
        for change in proposal.changes:
            kinds[_kind(change)] += 1
    return {
        "proposals": len(proposals),
        "changes": sum(len(p.changes) for p in proposals),
        "kinds": dict(sorted(kinds.items())),
    }


def _kind(change: Change) -> str:
    if change.action is Action.ADD_TERM:
        return "add_term"
    ops = [block.op for block in change.markup if block.kind is not MarkupKind.HEADING]
    if Op.INSERT in ops:
        return "new_paragraph"
    if Op.DELETE in ops:
        return "delete_item"
    spans = [s.op for b in change.markup for s in b.all_spans()]
    if Op.INSERT in spans and Op.DELETE in spans:
        return "replace_words"
    return "insert_words" if Op.INSERT in spans else "delete_words"


def main(argv: list[str] | None = None) -> int:
    """CLI: read SPEC, write the proposals as IRP-as-code files, print a JSON summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec", type=Path, help="the base specification (.docx or spec-as-code)")
    parser.add_argument("--doc", required=True, help="document name, e.g. SYN")
    parser.add_argument("--edition", required=True, help="edition of the base, e.g. 1")
    parser.add_argument("--proposals", type=int, default=500, help="IRPs to write (500)")
    parser.add_argument("--changes", type=int, default=3000, help="changes in all (3000)")
    parser.add_argument("--conflicts", type=int, default=0, help="changes meant to conflict")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--out", type=Path, required=True, help="folder for IRPnnnn.rst")
    args = parser.parse_args(argv)
    from spectrace.api import load_document

    document = load_document(args.spec, args.doc, args.edition)
    try:
        proposals = make_irps(document, args.proposals, args.changes, args.seed, args.conflicts)
    except ValueError as error:
        parser.error(str(error))
    paths = write_irps(proposals, args.out)
    print(json.dumps({**summary(proposals), "files": len(paths), "out": str(args.out)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
