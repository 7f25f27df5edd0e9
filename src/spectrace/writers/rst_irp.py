"""Write a proposal as IRP-as-code reStructuredText (``specs/irps/IRP603.rst``).

Metadata is a ``spec:proposal`` directive; the prose sections are sections; each change is a
``spec:change`` directive naming its target, holding the mark-up excerpt: inserted text as
``:ins:`…```, deleted text as ``:del:`…```, a paragraph wholly inside ``:ins:`` as a new
paragraph, heading lines as ``spec:heading``, table rows in a ``list-table``.
:mod:`spectrace.readers.rst.irp` reads it back.
"""

from __future__ import annotations

from itertools import groupby

from spectrace.model import Change, MarkupBlock, MarkupKind, Op, Proposal, Span
from spectrace.model.proposal import CHANGE_OPTIONS, PROPOSAL_FIELDS, SECTION_NAMES
from spectrace.writers.rst import INDENT, list_run
from spectrace.writers.rst_text import block, inline

CHANGES_TITLE = "Required Changes to Documentation"
_ROLES = {Op.INSERT: "ins", Op.DELETE: "del"}


def render_proposal(proposal: Proposal) -> str:
    """Return the IRP-as-code text of ``proposal``."""
    lines = [
        f".. IRP-as-code source of {proposal.irp}"
        + (f", imported from {proposal.file}" if proposal.file else "")
        + ".",
        "   Mark-up: :ins:`inserted text`, :del:`deleted text`; a paragraph wholly inside :ins:",
        "   is a new paragraph, one wholly inside :del: is removed.",
        "",
        f".. spec:proposal:: {proposal.irp}",
    ]
    for field in PROPOSAL_FIELDS:
        if getattr(proposal, field.attribute):
            lines.append(f"   :{field.option}: {field.text(proposal)}")
    for name in [*SECTION_NAMES, *sorted(set(proposal.sections) - set(SECTION_NAMES))]:
        if name in proposal.sections:
            lines += ["", *_title(name), "", *_prose(proposal.sections[name])]
    lines += ["", *_title(CHANGES_TITLE)]
    for change in proposal.changes:
        lines += ["", *_change(change)]
    return "\n".join(lines) + "\n"


def _title(text: str) -> list[str]:
    return [text, "=" * len(text)]


def _prose(text: str) -> list[str]:
    lines: list[str] = []
    for line in text.split("\n"):
        if line.startswith("• "):
            lines += [f"- {block(line[2:])}", ""]
        else:
            lines += [block(line), ""]
    return lines[:-1]


def _change(change: Change) -> list[str]:
    lines = [f".. spec:change:: {change.number}"]
    for option in CHANGE_OPTIONS:
        text = option.text(change)
        if text is not None:
            lines.append(f"   :{option.option}: {text}")
    body = markup_lines(change.markup)
    return lines + ([""] + [INDENT + line if line else "" for line in body] if body else [])


def markup_lines(blocks: list[MarkupBlock]) -> list[str]:
    """Return the lines of a mark-up excerpt as IRP-as-code writes it (also what the site shows
    of a change it did not apply)."""
    lines: list[str] = []
    for kind, group in groupby(blocks, key=lambda b: b.kind):
        run = list(group)
        if kind is MarkupKind.LIST_ITEM:
            lines += list_run(run, lambda item: [spans(item.spans)])
        elif kind is MarkupKind.TABLE_ROW:
            lines += _table(run)
        else:
            for item in run:
                lines += [
                    *(heading(item) if kind is MarkupKind.HEADING else [spans(item.spans)]),
                    "",
                ]
            lines.pop()
        lines.append("")
    return lines[:-1]


def heading(item: MarkupBlock) -> list[str]:
    """Return a heading line: as the argument, or as marked-up content when it is changed."""
    if item.marked:
        return [".. spec:heading::", "", INDENT + spans(item.spans)]
    return [f".. spec:heading:: {''.join(span.text for span in item.spans)}"]


def _table(rows: list[MarkupBlock]) -> list[str]:
    lines = [".. list-table::", ""]
    for row in rows:
        for column, cell in enumerate(row.cells):
            bullet = "   * - " if column == 0 else "     - "
            lines.append((bullet + spans(cell, start=True)).rstrip())
    return lines


def spans(items: list[Span], *, start: bool = True) -> str:
    """Return spans as RST text: unchanged text escaped, changes as :ins: and :del: roles."""
    out = ""
    for index, span in enumerate(items):
        if span.op is Op.KEEP:
            text = block(span.text) if start and index == 0 else inline(span.text)
            if out and not out.endswith(" ") and not text.startswith(" "):
                out += "\\ "
            out += text
            continue
        if out and not out.endswith(" "):
            out += "\\ "
        content = span.text.replace("\\", "\\\\").replace("`", "\\`")
        out += f":{_ROLES[span.op]}:`{content}`"
    return out
