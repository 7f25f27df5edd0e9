"""``.. spec:matrix:: traceability.json`` — the traceability matrix as a page of the site.

The argument is a JSON file (relative to the page, or to the source folder when it starts
with ``/``) in the shape of ``matrix.json`` (:func:`spectrace.trace.report.matrix_data`):
``summary``, ``rows`` and ``errors``. A row may carry ``target``, the statement it links to
("SMETS@4.2+IRP603 SMETS-5.6.1-1"), or ``null`` for no link; without it the link goes to the
statement in the row's edition. The site's generator writes the file next to the page.

The counts, the status legend and the problems are standard docutils nodes. The rest is HTML
of its own, each part a node that the HTML builder renders from the same templates as the
standalone ``matrix.html`` (:mod:`spectrace.trace.html`, autoescaped) and other builders render
as text or leave out:

- the chart (inline SVG) and the filter controls with their script;
- the table of statements: one :class:`matrix_row` per statement, holding the row's data. Its
  links are resolved with the extension's references when the page is written
  (:func:`spectrace.sphinx.targets.resolve_page`): a statement the site does not show is a
  ``spectrace.ref`` warning (so ``-W`` catches it), and each change links to the IRP's change
  when the site has it. A table of docutils rows, entries and paragraphs costs some forty
  nodes per statement, which every Sphinx transform walks: about 2 ms a statement, a minute
  for a 26,000-statement edition; one node per statement costs a few seconds.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from spectrace.errors import ReadError
from spectrace.fileio import check_nesting, read_text_input
from spectrace.findings import text_of
from spectrace.limits import MATRIX_FILE_BYTES
from spectrace.sphinx.nodes import PLAIN, SKIP, cited, edition_marker, note_cited
from spectrace.trace.html import (
    MEANINGS,
    STATUSES,
    Filters,
    complete_row,
    done_percent,
    filters,
    render_chart,
    render_filters,
    render_head,
    render_row,
    totals,
)
from spectrace.trace.model import ChangeRef, Status


class matrix_chart(nodes.General, nodes.Element):
    """The summary chart; ``summary`` holds {edition: {status: count}}."""


class matrix_filters(nodes.General, nodes.Element):
    """The filter controls and their script; ``choices`` holds the values to choose from."""


class matrix_table(nodes.General, nodes.Element):
    """The table of statements; its children are :class:`matrix_row` nodes."""


class matrix_row(nodes.General, nodes.Element):
    """One statement: ``row`` holds its data (a row of ``matrix.json``), ``target`` the
    statement its id links to (None: no link) and ``changes`` the ``:irp:`` target of each of
    its changes (None: no link); ``refdoc`` is the page. Resolving sets ``refuri`` (None when
    the statement is missing, with a warning) and ``refuris``, one per change (None when the
    site has no page for it). The node has no children: a statement costs one node."""


class MatrixDirective(SphinxDirective):
    """``.. spec:matrix:: traceability.json`` — the chart, problems and table of a matrix."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        relative, path = self.env.relfn2path(self.arguments[0], self.env.docname)
        self.env.note_dependency(relative)
        data = self._read(Path(path))
        summary, rows, errors = data["summary"], data["rows"], data["errors"]
        block = nodes.container(classes=["spectrace-matrix"])
        self.set_source_info(block)
        block += nodes.rubric("", "Summary")
        block += nodes.paragraph(
            "",
            "Required statements of each edition by status (the table below lists every "
            "statement).",
        )
        block += matrix_chart(summary=summary)
        block += counts_table(summary)
        block += legend()
        block += nodes.rubric("", f"Problems ({len(errors)})")
        block += problems(errors)
        block += nodes.rubric("", f"Statements ({len(rows)})")
        block += matrix_filters(choices=vars(filters(rows)))
        table = matrix_table()
        table.extend(_statement_row(row, self.env) for row in rows)
        block += table
        return [edition_marker(view="other"), block]

    def _read(self, path: Path) -> dict:
        name = self.arguments[0]
        if not os.path.lexists(path):
            raise self.error(f"spec:matrix cannot read {name}: No such file or directory")
        try:  # a regular file (not a FIFO), within the limit, UTF-8, not nested too deep
            text = read_text_input(path, limit=MATRIX_FILE_BYTES)
            check_nesting(text, file=name)
        except ReadError as exc:
            where = f"{exc.where}: " if exc.where else ""
            raise self.error(f"spec:matrix cannot read {name}: {where}{exc.message}") from None
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise self.error(f"spec:matrix: {name} is not JSON: {exc}") from None
        shape = {"summary": dict, "rows": list, "errors": list}
        if not isinstance(data, dict) or not all(
            isinstance(data.get(key, kind()), kind) for key, kind in shape.items()
        ):
            raise self.error(f"spec:matrix: {name} is not a matrix (summary, rows, errors)")
        rows = data.get("rows", [])
        if not all(isinstance(row, dict) and row.get("statement") for row in rows):
            raise self.error(f"spec:matrix: {name}: every row needs a statement")
        result = {key: data.get(key, kind()) for key, kind in shape.items()}
        result["rows"] = [complete_row(row) for row in rows]
        return result


# The parts ---------------------------------------------------------------------------------


def counts_table(summary: dict[str, dict[str, int]]) -> nodes.table:
    """Return the count of each status per edition (and over all of them), as a table."""
    head = ["Edition", *STATUSES, "Required", "Covered or waived"]
    lines = list(summary.items())
    if len(summary) > 1:
        lines.append(("All editions", totals(summary)))
    body = [
        [
            edition,
            *(str(counts.get(s, 0)) for s in STATUSES),
            str(sum(counts.values())),
            f"{done_percent(counts)}%",
        ]
        for edition, counts in lines
    ]
    widths = [max(len(line[n]) for line in [head, *body]) for n in range(len(head))]
    table, thead, tbody = _table(widths, ["spectrace-matrix-counts"])
    thead += _row([_status(text) if text in STATUSES else _text(text) for text in head])
    for cells in body:
        tbody += _row([_text(cell) for cell in cells])
    return table


def legend() -> nodes.definition_list:
    """Return what each status means."""
    items = nodes.definition_list(classes=["spectrace-statuses"])
    for status in STATUSES:
        meaning = MEANINGS[Status(status)]
        items += nodes.definition_list_item(
            "",
            nodes.term("", "", _status(status)),
            nodes.definition("", nodes.paragraph(meaning, meaning)),
        )
    return items


def problems(errors: list[dict]) -> nodes.Element:
    """Return the tracing problems as a list (or say there are none)."""
    if not errors:
        return nodes.paragraph("No tracing problems.", "No tracing problems.")
    found = nodes.bullet_list(classes=["spectrace-problems"])
    for error in errors:
        text = text_of(error) if isinstance(error, dict) else str(error)
        found += nodes.list_item("", nodes.paragraph("", "", nodes.literal(text, text)))
    return found


def _statement_row(row: dict, env) -> matrix_row:
    """Return the row of a statement, noting what it links to (:func:`.nodes.cited`)."""
    statement = str(row["statement"])
    target = row["target"] if "target" in row else _own_target(row, statement)
    changes = [c.target if isinstance(c, ChangeRef) else None for c in row["changed_by"]]
    for change in changes:
        if change:
            note_cited(env, cited("irp", change))
    if target:
        note_cited(env, cited("statement", target))
    return matrix_row(row=row, target=target, changes=changes, refdoc=env.docname)


def _own_target(row: dict, statement: str) -> str:
    """Return the statement in the row's edition: "SMETS@4.2+IRP603 SMETS-5.6.1-1"."""
    document, _, edition = str(row.get("edition") or "").partition(" ")
    return f"{document}@{edition} {statement}" if edition else statement


def _status(status: str) -> nodes.inline:
    return nodes.inline(status, status, classes=["spectrace-status", f"spectrace-status-{status}"])


def _text(text) -> nodes.Text:
    return nodes.Text(str(text) if text is not None else "")


def _entry(children: list[nodes.Node], *classes: str) -> nodes.entry:
    """Return a cell holding one paragraph of ``children`` (none when they are empty)."""
    entry = nodes.entry(classes=list(classes))
    if any(not isinstance(c, nodes.Text) or str(c) for c in children):
        entry += nodes.paragraph("", "", *children)
    return entry


def _row(cells: list[nodes.Node]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        row += _entry([cell])
    return row


def _table(widths: list[int], classes: list[str]) -> tuple[nodes.table, nodes.thead, nodes.tbody]:
    """Return an empty table with columns of ``widths`` (which only text output uses)."""
    table = nodes.table(classes=[*classes, "colwidths-auto"])
    group = nodes.tgroup(cols=len(widths))
    table += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    thead, tbody = nodes.thead(), nodes.tbody()
    group += thead
    group += tbody
    return table, thead, tbody


# Rendering ---------------------------------------------------------------------------------


def visit_chart_html(self, node: matrix_chart) -> None:
    chart = str(render_chart(node["summary"]))
    self.body.append(f'<figure class="spectrace-chart-figure">\n{chart}\n</figure>\n')
    raise nodes.SkipNode


def visit_filters_html(self, node: matrix_filters) -> None:
    self.body.append(str(render_filters(Filters(**node["choices"]))) + "\n")
    raise nodes.SkipNode


def visit_table_html(self, node: matrix_table) -> None:
    self.body.append(
        '<div class="spectrace-table-wrap">\n<table class="spectrace-matrix-table">\n'
        f"<thead>\n{render_head()}\n</thead>\n<tbody>\n"
    )


def depart_table_html(self, node: matrix_table) -> None:
    self.body.append("</tbody>\n</table>\n</div>\n")


def visit_row_html(self, node: matrix_row) -> None:
    """Render the row from its data, with the links resolving found."""
    links = node.get("refuris") or [None] * len(node["changes"])
    self.body.append(str(render_row(node["row"], node.get("refuri"), links)) + "\n")
    raise nodes.SkipNode


def visit_row_text(self, node: matrix_row) -> None:
    """Render the row as a paragraph: id, status, edition and clause, then the text."""
    row = node["row"]
    marks = [str(row.get("status") or "")]
    if row.get("suspect") and row.get("status") != Status.SUSPECT:
        marks.append("suspect")
    if row.get("suspect") and row.get("suspect_reason"):
        marks.append(str(row["suspect_reason"]))
    if not row.get("required", True):
        marks.append("not required")
    where = " ".join(str(row.get(key) or "") for key in ("edition", "clause")).strip()
    self.new_state(0)
    self.add_text(f"{row['statement']} [{', '.join(marks)}] {where}: {row.get('text') or ''}")
    self.end_state()
    raise nodes.SkipNode


OTHER_BUILDERS = ("latex", "text", "man", "texinfo")


def visitors() -> dict[type[nodes.Element], dict[str, tuple]]:
    """Return, per node class, the (visit, depart) pair of each builder family."""
    table: dict[type[nodes.Element], dict[str, tuple]] = {
        matrix_chart: {"html": (visit_chart_html, None)},
        matrix_filters: {"html": (visit_filters_html, None)},
        matrix_table: {"html": (visit_table_html, depart_table_html), "text": PLAIN},
        matrix_row: {"html": (visit_row_html, None), "text": (visit_row_text, None)},
    }
    for pairs in table.values():
        for builder in OTHER_BUILDERS:
            pairs.setdefault(builder, SKIP)
    return table
