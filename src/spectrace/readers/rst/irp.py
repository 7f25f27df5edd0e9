"""Read an IRP-as-code source (``specs/irps/IRP603.rst``) into a Proposal.

The file holds one ``spec:proposal`` directive and sections: prose sections, each named once,
and "Required Changes to Documentation", which holds only ``spec:change`` directives, each
numbered once. Anything else, and every docutils problem (:mod:`.source`), is a ReadError
naming the file and line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes

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
    Target,
)
from spectrace.model.proposal import (
    CHANGE_OPTIONS,
    PROPOSAL_FIELDS,
    FieldKind,
    normalize_spans,
)
from spectrace.model.refs import is_irp_number, parse_change_target
from spectrace.readers.rst import markup
from spectrace.readers.rst.source import parse
from spectrace.readers.rst.spec import (
    IGNORED,
    REFUSED,
    enumerated_label,
    line_of,
    one_paragraph,
    plain,
)

CHANGES_TITLE = "Required Changes to Documentation"


def read_rst_irp(path: Path) -> Proposal:
    """Return the proposal written in the IRP-as-code file ``path``."""
    tree = parse(path)
    reader = _Reader(str(path))
    proposal = reader.proposal(tree)
    for section in reader.sections(tree):
        title = plain(section[0])
        if title == CHANGES_TITLE:
            proposal.changes = reader.changes(section)
        else:
            proposal.sections[title] = reader.prose(section)
    reader.check_inline(tree)
    return proposal


class _Reader:
    def __init__(self, file: str):
        self.file = file

    def error(self, node: nodes.Node, message: str) -> ReadError:
        line = line_of(node)
        return ReadError(message, file=self.file, where=f"line {line}" if line else None)

    def proposal(self, tree: nodes.document) -> Proposal:
        """Return the proposal's metadata, from its one ``spec:proposal`` directive."""
        heads = list(tree.findall(markup.spec_proposal))
        if len(heads) != 1:
            raise ReadError(
                "an IRP source needs exactly one '.. spec:proposal::' directive",
                file=self.file,
                where=f"line {line_of(heads[1])}" if heads else None,
            )
        head = heads[0]
        if head.parent is not tree:
            raise self.error(head, "the spec:proposal directive belongs at the top of the file")
        if not is_irp_number(head["irp"]):
            raise self.error(head, f"'{head['irp']}' is not an IRP number (e.g. IRP603)")
        metadata: dict[str, Any] = {
            field.attribute: field.value(head[field.option])
            for field in PROPOSAL_FIELDS
            if field.option in head
        }
        return Proposal(head["irp"], **metadata, file=self.file)

    def sections(self, tree: nodes.document) -> list[nodes.section]:
        """Return the top-level sections, refusing other text there and a title used twice."""
        sections: dict[str, nodes.section] = {}
        for child in tree.children:
            if isinstance(child, nodes.section):
                title = plain(child[0])
                if title in sections:
                    raise self.error(
                        child[0],
                        f"a second section '{title}' (the first is at line "
                        f"{line_of(sections[title][0])})",
                    )
                sections[title] = child
            elif not isinstance(child, (markup.spec_proposal, *IGNORED)):
                raise self.error(
                    child, "text outside any section: an IRP holds the spec:proposal and sections"
                )
        return list(sections.values())

    def prose(self, section: nodes.section) -> str:
        lines = []
        for child in section.children[1:]:
            if isinstance(child, nodes.paragraph):
                lines.append(plain(child))
            elif isinstance(child, nodes.bullet_list):
                lines += [f"• {self.text(item, 'a list item')}" for item in child.children]
            elif not isinstance(child, IGNORED):
                assert isinstance(child, nodes.Element), "a section holds elements, never bare text"
                raise self.error(child, f"'{child.tagname}' cannot appear in a proposal's prose")
        return "\n".join(lines)

    def text(self, node: nodes.Node, what: str) -> str:
        """Return the text of ``node``, which holds one paragraph or nothing."""
        paragraph = one_paragraph(node, what, self.file)
        return plain(paragraph) if paragraph is not None else ""

    def changes(self, section: nodes.section) -> list[Change]:
        """Return the changes of "Required Changes to Documentation", each numbered once."""
        changes: dict[int, Change] = {}
        for child in section.children[1:]:
            if isinstance(child, IGNORED):
                continue
            if not isinstance(child, markup.spec_change):
                raise self.error(
                    child, f"only '.. spec:change::' directives belong under '{CHANGES_TITLE}'"
                )
            first = changes.get(child["number"])
            if first is not None:
                assert first.location is not None, "change() gives every change its location"
                raise self.error(
                    child,
                    f"change {child['number']} is numbered twice "
                    f"(the first is at {first.location.where})",
                )
            changes[child["number"]] = self.change(child)
        return list(changes.values())

    def change(self, node: markup.spec_change) -> Change:
        values: dict[str, Any] = {}
        for option in CHANGE_OPTIONS:
            if option.kind is FieldKind.TARGET:
                values[option.attributes[0]] = self.target(node)
            else:
                values |= option.values(node.get(option.option))
        change = Change(node["number"], **values, location=Location(self.file, f"line {node.line}"))
        self.check_glossary_options(node, change)
        for child in node.children:
            change.markup += self.blocks(child)
        return change

    def target(self, node: markup.spec_change) -> Target | None:
        if "target" not in node:
            return None
        target = parse_change_target(node["target"])
        if target is None:
            raise self.error(
                node,
                f"'{node['target']}' is not a target; write it like "
                "'SMETS 4.4.5', 'CHTS Glossary' or, to leave the document to the context, "
                "'4.6.4.10'",
            )
        return Target(*target)

    def check_glossary_options(self, node: markup.spec_change, change: Change) -> None:
        """Refuse a glossary action or a :term: on a change whose target is a clause."""
        if change.target is None or change.target.glossary:
            return
        if change.action in (Action.ADD_TERM, Action.AMEND_TERM, Action.DELETE_TERM):
            raise self.error(
                node,
                f"the action {change.action.value} changes a glossary; "
                f"the target is then like '{change.target.document} Glossary'",
            )
        if change.term is not None:
            raise self.error(node, "a :term: belongs to a change whose target is a glossary")

    def blocks(self, node: nodes.Node, level: int = 0) -> list[MarkupBlock]:
        if isinstance(node, IGNORED):
            return []
        if isinstance(node, nodes.paragraph):
            return [MarkupBlock(MarkupKind.PARAGRAPH, self.spans(node))]
        if isinstance(node, markup.spec_heading):
            return [self.heading(node)]
        if isinstance(node, markup.spec_item):
            paragraph = one_paragraph(node, "spec:item", self.file)
            if paragraph is None:
                raise self.error(node, "spec:item holds one paragraph of text")
            spans = self.spans(paragraph)
            return [
                MarkupBlock(MarkupKind.LIST_ITEM, spans, label=node["label"], level=node["level"])
            ]
        if isinstance(node, nodes.enumerated_list | nodes.bullet_list):
            return self.native_list(node, level)
        if isinstance(node, nodes.table):
            return [
                MarkupBlock(
                    MarkupKind.TABLE_ROW, cells=[self.cell(entry) for entry in row.children]
                )
                for group in node.children
                for part in group.children
                if isinstance(part, nodes.thead | nodes.tbody)
                for row in part.children
            ]
        assert isinstance(node, nodes.Element), "mark-up holds elements, never bare text"
        raise self.error(node, f"'{node.tagname}' cannot appear in a mark-up")

    def heading(self, node: markup.spec_heading) -> MarkupBlock:
        """Return a heading line: the directive's argument, or its one paragraph of mark-up."""
        paragraph = one_paragraph(node, "spec:heading", self.file)
        if (paragraph is None) == (not node["text"]):
            raise self.error(
                node, "spec:heading holds its heading as its argument or as its content"
            )
        spans = self.spans(paragraph) if paragraph is not None else [Span(node["text"])]
        return MarkupBlock(MarkupKind.HEADING, normalize_spans(spans))

    def cell(self, entry: nodes.Node) -> list[Span]:
        paragraph = one_paragraph(entry, "a table cell", self.file)
        return self.spans(paragraph) if paragraph is not None else []

    def native_list(self, node: nodes.Element, level: int) -> list[MarkupBlock]:
        blocks = []
        for index, item in enumerate(node.children):
            paragraph = item.children[0] if item.children else None
            if not isinstance(paragraph, nodes.paragraph):
                raise self.error(node, "a list item must start with its text")
            blocks.append(
                MarkupBlock(
                    MarkupKind.LIST_ITEM,
                    self.spans(paragraph),
                    label=enumerated_label(node, index),
                    level=level,
                )
            )
            for child in item.children[1:]:
                blocks += self.blocks(child, level + 1)
        return blocks

    def spans(self, node: nodes.Element) -> list[Span]:
        """Return the spans of a paragraph: its text and its :ins:/:del: roles."""
        spans = []
        for text in node.findall(nodes.Text):
            parent = text.parent
            op = Op(parent["op"]) if isinstance(parent, markup.markup_span) else Op.KEEP
            spans.append(Span(text.astext(), op))
        return normalize_spans(spans)

    def check_inline(self, tree: nodes.document) -> None:
        """Refuse a statement marker, :ins:/:del: outside a change, and anything in REFUSED."""
        for node in tree.findall(nodes.Element):
            if isinstance(node, markup.statement_marker):
                raise self.error(node, "a statement marker has no place in an IRP")
            if isinstance(node, markup.markup_span) and not _in_change(node):
                raise self.error(node, "':ins:' and ':del:' mark up a change; use them in one")
            if type(node) in REFUSED:
                raise self.error(node, REFUSED[type(node)])


def _in_change(node: nodes.Node) -> bool:
    while node is not None:
        if isinstance(node, markup.spec_change):
            return True
        node = node.parent
    return False
