"""Read a spec-as-code directory (``index.rst`` and the files its toctree lists) into a Document.

Every docutils problem in a source is a :class:`~spectrace.errors.ReadError` naming the file and
line (:mod:`.source`); so is any construct a specification cannot hold, so nothing is silently
dropped.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

from docutils import nodes

from spectrace import progress
from spectrace.cache import cached_each
from spectrace.errors import ReadError
from spectrace.model import (
    BULLET,
    Block,
    BlockKind,
    Clause,
    Document,
    GlossaryEntry,
    Location,
    Statement,
)
from spectrace.model.refs import split_heading
from spectrace.readers.rst import canonical, markup
from spectrace.readers.rst.source import parse, read_source
from spectrace.text import format_number, squash

_ENUM_FORMATS = {
    "arabic": "decimal",
    "loweralpha": "lowerLetter",
    "upperalpha": "upperLetter",
    "lowerroman": "lowerRoman",
    "upperroman": "upperRoman",
}
T = TypeVar("T")
IGNORED = (nodes.comment, nodes.target, nodes.system_message)
#: Nodes no source may hold, with why: what they say would not reach the model.
REFUSED: dict[type[nodes.Node], str] = {
    nodes.substitution_reference: "substitutions are not read into the model; write the text out",
    nodes.substitution_definition: "substitutions are not read into the model; write the text out",
}


def read_rst_spec(directory: Path, cache: Path | None = None) -> Document:
    """Return the document whose spec-as-code sources are in ``directory``.

    With ``cache`` (a folder), what each source file gave is kept there, keyed by its bytes
    (:func:`spectrace.cache.cached_each`), so a later read parses only the files changed since;
    the files are joined, and checked against each other, on every read.
    """
    index = directory / "index.rst"
    if not index.is_file():
        raise ReadError("no index.rst here: not a spec-as-code directory", file=str(directory))
    base = directory.resolve()
    [head] = _each(cache, base, [index], "index", lambda files: map(_read_index, files))
    document, seen = head.document, head.seen
    files = _toc_files(head.toc, index, directory)
    parts = _each(cache, base, files, document.name, partial(_read_sections, document.name))
    for part in parts:
        part.merge_into(document, seen)
    reused = [statement for statement in document.retired if statement in seen]
    if reused:
        raise ReadError(
            f"statement id {reused[0]} was retired by an amendment and cannot be "
            "used again; give the statement the next free id of its clause",
            file=str(seen[reused[0]]),
        )
    unknown = [statement for statement in document.changed if statement not in seen]
    if unknown:
        raise ReadError(
            f"spec:document lists {unknown[0]} as :changed:, but no statement has that id; "
            "remove it from the list",
            file=str(index),
        )
    return document


#: Section files of this many bytes in all are parsed in several processes (docutils parses
#: about a megabyte a second; starting the workers and sending back the clauses costs ~0.1 s).
PARALLEL_BYTES = 1_000_000


def _each(
    cache: Path | None,
    base: Path,
    files: list[Path],
    extra: str,
    read: Callable[[list[Path]], Iterator[T]],
) -> Iterator[T]:
    """Yield what ``read`` gives for each of ``files``, from ``cache`` where it is kept there."""
    if cache is None:
        return read(files)
    named = [(f"{path.resolve().relative_to(base).as_posix()}", path) for path in files]
    return cached_each(cache, named, extra, read)


@dataclass
class _Index:
    """What index.rst holds: the document (its head and any glossary), the statement ids in it,
    and the toctree's entries, each with the line of its toctree (checked on every read)."""

    document: Document
    seen: dict[str, Location]
    toc: list[tuple[str, int | None]]


def _read_index(index: Path) -> _Index:
    tree = parse(index)
    document = _document_head(tree, str(index), str(index.parent))
    seen: dict[str, Location] = {}
    _Walker(document, str(index), seen).index(tree)
    tocs = tree.findall(markup.toc_entries)
    return _Index(document, seen, [(entry, toc.line) for toc in tocs for entry in toc["entries"]])


@dataclass
class _Part:
    """What one section file holds, read apart from the others (maybe in another process)."""

    clauses: list[Clause]
    glossary: list[GlossaryEntry]
    glossary_clause: str | None
    seen: dict[str, Location]

    def merge_into(self, document: Document, seen: dict[str, Location]) -> None:
        """Add the part to ``document``, refusing a statement id an earlier file used."""
        for statement, where in self.seen.items():
            if statement in seen:
                raise ReadError(
                    f"statement id {statement} is used twice (first at {seen[statement]})",
                    file=where.file,
                    where=where.where or None,
                )
            seen[statement] = where
        if self.glossary and document.glossary:
            second = self.glossary[0].location
            assert second is not None, "the walker gives every glossary entry its location"
            raise ReadError(
                f"a second glossary (the first is at {document.glossary[0].location}); "
                "a document has one",
                file=second.file,
                where=second.where or None,
            )
        document.clauses += self.clauses
        document.glossary += self.glossary
        if self.glossary_clause is not None:
            document.glossary_clause = self.glossary_clause


def _read_section(name: str, path: Path) -> _Part:
    scratch = Document(name, "")
    seen: dict[str, Location] = {}
    _Walker(scratch, str(path), seen).walk(parse(path))
    return _Part(scratch.clauses, scratch.glossary, scratch.glossary_clause, seen)


def _read_canonical(name: str, path: Path) -> _Part | None:
    """Return the part of a file spectrace wrote itself, read without docutils, or None."""
    section = canonical.read_section(name, str(path), read_source(path))
    return _Part(*section) if section else None


def _read_sections(name: str, files: list[Path]) -> Iterator[_Part]:
    """Yield the part of each file, in order, counting each in the open phase of progress (if
    any). Files in spectrace's own form are read directly;
    the others are parsed by docutils, in one process per core when there is much to parse
    (docutils is then most of the time a command takes on a large edition)."""
    progress.expect(len(files))
    parts = [_read_canonical(name, path) for path in files]
    parsed = _parse_sections(
        name, [path for path, part in zip(files, parts, strict=True) if part is None]
    )
    for part in parts:
        read = part if part is not None else next(parsed)
        progress.advance()  # before the yield: the caller may not ask for more after the last
        yield read


def _parse_sections(name: str, files: list[Path]) -> Iterator[_Part]:
    workers = min(os.cpu_count() or 1, len(files), 4)
    if workers < 2 or sum(f.stat().st_size for f in files) < PARALLEL_BYTES:
        yield from (_read_section(name, path) for path in files)
        return
    pool = ProcessPoolExecutor(workers)
    try:
        yield from pool.map(_read_section, [name] * len(files), files)
    finally:
        pool.shutdown(cancel_futures=True)


def _document_head(tree: nodes.document, file: str, source: str) -> Document:
    """Return the document named by the one ``spec:document`` directive of index.rst."""
    heads = list(tree.findall(markup.spec_document))
    if len(heads) != 1:
        where = f"line {heads[1].line}" if heads else None
        raise ReadError(
            "index.rst needs exactly one '.. spec:document::' directive naming the document",
            file=file,
            where=where,
        )
    head = heads[0]
    if not head.get("edition"):
        raise ReadError(
            "spec:document needs an :edition: option", file=file, where=f"line {head.line}"
        )
    for child in head.children:
        if not isinstance(child, (nodes.paragraph, *IGNORED)):
            raise ReadError(
                "the spec:document directive holds only paragraphs of front matter",
                file=file,
                where=f"line {line_of(child) or head.line}",
            )
    return Document(
        head["name"],
        head["edition"],
        head.get("title", ""),
        head.get("subtitle", ""),
        front_matter=[plain(p) for p in head.children if isinstance(p, nodes.paragraph)],
        source=source,
        retired=head.get("retired", []),
        continues=" ".join(head.get("continues", "").split()),
        changed=head.get("changed", []),
    )


def _toc_files(toc: list[tuple[str, int | None]], index: Path, directory: Path) -> list[Path]:
    """Return the files the toctree lists, each checked to be a source inside ``directory``."""
    files = []
    base = directory.resolve()
    for entry, line in toc:
        try:
            files.append(_toc_file(entry, directory, base))
        except ReadError as error:
            raise ReadError(error.message, file=str(index), where=f"line {line}") from None
    return files


def _toc_file(entry: str, directory: Path, base: Path) -> Path:
    """Return the source a toctree entry names: a regular file inside ``base``."""
    path = directory / f"{entry}.rst"
    try:
        inside = base in path.resolve().parents
        found = path.exists()  # reading it refuses anything but a regular file
    except (OSError, RuntimeError) as error:  # a name too long, a loop of symbolic links
        raise ReadError(f"toctree entry '{entry}' cannot be looked up ({error})") from None
    if not inside:
        raise ReadError(f"toctree entry '{entry}' points outside the spec directory")
    if not found:
        raise ReadError(f"toctree entry '{entry}' names no file ({entry}.rst)")
    return path


class _Walker:
    """Turn the sections of one parsed source into clauses of ``document``."""

    def __init__(self, document: Document, file: str, seen: dict[str, Location]):
        self.document = document
        self.file = file
        self.seen = seen
        self.pending_level: markup.spec_level | None = None
        self.consumed: set[int] = set()
        self.glossary_seen = False

    def error(self, node: nodes.Node, message: str) -> ReadError:
        line = line_of(node)
        return ReadError(message, file=self.file, where=f"line {line}" if line else None)

    def location(self, node: nodes.Node) -> Location:
        line = line_of(node)
        return Location(self.file, f"line {line}" if line else "")

    def index(self, tree: nodes.document) -> None:
        """Read index.rst: the document directive, the toctree and an unplaced glossary."""
        self.check_refused(tree)
        for child in tree.children:
            if isinstance(child, markup.spec_glossary):
                self.glossary(child, None)
            elif not isinstance(child, (markup.spec_document, markup.toc_entries, *IGNORED)):
                raise self.error(
                    child,
                    "index.rst holds the spec:document directive, the "
                    "toctree and the glossary; put clauses in section files",
                )
        self.check_markers(tree)

    def check_refused(self, tree: nodes.document) -> None:
        """Refuse an IRP's :ins:/:del: mark-up and anything in :data:`REFUSED`, before the
        walk reports them less clearly."""
        for node in tree.findall(nodes.Element):
            if isinstance(node, markup.markup_span):
                raise self.error(node, "':ins:' and ':del:' mark up an IRP; not a specification")
            if type(node) in REFUSED:
                raise self.error(node, REFUSED[type(node)])

    def check_markers(self, tree: nodes.document) -> None:
        """Refuse a statement marker anywhere but at a sentence of a paragraph or list item."""
        for marker in tree.findall(markup.statement_marker):
            if id(marker) not in self.consumed:
                raise self.error(
                    marker,
                    f"statement marker {marker['id']} can only stand in "
                    "the text of a paragraph or list item",
                )

    def level(self, node: markup.spec_level) -> None:
        """Hold a ``spec:level`` for the next heading."""
        if self.pending_level is not None:
            raise self.error(node, "a second spec:level before one heading")
        self.pending_level = node

    def walk(self, tree: nodes.document) -> None:
        """Read a section file: top-level headings and everything under them."""
        self.check_refused(tree)
        for child in tree.children:
            if isinstance(child, nodes.section):
                self.section(child, depth=1)
            elif isinstance(child, markup.spec_level):
                self.level(child)
            elif not isinstance(child, IGNORED):
                raise self.error(child, "text outside any clause: start the file with a heading")
        if self.pending_level is not None:
            raise self.error(self.pending_level, "spec:level has no heading after it")
        self.check_markers(tree)

    def section(self, node: nodes.section, depth: int) -> None:
        title = node[0]
        assert isinstance(title, nodes.title), "docutils starts every section with its title"
        number, text = _split_title(title)
        level = self.pending_level["level"] if self.pending_level is not None else depth
        clause = Clause(number, text, level, location=self.location(title))
        self.pending_level = None
        self.document.clauses.append(clause)
        for child in node.children[1:]:
            if isinstance(child, nodes.section):
                self.section(child, depth + 1)
            elif isinstance(child, markup.spec_level):
                self.level(child)
            elif isinstance(child, markup.spec_glossary):
                self.glossary(child, clause)
            elif not isinstance(child, IGNORED):
                clause.blocks += self.blocks(child, clause)

    def blocks(self, node: nodes.Node, clause: Clause) -> list[Block]:
        if isinstance(node, nodes.paragraph):
            return [self.text_block(node, BlockKind.PARAGRAPH)]
        if isinstance(node, nodes.enumerated_list | nodes.bullet_list):
            return self.native_list(node, level=0)
        if isinstance(node, markup.spec_item):
            return [self.item(node)]
        if isinstance(node, nodes.table):
            return [self.table(node)]
        assert isinstance(node, nodes.Element), "a section holds elements, never bare text"
        raise self.error(
            node,
            f"'{node.tagname}' cannot appear in a specification clause "
            f"({clause.number or clause.title}); use paragraphs, lists, "
            "list-tables and the glossary",
        )

    def text_block(
        self, node: nodes.paragraph, kind: BlockKind, label: str = "", level: int = 0
    ) -> Block:
        lead, statements = self.segments(node)
        text = squash(" ".join([lead, *(s.text for s in statements)]))
        return Block(
            kind,
            text,
            statements,
            lead=lead,
            label=label,
            level=level,
            location=self.location(node),
        )

    def segments(self, paragraph: nodes.paragraph) -> tuple[str, list[Statement]]:
        """Return the paragraph's unmarked lead text and its statements, split at ``:st:``."""
        parts: list[tuple[str | None, list[str]]] = [(None, [])]
        for child in paragraph.children:
            if isinstance(child, markup.statement_marker):
                self.consumed.add(id(child))
                parts.append((child["id"], []))
            else:
                parts[-1][1].append(child.astext())
        statements = []
        for statement_id, texts in parts[1:]:
            assert statement_id is not None, "only the lead (parts[0]) has no statement id"
            text = squash("".join(texts))
            if not text:
                raise self.error(paragraph, f"statement {statement_id} has no text")
            self.claim(statement_id, paragraph)
            statements.append(Statement(statement_id, text))
        return squash("".join(parts[0][1])), statements

    def claim(self, statement_id: str, node: nodes.Node) -> None:
        prefix = f"{self.document.name}-"
        if not statement_id.startswith(prefix):
            raise self.error(node, f"statement id {statement_id} does not start with '{prefix}'")
        if statement_id in self.seen:
            raise self.error(
                node,
                f"statement id {statement_id} is used twice (first at {self.seen[statement_id]})",
            )
        self.seen[statement_id] = self.location(node)

    def native_list(self, node: nodes.Element, level: int) -> list[Block]:
        blocks = []
        for index, item in enumerate(node.children):
            paragraph = item.children[0] if item.children else None
            if not isinstance(paragraph, nodes.paragraph):
                raise self.error(node, "a list item must start with its text")
            blocks.append(
                self.text_block(
                    paragraph, BlockKind.LIST_ITEM, enumerated_label(node, index), level
                )
            )
            for child in item.children[1:]:
                if isinstance(child, IGNORED):
                    continue
                if not isinstance(child, nodes.enumerated_list | nodes.bullet_list):
                    raise self.error(child, "a list item holds one paragraph (and nested lists)")
                blocks += self.native_list(child, level + 1)
        return blocks

    def item(self, node: markup.spec_item) -> Block:
        paragraphs = [child for child in node.children if not isinstance(child, IGNORED)]
        if len(paragraphs) != 1 or not isinstance(paragraphs[0], nodes.paragraph):
            raise self.error(node, "spec:item holds exactly one paragraph")
        return self.text_block(paragraphs[0], BlockKind.LIST_ITEM, node["label"], node["level"])

    def table(self, node: nodes.table) -> Block:
        if isinstance(node[0], nodes.title):
            raise self.error(node, "a table's title is not read into the model; drop it")
        parts = [part for group in node.children for part in group.children]
        header_rows = sum(len(part.children) for part in parts if isinstance(part, nodes.thead))
        rows = [
            [self.text(entry, "a table cell") for entry in row.children]
            for part in parts
            if isinstance(part, nodes.thead | nodes.tbody)
            for row in part.children
        ]
        text = " ".join(cell for row in rows for cell in row if cell)
        return Block(
            BlockKind.TABLE, text, rows=rows, header_rows=header_rows, location=self.location(node)
        )

    def text(self, node: nodes.Node, what: str) -> str:
        """Return the text of ``node``, which holds one paragraph or nothing."""
        paragraph = one_paragraph(node, what, self.file)
        return plain(paragraph) if paragraph is not None else ""

    def glossary(self, node: markup.spec_glossary, clause: Clause | None) -> None:
        others = [c for c in node.children if not isinstance(c, (nodes.definition_list, *IGNORED))]
        if others:
            raise self.error(others[0], "spec:glossary holds only terms with indented definitions")
        if self.glossary_seen:
            raise self.error(node, "a second spec:glossary; a document has one")
        self.glossary_seen = True
        if clause is not None:
            self.document.glossary_clause = clause.number
        for items in node.children:
            if isinstance(items, nodes.definition_list):
                self.document.glossary += [self.entry(item) for item in items.children]

    def entry(self, item: nodes.Node) -> GlossaryEntry:
        """Return a glossary entry (from a definition list item): a term of plain text and a
        definition of one paragraph."""
        term = item.next_node(nodes.term)
        assert term is not None, "docutils gives every definition list item its term"
        if any(isinstance(child, nodes.classifier) for child in item.children):
            raise self.error(
                item, "' : ' after a term starts a classifier; write the colon as '\\:'"
            )
        if not plain(term):
            raise self.error(item, "a glossary term has no text")
        definition = item.next_node(nodes.definition)
        return GlossaryEntry(
            plain(term),
            self.text(definition, "a glossary definition") if definition else "",
            location=self.location(item),
        )


def one_paragraph(node: nodes.Node, what: str, file: str) -> nodes.paragraph | None:
    """Return the one paragraph ``node`` (``what``) holds, or None when it holds nothing;
    anything else is a ReadError (text in a second paragraph or a list would be lost)."""
    held = [child for child in node.children if not isinstance(child, IGNORED)]
    if not held:
        return None
    if len(held) > 1 or not isinstance(held[0], nodes.paragraph):
        line = line_of(held[-1])
        raise ReadError(
            f"{what} holds one paragraph of text", file=file, where=f"line {line}" if line else None
        )
    return held[0]


def plain(node: nodes.Node) -> str:
    """Return the single-spaced text of ``node``, leaving out docutils' own messages."""
    return squash(
        "".join(
            text.astext()
            for text in node.findall(nodes.Text)
            if not any(isinstance(a, nodes.system_message) for a in _ancestors(text, node))
        )
    )


def _ancestors(node: nodes.Node, top: nodes.Node):
    while node is not None and node is not top:
        node = node.parent
        yield node


def _split_title(title: nodes.title) -> tuple[str | None, str]:
    text = plain(title)
    if title.rawsource.lstrip().startswith("\\"):
        return None, text
    return split_heading(text)


def enumerated_label(node: nodes.Element, index: int) -> str:
    if isinstance(node, nodes.bullet_list):
        return BULLET
    value = node.get("start", 1) + index
    formatted = format_number(value, _ENUM_FORMATS[node["enumtype"]])
    return f"{node.get('prefix', '')}{formatted}{node.get('suffix', '')}"


def line_of(node: nodes.Node) -> int | None:
    """Return the source line of ``node``, or of the nearest ancestor that knows its line."""
    while node is not None:
        if getattr(node, "line", None):
            return node.line
        node = node.parent
    return None
