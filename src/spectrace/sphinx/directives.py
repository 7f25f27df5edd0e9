"""The ``spec:*`` directives, rendered for reading rather than read back into the model.

The option names follow :mod:`spectrace.readers.rst.markup`, so spec-as-code and IRP-as-code
sources build in Sphinx as they are. Output is standard docutils nodes (containers, tables,
definition lists) carrying ``spectrace-*`` classes, plus the attributes :mod:`.targets` looks
for to collect anchors: ``spectrace_term``, ``spectrace_glossary``, ``spectrace_irp``,
``spectrace_change`` (and ``spectrace_picture``, the label of a change read from a picture,
which the marks it made show).
"""

from __future__ import annotations

import json

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from spectrace.model.document import slug
from spectrace.model.proposal import PICTURE, PROPOSAL_FIELDS, picture_note
from spectrace.model.refs import DOCUMENT_NAME, EDITION
from spectrace.readers.rst.markup import ChangeDirective as _ChangeOptions
from spectrace.readers.rst.markup import DocumentDirective as _DocumentOptions
from spectrace.readers.rst.markup import ItemDirective as _ItemOptions
from spectrace.readers.rst.markup import ProposalDirective as _ProposalOptions
from spectrace.readers.rst.markup import change_number
from spectrace.sphinx.nodes import (
    OWN_EDITION,
    cited,
    edition_marker,
    note_cited,
    pending_ref,
    used_in,
)

VIEWS = ("text", "changes", "other")


def parse_edition(text: str) -> tuple[str, str] | None:
    """Return (document, edition) of "SMETS 4.2+IRP603", or None when it is not one."""
    parts = text.split()
    if len(parts) != 2 or not DOCUMENT_NAME.match(parts[0]) or not EDITION.match(parts[1]):
        return None
    return parts[0], parts[1]


def view_option(argument: str | None) -> str:
    return directives.choice(argument or "", VIEWS)


class EditionDirective(SphinxDirective):
    """``.. spec:edition:: SMETS 4.2+IRP603`` — the edition this page shows.

    ``:view: changes`` says the page shows the edition's changes rather than its text, so its
    clause headings are not the clauses' targets.
    """

    required_arguments = 2
    option_spec = {"view": view_option}

    def run(self) -> list[nodes.Node]:
        edition = parse_edition(" ".join(self.arguments))
        if edition is None:
            raise self.error(
                f"spec:edition names a document and an edition, like 'SMETS 4.2', "
                f"not '{' '.join(self.arguments)}'"
            )
        node = edition_marker(
            document=edition[0], edition=edition[1], view=self.options.get("view", "text")
        )
        self.set_source_info(node)
        return [node]


class DocumentDirective(SphinxDirective):
    """``.. spec:document:: SMETS`` — the document's title block; its front matter follows."""

    required_arguments = 1
    has_content = True
    option_spec = _DocumentOptions.option_spec

    def run(self) -> list[nodes.Node]:
        name, edition = self.arguments[0], self.options.get("edition", "")
        title = self.options.get("title") or name
        block = nodes.container(classes=["spectrace-document"])
        self.set_source_info(block)
        block += nodes.paragraph(
            "", "", nodes.strong(title, title), classes=["spectrace-doc-title"]
        )
        if self.options.get("subtitle"):
            subtitle = self.options["subtitle"]
            block += nodes.paragraph(subtitle, subtitle, classes=["spectrace-doc-subtitle"])
        label = f"{name} {edition}".strip()
        block += nodes.paragraph(label, label, classes=["spectrace-doc-edition"])
        self.state.nested_parse(self.content, self.content_offset, block)
        marker = edition_marker(
            document=name, edition=edition, view="text", title=f"{label}: {title}"
        )
        return [marker, block] if parse_edition(label) else [block]


class GlossaryDirective(SphinxDirective):
    """``.. spec:glossary::`` — a definition list of terms, each term an anchor."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        block = nodes.container(classes=["spectrace-glossary"], spectrace_glossary=True)
        self.set_source_info(block)
        self.state.nested_parse(self.content, self.content_offset, block)
        taken: set[str] = set()
        for item in block.findall(nodes.definition_list_item):
            term = item.next_node(nodes.term)
            if term is None or term.get("spectrace_term"):
                continue
            text = " ".join(term.astext().split())
            anchor = base = f"gloss-{slug(text)}"
            suffix = 1
            while anchor in taken:
                suffix += 1
                anchor = f"{base}-{suffix}"
            taken.add(anchor)
            term["ids"].insert(0, anchor)
            term["spectrace_term"] = text
            term["classes"].append("spectrace-term")
        return [block]


class ItemDirective(SphinxDirective):
    """``.. spec:item:: (iii)`` — a list item whose label is written out."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = _ItemOptions.option_spec

    def run(self) -> list[nodes.Node]:
        level = self.options.get("level", 0)
        item = nodes.container(classes=["spectrace-item", f"spectrace-level-{level}"])
        self.set_source_info(item)
        self.state.nested_parse(self.content, self.content_offset, item)
        label = self.arguments[0] if self.arguments else ""
        if label:
            first = item.children[0] if item.children else None
            if not isinstance(first, nodes.paragraph):
                first = nodes.paragraph()
                item.insert(0, first)
            first.insert(0, nodes.Text(" "))
            first.insert(0, nodes.inline(label, label, classes=["spectrace-item-label"]))
        return [item]


class LevelDirective(SphinxDirective):
    """``.. spec:level:: 3`` — tells the reader a heading's level; nothing to show."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        return []


class ProposalDirective(SphinxDirective):
    """``.. spec:proposal:: IRP603`` — the proposal's metadata as a table, its rows in the
    order and with the labels of :data:`~spectrace.model.proposal.PROPOSAL_FIELDS`."""

    required_arguments = 1
    option_spec = _ProposalOptions.option_spec

    def run(self) -> list[nodes.Node]:
        irp = self.arguments[0]
        rows = [("IRP", irp)] + [
            (field.label, self.options[field.option])
            for field in PROPOSAL_FIELDS
            if self.options.get(field.option)
        ]
        table = _table(rows, classes=["spectrace-proposal"])
        table["spectrace_irp"] = irp
        table["ids"].append(irp)
        self.set_source_info(table)
        title = self.options.get("title", "")
        marker = edition_marker(view="other", title=f"{irp}: {title}" if title else irp)
        return [marker, table]


class ChangeDirective(SphinxDirective):
    """``.. spec:change:: 3`` — one change of the proposal above it, and its mark-up.

    A change read from a picture (``:source: picture``) is labelled so in its head, with its
    confidence; its ``:corrections:`` are listed, and its ``:unverified:`` reason is shown as a
    problem unless the change's ``:problem:`` (the refusal, on the site) says it already.
    """

    required_arguments = 1
    has_content = True
    option_spec = _ChangeOptions.option_spec

    def run(self) -> list[nodes.Node]:
        try:
            number = change_number(self.arguments[0])
        except ValueError as error:
            raise self.error(f"spec:change needs {error}") from None
        block = nodes.container(classes=["spectrace-change"], spectrace_change=number)
        self.set_source_info(block)
        block += self._head(number)
        options = self.options
        if options.get("instruction"):
            text = options["instruction"]
            block += nodes.paragraph(
                "", "", nodes.emphasis(text, text), classes=["spectrace-instruction"]
            )
        if options.get("problem"):
            text = f"Not applied: {options['problem']}"
            block += nodes.paragraph(text, text, classes=["spectrace-problem"])
        if options.get("source") == PICTURE:
            block["spectrace_picture"] = picture_note(options.get("confidence"))
        block += self._checked()
        if options.get("revised-by") or options.get("revised-on"):
            who = ", ".join(v for v in (options.get("revised-by"), options.get("revised-on")) if v)
            block += nodes.paragraph(
                f"Marked up by {who}", f"Marked up by {who}", classes=["spectrace-revised"]
            )
        markup = nodes.container(classes=["spectrace-markup"])
        self.state.nested_parse(self.content, self.content_offset, markup)
        if markup.children:
            block += markup
        return [block]

    def _checked(self) -> list[nodes.paragraph]:
        """Return what checking a picture's reading against its clause found: the reason it
        is unverified (unless the problem above says it) and the corrections made."""
        found = []
        unverified = self.options.get("unverified")
        if unverified and not self.options.get("problem"):
            text = f"Unverified, so not applied: {unverified}"
            found.append(nodes.paragraph(text, text, classes=["spectrace-problem"]))
        if self.options.get("corrections"):
            text = f"Corrected against the clause: {self.options['corrections']}"
            found.append(nodes.paragraph(text, text, classes=["spectrace-corrections"]))
        return found

    def _head(self, number: int) -> nodes.paragraph:
        head = nodes.paragraph(classes=["spectrace-change-head"])
        head += nodes.strong(f"Change {number}", f"Change {number}")
        target = " ".join(self.options.get("target", "").split())
        if target:
            head += nodes.Text(": ")
            note_cited(self.env, cited("clause", target))
            head += pending_ref(
                "",
                _shown_target(target),
                kind="clause",
                target=target,
                refdoc=self.env.docname,
                warn=False,
            )
        action = self.options.get("action", "")
        if action and action != "amend":
            what = action.replace("_", " ")
            term = self.options.get("term")
            where = [
                f"{word} {self.options[key]}"
                for key, word in (("new-number", "as"), ("after", "after"))
                if self.options.get(key)
            ]
            what = " ".join([what, *where])
            head += nodes.Text(f" ({what} ‘{term}’)" if term else f" ({what})")
        if self.options.get("source") == PICTURE:
            label = f"({picture_note(self.options.get('confidence'))})"
            head += nodes.Text(" ")
            head += nodes.inline(label, label, classes=["spectrace-picture"])
        return head


def _shown_target(target: str) -> str:
    """Return a change target as shown: "SMETS 5.6.1" even when written "SMETS@4.2 5.6.1"."""
    head, _, rest = target.partition(" ")
    return f"{head.partition('@')[0]} {rest}".strip()


class HeadingDirective(SphinxDirective):
    """``.. spec:heading:: 5.6.1 Title`` — a clause heading inside a mark-up excerpt."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True

    def run(self) -> list[nodes.Node]:
        block = nodes.container(classes=["spectrace-heading"])
        self.set_source_info(block)
        if self.arguments:
            text = " ".join(self.arguments[0].split())
            block += nodes.paragraph("", "", nodes.strong(text, text))
        self.state.nested_parse(self.content, self.content_offset, block)
        return [block]


class UsedDirective(SphinxDirective):
    """``.. spec:used::`` followed by statement ids: the statements that use a term, as links."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        statements = " ".join(self.content).split()
        node = used_in(statements=statements, refdoc=self.env.docname)
        note_cited(self.env, OWN_EDITION)
        self.set_source_info(node)
        return [node]


class RowsDirective(SphinxDirective):
    """``.. spec:rows::`` — a table of plain text, one JSON array of cells per content line;
    ``.. spec:rows:: 1`` (or option ``:header-rows: 1``) makes the first row its head.

    The cells are text, never markup, and need no escaping; building the table from them is
    much cheaper than parsing a ``list-table`` (and an argument cheaper than an option, which
    docutils parses with a state machine of its own).
    """

    has_content = True
    optional_arguments = 1
    option_spec = {"header-rows": directives.nonnegative_int, "class": directives.class_option}

    def run(self) -> list[nodes.Node]:
        if self.arguments:
            try:
                self.options["header-rows"] = directives.nonnegative_int(self.arguments[0])
            except ValueError:
                raise self.error(
                    f"spec:rows: the header rows are a count, not '{self.arguments[0]}'"
                ) from None
        rows = []
        for offset, line in enumerate(self.content):
            try:
                cells = json.loads(line)
            except ValueError:
                cells = None
            if not isinstance(cells, list) or not all(isinstance(c, str) for c in cells):
                raise self.error(
                    f"spec:rows line {offset + 1} is not a JSON array of strings: {line[:60]}"
                )
            rows.append(cells)
        table = plain_table(rows, self.options.get("header-rows", 0))
        table["classes"] += self.options.get("class", [])
        self.set_source_info(table)
        return [table]


def plain_table(rows: list[list[str]], header_rows: int = 0) -> nodes.table:
    """Return a table of text cells, the first ``header_rows`` rows as its head."""
    width = max((len(row) for row in rows), default=1)
    table = nodes.table(classes=["spectrace-table"])
    group = nodes.tgroup(cols=width)
    table += group
    for _ in range(width):
        group += nodes.colspec(colwidth=1)
    parts = [(nodes.thead(), rows[:header_rows]), (nodes.tbody(), rows[header_rows:])]
    for part, part_rows in parts:
        if not part_rows and isinstance(part, nodes.thead):
            continue
        group += part
        for cells in part_rows:
            row = nodes.row()
            for cell in [*cells, *[""] * (width - len(cells))]:
                entry = nodes.entry()
                if cell:
                    entry += nodes.paragraph(cell, cell)
                row += entry
            part += row
    return table


def _table(rows: list[tuple[str, str]], classes: list[str]) -> nodes.table:
    """Return a two-column table of (label, value) rows."""
    table = nodes.table(classes=classes)
    group = nodes.tgroup(cols=2)
    table += group
    group += nodes.colspec(colwidth=1)
    group += nodes.colspec(colwidth=3)
    body = nodes.tbody()
    group += body
    for label, value in rows:
        row = nodes.row()
        row += nodes.entry("", nodes.paragraph(label, label))
        row += nodes.entry("", nodes.paragraph(value, value))
        body += row
    return table


DIRECTIVES = {
    "edition": EditionDirective,
    "document": DocumentDirective,
    "glossary": GlossaryDirective,
    "item": ItemDirective,
    "level": LevelDirective,
    "proposal": ProposalDirective,
    "change": ChangeDirective,
    "heading": HeadingDirective,
    "used": UsedDirective,
    "rows": RowsDirective,
}
