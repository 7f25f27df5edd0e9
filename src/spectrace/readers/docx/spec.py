"""Read a specification from Word: numbered headings become clauses, the rest their blocks.

Clause numbers come from Word's automatic numbering (or from numbers typed into the heading);
list items keep the labels Word shows; a two-column "Term | Definition" table (or any
two-column table under a "Glossary" heading) becomes the glossary. Tracked changes in a base
specification are read as accepted.
"""

from __future__ import annotations

from pathlib import Path

from spectrace.errors import ReadError
from spectrace.model import Block, BlockKind, Clause, Document, GlossaryEntry, Location
from spectrace.model.document import is_glossary_header
from spectrace.model.refs import is_clause_number, split_heading
from spectrace.readers.docx.numbering import Numbering, display_label
from spectrace.readers.docx.ooxml import DELETED, Paragraph, Row, Table
from spectrace.readers.docx.package import Package
from spectrace.readers.docx.parts import open_parts
from spectrace.readers.docx.styles import Styles
from spectrace.text import squash

_GLOSSARY_TITLES = ("glossary", "definitions", "defined terms", "interpretation")


def read_docx_spec(path: Path, document: str, edition: str) -> Document:
    """Return the specification in the Word file ``path`` as ``document`` at ``edition``."""
    with Package(path) as package:
        parts = open_parts(package)
        builder = _Builder(
            Document(document, edition, source=path.name), parts.styles, parts.numbering
        )
        for item in parts.body:
            builder.add(item)
    doc = builder.document
    if not any(clause.number for clause in doc.clauses):
        raise ReadError(
            "no numbered headings found; headings need a heading style or an outline level, "
            "and a number from Word's numbering or typed at the start",
            file=path.name,
        )
    return doc


class _Builder:
    """Assemble a document from body items in order."""

    def __init__(self, document: Document, styles: Styles, numbering: Numbering):
        self.document = document
        self.styles = styles
        self.numbering = numbering
        self.clause: Clause | None = None
        self.carried: list[str] = []  # text of paragraphs whose mark was deleted, joined once

    def add(self, item: Paragraph | Table) -> None:
        if isinstance(item, Table):
            self._table(item)
        elif not item.in_toc:
            self._paragraph(item)

    def _location(self, index: int) -> Location:
        return Location(self.document.source, f"paragraph {index}")

    def _paragraph(self, para: Paragraph) -> None:
        if para.mark == DELETED:
            # Accepting the deletion of a paragraph mark joins the text to the next paragraph,
            # which keeps its own properties; a paragraph deleted outright takes no number.
            self.carried.append(para.text())
            return
        numbered = self.numbering.resolve(para.style, para.num_id, para.ilvl)
        label = self.numbering.next_label(*numbered) if numbered else None
        text = squash("".join(self.carried) + para.text())
        self.carried = []
        level = self.styles.heading_level(para.style, para.outline)
        if level:
            self._heading(para, level, label, text)
        elif not text:
            return
        elif self.clause is None:
            self._front_matter(para, text)
        elif label is not None:
            self.clause.blocks.append(
                Block(
                    BlockKind.LIST_ITEM,
                    text,
                    label=display_label(label),
                    level=numbered[1],
                    location=self._location(para.index),
                )
            )
        else:
            self.clause.blocks.append(
                Block(BlockKind.PARAGRAPH, text, location=self._location(para.index))
            )

    def _heading(self, para: Paragraph, level: int, label: str | None, text: str) -> None:
        number = _label_number(label)
        if number is None:
            number, text = split_heading(text)
        if number is None and not text:
            return  # an empty, unnumbered heading paragraph holds nothing to keep
        self.clause = Clause(number, text, level, location=self._location(para.index))
        self.document.clauses.append(self.clause)

    def _front_matter(self, para: Paragraph, text: str) -> None:
        name = self.styles.name(para.style)
        if name == "title" and not self.document.title:
            self.document.title = text
        elif name == "subtitle" and not self.document.subtitle:
            self.document.subtitle = text
        else:
            self.document.front_matter.append(text)

    def _table(self, table: Table) -> None:
        kept = [(row.header, _cells(row)) for row in table.rows]
        kept = [(header, cells) for header, cells in kept if any(cells)]
        if self.clause is None or not kept:
            return
        width = max(len(cells) for _, cells in kept)
        rows = [cells + [""] * (width - len(cells)) for _, cells in kept]
        # The leading rows repeated as headers; at least one row stays a body row.
        header_rows = min(sum(1 for _ in _leading(kept, lambda row: row[0])), len(rows) - 1)
        if _is_glossary(rows, self.clause.title):
            self._glossary(rows, header_rows, table.index)
        else:
            self.clause.blocks.append(
                Block(
                    BlockKind.TABLE,
                    " ".join(cell for row in rows for cell in row if cell),
                    rows=rows,
                    header_rows=header_rows,
                    location=self._location(table.index),
                )
            )

    def _glossary(self, rows: list[list[str]], header_rows: int, index: int) -> None:
        if not header_rows and is_glossary_header(rows[0]):
            header_rows = 1
        assert self.clause is not None, "_table reads a glossary only inside a clause"
        self.document.glossary_clause = self.clause.number
        for row in rows[header_rows:]:
            if row[0]:
                self.document.glossary.append(
                    GlossaryEntry(row[0], row[1], location=self._location(index))
                )


def _cells(row: Row) -> list[str]:
    """Return a row's cell texts on the table grid: a cell spanning n columns is followed by
    n - 1 empty cells, and a cell continuing a vertical merge is empty."""
    cells: list[str] = []
    for cell in row.cells:
        cells += ["" if cell.merged else squash(cell.text())] + [""] * (cell.span - 1)
    return cells


def _label_number(label: str | None) -> str | None:
    """Return the clause number a heading's numbering label shows ("5.6.1", "1." -> "1")."""
    if not label:
        return None
    number = label.strip().rstrip(".").strip()
    return number if is_clause_number(number) else None


def _is_glossary(rows: list[list[str]], title: str) -> bool:
    if any(len(row) != 2 for row in rows):
        return False
    return is_glossary_header(rows[0]) or title.strip().lower() in _GLOSSARY_TITLES


def _leading(items, predicate):
    for item in items:
        if not predicate(item):
            return
        yield item
