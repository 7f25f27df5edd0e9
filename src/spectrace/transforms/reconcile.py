"""Check a mark-up read from a picture against the clause it amends, and correct what OCR got
wrong where that is certain.

The unchanged and deleted words of a mark-up quote the clause, so each must be found there, in
order, allowing for OCR's confusions (``1``/``l``/``I``, ``2``/``Z``, ``rn``/``m``, lost or doubled
spaces, debris of formatting marks); found, they are replaced by the clause's own words. The
inserted words are new, so they can only be checked against the words the specification uses
(its text, headings, glossary terms, clause numbers, actor names) and corrected towards one of
those when OCR's reading is close to exactly one. A mark-up whose unchanged and deleted words
do not all reconcile, or whose inserted words are not all words of the specification, is
*unverified*: the amend engine refuses it with the best reading, so nothing uncertain enters
an edition unseen.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from rapidfuzz.fuzz import ratio

from spectrace.model import (
    Block,
    BlockKind,
    Clause,
    Document,
    MarkupBlock,
    MarkupKind,
    Op,
    Proposal,
    Span,
)
from spectrace.model.proposal import NOT_CHECKED, PICTURE, normalize_spans
from spectrace.transforms.diff import opcodes

#: A word OCR read is the clause's word when their folded forms are this alike (0–100).
SAME_WORD = 70
#: What OCR confuses, folded to one form on both sides before comparing.
_CONFUSABLE = str.maketrans(
    {"1": "l", "I": "l", "|": "l", "!": "l", "0": "o", "O": "o", "5": "s", "2": "z", "Z": "z"}
)
_DEBRIS = "·:;-‘’“”'\"{}[]|,.!~»«_"


@dataclass
class Reconciled:
    """A picture's mark-up checked against its clause: the corrected blocks, the corrections
    made ("Securlty -> Security"), and why it is unverified ("" when it is not)."""

    blocks: list[MarkupBlock]
    corrections: list[str] = field(default_factory=list)
    unverified: str = ""


def fold(word: str) -> str:
    """Return ``word`` as OCR and the clause are compared: lower case, confusable letters
    folded, debris at the ends stripped."""
    stripped = word.strip(_DEBRIS) or word
    return stripped.replace("rn", "m").replace("vv", "w").translate(_CONFUSABLE).lower()


def vocabulary(documents: list[Document], texts: Sequence[str] = ()) -> set[str]:
    """Return the words the specifications use (their text, headings, glossary and numbers)
    and the words of ``texts`` (an IRP's typed prose)."""
    found: set[str] = {_clean(word) for text in texts for word in text.split()}
    for document in documents:
        for clause in document.clauses:
            found.update(_clean(w) for w in clause.title.split())
            if clause.number:
                found.add(clause.number)
            for block in clause.blocks:
                cells = [c for row in block.rows for c in row] if block.rows else [block.text]
                for cell in cells:
                    found.update(_clean(w) for w in cell.split())
        for entry in document.glossary:
            found.update(_clean(w) for w in f"{entry.term} {entry.definition}".split())
    found.discard("")
    return found


def _clean(word: str) -> str:
    return word.strip(_DEBRIS + "()")


def reconcile(
    blocks: list[MarkupBlock],
    clause: Clause,
    words: set[str],
    headings: dict[str, str] | None = None,
    doubtful: frozenset[str] = frozenset(),
) -> Reconciled:
    """Return ``blocks`` (a picture's reading) checked against ``clause`` and corrected.

    ``headings`` holds the heading line ("4.4.6 Security") of each clause of the document by
    number: an unmarked heading line of another clause (a parent shown for context) is
    checked against it, and left out of the clause's text. An inserted word in ``doubtful``
    (OCR was unsure of it) leaves the change unverified.
    """
    result = Reconciled([])
    units = _units(clause)
    contexts: set[int] = set()
    for block in blocks:
        context = _context_heading(block, clause, headings or {}, result)
        if context is not None:
            result.blocks.append(context)
            contexts.add(id(context))
        elif block.kind is MarkupKind.TABLE_ROW:
            row = _best_row(block, units)
            cells = [_quoted(cell, row, index, result) for index, cell in enumerate(block.cells)]
            result.blocks.append(MarkupBlock(MarkupKind.TABLE_ROW, cells=cells))
        else:
            result.blocks.append(block)
    flowing = [
        b for b in result.blocks if b.kind is not MarkupKind.TABLE_ROW and id(b) not in contexts
    ]
    text_units = [u for u in units if u.kind is not BlockKind.TABLE]
    joined = _reconcile_flow(flowing, clause, text_units, result)
    joined |= _join_inserted(flowing)
    result.blocks = [b for b in result.blocks if id(b) not in joined]
    for block in result.blocks:
        for cell in _cells(block):
            for index, span in enumerate(cell):
                if span.op is Op.INSERT:
                    text = _inserted(span.text, words, result, doubtful)
                    cell[index] = Span(_spaced(span.text, text), Op.INSERT)
    result.blocks = [_normalized(block) for block in result.blocks]
    return result


@dataclass
class _Unit:
    kind: BlockKind
    words: list[str]
    rows: list[list[str]] = field(default_factory=list)
    label: str = ""


def _context_heading(
    block: MarkupBlock, clause: Clause, headings: dict[str, str], result: Reconciled
) -> MarkupBlock | None:
    """Return a heading line of another clause than ``clause``, as that clause's heading
    reads; None for any other block (the clause's own heading line included)."""
    if block.kind is not MarkupKind.HEADING:
        return None
    first = (block.text(after=False).split() or [""])[0]
    digits = _number_key(first)
    if not digits or digits == _number_key(clause.number or ""):
        return None
    found = [text for number, text in headings.items() if _number_key(number) == digits]
    if len(found) != 1:
        return None
    if block.marked or ratio(fold(block.text(after=False)), fold(found[0])) < SAME_WORD:
        result.unverified = result.unverified or (
            f"the heading line '{block.text(after=False)}' is not the heading of "
            f"{found[0].split()[0]}"
        )
        return block
    _note(block.text(after=False).split(), found[0].split(), result)
    return MarkupBlock(MarkupKind.HEADING, [Span(found[0])])


def _number_key(text: str) -> str:
    """Return a clause number as OCR may read it: its digits and letters, the dots dropped
    ("4.4.6" and "446" alike)."""
    return re.sub(r"[^0-9A-Za-z]", "", text).translate(_CONFUSABLE).lower()


def _units(clause: Clause) -> list[_Unit]:
    units = [_Unit(BlockKind.PARAGRAPH, f"{clause.number or ''} {clause.title}".split())]
    for block in clause.blocks:
        if block.kind is BlockKind.TABLE:
            units.append(_Unit(BlockKind.TABLE, [], block.rows))
        else:
            units.append(_Unit(block.kind, block.text.split(), label=block.label))
    return units


def _cells(block: MarkupBlock) -> list[list[Span]]:
    return block.cells if block.kind is MarkupKind.TABLE_ROW else [block.spans]


def _normalized(block: MarkupBlock) -> MarkupBlock:
    if block.kind is MarkupKind.TABLE_ROW:
        return MarkupBlock(block.kind, cells=[_closed(c) for c in block.cells])
    return MarkupBlock(block.kind, _closed(block.spans), label=block.label, level=block.level)


def _closed(spans: list[Span]) -> list[Span]:
    """Return ``spans`` in canonical form, a change broken only by a space (debris between
    two of its words taken out) made whole again."""
    spans = normalize_spans(spans)
    closed: list[Span] = []
    for span in spans:
        if (
            len(closed) >= 2
            and closed[-1].op is Op.KEEP
            and not closed[-1].text.strip()
            and closed[-2].op is span.op
        ):
            joined = Span(f"{closed[-2].text} {span.text}", span.op)
            closed[-2:] = [joined]
        else:
            closed.append(span)
    return normalize_spans(closed)


def _reconcile_flow(
    blocks: list[MarkupBlock], clause: Clause, units: list[_Unit], result: Reconciled
) -> set[int]:
    """Replace the kept and deleted words of paragraphs, list items and the heading line by
    the clause's words they quote, and join blocks OCR split inside one of the clause's
    paragraphs (returning the ids of the blocks joined to the one before); or say why the
    words cannot all be found."""
    read: list[tuple[int, int]] = []  # (block, span) of each kept or deleted word
    texts: list[str] = []
    for b, block in enumerate(blocks):
        for s, span in enumerate(block.spans):
            if span.op is not Op.INSERT:
                words = span.text.split()
                read += [(b, s)] * len(words)
                texts += words
    if not texts:
        return set()
    clause_words = [word for unit in units for word in unit.words]
    unit_of = [k for k, unit in enumerate(units) for _ in unit.words]
    mapping, problem = _align(texts, clause_words)
    if problem:
        result.unverified = problem
        return set()
    replaced: dict[tuple[int, int], list[str]] = {}
    block_units: dict[int, list[int]] = {}
    for where, found in zip(read, mapping, strict=True):
        replaced.setdefault(where, [])
        if found is not None:
            replaced[where] += clause_words[found[0] : found[1]]
            block_units.setdefault(where[0], []).append(unit_of[found[0]])
    continued = {
        b
        for b in block_units
        if block_units.get(b - 1) and block_units[b][0] == block_units[b - 1][-1]
    }
    _kinds_from_clause(
        blocks, {b: u for b, u in block_units.items() if b not in continued}, units, result
    )
    for (b, s), new_words in replaced.items():
        span = blocks[b].spans[s]
        _note(span.text.split(), new_words, result)
        _check_edges(blocks[b].spans, s, new_words, result)
        blocks[b].spans[s] = Span(_spaced(span.text, " ".join(new_words)), span.op)
    joined: set[int] = set()
    into = blocks[0]
    for b, block in enumerate(blocks[1:], 1):
        if b in continued and block.kind is not MarkupKind.HEADING:
            into.spans = _joined(into.spans, block.spans)
            joined.add(id(block))
        else:
            into = block
    return joined


_LISTED = {BlockKind.LIST_ITEM: MarkupKind.LIST_ITEM, BlockKind.PARAGRAPH: MarkupKind.PARAGRAPH}


def _kinds_from_clause(
    blocks: list[MarkupBlock],
    block_units: dict[int, list[int]],
    units: list[_Unit],
    result: Reconciled,
) -> None:
    """Give a block that quotes one of the clause's paragraphs or list items that block's
    kind and label: OCR may lose a list item's label, or read one that is not there."""
    for b, found in block_units.items():
        block = blocks[b]
        unit = units[found[0]]
        if block.kind not in _LISTED.values() or unit.kind not in _LISTED or found[0] == 0:
            continue
        kind = _LISTED[unit.kind]
        if (block.kind, block.label) != (kind, unit.label if kind is MarkupKind.LIST_ITEM else ""):
            result.corrections.append(
                f"{block.kind.value} {block.label!r} -> {kind.value} {unit.label!r}".replace(
                    " ''", ""
                )
            )
            block.kind, block.label = kind, unit.label if kind is MarkupKind.LIST_ITEM else ""


def _join_inserted(blocks: list[MarkupBlock]) -> set[int]:
    """Join a new paragraph OCR broke in two: a wholly inserted paragraph that does not end a
    sentence runs on into the wholly inserted paragraph after it. Return the ids joined."""
    joined: set[int] = set()
    into: MarkupBlock | None = None
    for block in blocks:
        new = block.kind is MarkupKind.PARAGRAPH and block.op is Op.INSERT
        if new and into is not None:
            into.spans = _joined(into.spans, block.spans)
            joined.add(id(block))
        else:
            into = block if new else None
        if into is not None and into.text(after=True).rstrip().endswith(_SENTENCE_ENDS):
            into = None
    return joined


#: How a paragraph ends.
_SENTENCE_ENDS = (".", ";", ":", "!", "?")


def _joined(first: list[Span], second: list[Span]) -> list[Span]:
    """Return two pieces of one paragraph as one, a space between (inside a change that runs
    across the join)."""
    if first and second and first[-1].op is second[0].op:
        text = f"{first[-1].text.rstrip()} {second[0].text.lstrip()}"
        return [*first[:-1], Span(text, first[-1].op), *second[1:]]
    return [*first, Span(" "), *second]


def _spaced(old: str, new: str) -> str:
    """Return ``new`` with the spaces ``old`` had at its ends (they part it from its
    neighbours)."""
    lead = old[: len(old) - len(old.lstrip())]
    tail = old[len(old.rstrip()) :]
    return f"{lead}{new}{tail}"


def _check_edges(spans: list[Span], index: int, found: list[str], result: Reconciled) -> None:
    """Flag the change when a word beside a change is not exactly the clause's word it quotes,
    or the change beside it repeats it: OCR glues a change's comma or letters to the word next
    to it ("5.7.5.31," for "5.7.5.31." then ", a copy"; "tenf" then "ive"), and which is
    which cannot be told."""
    read = spans[index].text.split()
    if not read or not found:
        return
    sides = [(index + 1, read[-1], found[-1]), (index - 1, read[0], found[0])]
    for neighbour, word, quoted in sides:
        if not 0 <= neighbour < len(spans) or spans[neighbour].op is Op.KEEP:
            continue
        # The word read may be the clause word's end (or start) when OCR split it; letters
        # OCR confuses count as alike, punctuation does not.
        ends = str.endswith if neighbour > index else str.startswith
        if not ends(_letters(quoted), _letters(word)):
            result.unverified = result.unverified or (
                f"'{word}' beside a change reads '{quoted}' in the clause; some of it may "
                "belong to the change"
            )
        beside = spans[neighbour].text.split()
        if beside and fold(beside[0] if neighbour > index else beside[-1]) == fold(quoted):
            result.unverified = result.unverified or (
                f"the change beside '{quoted}' repeats it; OCR may have read it twice"
            )


def _letters(word: str) -> str:
    """Return ``word`` with OCR's confusions folded, its punctuation kept."""
    return word.replace("rn", "m").translate(_CONFUSABLE).lower().replace("i", "l")


def _note(read: list[str], found: list[str], result: Reconciled) -> None:
    """Record, word by word, what replacing the words ``read`` by ``found`` corrected."""
    for tag, i1, i2, j1, j2 in opcodes(read, found):
        if tag != "equal":
            result.corrections.append(f"'{' '.join(read[i1:i2])}' -> '{' '.join(found[j1:j2])}'")


def _align(texts: list[str], clause_words: list[str]) -> tuple[list[tuple[int, int] | None], str]:
    """Return, for each word read (``texts``), the range of clause words it quotes (None for
    debris), or a problem.

    The words are compared as characters, their spaces dropped, so words OCR split
    ("imme diately") or ran together ("SecurePerimeter") still line up; each clause word goes
    to the word read that holds most of its characters, and must be found for the most part.
    """
    folded, clause = [fold(t) for t in texts], [fold(w) for w in clause_words]
    start = _offset(folded, clause)
    base = max(start - 3, 0)
    window = clause[base : start + len(folded) + 3]
    read_chars, read_owner = _chars(folded)
    clause_chars, clause_owner = _chars(window)
    matched_read = [0] * len(folded)  # characters of each word read found in the clause
    matched_clause = [0] * len(window)
    votes: list[dict[int, int]] = [{} for _ in window]  # per clause word: word read -> chars
    matcher = SequenceMatcher(None, read_chars, clause_chars, autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        for k in range(size):
            i, j = read_owner[a + k], clause_owner[b + k]
            matched_read[i] += 1
            matched_clause[j] += 1
            votes[j][i] = votes[j].get(i, 0) + 1
    owners = {j: max(v, key=lambda i: (v[i], -i)) for j, v in enumerate(votes) if v}
    if not owners:
        return [None] * len(folded), "none of the picture's unchanged text is in the clause"
    first, last = min(owners), max(owners)
    for j in range(first, last + 1):
        if matched_clause[j] < 0.5 * len(window[j]):
            return [None] * len(folded), f"the picture lacks '{clause_words[base + j]}'"
    mapping: list[tuple[int, int] | None] = [None] * len(folded)
    for j in range(first, last + 1):
        if j not in owners:  # found for the most part above, so some word read holds it
            return mapping, f"the picture lacks '{clause_words[base + j]}'"
        owner = owners[j]
        low, _ = mapping[owner] or (base + j, 0)
        mapping[owner] = (low, base + j + 1)
    previous_end = -1
    for i, found in enumerate(mapping):
        if found is None:
            word = folded[i]
            if matched_read[i] < 0.5 * len(word) and len(word) > 2 and any(map(str.isalnum, word)):
                return mapping, f"'{texts[i]}' is not in the clause"
            continue
        if found[0] < previous_end or matched_read[i] < 0.5 * len(folded[i]):
            return mapping, f"'{texts[i]}' is not in the clause"
        previous_end = found[1]
    return mapping, ""


def _chars(words: list[str]) -> tuple[str, list[int]]:
    """Return ``words`` run together, and the word each character belongs to."""
    owner = [index for index, word in enumerate(words) for _ in word]
    return "".join(words), owner


def _offset(folded: list[str], clause: list[str]) -> int:
    """Return where in ``clause`` the words read most likely start: the offset most exact
    matches agree on (linear in the words, through an index of the clause's words)."""
    where: dict[str, list[int]] = {}
    for index, word in enumerate(clause):
        where.setdefault(word, []).append(index)
    votes: dict[int, int] = {}
    for index, word in enumerate(folded):
        for position in where.get(word, [])[:50]:
            votes[position - index] = votes.get(position - index, 0) + 1
    return max(votes, key=lambda k: (votes[k], -k)) if votes else 0


def _best_row(block: MarkupBlock, units: list[_Unit]) -> list[str] | None:
    """Return the clause's table row the mark-up row quotes (its unchanged and deleted text)."""
    shown = " ".join(s.text for cell in block.cells for s in cell if s.op is not Op.INSERT)
    rows = [row for unit in units for row in unit.rows]
    if not shown.strip() or not rows:
        return None
    best = max(rows, key=lambda row: ratio(fold(shown), fold(" ".join(row))))
    return best if ratio(fold(shown), fold(" ".join(best))) >= SAME_WORD else None


def _quoted(cell: list[Span], row: list[str] | None, index: int, result: Reconciled) -> list[Span]:
    """Return a cell's spans with its kept and deleted text replaced by the clause row's."""
    shown = " ".join(s.text for s in cell if s.op is not Op.INSERT).strip()
    if not shown:
        return list(cell)
    if row is None or index >= len(row) or ratio(fold(shown), fold(row[index])) < SAME_WORD:
        result.unverified = result.unverified or f"the table cell '{shown}' is not in the clause"
        return list(cell)
    spans = list(cell)
    read = [(k, w) for k, s in enumerate(spans) if s.op is not Op.INSERT for w in s.text.split()]
    mapping, problem = _align([w for _, w in read], row[index].split())
    if problem:
        result.unverified = result.unverified or f"in the table cell '{shown}': {problem}"
        return spans
    cell_words = row[index].split()
    replaced: dict[int, list[str]] = {}
    for (k, _), found in zip(read, mapping, strict=True):
        replaced.setdefault(k, [])
        if found is not None:
            replaced[k] += cell_words[found[0] : found[1]]
    for k, new_words in replaced.items():
        _note(spans[k].text.split(), new_words, result)
        _check_edges(spans, k, new_words, result)
        spans[k] = Span(_spaced(spans[k].text, " ".join(new_words)), spans[k].op)
    return spans


def _inserted(
    text: str, words: set[str], result: Reconciled, doubtful: frozenset[str] = frozenset()
) -> str:
    """Return inserted ``text`` checked word by word: a word of the specification stays; one
    that differs from exactly one such word only by letters OCR confuses is corrected to it
    ("Securlty" -> "Security"); any other stays as read. A word OCR was unsure of (in
    ``doubtful``), or a hyphen that may be a formatting mark's, leaves the change unverified.
    """
    lowered = {w.lower() for w in words}
    shapes: dict[str, set[str]] = {}
    out = []
    unsure_folds = {fold(word) for word in doubtful}
    unsure = [word for word in text.split() if fold(word) in unsure_folds]
    if unsure:
        result.unverified = result.unverified or f"OCR was unsure of the inserted '{unsure[0]}'"
    for word in _unglued(text.split(), result):
        core = _clean(word)
        if not core or core.lower() in lowered or re.fullmatch(r"[\d.()]+", core):
            out.append(word)
            continue
        if "-" in core and all(part.lower() in lowered for part in core.split("-") if part):
            result.unverified = result.unverified or (
                f"the inserted '{core}' may be words a formatting mark joined"
            )
            out.append(word)
            continue
        if not shapes:
            for known in words:
                shapes.setdefault(_shape(known), set()).add(known)
        alike = shapes.get(_shape(core), set()) if len(core) >= 4 else set()
        if len(alike) == 1:
            (known,) = alike
            result.corrections.append(f"'{core}' -> '{known}'")
            out.append(word.replace(core, known, 1))
            continue
        out.append(word)
    return " ".join(out)


def _shape(word: str) -> str:
    """Return ``word`` as OCR's confusions leave it: folded, with ``i`` read as ``l`` too."""
    return fold(word).replace("i", "l")


def _unglued(words: list[str], result: Reconciled) -> list[str]:
    """Return ``words`` with formatting-mark debris taken out: a colon, middle dot or tilde
    glued between two words ("ESME:shall"), and one glued to a word followed by a lower-case
    word ("any: information"). A hyphen may be the word's own ("time-stamp"): it stays, and
    the vocabulary check decides."""
    out: list[str] = []
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else ""
        parts = [part for part in re.split(r"(?<=[A-Za-z])[:·~](?=[A-Za-z])", word) if part]
        if len(parts) > 1:
            result.corrections.append(f"'{word}' -> '{' '.join(parts)}'")
            out += parts
            continue
        if re.search(r"[a-z][:·~]$", word) and following[:1].islower():
            result.corrections.append(f"'{word}' -> '{word[:-1]}'")
            word = word[:-1]
        out.append(word)
    return out


def reconcile_pictures(proposal: Proposal, documents: list[Document]) -> None:
    """Check each change of ``proposal`` just read from a picture (not yet checked: one from
    IRP-as-code is as its reviewer left it) against the clause it targets in ``documents``
    (the editions it applies to), correcting its mark-up where that is certain and saying why
    it is unverified where it is not."""
    pictures = [
        c
        for c in proposal.changes
        if c.source == PICTURE and c.unverified == NOT_CHECKED and not c.problem
    ]
    if not pictures:
        return
    words = vocabulary(documents, [proposal.title, *proposal.sections.values()])
    by_name = {document.name: document for document in documents}
    for change in pictures:
        target = change.target
        document = by_name.get(target.document) if target else None
        clause = _target_clause(document, target.clause) if document and target else None
        if document is None or clause is None:
            change.unverified = f"there is no {target} to check the picture against"
            continue
        headings = {c.number: f"{c.number} {c.title}" for c in document.clauses if c.number}
        doubtful = frozenset(change.doubtful.split())
        result = reconcile(change.markup, clause, words, headings, doubtful)
        change.markup, change.corrections = result.blocks, "; ".join(result.corrections)
        change.unverified = result.unverified


def _target_clause(document: Document, number: str | None) -> Clause | None:
    """Return the clause ``number`` of ``document``; its glossary as a clause of one
    Term | Definition table when ``number`` is None."""
    if number is not None:
        return document.clause(number)
    if not document.glossary:
        return None
    rows = [[entry.term, entry.definition] for entry in document.glossary]
    return Clause(None, "Glossary", 1, [Block(BlockKind.TABLE, "", rows=rows)])
