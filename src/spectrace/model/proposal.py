"""Issue Resolution Proposals: metadata, prose, and the mark-ups that amend specifications."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import MISSING, dataclass, field, fields
from enum import StrEnum
from typing import Any

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
    """What a change does. Structural actions name the clause in ``Change.target`` and, where
    they place one, the clause it follows in ``Change.after``."""

    AMEND = "amend"  # edit the target clause as the mark-up shows (a heading line renames it)
    ADD_TERM = "add_term"
    AMEND_TERM = "amend_term"
    DELETE_TERM = "delete_term"
    INSERT_CLAUSE = "insert_clause"  # a new clause numbered as the target, after ``after``; the
    # mark-up (all inserted) is its heading line and body
    DELETE_CLAUSE = "delete_clause"  # the target clause, with its sub-clauses, in its entirety
    WITHDRAW_CLAUSE = "withdraw_clause"  # number and heading kept, body gone ("Not used")
    RENUMBER_CLAUSE = "renumber_clause"  # the target takes ``new_number`` (and moves after
    # ``after`` when given), with its sub-clauses

    @property
    def structural(self) -> bool:
        """Whether the action adds, removes, withdraws or renumbers a clause."""
        return self in (
            Action.INSERT_CLAUSE,
            Action.DELETE_CLAUSE,
            Action.WITHDRAW_CLAUSE,
            Action.RENUMBER_CLAUSE,
        )


@dataclass(frozen=True)
class Target:
    """What a change amends: a clause of a document, or its glossary.

    An empty ``document`` leaves the document to the context: the instruction named only a
    clause ("Insert new Section 4.6.4.10 after Section 4.6.4.9"), and the amendment applies
    the change to the one document of the project that has it.
    """

    document: str
    clause: str | None = None

    @property
    def glossary(self) -> bool:
        return self.clause is None

    def __str__(self) -> str:
        return " ".join(part for part in (self.document, self.clause or "Glossary") if part)


@dataclass
class Change:
    """One numbered instruction of "Required Changes to Documentation" and its mark-up.

    ``revised_by`` and ``revised_on`` are the author and date of the mark-up's tracked changes,
    when it was made with Word's track changes. :data:`CHANGE_OPTIONS` says how IRP-as-code
    writes each field; the readers and writers derive from it.
    """

    number: int
    instruction: str
    target: Target | None
    action: Action = Action.AMEND
    term: str | None = None
    run_on_before: bool = False
    run_on_after: bool = False
    markup: list[MarkupBlock] = field(default_factory=list)
    after: str = ""  # the clause a new or moved clause follows (INSERT_CLAUSE, RENUMBER_CLAUSE)
    new_number: str = ""  # the number the target takes (RENUMBER_CLAUSE)
    problem: str | None = None
    revised_by: str = ""
    revised_on: str = ""
    source: str = ""  # PICTURE when the mark-up was read from a picture, else typed text
    confidence: float | None = None  # how sure the picture's reading is, 0–1
    corrections: str = ""  # what reconciling the reading with its clause corrected
    doubtful: str = ""  # inserted words OCR read with low confidence, separated by spaces
    unverified: str = ""  # why a picture's reading could not be checked; refused while set
    location: Location | None = field(default=None, compare=False)


#: ``Change.source`` of a mark-up read from a picture (OCR).
PICTURE = "picture"
#: How the outputs label a change whose mark-up was read from a picture.
READ_FROM_PICTURE = "read from a picture"


def picture_note(confidence: float | None) -> str:
    """Return how the outputs describe a change read from a picture: "read from a picture,
    confidence 0.93", or "read from a picture" when its confidence is not known."""
    if confidence is None:
        return READ_FROM_PICTURE
    return f"{READ_FROM_PICTURE}, confidence {confidence:.2f}"


def picture_changes(proposals: Iterable[Proposal]) -> dict[tuple[str, int], Change]:
    """Return the changes of ``proposals`` whose mark-up was read from a picture, by (IRP,
    change number): what the outputs look a revision or a refused change up in."""
    return {
        (proposal.irp, change.number): change
        for proposal in proposals
        for change in proposal.changes
        if change.source == PICTURE
    }


#: Why a picture's reading is unverified until it is checked against its clause.
NOT_CHECKED = "not yet checked against its clause (import it in a project that has the clause)"


class FieldKind(StrEnum):
    """What a field holds: how IRP-as-code writes it, and what a reader checks in it."""

    TEXT = "text"  # any text; nothing when not given
    NAME = "name"  # text never empty when given (a glossary term)
    DATE = "date"  # a date, YYYY-MM-DD; nothing when not known
    LIST = "list"  # texts, written on one line separated by ", "
    TARGET = "target"  # a Target, written "SMETS 4.4.5", "CHTS Glossary" or a bare "4.6.4.10"
    CLAUSE = "clause"  # a clause number (4.6.4.9A); nothing when not given
    ACTION = "action"  # an Action; the default (amend) is not written
    SIDES = "sides"  # flags, written as the words of those set ("before after")
    SOURCE = "source"  # where a mark-up came from: "picture", or nothing for typed text
    SHARE = "share"  # a number from 0 to 1, written with two decimals; nothing when not known


@dataclass(frozen=True)
class ChangeOption:
    """One option of ``spec:change`` (IRP-as-code) and the Change attributes it holds.

    ``words`` name the flags of a SIDES option, one per attribute; ``always`` writes the option
    even when it holds nothing.
    """

    option: str
    attributes: tuple[str, ...]
    kind: FieldKind = FieldKind.TEXT
    words: tuple[str, ...] = ()
    always: bool = False

    def text(self, change: Change) -> str | None:
        """Return the option's value in ``change`` as IRP-as-code writes it, or None when the
        option is left out."""
        values = [getattr(change, attribute) for attribute in self.attributes]
        if self.kind is FieldKind.SIDES:
            text = " ".join(word for word, on in zip(self.words, values, strict=True) if on)
        elif self.kind is FieldKind.ACTION:
            text = "" if values[0] is Action.AMEND else values[0].value
        elif self.kind is FieldKind.SHARE:
            text = "" if values[0] is None else f"{values[0]:.2f}"
        else:
            text = str(values[0]) if values[0] else ""
        return text if text or self.always else None

    def values(self, value: Any) -> dict[str, Any]:
        """Return the attributes the option's value sets (``value`` is None when the option is
        not given; a TARGET is parsed by the reader, which names a bad one)."""
        if self.kind is FieldKind.SIDES:
            sides = value or frozenset()
            return {a: word in sides for a, word in zip(self.attributes, self.words, strict=True)}
        (attribute,) = self.attributes
        if value is None:
            return {attribute: _CHANGE_DEFAULTS[attribute]}
        return {attribute: Action(value) if self.kind is FieldKind.ACTION else value}


#: The sides a change's mark-up runs on to the text around it (``:run-on: before after``).
RUN_ON = ("before", "after")
#: The options of ``spec:change``, in the order IRP-as-code writes them. With the directive's
#: argument (``number``) and content (``markup``) they hold every field of a Change but where
#: it was read from (``location``).
CHANGE_OPTIONS = (
    ChangeOption("target", ("target",), FieldKind.TARGET),
    ChangeOption("instruction", ("instruction",), always=True),
    ChangeOption("action", ("action",), FieldKind.ACTION),
    ChangeOption("term", ("term",), FieldKind.NAME),
    ChangeOption("after", ("after",), FieldKind.CLAUSE),
    ChangeOption("new-number", ("new_number",), FieldKind.CLAUSE),
    ChangeOption("run-on", ("run_on_before", "run_on_after"), FieldKind.SIDES, RUN_ON),
    ChangeOption("problem", ("problem",)),
    ChangeOption("revised-by", ("revised_by",)),
    ChangeOption("revised-on", ("revised_on",), FieldKind.DATE),
    ChangeOption("source", ("source",), FieldKind.SOURCE),
    ChangeOption("confidence", ("confidence",), FieldKind.SHARE),
    ChangeOption("corrections", ("corrections",)),
    ChangeOption("doubtful", ("doubtful",)),
    ChangeOption("unverified", ("unverified",)),
)
#: What an option not given leaves each attribute at: the field's default ("" without one).
_CHANGE_DEFAULTS: dict[str, Any] = {
    f.name: "" if f.default is MISSING else f.default for f in fields(Change)
}


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
    """An IRP: its metadata, prose sections and changes, in the order the IRP gives them.

    :data:`PROPOSAL_FIELDS` names each metadata field in every format; the readers, writers,
    database and site derive from it.
    """

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


@dataclass(frozen=True)
class MetadataField:
    """One metadata field of a proposal, as each format names it.

    ``attribute`` is the Proposal attribute, which is also the JSON key and the database column;
    ``option`` the ``spec:proposal`` option of IRP-as-code; ``label`` the row of the metadata
    table the site shows; ``word`` the labels of the row of a Word IRP's table that holds it,
    the first as the IRP template writes it; ``closing`` says that table is the closing one
    ("TS version for incorporation" …), not the metadata table at the top.
    """

    attribute: str
    option: str
    label: str
    word: tuple[str, ...]
    kind: FieldKind = FieldKind.TEXT
    closing: bool = False

    def text(self, proposal: Proposal) -> str:
        """Return the field's value in ``proposal`` as one line ("" when it has none)."""
        value = getattr(proposal, self.attribute)
        return ", ".join(value) if self.kind is FieldKind.LIST else value

    def value(self, text: str) -> str | list[str]:
        """Return the value an IRP-as-code option's ``text`` stands for."""
        if self.kind is FieldKind.LIST:
            return [item.strip() for item in text.split(",") if item.strip()]
        return text


#: A proposal's metadata, in the order IRP-as-code, the JSON form, the database and the site
#: give it. With the IRP number (``irp``), the prose ``sections``, the ``changes`` and where
#: it was read from (``file``) they are every field of a Proposal.
PROPOSAL_FIELDS = (
    MetadataField("issues_log_id", "issues-log-id", "Issues log id", ("Issues Log ID",)),
    MetadataField("title", "title", "Title", ("Issue Title",)),
    MetadataField("source", "source", "Source", ("Source",)),
    MetadataField("date", "date", "Date", ("Date",), FieldKind.DATE),
    MetadataField("date_raised", "date-raised", "Date raised", ("Date Raised",), FieldKind.DATE),
    MetadataField("status", "status", "Status", ("Status",)),
    MetadataField(
        "references",
        "references",
        "Documentation references",
        ("Documentation Reference",),
        FieldKind.LIST,
    ),
    MetadataField(
        "ts_version", "ts-version", "TS version", ("TS version for incorporation",), closing=True
    ),
    MetadataField(
        "impact_on_previous",
        "impact-on-previous",
        "Impact on previous releases",
        ("Impact on previous IRPs",),
        closing=True,
    ),
    MetadataField(
        "attachments", "attachments", "Attachments", ("Attachment(s)", "Attachments"), closing=True
    ),
)
#: The labels of the row of a Word IRP's metadata table that holds the IRP number.
IRP_NUMBER_WORD = ("Issue Resolution Proposal", "Issue Resolution Proposal Number")
