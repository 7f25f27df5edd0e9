"""Apply one change's mark-up to one clause: locate it, check it against earlier proposals,
edit the units, and restate the statements."""

from __future__ import annotations

from dataclasses import dataclass, field

from spectrace.findings import Code
from spectrace.model import BlockKind, Change, MarkupBlock, MarkupKind, Op, Span
from spectrace.text import squash
from spectrace.transforms.amend.align import Stream, find_words, fold, span_stream, unit_stream
from spectrace.transforms.amend.units import (
    ClauseState,
    Ids,
    Origin,
    Restated,
    Unit,
    new_block,
    restate,
    words,
)
from spectrace.transforms.diff import opcodes

_KINDS = {
    MarkupKind.PARAGRAPH: BlockKind.PARAGRAPH,
    MarkupKind.LIST_ITEM: BlockKind.LIST_ITEM,
    MarkupKind.TABLE_ROW: BlockKind.TABLE,
}


_CLOSING = tuple(".,;:!?)]}’”")


class Refused(Exception):
    """A change that cannot be applied; ``code`` (an amend code of
    :data:`~spectrace.findings.CATALOGUE`) and the message become a Problem."""

    def __init__(self, code: Code | str, message: str):
        super().__init__(message)
        self.code = Code(code)
        self.message = message


@dataclass
class _Edit:
    """What one mark-up block does: edit unit ``unit`` to ``segments``, delete it, or insert a
    new unit before position ``gap``."""

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
    edits = _plan(state, blocks, change, anchored, origin)
    _check_conflicts(state, edits, origin)
    result = Restated()
    _commit(state, edits, origin, ids, result)
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
) -> list[_Edit]:
    """Return the edits the mark-up makes, located in the clause's current text."""
    before = span_stream(_view(blocks, Op.INSERT))
    if not before.text:
        return _place_alone(state, blocks, change, anchored)
    clause = unit_stream(state.segments())
    hit = _locate(
        state, clause, before, span_stream(_view(blocks, Op.DELETE)), blocks, anchored, origin
    )
    offsets: dict[tuple[int, int, int], list[int]] = {}
    units: dict[int, int] = {}
    for index, where in enumerate(before.origin):
        if where is None:
            continue
        found = clause.origin[hit + index]
        assert found is not None, "the mark-up's text matched here, so this is text too"
        unit, segment, offset = found
        block, cell, span, _ = where
        units.setdefault(block, unit)
        if cell != segment:
            raise Refused(
                "unsupported", "the mark-up's table cells do not line up with the clause's"
            )
        offsets.setdefault((block, cell, span), []).append(offset)
    return _edits(state, blocks, units, offsets)


def _locate(
    state: ClauseState,
    clause: Stream,
    before: Stream,
    after: Stream,
    blocks: list[MarkupBlock],
    anchored: bool,
    origin: Origin,
) -> int:
    """Return where the mark-up's unchanged text starts in the clause stream; refuse when it
    is not there, there twice, already changed as the mark-up says, or changed by another
    proposal of the build."""
    hits = [h for h in find_words(clause, state.segments(), before.text) if not anchored or h == 1]
    applied = after.text != before.text and find_words(clause, state.segments(), after.text)
    if applied and any(s.op is Op.INSERT and s.text.strip() for b in blocks for s in b.all_spans()):
        # Unchanged text found where the inserted text already stands is that text, not a
        # second place to apply the change.
        hits = [
            h
            for h in hits
            if not any(_overlaps(h, len(before.text), a, len(after.text)) for a in applied)
        ]
    if applied and (not hits or len(after.text) > len(before.text)):
        raise Refused("already-applied", "the change is already in the text")
    if not hits:
        others = [o for o in state.touched_by if o[0] != origin[0]]
        if others and find_words(unit_stream(state.original), state.original, before.text):
            irp, number = others[-1]
            raise Refused(
                "conflict", f"conflicts with {irp} change {number}, which already changed this text"
            )
        raise Refused("not-found", "the mark-up's unchanged text is not in the clause")
    if len(hits) > 1:
        raise Refused(
            "ambiguous",
            f"the mark-up's unchanged text is in the clause {len(hits)} "
            "times; give more of the text around the change",
        )
    return hits[0]


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
    state: ClauseState,
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
            edits.append(_Edit(block, gap=gap if gap is not None else len(state.units)))
            continue
        unit = state.units[units[index]]
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


def _check_conflicts(state: ClauseState, edits: list[_Edit], origin: Origin) -> None:
    own = origin[0]
    for edit in edits:
        if edit.gap is not None:
            neighbours = state.units[max(edit.gap - 1, 0) : edit.gap + 1]
            others = [
                u.inserted_by for u in neighbours if u.inserted_by and u.inserted_by[0] != own
            ]
            gap = state.unit_gaps.get(edit.gap)
            others += [gap] if gap and gap[0] != own else []
        else:
            assert edit.unit is not None, "an edit places a new unit (gap) or edits one (unit)"
            unit = state.units[edit.unit]
            others = unit.others(own) if edit.delete else _word_conflicts(unit, edit.segments, own)
        if others:
            irp, number = others[0]
            raise Refused(
                "conflict", f"conflicts with {irp} change {number}, which already changed this text"
            )


def _word_conflicts(unit: Unit, segments: list[str], own: str) -> list[Origin]:
    found: list[Origin] = []
    for old, new, origins, gaps in zip(
        unit.segments, segments, unit.origins, unit.gaps, strict=True
    ):
        for tag, i1, i2, _, _ in opcodes(words(old), words(new)):
            if tag == "equal":
                continue
            touched = origins[max(i1 - 1, 0) : i2 + 1] if i1 == i2 else origins[i1:i2]
            touched += [gaps[i] for i in range(i1, i2 + 1) if i in gaps]
            found += [o for o in touched if o and o[0] != own]
    return found


def _commit(
    state: ClauseState, edits: list[_Edit], origin: Origin, ids: Ids, result: Restated
) -> None:
    key = state.clause.key
    inserts: dict[int, list[Unit]] = {}
    changed: dict[int, _Edit] = {}
    for edit in edits:
        if edit.gap is not None:
            inserts.setdefault(edit.gap, []).append(
                _new_unit(state, edit, origin, ids, key, result)
            )
        else:
            assert edit.unit is not None, "an edit places a new unit (gap) or edits one (unit)"
            changed[edit.unit] = edit
    units: list[Unit] = []
    gaps: dict[int, Origin] = {}
    for index in range(len(state.units) + 1):
        if index in state.unit_gaps:
            gaps[len(units)] = state.unit_gaps[index]
        units += inserts.get(index, [])
        if index == len(state.units):
            break
        unit = state.units[index]
        unit_edit = changed.get(index)
        if unit_edit is not None and unit_edit.delete:
            gaps[len(units)] = origin
            _hand_on_label(state.units, index)
            if unit.block is not None:
                result.retired += [s.id for s in unit.block.statements]
            continue
        if unit_edit is not None and unit_edit.segments != unit.segments:
            _edit_unit(unit, unit_edit.segments, origin, ids, key, result)
        units.append(unit)
    state.units, state.unit_gaps = units, gaps


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
    if kind is BlockKind.TABLE:
        # The row joins the table of the row before it, else of the row after it.
        near = state.units[max(edit.gap - 1, 0) : edit.gap + 1]
        table = next((u.table for u in near if u.kind is BlockKind.TABLE), -1)
        return Unit(kind, segments, table=table, inserted_by=origin)
    text = segments[0]
    made = new_block(kind, text, block.level, ids, key, result)
    return Unit(kind, [text], "", block.level, block=made, inserted_by=origin)


def _edit_unit(
    unit: Unit, segments: list[str], origin: Origin, ids: Ids, key: str, result: Restated
) -> None:
    for index, (old, new) in enumerate(zip(unit.segments, segments, strict=True)):
        origins: list[Origin | None] = []
        gaps: dict[int, Origin] = {}
        for tag, i1, i2, j1, j2 in opcodes(words(old), words(new)):
            if tag == "equal":
                origins += unit.origins[index][i1:i2]
                gaps |= {j1 + i - i1: o for i, o in unit.gaps[index].items() if i1 <= i < i2}
            else:
                origins += [origin] * (j2 - j1)
                if j1 == j2:
                    gaps[j1] = origin
        unit.origins[index], unit.gaps[index] = origins, gaps
    unit.segments = segments
    if unit.block is not None:
        restate(unit.block, segments[0], ids, key, result)
