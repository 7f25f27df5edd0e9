"""Read an Issue Resolution Proposal from Word.

The metadata and closing tables, the prose sections and the numbered instructions under
"Required Changes to Documentation" are read in the accepted view (a left-over tracked change
in the narrative is not a mark-up). Each instruction's excerpt is read with its marks: Word
tracked changes when the excerpt has any, otherwise formatting (struck-through text deleted,
underlined or coloured text inserted).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from spectrace.errors import ReadError
from spectrace.model import (
    Action,
    Change,
    Location,
    MarkupBlock,
    MarkupKind,
    Op,
    Proposal,
    Span,
)
from spectrace.model.proposal import (
    IRP_NUMBER_WORD,
    PICTURE,
    PROPOSAL_FIELDS,
    SECTION_NAMES,
    FieldKind,
    MarkupStyle,
    MetadataField,
    normalize_spans,
)
from spectrace.model.refs import (
    CLAUSE_NUMBER_PATTERN,
    is_irp_number,
    split_heading,
)
from spectrace.readers.docx.instruction import (
    AT_INSTRUCTION,
    parse_instruction,
    starts_structural,
)
from spectrace.readers.docx.numbering import Numbering, display_label
from spectrace.readers.docx.ooxml import (
    DELETED,
    INSERTED,
    Paragraph,
    Row,
    Table,
)
from spectrace.readers.docx.ooxml import Span as RawSpan
from spectrace.readers.docx.package import Package
from spectrace.readers.docx.parts import open_parts
from spectrace.readers.docx.styles import Styles
from spectrace.readers.picture import PictureError, give, read_picture
from spectrace.text import squash

CHANGES_HEADING = "Required Changes to Documentation"
#: The labels of the metadata table at the top and of the closing table, as the table's first
#: column writes them (lower case, without a colon), each with the attribute its row holds.
_METADATA = {
    **{label.lower(): "irp" for label in IRP_NUMBER_WORD},
    **{label.lower(): f.attribute for f in PROPOSAL_FIELDS if not f.closing for label in f.word},
}
_CLOSING = {label.lower(): f.attribute for f in PROPOSAL_FIELDS if f.closing for label in f.word}
_RUN_ON_BEFORE = re.compile(r"^<\s*(?:…|\.\.\.)?\s*run\s+on\s+from\s+existing\s+text\s*>$", re.I)
_RUN_ON_AFTER = re.compile(r"^<\s*run\s+on\s+as\s+is\s*(?:…|\.\.\.)?\s*>$", re.I)

_HEADING_LINE = re.compile(rf"^{CLAUSE_NUMBER_PATTERN}\t")
_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%Y-%m-%d", "%d/%m/%Y", "%B %d, %Y", "%d.%m.%Y")
#: What a metadata table writes for a date not known yet.
_NOT_KNOWN = {"", "TBC", "TBA", "TBD", "N/A", "NA", "NONE"}


def read_docx_irp(path: Path, style: MarkupStyle | None = None) -> Proposal:
    """Return the proposal in the Word file ``path``."""
    with Package(path) as package:
        parts = open_parts(package)
        builder = _Builder(path.name, parts.styles, parts.numbering, style or MarkupStyle())
        for item in parts.body:
            builder.add(item)
        builder.image = partial(_image, package)
        return builder.proposal()


def _image(package: Package, rel_id: str) -> bytes:
    """Return the bytes of the image the main part relates as ``rel_id``; raise PictureError
    when there is none or it is over the limit."""
    part = package.target(package.main, rel_id)
    if part is None:
        raise PictureError(f"the picture's image ({rel_id}) is not in the file")
    try:
        return package.read(part)
    except ReadError as exc:
        raise PictureError(f"the picture's image cannot be read ({exc.message})") from None


@dataclass
class _Excerpt:
    """A change while it is read: the raw paragraphs and rows of its mark-up."""

    change: Change
    items: list[tuple[Paragraph | Row, str, int]] = field(default_factory=list)
    pictures: int = 0
    images: list[str] = field(default_factory=list)
    closed: bool = False


class _Builder:
    """Follow the IRP's layout item by item: metadata, prose sections, changes, closing table."""

    def __init__(self, file: str, styles: Styles, numbering: Numbering, style: MarkupStyle):
        self.file = file
        self.styles = styles
        self.numbering = numbering
        self.style = style
        self.fields: dict[str, str] = {}
        self.sections: dict[str, list[str]] = {}
        self.section: str | None = None
        self.excerpts: list[_Excerpt] = []
        self.in_changes = False
        self.instruction_list: str | None = None
        self.image: Callable[[str], bytes] | None = None  # an image's bytes by its r:embed id

    def add(self, item: Paragraph | Table) -> None:
        if isinstance(item, Table):
            self._table(item)
        elif not item.in_toc:
            self._paragraph(item)

    def _paragraph(self, para: Paragraph) -> None:
        numbered = self.numbering.resolve(para.style, para.num_id, para.ilvl)
        label = squash(self.numbering.next_label(*numbered)) if numbered else ""
        text = squash(para.text())
        heading = _section_heading(text)
        if heading == CHANGES_HEADING:
            self.in_changes, self.section = True, None
        elif heading and not self.in_changes:
            self.section = heading
            rest = squash(text.split(":", 1)[1]) if ":" in text else ""
            self.sections[heading] = [rest] if rest else []
        elif self.in_changes:
            self._change_paragraph(para, text, label, numbered)
        elif self.section and text:
            line = f"{display_label(label)} {text}" if label else text
            self.sections[self.section].append(line)

    def _change_paragraph(
        self, para: Paragraph, text: str, label: str, numbered: tuple[str, int] | None
    ) -> None:
        level = numbered[1] if numbered else 0
        if numbered is not None and level == 0 and not self.excerpts:
            self.instruction_list = numbered[0]  # the first numbered list holds the instructions
        listed = numbered is not None and level == 0 and numbered[0] == self.instruction_list
        if AT_INSTRUCTION.match(text) or listed or _structural_start(para, text, self.style):
            # An item of the instructions' numbered list is an instruction even when its
            # target cannot be read: that is an error, not text to merge into another change.
            where = Location(self.file, f"paragraph {para.index}")
            number = _change_number(label, where)
            number = len(self.excerpts) + 1 if number is None else number
            self.excerpts.append(_Excerpt(Change(number, text, None, location=where)))
            return
        if not self.excerpts:
            return
        excerpt = self.excerpts[-1]
        if _RUN_ON_BEFORE.match(text):
            excerpt.change.run_on_before = True
        elif _RUN_ON_AFTER.match(text):
            excerpt.change.run_on_after = True
            excerpt.closed = True
        elif excerpt.closed and not _tracked(para) and not _formatted(para, self.style):
            return  # a note after the excerpt's end, not mark-up
        elif para.text("original").strip() or text:
            excerpt.items.append((para, label, level))
        elif para.pictures:
            excerpt.pictures += para.pictures
            excerpt.images += para.images

    def _table(self, table: Table) -> None:
        labels = [
            squash(row.cells[0].text()).rstrip(":").lower() for row in table.rows if row.cells
        ]
        if labels and sum(label in _METADATA for label in labels) >= 2 and not self.fields:
            self._label_table(table, _METADATA)
        elif any(labels) and all(label in _CLOSING for label in labels if label):
            self._label_table(table, _CLOSING)
        elif self.in_changes and self.excerpts:
            self.excerpts[-1].items += [(row, "", 0) for row in table.rows]

    def _label_table(self, table: Table, names: dict[str, str]) -> None:
        for row in table.rows:
            if len(row.cells) >= 2:
                label = squash(row.cells[0].text()).rstrip(":").lower()
                if label in names:
                    self.fields[names[label]] = squash(" ".join(row.text()[1:]))

    def value(self, field: MetadataField) -> str | list[str]:
        """Return the metadata ``field`` as its table row gives it ("" when there is none)."""
        text = self.fields.get(field.attribute, "")
        if field.kind is FieldKind.LIST:
            return split_references(text)
        if field.kind is FieldKind.DATE:
            return self.date(field.attribute, field.word[0])
        return text

    def date(self, key: str, label: str) -> str:
        """Return the metadata date ``key`` as an ISO date ("" when not known yet); a value
        that is no date is an error, not a date silently made up or passed on."""
        text = self.fields.get(key, "")
        found = iso_date(text)
        if found is None:
            raise ReadError(
                f"{label} '{text}' is not a date (write e.g. 11 July 2019 or 11/07/2019)",
                file=self.file,
                where="metadata table",
            )
        return found

    def proposal(self) -> Proposal:
        if "irp" not in self.fields:
            raise ReadError(
                "no metadata table with the Issue Resolution Proposal number; is this an IRP?",
                file=self.file,
            )
        irp = self.fields["irp"]
        if not is_irp_number(irp):
            raise ReadError(f"'{irp}' is not an IRP number (e.g. IRP603)", file=self.file)
        metadata: dict[str, Any] = {field.attribute: self.value(field) for field in PROPOSAL_FIELDS}
        proposal = Proposal(
            irp,
            **metadata,
            sections={name: "\n".join(lines) for name, lines in self.sections.items()},
            file=self.file,
        )
        for excerpt in self.excerpts:
            proposal.changes.append(self._finish(excerpt))
        return proposal

    def _finish(self, excerpt: _Excerpt) -> Change:
        change = excerpt.change
        said = parse_instruction(change.instruction, file=self.file, number=change.number)
        change.target, change.action, change.term = said.target, said.action, said.term
        change.after, change.new_number = said.after, said.new_number
        tracked = any(_tracked(item) for item, _, _ in excerpt.items)
        for item, label, level in excerpt.items:
            change.markup.append(self._block(item, label, level, tracked))
        if excerpt.images and not any(block.marked for block in change.markup):
            self._pictures(change, excerpt.images)
            return change
        if change.action.structural:
            change.problem = _structural_problem(change, excerpt, tracked)
        else:
            change.problem = _markup_problem(change, excerpt, tracked)
        if tracked:
            change.revised_by, change.revised_on = _revision_mark(excerpt)
        return change

    def _pictures(self, change: Change, images: list[str]) -> None:
        """Read the change's mark-up from its pictures (:mod:`spectrace.readers.picture`). It
        is unverified until checked against its clause
        (:func:`spectrace.transforms.reconcile.reconcile_pictures`)."""
        assert self.image is not None, "read_docx_irp gives the builder its images"
        try:
            readings = [read_picture(self.image(rel_id), self.style) for rel_id in images]
        except PictureError as why:
            change.source, change.markup = PICTURE, []
            change.problem = f"the mark-up is a picture that cannot be read: {why}"
            return
        give(change, readings)

    def _block(self, item: Paragraph | Row, label: str, level: int, tracked: bool) -> MarkupBlock:
        if isinstance(item, Row):
            whole = _row_op(item)
            cells = [
                self._spans(_cell_spans(cell.paragraphs), tracked, whole) for cell in item.cells
            ]
            return MarkupBlock(MarkupKind.TABLE_ROW, cells=cells)
        spans = self._spans(item.spans, tracked, None)
        if (
            _HEADING_LINE.match(item.text("original"))
            or _HEADING_LINE.match(item.text())
            or self.styles.heading_level(item.style, item.outline)
        ):
            return MarkupBlock(MarkupKind.HEADING, spans)
        if label:
            return MarkupBlock(MarkupKind.LIST_ITEM, spans, label=display_label(label), level=level)
        return MarkupBlock(MarkupKind.PARAGRAPH, spans)

    def _spans(self, raw: list[RawSpan], tracked: bool, whole: Op | None) -> list[Span]:
        """Return the spans of ``raw`` with their mark-up ops, in canonical form."""
        return normalize_spans(
            [
                Span(
                    piece.text,
                    whole
                    or (
                        _tracked_op(piece)
                        if tracked
                        else self.style.op(piece.strike, piece.underline, piece.color)
                    ),
                )
                for piece in raw
            ]
        )


def _structural_start(para: Paragraph, text: str, style: MarkupStyle) -> bool:
    """Return whether ``para`` starts a change with a verb and the clause it acts on
    (:func:`~.instruction.starts_structural`) and is not a marked paragraph of an excerpt."""
    return starts_structural(text) and not _tracked(para) and not _formatted(para, style)


def iso_date(text: str) -> str | None:
    """Return ``text`` ("11 July 2019") as an ISO date; "" when it says the date is not known
    yet ("TBC", "-", empty); None when it is not a date."""
    cleaned = squash(re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text))
    if cleaned.strip(" .-–—/").upper() in _NOT_KNOWN:
        return ""
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, pattern).date().isoformat()
        except ValueError:
            continue
    return None


def split_references(text: str) -> list[str]:
    """Return the documents a "Documentation Reference" lists: "SMETS v4.2, CHTS v1.3"."""
    return [part.strip() for part in re.split(r"\s*(?:,|;|\band\b)\s*", text) if part.strip()]


def _section_heading(text: str) -> str | None:
    head = re.sub(r"\s*/\s*", " / ", text.split(":", 1)[0]).strip().lower()
    for name in (*SECTION_NAMES, CHANGES_HEADING):
        if head == name.lower():
            return name
    return None


def _change_number(label: str, where: Location) -> int | None:
    """Return the number an instruction's list label starts with ("3." -> 3), if any."""
    leading = re.match(r"\d+", label)
    if leading is None:
        return None
    if len(leading.group()) > 6:
        raise ReadError(
            f"change number {leading.group()[:20]} is not a change number (1 to 999999)",
            file=where.file,
            where=where.where,
        )
    return int(leading.group())


def _tracked(item: Paragraph | Row) -> bool:
    if isinstance(item, Row):
        return item.change is not None or any(
            _tracked(p) for cell in item.cells for p in cell.paragraphs
        )
    return item.mark is not None or any(span.change for span in item.spans)


def _revision_mark(excerpt: _Excerpt) -> tuple[str, str]:
    """Return the author and ISO date of the first tracked change in an excerpt."""
    for item, _, _ in excerpt.items:
        paragraphs = (
            [p for c in item.cells for p in c.paragraphs] if isinstance(item, Row) else [item]
        )
        for paragraph in paragraphs:
            for span in paragraph.spans:
                if span.change and span.author:
                    return span.author, _day(span.date)
            if paragraph.mark and paragraph.mark_author:
                return paragraph.mark_author, _day(paragraph.mark_date)
    return "", ""


def _day(stamp: str) -> str:
    """Return the day of a tracked change's ``w:date`` (2019-07-11T10:00:00Z), or "" when the
    attribute is missing or no date (it is optional; the proposal's date stands in)."""
    day = stamp[:10]
    return day if iso_date(day) == day and re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) else ""


def _formatted(paragraph: Paragraph, style: MarkupStyle) -> bool:
    return any(
        style.op(s.strike, s.underline, s.color) is not Op.KEEP
        for s in paragraph.spans
        if s.text.strip()
    )


#: The operation of a tracked change mark; an unmarked span or row (None) has none.
_CHANGE_OPS: dict[str | None, Op] = {INSERTED: Op.INSERT, DELETED: Op.DELETE}


def _tracked_op(span: RawSpan) -> Op:
    return _CHANGE_OPS.get(span.change, Op.KEEP)


def _row_op(row: Row) -> Op | None:
    return _CHANGE_OPS.get(row.change)


def _cell_spans(paragraphs: list[Paragraph]) -> list[RawSpan]:
    """Return the spans of a cell's paragraphs with a space between paragraphs."""
    spans: list[RawSpan] = []
    for index, paragraph in enumerate(paragraphs):
        spans += ([RawSpan(" ")] if index else []) + paragraph.spans
    return spans


def _markup_problem(change: Change, excerpt: _Excerpt, tracked: bool) -> str | None:
    if not any(block.marked for block in change.markup):
        if excerpt.pictures:
            return "the mark-up is an image; supply it as text"
        return "the mark-up marks no insertion or deletion"
    if tracked:
        return _paragraph_mark_problem(excerpt)
    return None


def _structural_problem(change: Change, excerpt: _Excerpt, tracked: bool) -> str | None:
    """Check (and for a new clause, shape) the mark-up of a structural change; return why it
    cannot be used, or None.

    A new clause's mark-up becomes its blocks, all inserted, from its heading line on: the
    first wholly inserted heading line, else (an excerpt that shows the new clause as plain
    text, or only its body marked) the first heading line. A deleted clause's mark-up may
    be empty, plain or struck through, never inserted. A withdrawn or renumbered clause's
    mark-up is kept as it is, and may be left out (the instruction says it all); any heading
    line in these must name the clause.
    """
    problem = _paragraph_mark_problem(excerpt) if tracked else None
    if problem is not None:
        return problem
    if change.action is Action.INSERT_CLAUSE:
        if excerpt.pictures and not change.markup:
            return "the mark-up is an image; supply it as text"
        problem = _new_clause(change)
    inserts = any(span.op is Op.INSERT for b in change.markup for span in b.all_spans())
    if change.action is Action.DELETE_CLAUSE and inserts:
        return "the mark-up of a deleted clause inserts text; show the clause struck through"
    return problem or _heading_number_problem(change)


def _new_clause(change: Change) -> str | None:
    """Make ``change.markup`` the new clause's blocks, all inserted; return why it cannot."""
    assert change.target is not None and change.target.clause, "an insertion names its clause"
    number, blocks = change.target.clause, change.markup
    if not blocks:
        return f"no mark-up: the new clause needs its heading line ('{number} Title') and text"
    wholly = [i for i, b in enumerate(blocks) if _heading_of(b, number) and b.op is Op.INSERT]
    plain = [i for i, b in enumerate(blocks) if _heading_of(b, number)]
    if not plain:
        return f"the mark-up has no heading line for the new clause; start it with '{number} Title'"
    start = (wholly or plain)[0]
    if any(block.marked for block in blocks[:start]):
        return (
            "the mark-up changes text before the new clause's heading line; "
            "give that change on its own"
        )
    for block in blocks[start:]:
        if any(span.op is Op.DELETE for span in block.all_spans()):
            return "the mark-up deletes text from the new clause; a new clause is all inserted"
        if wholly and block.op is not Op.INSERT:
            return (
                f"'{_short(block.text(after=True))}' follows the new heading line but is not "
                "inserted; a new clause is all inserted"
            )
    heading, *body = blocks[start:]
    line = heading.text(after=True)
    if split_heading(line)[0] is None:  # numbered by Word, not in the text
        line = f"{number} {line}"
    change.markup = [MarkupBlock(MarkupKind.HEADING, _all_inserted([Span(line)]))] + [
        MarkupBlock(
            block.kind,
            _all_inserted(block.spans),
            [_all_inserted(cell) for cell in block.cells],
            block.label,
            block.level,
        )
        for block in body
    ]
    return None


def _heading_of(block: MarkupBlock, number: str) -> bool:
    """Return whether ``block`` is a heading line, or a paragraph that starts with ``number``."""
    if block.kind is MarkupKind.HEADING:
        return True
    return block.kind is MarkupKind.PARAGRAPH and split_heading(block.text(after=True))[0] == number


def _all_inserted(spans: list[Span]) -> list[Span]:
    """Return the text of ``spans`` (none deleted) as one inserted span."""
    return normalize_spans([Span("".join(span.text for span in spans), Op.INSERT)])


def _heading_number_problem(change: Change) -> str | None:
    """Return a problem when the mark-up's first heading line names another clause than the
    instruction: the new clause's number, or the clause deleted, withdrawn or renumbered (and,
    when the line renumbers it, the new number)."""
    heading = next((b for b in change.markup if b.kind is MarkupKind.HEADING), None)
    if heading is None or change.target is None or not change.target.clause:
        return None
    before, after = (split_heading(heading.text(after=side))[0] for side in (False, True))
    said = change.target.clause
    if change.action is Action.INSERT_CLAUSE:
        if after != said:
            return f"the mark-up's heading line gives {after}, but the instruction inserts {said}"
        return None
    if before and before != said:
        return f"the mark-up's heading line is clause {before}, but the instruction names {said}"
    new = change.new_number
    if change.action is Action.RENUMBER_CLAUSE and after and after not in (said, new):
        return f"the mark-up renumbers the clause {after}, but the instruction gives {new}"
    return None


def _short(text: str, length: int = 40) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _paragraph_mark_problem(excerpt: _Excerpt) -> str | None:
    """Refuse paragraph marks that split or join paragraphs; allow Word's Enter-at-end pattern."""
    items = [item for item, _, _ in excerpt.items if isinstance(item, Paragraph)]
    for index, para in enumerate(items):
        if para.mark is None:
            continue
        whole = {INSERTED: Op.INSERT, DELETED: Op.DELETE}[para.mark]
        own = {_tracked_op(s) for s in para.spans if s.text.strip()}
        following = items[index + 1] if index + 1 < len(items) else None
        next_ops = (
            {_tracked_op(s) for s in following.spans if s.text.strip()} if following else set()
        )
        if own <= {whole} or next_ops == {whole}:
            continue
        verb = "splits" if whole is Op.INSERT else "joins"
        return f"the mark-up {verb} paragraphs (paragraph {para.index}); mark whole paragraphs"
    return None
