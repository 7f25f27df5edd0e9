"""word/document.xml: the title and front matter, numbered headings, paragraphs, list items and
tables, each line possibly marked as a tracked insertion or deletion."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spectrace.model import BlockKind, Clause, Document, Op
from spectrace.model.marks import MarkedClause
from spectrace.writers.docx.marks import Tracker, plain_run
from spectrace.writers.docx.numbering import NO_NUMBER, ListRun, Numbering, num_pr
from spectrace.writers.docx.package import SECTION
from spectrace.writers.docx.xmltext import ROOT_NS, XML_DECL

#: The width of the text on the page, in twips: tables fill it.
TEXT_WIDTH = 9026


@dataclass
class Line:
    """One paragraph, list item or table row as it will be written.

    ``cells`` holds the runs (XML) of each cell, one for a paragraph; rows with the same
    ``table`` form one table; ``op`` marks a line wholly inserted or deleted, by change
    ``change`` of ``irp``.
    """

    kind: BlockKind
    cells: list[str]
    label: str = ""
    level: int = 0
    header: bool = False
    table: object = None
    op: Op = Op.KEEP
    irp: str = ""
    change: int = 0


class Body:
    """Writes the body of one document through ``emit``, numbering as it goes."""

    def __init__(self, emit: Callable[[str], None], numbering: Numbering, tracker: Tracker):
        self.emit = emit
        self.numbering = numbering
        self.tracker = tracker
        self._after_table = False

    def start(self, document: Document) -> None:
        """Write the opening tags, the title, subtitle and front matter."""
        self.emit(f"{XML_DECL}<w:document {ROOT_NS}><w:body>")
        for style, value in (("Title", document.title), ("Subtitle", document.subtitle)):
            if value:
                self._paragraph(plain_run(value), style)
        for value in document.front_matter:
            self._paragraph(plain_run(value), "Notice")

    def heading(self, clause: Clause) -> None:
        """Write a clause heading: its number comes from the heading list, never the text."""
        level = min(max(clause.level, 1), 9)
        numbering = self.numbering.heading(clause.number, level)
        self._paragraph(
            plain_run(clause.title) if clause.title else "", f"Heading{level}", numbering
        )

    def marked_heading(self, marked: MarkedClause) -> None:
        """Write the heading of a clause of the redline, its changes tracked.

        An inserted clause's heading is inserted, paragraph mark and all; a renamed one has
        its title words marked. The heading list numbers every heading the amended text has,
        so accepting the changes gives the clean edition, numbers included: a renumbered
        heading shows its new number from the list and its old one typed and deleted; a
        deleted heading is typed whole (number, tab, title), deleted, outside the list.
        """
        clause = marked.clause
        if marked.op is Op.KEEP and not marked.heading_changed:
            self.heading(clause)
            return
        level = min(max(clause.level, 1), 9)
        origin = (marked.irp, marked.change)
        title = self.tracker.runs(marked.title, marked.op, *origin)
        if marked.op is Op.DELETE:
            number = self.tracker.runs(marked.number, Op.DELETE, *origin)
            runs = number + self._deleted_tab(*origin) + title
            self._paragraph(runs, f"Heading{level}", NO_NUMBER, Op.DELETE, *origin)
            return
        numbering = self.numbering.heading(clause.number, level)
        old = [mark for mark in marked.number if mark.op is Op.DELETE]
        if marked.number_before:
            tab = self._deleted_tab(old[-1].irp, old[-1].change)
            title = self.tracker.runs(old) + tab + title
        self._paragraph(title, f"Heading{level}", numbering, marked.op, *origin)

    def _deleted_tab(self, irp: str, change: int) -> str:
        return f"<w:del{self.tracker.attrs(irp, change)}><w:r><w:tab/></w:r></w:del>"

    def lines(self, lines: list[Line]) -> None:
        """Write the lines of one clause: consecutive rows of one table become that table."""
        numbers = self._list_numbers(lines)
        marks = paragraph_marks(lines)
        index = 0
        while index < len(lines):
            line = lines[index]
            if line.kind is BlockKind.TABLE:
                end = _table_end(lines, index)
                self.table(lines[index:end])
                index = end
                continue
            if line.kind is BlockKind.LIST_ITEM:
                ilvl = min(max(line.level, 0), 8)
                numbering = num_pr(numbers[index], ilvl)
                self._paragraph(line.cells[0], "ListParagraph", numbering, *marks[index])
            else:
                self._paragraph(line.cells[0], "", "", *marks[index])
            index += 1

    def table(self, rows: list[Line], widths: list[int] | None = None) -> None:
        """Write one table with the TableGrid borders; header rows repeat on each page."""
        if self._after_table:
            self._paragraph("")
        columns = max(len(row.cells) for row in rows)
        widths = widths or _widths(columns)
        grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
        self.emit(
            '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/>'
            f'<w:tblW w:w="{TEXT_WIDTH}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
            f'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
        )
        for row in rows:
            self._row(row, widths)
        self.emit("</w:tbl>")
        self._after_table = True

    def end(self) -> None:
        """Write the section properties and the closing tags."""
        if self._after_table:
            self._paragraph("")
        self.emit(f"{SECTION}</w:body></w:document>")

    def _row(self, row: Line, widths: list[int]) -> None:
        mark = self.tracker.mark(row.op, row.irp, row.change)
        properties = ("<w:tblHeader/>" if row.header else "") + mark
        cells = row.cells + [""] * (len(widths) - len(row.cells))
        style = "TableHeading" if row.header else "TableText"
        self.emit(f"<w:tr><w:trPr>{properties}</w:trPr>" if properties else "<w:tr>")
        for runs, width in zip(cells, widths, strict=True):
            self.emit(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>')
            self._paragraph(runs, style, "", row.op, row.irp, row.change)
            self.emit("</w:tc>")
        self.emit("</w:tr>")

    def _paragraph(
        self,
        runs: str,
        style: str = "",
        numbering: str = "",
        op: Op = Op.KEEP,
        irp: str = "",
        change: int = 0,
    ) -> None:
        mark = self.tracker.mark(op, irp, change)
        properties = (
            (f'<w:pStyle w:val="{style}"/>' if style else "")
            + numbering
            + (f"<w:rPr>{mark}</w:rPr>" if mark else "")
        )
        self.emit(
            f"<w:p><w:pPr>{properties}</w:pPr>{runs}</w:p>" if properties else f"<w:p>{runs}</w:p>"
        )
        self._after_table = False

    def _list_numbers(self, lines: list[Line]) -> dict[int, int]:
        """Return the ``numId`` of each list item, by line index: a list is a run of items not
        broken by a line the amended text shows (a deleted paragraph does not break it)."""
        numbers: dict[int, int] = {}
        run: ListRun[int] | None = None  # keyed by line index
        for index, line in enumerate(lines):
            if line.kind is BlockKind.LIST_ITEM:
                run = run or ListRun(self.numbering)
                if line.op is Op.DELETE:
                    run.deleted_item(index, line.label, line.level)
                else:
                    run.item(index, line.label, line.level)
            elif line.op is not Op.DELETE and run is not None:
                run.finish()
                numbers.update(run.assigned)
                run = None
        if run is not None:
            run.finish()
            numbers.update(run.assigned)
        return numbers


def paragraph_marks(lines: list[Line]) -> list[tuple[Op, str, int]]:
    """Return the mark of each line's paragraph mark: (op, IRP, change).

    A wholly inserted or deleted paragraph marks its own paragraph mark, except paragraphs that
    end a clause after an unchanged one of the same kind: they are marked the way Word records
    Enter pressed (or a selection deleted) at the end of that paragraph, on its mark and on
    theirs but the last, so that accepting or rejecting them leaves the next heading alone in
    every word processor.
    """
    marks = [(line.op, line.irp, line.change) for line in lines]
    index = 0
    while index < len(lines):
        op = lines[index].op
        if op is Op.KEEP or not _text_line(lines[index]):
            index += 1
            continue
        last = index
        while last + 1 < len(lines) and _text_line(lines[last + 1]) and lines[last + 1].op is op:
            last += 1
        if last + 1 == len(lines) and index and _same_shape(lines[index - 1], lines[last]):
            for k in range(index - 1, last):
                marks[k] = (op, lines[k + 1].irp, lines[k + 1].change)
            marks[last] = (Op.KEEP, "", 0)
        index = last + 1
    return marks


def _text_line(line: Line) -> bool:
    return line.kind is not BlockKind.TABLE


def _same_shape(before: Line, after: Line) -> bool:
    """Return whether ``before`` is an unchanged paragraph that ``after`` could split from."""
    return (
        before.op is Op.KEEP
        and _text_line(before)
        and before.kind is after.kind
        and before.level == after.level
    )


def _table_end(lines: list[Line], start: int) -> int:
    """Return the index after the last row of the table whose first row is ``lines[start]``."""
    end = start + 1
    while end < len(lines) and lines[end].kind is BlockKind.TABLE:
        if lines[end].table is not lines[start].table:
            break
        end += 1
    return end


def _widths(columns: int) -> list[int]:
    """Return equal column widths filling the text width (a two-column table: 30% / 70%)."""
    if columns == 2:
        return [2708, TEXT_WIDTH - 2708]
    share = TEXT_WIDTH // columns
    return [share] * (columns - 1) + [TEXT_WIDTH - share * (columns - 1)]
