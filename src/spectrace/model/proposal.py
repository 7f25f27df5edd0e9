"""Issue Resolution Proposals: metadata, prose, and the mark-ups that amend specifications."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from spectrace.model.document import Location


class Op(StrEnum):
    """What a mark-up does to a piece of text."""

    KEEP = "keep"
    INSERT = "insert"
    DELETE = "delete"


class MarkupKind(StrEnum):
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE_ROW = "table_row"
    HEADING = "heading"


@dataclass
class Span:
    text: str
    op: Op = Op.KEEP


def normalize_spans(spans: list[Span]) -> list[Span]:
    """Return ``spans`` in canonical form, so equal mark-ups compare equal however they were typed.

    Whitespace runs become one space; an inserted or deleted span carries no space at its edges
    (the space stays with the unchanged text beside it); the block has none at its ends;
    neighbouring spans of one kind merge; empty spans go. A heading's tab becomes a space.
    """
    pieces: list[Span] = []
    for span in spans:
        text = re.sub(r"\s+", " ", span.text)
        if span.op is not Op.KEEP:
            lead, core, tail = _edges(text)
            pieces += [Span(lead, Op.KEEP), Span(core, span.op), Span(tail, Op.KEEP)]
        else:
            pieces.append(Span(text, Op.KEEP))
    merged: list[Span] = []
    for span in pieces:
        if not span.text:
            continue
        if merged and merged[-1].op is span.op:
            merged[-1] = Span(re.sub(r"\s+", " ", merged[-1].text + span.text), span.op)
        else:
            merged.append(span)
    if merged:
        merged[0] = Span(merged[0].text.lstrip(), merged[0].op)
        merged[-1] = Span(merged[-1].text.rstrip(), merged[-1].op)
    return [span for span in merged if span.text]


def _edges(text: str) -> tuple[str, str, str]:
    core = text.strip()
    if not core:
        return text, "", ""
    start = text.index(core)
    return text[:start], core, text[start + len(core) :]


@dataclass
class MarkupBlock:
    """One paragraph, list item, table row or heading line of a mark-up excerpt.

    A table row keeps its cells in ``cells``, each a list of spans; other blocks use ``spans``.
    A block whose text is all inserted is a new block; all deleted, a removed block.
    """

    kind: MarkupKind
    spans: list[Span] = field(default_factory=list)
    cells: list[list[Span]] = field(default_factory=list)
    label: str = ""
    level: int = 0

    def all_spans(self) -> list[Span]:
        if self.kind is MarkupKind.TABLE_ROW:
            return [span for cell in self.cells for span in cell]
        return self.spans

    @property
    def op(self) -> Op:
        """Return INSERT or DELETE when the whole block is inserted or deleted, else KEEP."""
        ops = {span.op for span in self.all_spans() if span.text.strip()}
        return ops.pop() if len(ops) == 1 and Op.KEEP not in ops else Op.KEEP

    def text(self, *, after: bool) -> str:
        """Return the text as the mark-up shows it before (``after=False``) or after the change."""
        hide = Op.DELETE if after else Op.INSERT
        if self.kind is MarkupKind.TABLE_ROW:
            return "\t".join(
                "".join(s.text for s in cell if s.op is not hide) for cell in self.cells
            )
        return "".join(span.text for span in self.spans if span.op is not hide)

    @property
    def marked(self) -> bool:
        return any(span.op is not Op.KEEP and span.text.strip() for span in self.all_spans())


class Action(StrEnum):
    AMEND = "amend"
    ADD_TERM = "add_term"
    AMEND_TERM = "amend_term"
    DELETE_TERM = "delete_term"


@dataclass(frozen=True)
class Target:
    """What a change amends: a clause of a document, or its glossary."""

    document: str
    clause: str | None = None

    @property
    def glossary(self) -> bool:
        return self.clause is None

    def __str__(self) -> str:
        return f"{self.document} {self.clause or 'Glossary'}"


@dataclass
class Change:
    """One numbered instruction of "Required Changes to Documentation" and its mark-up.

    ``revised_by`` and ``revised_on`` are the author and date of the mark-up's tracked changes,
    when it was made with Word's track changes.
    """

    number: int
    instruction: str
    target: Target | None
    action: Action = Action.AMEND
    term: str | None = None
    run_on_before: bool = False
    run_on_after: bool = False
    markup: list[MarkupBlock] = field(default_factory=list)
    problem: str | None = None
    revised_by: str = ""
    revised_on: str = ""
    location: Location | None = field(default=None, compare=False)


@dataclass(frozen=True)
class MarkupStyle:
    """How formatting shows a mark-up when an excerpt has no tracked changes."""

    insert_colors: frozenset[str] = frozenset({"0000FF"})
    delete_colors: frozenset[str] = frozenset({"FF0000"})

    def op(self, strike: bool, underline: bool, color: str) -> Op:
        if strike or color in self.delete_colors:
            return Op.DELETE
        if underline or color in self.insert_colors:
            return Op.INSERT
        return Op.KEEP


SECTION_NAMES = ("Description", "Proposed Position", "Interoperability and / or Compatibility")


@dataclass
class Proposal:
    """An IRP: its metadata, prose sections and changes, in the order the IRP gives them."""

    irp: str
    issues_log_id: str = ""
    title: str = ""
    source: str = ""
    date: str = ""
    date_raised: str = ""
    status: str = ""
    references: list[str] = field(default_factory=list)
    ts_version: str = ""
    impact_on_previous: str = ""
    attachments: str = ""
    sections: dict[str, str] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    file: str = field(default="", compare=False)
