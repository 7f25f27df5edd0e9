"""Write a document as spec-as-code reStructuredText: ``index.rst`` plus one file per section.

Layout: clause headings are RST section titles carrying the clause number; every statement starts
its own line with an ``:st:`ID``` marker, so an IRP that changes one statement is a one-line diff;
list items keep their labels (native RST lists when docutils reads the label back unambiguously,
otherwise a ``spec:item`` directive); tables are ``list-table``; the glossary is a
``spec:glossary`` definition list. :mod:`spectrace.readers.rst` reads all of it back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import groupby

from docutils.utils import column_width

from spectrace.labels import is_sequence
from spectrace.model import BULLET, Block, BlockKind, Clause, Document
from spectrace.model.refs import CLAUSE_NUMBER_PATTERN
from spectrace.writers.rst_text import block, inline

UNDERLINES = "=-~^\"'`+#"
TYPED_NUMBER = re.compile(rf"^{CLAUSE_NUMBER_PATTERN}\.?(?:\s|$)")
_CLASSIFIER = re.compile(r"(?<= ):(?= )")
INDENT = "   "


def render(document: Document) -> dict[str, str]:
    """Return the spec-as-code files of ``document`` as {file name: text}."""
    files: dict[str, str] = {}
    for name, clauses in sections(document):
        files[f"{name}.rst"] = render_section(document, clauses)
    files["index.rst"] = _index(document, [name.removesuffix(".rst") for name in files])
    return dict(sorted(files.items()))


def sections(document: Document) -> list[tuple[str, list[Clause]]]:
    """Split the clauses into one group per top-level clause, each named from its number
    ("section-05", or "part-03" for an unnumbered one; a repeated name gets "-2"). The
    spec-as-code files and the site's pages are these groups."""
    groups: list[list[Clause]] = []
    top = min((clause.level for clause in document.clauses), default=1)
    for clause in document.clauses:
        if clause.level == top or not groups:
            groups.append([])
        groups[-1].append(clause)
    named, taken = [], set()
    for ordinal, group in enumerate(groups, start=1):
        number = group[0].number or ""
        name = f"section-{int(number):02d}" if number.isdigit() else f"part-{ordinal:02d}"
        while name in taken:
            name += "-2"
        taken.add(name)
        named.append((name, group))
    return named


def _index(document: Document, names: list[str]) -> str:
    lines = [
        f".. Spec-as-code source of {document.label}"
        + (f", imported from {document.source}" if document.source else "")
        + ".",
        "   Edit the text here; spectrace reads it back. Keep every :st: marker: it is the",
        "   statement's stable id.",
        "",
        f".. spec:document:: {document.name}",
        f"   :edition: {document.edition}",
    ]
    lines += [
        f"   :{key}: {value}"
        for key, value in (("title", document.title), ("subtitle", document.subtitle))
        if value
    ]
    if document.retired:
        lines.append(f"   :retired: {' '.join(document.retired)}")
    if document.continues:
        lines.append(f"   :continues: {document.continues}")
    if document.changed:
        lines.append(f"   :changed: {' '.join(document.changed)}")
    for paragraph in document.front_matter:
        lines += ["", INDENT + block(paragraph)]
    if document.glossary and document.glossary_clause is None:
        lines += ["", *_glossary(document)]
    lines += ["", ".. toctree::", ""] + [INDENT + name for name in names]
    return "\n".join(lines) + "\n"


def _glossary(document: Document) -> list[str]:
    lines = [".. spec:glossary::"]
    for entry in document.glossary:
        # " : " in a term line starts a classifier; an empty comment stands for no definition.
        term = _CLASSIFIER.sub(r"\\:", block(entry.term))
        lines += ["", INDENT + term, INDENT * 2 + (block(entry.definition) or "..")]
    return lines


def render_section(document: Document, clauses: list[Clause]) -> str:
    """Return the section file of ``clauses`` (one top-level clause and its subclauses); the
    glossary is written after the clause ``document.glossary_clause`` names."""
    return _SectionWriter(document).render(clauses)


class _SectionWriter:
    """Render the clauses of one top-level section."""

    def __init__(self, document: Document):
        self.document = document
        self.lines: list[str] = []
        self.glossary_written = False

    def render(self, clauses: list[Clause]) -> str:
        levels: list[int] = []
        for clause in clauses:
            while levels and levels[-1] >= clause.level:
                levels.pop()
            levels.append(clause.level)
            self._clause(clause, depth=len(levels))
        return "\n".join(self.lines).rstrip("\n") + "\n"

    def _clause(self, clause: Clause, depth: int) -> None:
        if clause.level != depth:
            self.lines += [f".. spec:level:: {clause.level}", ""]
        title = _title(clause)
        self.lines += [title, UNDERLINES[min(depth, len(UNDERLINES)) - 1] * column_width(title), ""]
        for is_list, run in groupby(clause.blocks, key=lambda b: b.kind is BlockKind.LIST_ITEM):
            if is_list:
                self.lines += [*list_run(list(run)), ""]
                continue
            for item in run:
                self.lines += [
                    *(_table(item) if item.kind is BlockKind.TABLE else _content(item)),
                    "",
                ]
        if (
            not self.glossary_written
            and clause.number is not None
            and clause.number == self.document.glossary_clause
        ):
            self.glossary_written = True
            self.lines += [*_glossary(self.document), ""]


def _title(clause: Clause) -> str:
    if clause.number is None:
        text = block(clause.title)
        return (
            "\\" + text if TYPED_NUMBER.match(clause.title) and not text.startswith("\\") else text
        )
    return f"{clause.number} {inline(clause.title)}".rstrip()


def _content(item: Block) -> list[str]:
    """Return the lines of a paragraph or list item: lead text, then one line per statement."""
    lines = [block(item.lead)] if item.lead else []
    lines += [
        f":st:`{statement.id}` {inline(statement.text)}".rstrip() for statement in item.statements
    ]
    if not lines:
        lines = [block(item.text)]
    return lines


def _table(item: Block) -> list[str]:
    lines = [".. list-table::"]
    if item.header_rows:
        lines.append(f"   :header-rows: {item.header_rows}")
    lines.append("")
    for row in item.rows:
        for column, cell in enumerate(row):
            bullet = "   * - " if column == 0 else "     - "
            lines.append((bullet + block(cell)).rstrip())
    return lines


# Lists ------------------------------------------------------------------------------------------


@dataclass
class _Node:
    item: Block | None  # None for the root only
    children: list[_Node] = field(default_factory=list)

    @property
    def block(self) -> Block:
        """Return the item of a node below the root."""
        assert self.item is not None, "only the root of the tree has no item"
        return self.item


def list_run(items: list, content=None) -> list[str]:
    """Return a run of consecutive list items as a native RST list, or as spec:item directives.

    ``content`` gives the lines of one item (default: its statements, one per line).
    """
    content = content or _content
    tree = _tree(items)
    if tree is not None and _native(tree):
        return _native_lines(tree, "", content)[:-1]
    lines: list[str] = []
    for item in items:
        lines += [f".. spec:item:: {item.label}"] if item.label else [".. spec:item::"]
        if item.level:
            lines.append(f"   :level: {item.level}")
        lines += [""] + [INDENT + line for line in content(item)] + [""]
    return lines[:-1]


def _tree(items: list[Block]) -> _Node | None:
    """Return the items nested by level, or None when a level jumps by more than one."""
    root = _Node(None)
    path = [root]
    for item in items:
        if item.level > len(path) - 1:
            return None
        del path[item.level + 1 :]
        node = _Node(item)
        path[-1].children.append(node)
        path.append(node)
    return root


def _native(node: _Node) -> bool:
    labels = [child.block.label for child in node.children]
    return _sequence_ok(labels) and all(_native(child) for child in node.children)


def _sequence_ok(labels: list[str]) -> bool:
    """Return whether docutils will read ``labels`` back as exactly this enumeration."""
    return all(label == BULLET for label in labels) or is_sequence(labels)


def _native_lines(node: _Node, indent: str, content) -> list[str]:
    lines: list[str] = []
    for child in node.children:
        item = child.block
        marker = "-" if item.label == BULLET else item.label
        text = content(item)
        pad = indent + " " * (len(marker) + 1)
        lines.append(f"{indent}{marker} {text[0]}")
        lines += [pad + line for line in text[1:]]
        lines.append("")
        if child.children:
            lines += _native_lines(child, pad, content)
    return lines
