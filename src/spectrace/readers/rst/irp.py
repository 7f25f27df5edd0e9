"""Read an IRP-as-code source (``specs/irps/IRP603.rst``) into a Proposal."""

from __future__ import annotations

import re
from pathlib import Path

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
from spectrace.model.proposal import IRP_NUMBER, normalize_spans
from spectrace.model.refs import CLAUSE_NUMBER
from spectrace.readers.rst import markup
from spectrace.readers.rst.spec import IGNORED, enumerated_label, parse, plain

_TARGET = re.compile(rf"^(?P<doc>[A-Z][A-Za-z0-9]*)\s+(?:(?P<number>{CLAUSE_NUMBER})|Glossary)$")
CHANGES_TITLE = "Required Changes to Documentation"


def read_rst_irp(path: Path) -> Proposal:
    """Return the proposal written in the IRP-as-code file ``path``."""
    tree = parse(path)
    heads = list(tree.findall(markup.spec_proposal))
    if len(heads) != 1:
        raise ReadError(
            "an IRP source needs exactly one '.. spec:proposal::' directive", file=str(path)
        )
    head = heads[0]
    if not IRP_NUMBER.match(head["irp"]):
        raise ReadError(
            f"'{head['irp']}' is not an IRP number (e.g. IRP603)",
            file=str(path),
            where=f"line {head.line}",
        )
    proposal = Proposal(
        head["irp"],
        issues_log_id=head.get("issues-log-id", ""),
        title=head.get("title", ""),
        source=head.get("source", ""),
        date=head.get("date", ""),
        date_raised=head.get("date-raised", ""),
        status=head.get("status", ""),
        references=[r.strip() for r in head.get("references", "").split(",") if r.strip()],
        ts_version=head.get("ts-version", ""),
        impact_on_previous=head.get("impact-on-previous", ""),
        attachments=head.get("attachments", ""),
        file=str(path),
    )
    reader = _Reader(str(path))
    for section in tree.findall(nodes.section):
        title = plain(section[0])
        if title != CHANGES_TITLE:
            proposal.sections[title] = reader.prose(section)
            continue
        for child in section.children[1:]:
            if not isinstance(child, (markup.spec_change, *IGNORED)):
                raise reader.error(
                    child, f"only '.. spec:change::' directives belong under '{CHANGES_TITLE}'"
                )
    proposal.changes = [reader.change(node) for node in tree.findall(markup.spec_change)]
    return proposal


class _Reader:
    def __init__(self, file: str):
        self.file = file

    def error(self, node: nodes.Node, message: str) -> ReadError:
        return ReadError(message, file=self.file, where=f"line {node.line}" if node.line else None)

    def prose(self, section: nodes.section) -> str:
        lines = []
        for child in section.children[1:]:
            if isinstance(child, nodes.paragraph):
                lines.append(plain(child))
            elif isinstance(child, nodes.bullet_list):
                lines += [f"• {plain(item)}" for item in child.children]
            elif not isinstance(child, IGNORED):
                raise self.error(child, f"'{child.tagname}' cannot appear in a proposal's prose")
        return "\n".join(lines)

    def change(self, node: markup.spec_change) -> Change:
        run_on = set(node.get("run-on", "").replace(",", " ").split())
        change = Change(
            node["number"],
            node.get("instruction", ""),
            self.target(node),
            action=self.action(node),
            term=node.get("term"),
            run_on_before="before" in run_on,
            run_on_after="after" in run_on,
            problem=node.get("problem"),
            revised_by=node.get("revised-by", ""),
            revised_on=node.get("revised-on", ""),
            location=Location(self.file, f"line {node.line}"),
        )
        for child in node.children:
            change.markup += self.blocks(child)
        return change

    def target(self, node: markup.spec_change) -> Target | None:
        if "target" not in node:
            return None
        match = _TARGET.match(node["target"].strip())
        if not match:
            raise self.error(
                node,
                f"'{node['target']}' is not a target; write it like "
                "'SMETS 4.4.5' or 'CHTS Glossary'",
            )
        return Target(match["doc"], match["number"])

    def action(self, node: markup.spec_change) -> Action:
        try:
            return Action(node.get("action", "amend"))
        except ValueError:
            known = ", ".join(action.value for action in Action)
            raise self.error(node, f"unknown action '{node['action']}' (known: {known})") from None

    def blocks(self, node: nodes.Node, level: int = 0) -> list[MarkupBlock]:
        if isinstance(node, IGNORED):
            return []
        if isinstance(node, nodes.paragraph):
            return [MarkupBlock(MarkupKind.PARAGRAPH, self.spans(node))]
        if isinstance(node, markup.spec_heading):
            paragraphs = [c for c in node.children if isinstance(c, nodes.paragraph)]
            spans = self.spans(paragraphs[0]) if paragraphs else [Span(node["text"])]
            return [MarkupBlock(MarkupKind.HEADING, normalize_spans(spans))]
        if isinstance(node, markup.spec_item):
            return [
                MarkupBlock(
                    MarkupKind.LIST_ITEM,
                    self.spans(node[0]),
                    label=node["label"],
                    level=node["level"],
                )
            ]
        if isinstance(node, nodes.enumerated_list | nodes.bullet_list):
            return self.native_list(node, level)
        if isinstance(node, nodes.table):
            return [
                MarkupBlock(
                    MarkupKind.TABLE_ROW,
                    cells=[self.spans(entry) for entry in row.findall(nodes.entry)],
                )
                for row in node.findall(nodes.row)
            ]
        raise self.error(node, f"'{node.tagname}' cannot appear in a mark-up")

    def native_list(self, node: nodes.Element, level: int) -> list[MarkupBlock]:
        blocks = []
        for index, item in enumerate(node.children):
            paragraph = item[0] if item.children else None
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
        """Return the spans of a paragraph or table cell: its text and its :ins:/:del: roles."""
        spans = []
        for text in node.findall(nodes.Text):
            parent = text.parent
            if any(isinstance(a, nodes.system_message) for a in _ancestors(text)):
                continue
            op = Op(parent["op"]) if isinstance(parent, markup.markup_span) else Op.KEEP
            spans.append(Span(text.astext(), op))
        return normalize_spans(spans)


def _ancestors(node: nodes.Node):
    while node.parent is not None:
        node = node.parent
        yield node
