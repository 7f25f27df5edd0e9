"""Write an edition as a Word file: clean, or as a redline whose changes are tracked changes.

The WordprocessingML is streamed as text (no document object model), so a 10,000-clause
edition takes seconds. The same inputs give the same bytes: parts in a fixed order with fixed
timestamps, no creation dates, numbering ids handed out in document order.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from contextlib import ExitStack
from pathlib import Path

from spectrace.errors import SpectraceError
from spectrace.fileio import atomic_path
from spectrace.model import Block, BlockKind, Document, Op, Proposal, Revision
from spectrace.model.marks import MarkedClause, MarkedEntry, MarkedLine
from spectrace.transforms.marks import mark_edition, mark_glossary
from spectrace.writers.docx.body import Body, Line
from spectrace.writers.docx.marks import Tracker, plain_run
from spectrace.writers.docx.numbering import Numbering
from spectrace.writers.docx.package import (
    app_xml,
    content_types_xml,
    core_xml,
    document_rels_xml,
    docx_zip,
    footer_xml,
    header_xml,
    member,
    package_rels_xml,
    settings_xml,
    write_streamed,
)
from spectrace.writers.docx.styles import styles_xml

GLOSSARY_HEADER = ("Term", "Definition")
#: The longest "<DOC> <EDITION>" kept whole in a file name, in UTF-8 bytes.
MAX_NAME_BYTES = 100
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(10))}
_RESERVED |= {f"LPT{n}" for n in range(10)}


def write_docx(
    document: Document,
    path: Path,
    *,
    clauses: list[MarkedClause] | None = None,
    glossary: list[MarkedEntry] | None = None,
    proposals: Mapping[str, Proposal] | None = None,
) -> None:
    """Write ``document`` to the Word file ``path``, atomically.

    Without marks this is the clean edition. With the marks of an amended edition (from
    :func:`~spectrace.transforms.marks.mark_edition` and ``mark_glossary``) it is the redline:
    every inserted or deleted word, paragraph and table row is a tracked change whose author
    is the IRP and whose date is the IRP's date (from ``proposals``).
    """
    with atomic_path(path) as temporary:
        _write(document, temporary, clauses, glossary, proposals)


def write_editions(
    base: Document,
    amended: Document,
    revisions: list[Revision],
    proposals: Mapping[str, Proposal] | Iterable[Proposal],
    folder: Path,
) -> list[Path]:
    """Write the amended edition clean ("SMETS 4.2+IRP603.docx") and as a redline
    ("SMETS 4.2+IRP603 redline.docx") into ``folder``; return the two paths.

    Both files are replaced together or not at all.
    """
    if not isinstance(proposals, Mapping):
        proposals = {proposal.irp: proposal for proposal in proposals}
    clean, redline = edition_files(folder, amended)
    clauses = mark_edition(base, amended, revisions)
    entries = mark_glossary(base, amended, revisions)
    with ExitStack() as stack:
        clean_temporary = stack.enter_context(atomic_path(clean))
        redline_temporary = stack.enter_context(atomic_path(redline))
        _write(amended, clean_temporary, None, None, proposals)
        _write(amended, redline_temporary, clauses, entries, proposals)
    return [clean, redline]


def edition_files(folder: Path, amended: Document) -> list[Path]:
    """Return the files :func:`write_editions` writes for ``amended``: clean, redline."""
    return [edition_path(folder, amended), edition_path(folder, amended, " redline")]


def edition_path(folder: Path, document: Document, suffix: str = "") -> Path:
    """Return ``folder/"<DOC> <EDITION><suffix>.docx"``, with characters Windows refuses in a
    file name replaced by "_"; refuse a name that would leave ``folder``.

    An edition too long for a file name (hundreds of IRPs: "1+IRP1001+…+IRP1500") is cut
    short and ends with a hash of the whole, so different editions keep different names.
    """
    name = _UNSAFE.sub("_", f"{document.name} {document.edition}")
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]
        while len(name.encode("utf-8")) > MAX_NAME_BYTES - 12:
            name = name[:-1]
        name = f"{name}~{digest}"
    stem = f"{name}{_UNSAFE.sub('_', suffix)}".strip(" .")
    if not stem or stem.split(".")[0].strip().upper() in _RESERVED:
        stem = f"_{stem}"
    path = folder / f"{stem}.docx"
    if path.resolve().parent != folder.resolve():
        raise SpectraceError(f"refusing to write outside the folder: {path.name}", file=str(folder))
    return path


def _write(
    document: Document,
    target: Path,
    clauses: list[MarkedClause] | None,
    glossary: list[MarkedEntry] | None,
    proposals: Mapping[str, Proposal] | None,
) -> None:
    redline = clauses is not None or glossary is not None
    numbering = Numbering()
    tracker = Tracker(proposals)
    with docx_zip(target) as archive:
        archive.writestr(member("[Content_Types].xml"), content_types_xml())
        archive.writestr(member("_rels/.rels"), package_rels_xml())
        archive.writestr(member("docProps/core.xml"), core_xml(document.title, document.label))
        archive.writestr(member("docProps/app.xml"), app_xml())
        write_streamed(
            archive,
            "word/document.xml",
            lambda emit: _body(Body(emit, numbering, tracker), document, clauses, glossary),
        )
        archive.writestr(member("word/_rels/document.xml.rels"), document_rels_xml())
        archive.writestr(member("word/styles.xml"), styles_xml())
        archive.writestr(member("word/numbering.xml"), numbering.xml())
        archive.writestr(member("word/settings.xml"), settings_xml(redline))
        archive.writestr(member("word/header1.xml"), header_xml(document.label))
        archive.writestr(member("word/footer1.xml"), footer_xml())


def _body(
    body: Body,
    document: Document,
    clauses: list[MarkedClause] | None,
    glossary: list[MarkedEntry] | None,
) -> None:
    """Write the whole body: front matter, then each clause (in a redline, the deleted ones
    too, where they stood); the glossary table goes in the glossary clause, or after the last
    clause when the document names none."""
    marked = _pair(document, clauses)
    at = _glossary_position(document)
    body.start(document)
    if marked is None:
        for index, clause in enumerate(document.clauses):
            body.heading(clause)
            body.lines(clean_lines(clause.blocks))
            if index == at:
                body.table(clean_glossary(document))
    else:
        index = -1  # of the clause in ``document``
        for each in marked:
            body.marked_heading(each)
            body.lines(marked_lines(each.lines, body.tracker))
            index += each.op is not Op.DELETE
            if index == at and each.op is not Op.DELETE:
                rows = (
                    marked_glossary(glossary, body.tracker)
                    if glossary is not None
                    else clean_glossary(document)
                )
                body.table(rows)
    body.end()


def _pair(document: Document, clauses: list[MarkedClause] | None) -> list[MarkedClause] | None:
    """Return the marks of the clauses, checked to belong to ``document`` (with the clauses
    it no longer has, marked deleted)."""
    if clauses is None:
        return None
    numbers = [(c.number, c.title) for c in document.clauses]
    if [(m.clause.number, m.clause.title) for m in clauses if m.op is not Op.DELETE] != numbers:
        raise ValueError(f"the clause marks given do not belong to {document.label}")
    return clauses


def _glossary_position(document: Document) -> int | None:
    """Return the index of the clause that holds the glossary table, None when none is due."""
    if (not document.glossary and document.glossary_clause is None) or not document.clauses:
        return None
    numbers = [clause.number for clause in document.clauses]
    if document.glossary_clause is not None and document.glossary_clause in numbers:
        return numbers.index(document.glossary_clause)
    return len(numbers) - 1


def clean_lines(blocks: list[Block]) -> list[Line]:
    """Return the lines of a clause's blocks, unmarked."""
    lines = []
    for block in blocks:
        if block.kind is BlockKind.TABLE:
            lines += [
                Line(
                    BlockKind.TABLE,
                    [_run(c) for c in row],
                    header=i < block.header_rows,
                    table=block,
                )
                for i, row in enumerate(block.rows)
            ]
        else:
            lines.append(Line(block.kind, [_run(block.text)], block.label, block.level))
    return lines


def marked_lines(lines: list[MarkedLine], tracker: Tracker) -> list[Line]:
    """Return the lines of a marked clause with their tracked changes.

    A deleted row belongs to the table around it; rows of different tables of the amended
    clause stay apart.
    """
    result: list[Line] = []
    table: object = None
    shown_block = None
    for line in lines:
        block = line.block
        cells = [tracker.runs(cell, line.op, line.irp, line.change) for cell in line.cells]
        cells = cells or [""]
        if block is None or block.kind is not BlockKind.TABLE:
            label, level = (block.label, block.level) if block is not None else ("", 0)
            kind = block.kind if block is not None else BlockKind.PARAGRAPH
            result.append(
                Line(kind, cells[:1], label, level, op=line.op, irp=line.irp, change=line.change)
            )
            continue
        shown = line.op is not Op.DELETE
        joins = result and result[-1].kind is BlockKind.TABLE
        if not (joins and (not shown or shown_block is None or shown_block is block)):
            table, shown_block = object(), None
        shown_block = block if shown and shown_block is None else shown_block
        header = line.row < block.header_rows
        result.append(
            Line(
                BlockKind.TABLE,
                cells,
                header=header,
                table=table,
                op=line.op,
                irp=line.irp,
                change=line.change,
            )
        )
    return result


def clean_glossary(document: Document) -> list[Line]:
    """Return the glossary table's rows: the header, then a row per entry."""
    rows = [Line(BlockKind.TABLE, [_run(cell) for cell in GLOSSARY_HEADER], header=True)]
    rows += [Line(BlockKind.TABLE, [_run(e.term), _run(e.definition)]) for e in document.glossary]
    return rows


def marked_glossary(entries: list[MarkedEntry], tracker: Tracker) -> list[Line]:
    """Return the glossary rows with added, changed and removed entries marked."""
    rows = [Line(BlockKind.TABLE, [_run(cell) for cell in GLOSSARY_HEADER], header=True)]
    for entry in entries:
        cells = [
            tracker.runs(marks, entry.op, entry.irp, entry.change)
            for marks in (entry.term, entry.definition)
        ]
        rows.append(Line(BlockKind.TABLE, cells, op=entry.op, irp=entry.irp, change=entry.change))
    return rows


def _run(value: str) -> str:
    return plain_run(value) if value else ""
