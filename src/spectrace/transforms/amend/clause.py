"""Apply one change's mark-up to one clause: locate it, check it against earlier proposals
(:mod:`.conflicts`), edit the units, and restate the statements.

A mark-up is located in the clause as it is now. When its unchanged text is no longer there,
because an earlier change edited the text it quotes, it is located in the clause as the base
edition has it and carried over word by word to the text now, as long as it reaches nothing an
earlier proposal changed: IRPs of one batch are written against the same base edition.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spectrace.model import BlockKind, Change, MarkupBlock, MarkupKind, Op, Span
from spectrace.text import squash
from spectrace.transforms.amend.align import Stream, find_words, fold, span_stream, unit_stream
from spectrace.transforms.amend.conflicts import Reach, Refused
from spectrace.transforms.amend.units import (
    UNITS,
    ClauseState,
    Ids,
    Origin,
    Restated,
    Unit,
    new_block,
    restate,
    unit_gap_reaches,
    words,
)
from spectrace.transforms.diff import opcodes

_KINDS = {
    MarkupKind.PARAGRAPH: BlockKind.PARAGRAPH,
    MarkupKind.LIST_ITEM: BlockKind.LIST_ITEM,
    MarkupKind.TABLE_ROW: BlockKind.TABLE,
}


_CLOSING = tuple(".,;:!?)]}’”")


@dataclass
class _Edit:
    """What one mark-up block does: edit unit ``unit`` to ``segments``, delete it, or insert a
    new unit before position ``gap`` (positions in the units it was planned on)."""

    block: MarkupBlock
    unit: int | None = None
    segments: list[str] = field(default_factory=list)
    delete: bool = False
    gap: int | None = None


def apply_to_clause(state: ClauseState, change: Change, origin: Origin, ids: Ids) -> Restated:
    """Apply ``change`` to ``state``; raise Refused, leaving the state untouched, if it cannot."""
    headings = [block for block in change.markup if block.kind is MarkupKind.HEADING]
    if any(block.marked for block in headings):
        raise Refused(
            "unsupported",
            "the mark-up adds, removes or renames a clause heading; only the text under a "
            "heading can be amended",
        )
    blocks = [block for block in change.markup if block.kind is not MarkupKind.HEADING]
    anchored = any(_names_clause(block, state.clause.number) for block in change.markup)
    edits, reaches = _plan(state, blocks, change, anchored, origin)
    state.ledger.check(reaches, origin)
    result = Restated()
    made = _commit(state, edits, origin, ids, result)
    state.ledger.record([*reaches, *(r for unit in made for r in unit.whole())], origin)
    state.touched_by.append(origin)
    return result


def _names_clause(block: MarkupBlock, number: str | None) -> bool:
    text = "".join(span.text for span in block.spans)
    return block.kind is MarkupKind.HEADING and text.split(" ", 1)[0] == number


def _segments(block: MarkupBlock) -> list[list[Span]]:
    return block.cells if block.kind is MarkupKind.TABLE_ROW else [block.spans]


def _view(blocks: list[MarkupBlock], hide: Op) -> list[list[list[tuple[str, bool]]]]:
    return [[[(s.text, s.op is not hide) for s in seg] for seg in _segments(b)] for b in blocks]


def _plan(
    state: ClauseState, blocks: list[MarkupBlock], change: Change, anchored: bool, origin: Origin
) -> tuple[list[_Edit], list[Reach]]:
    """Return the edits the mark-up makes, located in the clause's current text, and where
    they reach in the base edition's terms."""
    before = span_stream(_view(blocks, Op.INSERT))
    if not before.text:
        edits = _place_alone(state, blocks, change, anchored)
        return edits, _reaches(state.units, edits)
    after = span_stream(_view(blocks, Op.DELETE))
    hits, applied = _locate(state.units, before, after, blocks, anchored)
    if hits:
        edits = _located(state.units, blocks, before, hits[0])
        return edits, _reaches(state.units, edits)
    # Not in the clause as it is. In the clause as the base edition has it, where it reaches
    # text another proposal changed, it conflicts with that change (even when the two made
    # the same change); else its text may already be there, or it is carried over.
    if state.touched_by:
        hits, _ = _locate(state.base, before, after, blocks, anchored, base=True)
    planned = _located(state.base, blocks, before, hits[0]) if len(hits) == 1 else None
    reaches = _reaches(state.base, planned) if planned is not None else []
    state.ledger.check(reaches, origin)  # before anything else is concluded from the text
    if applied:
        raise Refused("already-applied", "the change is already in the text")
    if planned is None:
        raise Refused("not-found", "the mark-up's unchanged text is not in the clause")
    return _rebase(state, planned), reaches


def _located(units: list[Unit], blocks: list[MarkupBlock], before: Stream, hit: int) -> list[_Edit]:
    """Return the edits of a mark-up whose unchanged text starts at ``hit`` in the stream of
    ``units``."""
    clause = unit_stream([unit.segments for unit in units])
    offsets: dict[tuple[int, int, int], list[int]] = {}
    located: dict[int, int] = {}
    for index, where in enumerate(before.origin):
        if where is None:
            continue
        found = clause.origin[hit + index]
        assert found is not None, "the mark-up's text matched here, so this is text too"
        unit, segment, offset = found
        block, cell, span, _ = where
        located.setdefault(block, unit)
        if cell != segment:
            raise Refused(
                "unsupported", "the mark-up's table cells do not line up with the clause's"
            )
        offsets.setdefault((block, cell, span), []).append(offset)
    return _edits(units, blocks, located, offsets)


def _locate(
    units: list[Unit],
    before: Stream,
    after: Stream,
    blocks: list[MarkupBlock],
    anchored: bool,
    *,
    base: bool = False,
) -> tuple[list[int], bool]:
    """Return where the mark-up's unchanged text starts in the stream of ``units`` (nowhere,
    or once), and whether its "after" text is there instead. In the clause as it is (not
    ``base``), refuse the mark-up when its unchanged text is there more than once, or already
    changed as it says."""
    segments = [unit.segments for unit in units]
    clause = unit_stream(segments)
    hits = [h for h in find_words(clause, segments, before.text) if not anchored or h == 1]
    if base:
        return hits, False
    applied = after.text != before.text and find_words(clause, segments, after.text)
    if applied and any(s.op is Op.INSERT and s.text.strip() for b in blocks for s in b.all_spans()):
        # Unchanged text found where the inserted text already stands is that text, not a
        # second place to apply the change.
        hits = [
            h
            for h in hits
            if not any(_overlaps(h, len(before.text), a, len(after.text)) for a in applied)
        ]
    if applied and hits and len(after.text) > len(before.text):
        raise Refused("already-applied", "the change is already in the text")
    if len(hits) > 1:
        raise Refused(
            "ambiguous",
            f"the mark-up's unchanged text is in the clause {len(hits)} "
            "times; give more of the text around the change",
        )
    return hits, bool(applied)


def _place_alone(
    state: ClauseState, blocks: list[MarkupBlock], change: Change, anchored: bool
) -> list[_Edit]:
    """Place new text that comes with no unchanged text, refusing it if it is already there."""
    edits = _place_insertions(state, blocks, change, anchored)
    if edits:
        first = edits[0].gap == 0
        there = state.units[: len(blocks)] if first else state.units[-len(blocks) :]
        # fold drops all whitespace (a mark-up row's tabs too): a line compares as its cells
        # run together.
        if [fold("".join(unit.segments)) for unit in there] == [
            fold(b.text(after=True)) for b in blocks
        ]:
            raise Refused("already-applied", "the change is already in the text")
    return edits


def _edits(
    clause: list[Unit],
    blocks: list[MarkupBlock],
    units: dict[int, int],
    offsets: dict[tuple[int, int, int], list[int]],
) -> list[_Edit]:
    edits: list[_Edit] = []
    previous: int | None = None
    for index, block in enumerate(blocks):
        if index not in units:
            following = next((units[i] for i in range(index, len(blocks)) if i in units), None)
            gap = previous + 1 if previous is not None else following
            edits.append(_Edit(block, gap=gap if gap is not None else len(clause)))
            continue
        unit = clause[units[index]]
        _check_shape(block, unit)
        segments = [
            _rebuild(text, spans, {k: offsets.get((index, c, k), []) for k in range(len(spans))})
            for c, (text, spans) in enumerate(zip(unit.segments, _segments(block), strict=True))
        ]
        delete = block.op is Op.DELETE and not any(segments)
        edits.append(_Edit(block, unit=units[index], segments=segments, delete=delete))
        previous = units[index]
    return edits


def _check_shape(block: MarkupBlock, unit: Unit) -> None:
    is_row = block.kind is MarkupKind.TABLE_ROW
    if is_row != (unit.kind is BlockKind.TABLE):
        what = "a table row" if is_row else "a paragraph"
        raise Refused(
            "unsupported",
            f"the mark-up shows {what} where the clause has "
            f"{'a paragraph' if is_row else 'a table row'}",
        )
    if is_row and len(block.cells) != len(unit.segments):
        raise Refused(
            "unsupported",
            f"the mark-up's row has {len(block.cells)} cells, the "
            f"clause's table {len(unit.segments)}",
        )


def _rebuild(text: str, spans: list[Span], offsets: dict[int, list[int]]) -> str:
    """Return ``text`` with the spans' changes made: unchanged and deleted spans are located by
    ``offsets``; unchanged text keeps the clause's own spelling of quotes, dashes and spaces."""
    located = [offset for k in offsets for offset in offsets[k]]
    if not located:
        return squash(" ".join(s.text for s in spans if s.op is not Op.DELETE) or text)
    pieces = [text[: min(located)]]
    deleted = False
    for index, span in enumerate(spans):
        if span.op is Op.INSERT:
            pieces.append(span.text)
        elif span.op is Op.KEEP:
            where = offsets.get(index)
            kept = text[where[0] : where[-1] + 1] if where else ""
            lead = " " if span.text[:1].isspace() else ""
            if deleted and kept[:1] in _CLOSING:
                # "power (1.1.2)." less "(1.1.2)" reads "power.", not "power ."
                pieces[-1], lead = pieces[-1].rstrip(), ""
            pieces.append(lead + kept + (" " if span.text[-1:].isspace() else ""))
        deleted = span.op is Op.DELETE
    pieces.append(text[max(located) + 1 :])
    return squash("".join(pieces))


def _place_insertions(
    state: ClauseState, blocks: list[MarkupBlock], change: Change, anchored: bool
) -> list[_Edit]:
    """Place a mark-up that has no unchanged text: at the start or the end of the clause."""
    if anchored or (change.run_on_after and not change.run_on_before) or not state.units:
        gap = 0
    elif change.run_on_before and not change.run_on_after:
        gap = len(state.units)
    else:
        raise Refused(
            "unsupported",
            "the mark-up has no unchanged text to place it by; show "
            "the text around it, or the clause heading",
        )
    return [_Edit(block, gap=gap) for block in blocks]


def _reaches(units: list[Unit], edits: list[_Edit]) -> list[Reach]:
    """Return where ``edits``, planned on ``units``, reach (:mod:`.conflicts`): a new unit the
    gap it goes into, a removed unit itself and all its words, an edited unit each run of
    words the edit changes."""
    gaps = (
        unit_gap_reaches(units) if any(edit.unit is None or edit.delete for edit in edits) else []
    )
    found: list[Reach] = []
    for edit in edits:
        if edit.gap is not None:
            found.append(gaps[edit.gap])
            continue
        assert edit.unit is not None, "an edit places a new unit (gap) or edits one (unit)"
        unit = units[edit.unit]
        if edit.delete:
            base = unit.base
            found.append(Reach(UNITS, base, base + 1) if base is not None else gaps[edit.unit])
            found += unit.whole()
            continue
        for index, (old, new) in enumerate(zip(unit.segments, edit.segments, strict=True)):
            runs = [
                (i1, i2) for tag, i1, i2, _, _ in opcodes(words(old), words(new)) if tag != "equal"
            ]
            found += unit.reaches(index, runs)
    return found


def _rebase(state: ClauseState, edits: list[_Edit]) -> list[_Edit]:
    """Return ``edits``, planned on the clause as the base edition has it, as edits of the
    clause as it is now. Their reaches conflict with no other proposal's, so the words they
    change, and the words next to those, are still there and still side by side; a change of
    the same proposal that moved them leaves the mark-up ``not-found``."""
    now = {unit.base: k for k, unit in enumerate(state.units) if unit.base is not None}
    # Each base unit gap as a unit gap now: before the first base unit from that gap on that
    # is still there, after any unit inserted at the gap before.
    gaps: list[int] = []
    at = 0
    for gap in range(len(state.base) + 1):
        while at < len(state.units) and _before(state.units[at], gap):
            at += 1
        gaps.append(at)
    rebased: list[_Edit] = []
    for edit in edits:
        if edit.gap is not None:
            rebased.append(_Edit(edit.block, gap=gaps[edit.gap]))
            continue
        assert edit.unit is not None, "an edit places a new unit (gap) or edits one (unit)"
        k = now.get(edit.unit)
        if k is None:
            raise Refused("not-found", "the mark-up's unchanged text is not in the clause")
        if edit.delete:
            rebased.append(_Edit(edit.block, unit=k, delete=True))
            continue
        unit, first = state.units[k], state.base[edit.unit]
        segments = [
            _carry(unit, index, old, new)
            for index, (old, new) in enumerate(zip(first.segments, edit.segments, strict=True))
        ]
        rebased.append(_Edit(edit.block, unit=k, segments=segments))
    return rebased


def _before(unit: Unit, gap: int) -> bool:
    """Return whether ``unit`` stands before base unit gap ``gap`` (or is a unit inserted
    since, which a walk from the start passes over)."""
    return unit.base is None or unit.base < gap


def _carry(unit: Unit, segment: int, old: str, new: str) -> str:
    """Return segment ``segment`` of ``unit`` with the word changes that turn the base text
    ``old`` into ``new`` made where those words stand now."""
    now, where, size = words(unit.segments[segment]), unit.positions(segment), len(words(old))
    replaced = words(new)
    text: list[str] = []
    cursor = 0
    for tag, i1, i2, j1, j2 in opcodes(words(old), replaced):
        if tag == "equal":
            continue
        # The changed words and the words either side must still stand side by side.
        left = where.get(i1 - 1) if i1 > 0 else -1
        right = where.get(i2) if i2 < size else len(now)
        if (
            left is None
            or right is None
            or left + 1 < cursor
            or right - left != i2 - i1 + 1
            or any(where.get(i) != left + 1 + i - i1 for i in range(i1, i2))
        ):
            raise Refused("not-found", "the mark-up's unchanged text is not in the clause")
        text += [*now[cursor : left + 1], *replaced[j1:j2]]
        cursor = right
    return " ".join([*text, *now[cursor:]])


def _commit(
    state: ClauseState, edits: list[_Edit], origin: Origin, ids: Ids, result: Restated
) -> list[Unit]:
    """Make ``edits`` to the clause's units; return the units they inserted."""
    key = state.clause.key
    inserts: dict[int, list[Unit]] = {}
    changed: dict[int, _Edit] = {}
    made: list[Unit] = []
    for edit in edits:
        if edit.gap is not None:
            made.append(_new_unit(state, edit, origin, ids, key, result))
            inserts.setdefault(edit.gap, []).append(made[-1])
        else:
            assert edit.unit is not None, "an edit places a new unit (gap) or edits one (unit)"
            changed[edit.unit] = edit
    units: list[Unit] = []
    for index in range(len(state.units) + 1):
        units += inserts.get(index, [])
        if index == len(state.units):
            break
        unit = state.units[index]
        unit_edit = changed.get(index)
        if unit_edit is not None and unit_edit.delete:
            _hand_on_label(state.units, index)
            if unit.block is not None:
                result.retired += [s.id for s in unit.block.statements]
            continue
        if unit_edit is not None and unit_edit.segments != unit.segments:
            _edit_unit(unit, unit_edit.segments, ids, key, result)
        units.append(unit)
    state.units = units
    return made


def _overlaps(hit: int, size: int, found: int, length: int) -> bool:
    """Return whether the after-text found at ``found`` overlaps the hit without lying inside
    it (the deleted text of a change may itself read like its result)."""
    inside = hit <= found and found + length <= hit + size
    return not inside and hit < found + length and found < hit + size


def _hand_on_label(units: list[Unit], index: int) -> None:
    """Give a deleted list item's label to the next item of its list, so that a list whose
    first item goes is still numbered from its start ("i." stays the first label)."""
    gone = units[index]
    if gone.kind is not BlockKind.LIST_ITEM:
        return
    for unit in units[index + 1 :]:
        if unit.kind is not BlockKind.LIST_ITEM or unit.level < gone.level:
            return
        if unit.level == gone.level:
            unit.label = gone.label
            return


def _new_unit(
    state: ClauseState, edit: _Edit, origin: Origin, ids: Ids, key: str, result: Restated
) -> Unit:
    block = edit.block
    assert edit.gap is not None, "_commit makes a new unit only for an edit with a gap"
    kind = _KINDS[block.kind]
    segments = [
        squash("".join(s.text for s in seg if s.op is not Op.DELETE)) for seg in _segments(block)
    ]
    state.inserted += 1
    name = ("inserted", origin, state.inserted)
    if kind is BlockKind.TABLE:
        # The row joins the table of the row before it, else of the row after it.
        near = state.units[max(edit.gap - 1, 0) : edit.gap + 1]
        table = next((u.table for u in near if u.kind is BlockKind.TABLE), -1)
        return Unit(kind, segments, table=table, key=name)
    text = segments[0]
    made = new_block(kind, text, block.level, ids, key, result)
    return Unit(kind, [text], "", block.level, block=made, key=name)


def _edit_unit(unit: Unit, segments: list[str], ids: Ids, key: str, result: Restated) -> None:
    for index, (old, new) in enumerate(zip(unit.segments, segments, strict=True)):
        bases: list[int | None] = []
        for tag, i1, i2, j1, j2 in opcodes(words(old), words(new)):
            bases += unit.bases[index][i1:i2] if tag == "equal" else [None] * (j2 - j1)
        unit.bases[index] = bases
    unit.segments = segments
    if unit.block is not None:
        restate(unit.block, segments[0], ids, key, result)
