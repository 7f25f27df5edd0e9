"""Properties of the amend engine over random clauses and random mark-ups.

Each example is a clause of a few paragraphs and list items of words, and a mark-up over some of
them: words deleted, words inserted, maybe a whole paragraph added or removed; the excerpt may
start and end in the middle of a paragraph, and may type curly quotes and dashes straight. The
mark-up's unchanged text is in the clause once and its "after" text is not there yet, so the
engine must apply it: the clause then reads exactly as the mark-up's "after" view, the
revision's "before" is the original, statement ids stay stable, and applying the same proposal
to the result is reported instead of done twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from spectrace.labels import is_sequence
from spectrace.model import (
    Block,
    BlockKind,
    Change,
    Clause,
    Document,
    GlossaryEntry,
    MarkupBlock,
    MarkupKind,
    Op,
    Proposal,
    RevisionLine,
    Span,
    Target,
)
from spectrace.model.proposal import normalize_spans
from spectrace.transforms.amend import amend
from spectrace.transforms.statements import analyse, segment, split_sentences

#: Clause words: some capitalised, some carrying punctuation, curly quotes or an en dash.
WORDS = [
    *"the meter shall record each event in its log and display any data to devices".split(),
    *"only after access ESME GSME Security Log Interface User Type 1 2".split(),
    *"Devices, data; event. Alert. (5.7.5.31) (4.6.3.5) on–demand".split(),
    "‘Secure",
    "Perimeter’",
    "“Critical”",
]
#: Words only a mark-up inserts, so inserted text is never already in the clause.
NEW_WORDS = ["promptly", "securely", "Firmware", "HAN", "entry,", "never", "also"]
#: How a mark-up may type a clause word: straight quotes and a hyphen for curly ones and a dash.
STRAIGHT = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-"})
UNIT = "\x1e"
KINDS = {BlockKind.PARAGRAPH: MarkupKind.PARAGRAPH, BlockKind.LIST_ITEM: MarkupKind.LIST_ITEM}

phrases = st.lists(st.sampled_from(WORDS), min_size=2, max_size=10)
new_phrases = st.lists(st.sampled_from(NEW_WORDS), min_size=1, max_size=3)
kinds = st.sampled_from([BlockKind.PARAGRAPH, BlockKind.PARAGRAPH, BlockKind.LIST_ITEM])


def fold(text: str) -> str:
    """The engine's view of text: no whitespace, one style of quotes and dashes."""
    return "".join(text.split()).translate(STRAIGHT)


@dataclass
class Case:
    """A clause, a change over it, and what the clause must read after the change."""

    paragraphs: list[list[str]]
    kinds: list[BlockKind]
    change: Change
    expected: list[str] = field(default_factory=list)
    sources: list[int | None] = field(default_factory=list)  # original index of each line
    touched: set[int] = field(default_factory=set)  # original blocks edited or removed
    inserts: bool = False


@st.composite
def block_markup(draw, words: list[str], *, whole: bool) -> tuple[list[Span], list[str], bool]:
    """Return spans marking up ``words``, the words after the change, and whether the block
    goes as a whole (only when ``whole``: the excerpt shows all of it)."""
    if whole and draw(st.integers(0, 5)) == 0:
        return [Span(" ".join(words), Op.DELETE)], [], True
    spans: list[Span] = []
    after: list[str] = []
    for word in [*words, None]:
        if draw(st.integers(0, 5)) == 0:
            inserted = draw(new_phrases)
            spans.append(Span(" ".join(inserted) + " ", Op.INSERT))
            after += inserted
        if word is None:
            break
        if draw(st.integers(0, 4)) == 0:
            spans.append(Span(word + " ", Op.DELETE))
        else:
            typed = word.translate(STRAIGHT) if draw(st.booleans()) else word
            spans.append(Span(typed + " ", Op.KEEP))
            after.append(word)
    # Every word of a whole block deleted and nothing inserted: the block goes.
    return normalize_spans(spans), after, whole and not after


@st.composite
def cases(draw) -> Case:
    paragraphs = draw(
        st.integers(1, 5).flatmap(lambda n: st.lists(phrases, min_size=n, max_size=n))
    )
    case = Case(paragraphs, [draw(kinds) for _ in paragraphs], Change(1, "", None))
    first = draw(st.integers(0, len(paragraphs) - 1))
    last = draw(
        st.sampled_from([first, len(paragraphs) - 1]) | st.integers(first, len(paragraphs) - 1)
    )
    # The excerpt starts and ends at the edges of blocks half of the time.
    start = draw(st.just(0) | st.integers(0, len(paragraphs[first]) - 1))
    lowest = start + 1 if first == last else 1
    end = draw(st.just(len(paragraphs[last])) | st.integers(lowest, len(paragraphs[last])))
    event(f"excerpt of {last - first + 1} blocks")
    if start > 0 or end < len(paragraphs[last]):
        event("excerpt starts or ends inside a block")

    blocks: list[MarkupBlock] = []
    case.expected = [" ".join(p) for p in paragraphs[:first]]
    case.sources = list(range(first))

    def new_block() -> None:
        text = " ".join(draw(new_phrases)) + "."
        blocks.append(MarkupBlock(KINDS[draw(kinds)], [Span(text, Op.INSERT)]))
        case.expected.append(text)
        case.sources.append(None)
        case.inserts = True
        event("a block inserted")

    if start == 0 and draw(st.integers(0, 5)) == 0:
        new_block()
    for index in range(first, last + 1):
        words = paragraphs[index]
        lo = start if index == first else 0
        hi = end if index == last else len(words)
        spans, after, removed = draw(block_markup(words[lo:hi], whole=(lo, hi) == (0, len(words))))
        blocks.append(MarkupBlock(KINDS[case.kinds[index]], spans))
        case.inserts |= any(s.op is Op.INSERT for s in spans)
        if removed or any(s.op is not Op.KEEP for s in spans):
            case.touched.add(index)
        if removed:
            event("a block removed")
        else:
            case.expected.append(" ".join([*words[:lo], *after, *words[hi:]]))
            case.sources.append(index)
        if index < last and draw(st.integers(0, 5)) == 0:
            new_block()
    if end == len(paragraphs[last]) and draw(st.integers(0, 5)) == 0:
        new_block()
    case.expected += [" ".join(p) for p in paragraphs[last + 1 :]]
    case.sources += range(last + 1, len(paragraphs))

    case.change = Change(
        1,
        "At SMETS 7.1 amend the text as shown in the following mark-up:",
        Target("SMETS", "7.1"),
        run_on_before=first > 0 or start > 0,
        run_on_after=last < len(paragraphs) - 1 or end < len(paragraphs[last]),
        markup=blocks,
    )
    return case


def stream(texts: list[str]) -> str:
    return UNIT.join(fold(text) for text in texts if fold(text))


def occurrences(haystack: str, needle: str) -> int:
    return sum(haystack.startswith(needle, i) for i in range(len(haystack)))


def applicable(case: Case) -> bool:
    """Whether the mark-up can mean only one thing: its unchanged text is in the clause once, it
    changes something, and its after text is not in the clause already."""
    clause = UNIT + stream([" ".join(p) for p in case.paragraphs]) + UNIT
    before = stream([b.text(after=False) for b in case.change.markup])
    after = stream([b.text(after=True) for b in case.change.markup])
    return (
        bool(before)
        and before != after
        and occurrences(clause, before) == 1
        and (not after or occurrences(clause, after) == 0)
    )


def document(case: Case) -> Document:
    blocks: list[Block] = []
    run = 0
    for words, kind in zip(case.paragraphs, case.kinds, strict=True):
        run = run + 1 if kind is BlockKind.LIST_ITEM else 0
        label = f"({run})" if run else ""
        blocks.append(Block(kind, " ".join(words), label=label))
    clauses = [
        Clause("7", "Security", 1, [Block(BlockKind.PARAGRAPH, "The meter shall be secure.")]),
        Clause("7.1", "General", 2, blocks),
        Clause("7.2", "Logs", 2, [Block(BlockKind.PARAGRAPH, "The log shall be kept.")]),
    ]
    doc = Document("SMETS", "4.2", clauses=clauses)
    segment(doc)
    analyse(doc)
    return doc


def lines(doc: Document, number: str = "7.1") -> list[str]:
    clause = doc.clause(number)
    assert clause is not None
    return [block.text for block in clause.blocks]


UNLOCATABLE = Change(
    2,
    "At SMETS 7.2 amend the text as shown in the following mark-up:",
    Target("SMETS", "7.2"),
    markup=[MarkupBlock(MarkupKind.PARAGRAPH, [Span("The ledger shall "), Span("not", Op.INSERT)])],
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(cases())
def test_a_random_markup_gives_its_after_text_once(case: Case):
    assume(applicable(case))
    base = document(case)
    original = lines(base)
    original_ids = {s.id for _, s in base.statements()}
    proposal = Proposal("IRP900", changes=[case.change, UNLOCATABLE])

    result = amend([base], [proposal])

    # The change applies; the other one is refused without stopping it.
    assert [(p.location.change, p.code) for p in result.problems] == [(2, "not-found")]
    amended = result.document("SMETS")
    assert amended is not None
    assert lines(amended) == [" ".join(text.split()) for text in case.expected]
    assert amended.clause("7.2") == base.clause("7.2"), "the refused change left no trace"
    assert amended.clause("7") == base.clause("7")
    assert lines(base) == original, "the base is not changed"
    (revision,) = result.revisions
    assert (revision.irp, revision.change, revision.clause) == ("IRP900", 1, "7.1")
    assert revision.before == [RevisionLine((text,)) for text in original]
    assert revision.after == [RevisionLine((text,)) for text in lines(amended)]

    # Statement ids: untouched blocks keep their statements, an edited one-sentence block keeps
    # its id, no id is duplicated, and new ids are new.
    old = base.clause("7.1").blocks
    new = amended.clause("7.1").blocks
    for source, block in zip(case.sources, new, strict=True):
        if source is None:
            continue
        if source not in case.touched:
            assert block.statements == old[source].statements
        elif len(old[source].statements) == 1 and len(split_sentences(block.text)) == 1:
            assert [s.id for s in block.statements] == [old[source].statements[0].id]
    ids = [s.id for _, s in amended.statements()]
    assert len(ids) == len(set(ids))
    assert set(ids) - original_ids == set(revision.added)
    assert original_ids - set(ids) == set(revision.retired)

    # List items count up in each run; a list counts from "(1)" again only where it begins (an
    # inserted paragraph splits a list, and the numbering carries on after it).
    list_start: dict[int, int] = {}
    for index, block in enumerate(old):
        if block.kind is BlockKind.LIST_ITEM:
            list_start[index] = list_start.get(index - 1, index)
    seen: set[int] = set()
    run: list[tuple[int | None, str]] = []
    for source, block in [*zip(case.sources, new, strict=True), (None, None)]:
        if block is not None and block.kind is BlockKind.LIST_ITEM:
            run.append((source, block.label))
            continue
        lists = [list_start[source] for source, _ in run if source is not None]
        if lists:
            labels = [label for _, label in run]
            assert is_sequence(labels), labels
            assert lists[0] in seen or labels[0] == "(1)", labels
            seen.update(lists)
        run = []

    # The same proposal again: reported, not applied twice. (Only when a deletion leaves text that
    # reads like its unchanged text again is there nothing to tell that it was applied.)
    before = stream([b.text(after=False) for b in case.change.markup])
    if not case.inserts and before in UNIT + stream(lines(amended)) + UNIT:
        event("a deletion whose unchanged text forms again")
        return
    again = amend([amended], [Proposal("IRP900", changes=[case.change])])
    (problem,) = again.problems
    allowed = {"already-applied"} if case.inserts else {"already-applied", "not-found"}
    assert problem.code in allowed, problem
    assert (problem.location.irp, problem.location.change, problem.location.target) == (
        "IRP900",
        1,
        "SMETS 7.1",
    )
    assert lines(again.document("SMETS")) == lines(amended)
    assert again.revisions == []


# -- the glossary ----------------------------------------------------------------------------------

TERM_WORDS = ["Alert", "alert", "Gas", "GPF", "Log", "Security", "event", "Type", "1", "Device"]
terms = st.lists(st.sampled_from(TERM_WORDS), min_size=1, max_size=3).map(" ".join)
definitions = st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join)


def key(term: str) -> str:
    return term.casefold()


@st.composite
def glossary_cases(draw) -> tuple[list[tuple[str, str]], str, MarkupBlock, list[tuple[str, str]]]:
    """Return a glossary in term order, an action, its mark-up row, and the glossary after it."""
    entries = draw(st.lists(st.tuples(terms, definitions), unique_by=lambda e: key(e[0])))
    entries.sort(key=lambda e: key(e[0]))
    actions = ["add"] + (["delete", "amend", "rename"] if entries else [])
    action = draw(st.sampled_from(actions))
    if action == "add":
        term = draw(terms.filter(lambda t: key(t) not in {key(e[0]) for e in entries}))
        definition = draw(definitions)
        row = [[Span(term, Op.INSERT)], [Span(definition, Op.INSERT)]]
        after = sorted([*entries, (term, definition)], key=lambda e: key(e[0]))
        return entries, action, MarkupBlock(MarkupKind.TABLE_ROW, cells=row), after
    index = draw(st.integers(0, len(entries) - 1))
    term, definition = entries[index]
    rest = entries[:index] + entries[index + 1 :]
    if action == "delete":
        row = [[Span(term, Op.DELETE)], [Span(definition, Op.DELETE)]]
        return entries, action, MarkupBlock(MarkupKind.TABLE_ROW, cells=row), rest
    if action == "amend":
        new = draw(definitions.filter(lambda d: fold(d) != fold(definition)))
        row = [[Span(term)], [Span(definition, Op.DELETE), Span(" "), Span(new, Op.INSERT)]]
        after = [*entries[:index], (term, new), *entries[index + 1 :]]
        return entries, action, MarkupBlock(MarkupKind.TABLE_ROW, cells=row), after
    new = draw(terms.filter(lambda t: key(t) not in {key(e[0]) for e in entries}))
    row = [[Span(term, Op.DELETE), Span(" "), Span(new, Op.INSERT)], [Span(definition)]]
    after = sorted([*rest, (new, definition)], key=lambda e: key(e[0]))
    return entries, action, MarkupBlock(MarkupKind.TABLE_ROW, cells=row), after


@settings(max_examples=100, deadline=None)
@given(glossary_cases())
def test_glossary_entries_stay_in_term_order_and_apply_once(case):
    entries, action, row, expected = case
    base = Document("SMETS", "4.2", glossary=[GlossaryEntry(t, d) for t, d in entries])
    change = Change(3, "At SMETS Glossary …", Target("SMETS"), markup=[row])
    proposal = Proposal("IRP900", changes=[change])

    result = amend([base], [proposal])

    assert result.problems == []
    amended = result.document("SMETS")
    assert [(e.term, e.definition) for e in amended.glossary] == expected
    (revision,) = result.revisions
    assert revision.before == [RevisionLine((t, d)) for t, d in entries]
    assert revision.after == [RevisionLine((t, d)) for t, d in expected]

    again = amend([amended], [proposal])
    (problem,) = again.problems
    assert problem.code == ("not-found" if action == "delete" else "already-applied"), problem
    assert (problem.location.irp, problem.location.change, problem.location.target) == (
        "IRP900",
        3,
        "SMETS Glossary",
    )
    assert again.document("SMETS").glossary == amended.glossary
