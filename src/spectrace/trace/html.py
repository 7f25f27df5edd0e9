"""The matrix as HTML: a standalone page (``matrix.html``), and the parts the site's matrix page
shares with it (the chart, the filter controls and script, the data each row carries).

Everything works from the matrix's plain data (:func:`~spectrace.trace.report.matrix_data`,
the shape of ``matrix.json``), so the Sphinx extension can render the same chart and filters
from a JSON file. The templates (``spectrace/templates/trace``) are rendered by jinja2 with
autoescaping: document text, file names and test names always show as text. The page is
self-contained (inline CSS, script and SVG; nothing fetched from the network) and holds no
dates: the same matrix gives the same bytes. Without JavaScript it shows every statement and
no filter controls.
"""

from __future__ import annotations

import html
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from spectrace.findings import text_of
from spectrace.trace.model import ChangeRef, Status
from spectrace.trace.report import Frame

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "trace"
#: The matrix styles, shared with the site (the extension adds this file to its pages).
MATRIX_CSS = Path(__file__).resolve().parent.parent / "sphinx" / "static" / "spectrace-matrix.css"
DEFAULT_TITLE = "Traceability matrix"

STATUSES = tuple(status.value for status in Status)
#: What each status means, for the legend (looked up by a status or its text).
MEANINGS = {
    Status.COVERED: "implemented, and verified by a passing test",
    Status.IMPLEMENTED_ONLY: "implemented; no passing test verifies it",
    Status.TESTED_ONLY: "verified by a passing test; no implementation claims it",
    Status.FAILING: "a test that verifies it failed",
    Status.UNCOVERED: "neither implemented nor verified",
    Status.SUSPECT: "linked, but its text changed since the links were traced or reviewed",
    Status.WAIVED: "waived in the project file",
}

# Chart geometry, in SVG user units.
CHART_WIDTH = 720
BAR_WIDTH = CHART_WIDTH
_LABEL_HEIGHT = 18
_BAR_HEIGHT = 22
_BAR_GAP = 14
_LEGEND_COLUMNS = 4
_LEGEND_ROW = 22
_DIGIT_WIDTH = 8


def render_matrix_html(data: dict, title: str = DEFAULT_TITLE) -> str:
    """Return the standalone HTML page of a matrix's plain data (``matrix.json``): the
    chart, the problems, the filters and the table of every statement."""
    rows = data["rows"]
    table = Markup("\n").join(render_row(complete_row(r), f"#{r['statement']}") for r in rows)
    return render_page(data["summary"], data["errors"], rows, table, title)


def render_page(
    summary: dict, errors: list[dict], rows: list[dict], table: Markup, title: str = DEFAULT_TITLE
) -> str:
    """Return the standalone page: ``rows`` give the filters' choices (each needs only its
    document, actors, status and changed_by), ``table`` is their ``<tr>`` elements."""
    return (
        _environment()
        .get_template("matrix.html.j2")
        .render(
            title=title,
            summary=summary,
            totals=totals(summary),
            chart=render_chart(summary),
            errors=[text_of(e) for e in errors],
            filters=render_filters(filters(rows)),
            rows=table,
            count=len(rows),
            head=HEAD,
            statuses=STATUSES,
            css=Markup(MATRIX_CSS.read_text(encoding="utf-8")),
        )
    )


def page_frame(
    summary: dict, errors: list[dict], rows: list[dict], title: str = DEFAULT_TITLE
) -> Frame:
    """Return the frame of :func:`render_page` around the ``<tr>`` elements of ``rows``, one
    per line."""
    marker = f"<{secrets.token_hex(16)}>"
    head, tail = render_page(summary, errors, rows, Markup(marker), title).split(marker)
    return Frame(head, "\n", tail)


#: A row's values when matrix data leaves them out (the directive reads files of any origin).
ROW_DEFAULTS: dict = {
    "edition": "",
    "document": "",
    "statement": "",
    "clause": "",
    "modality": "",
    "text": "",
    "actors": [],
    "status": "",
    "suspect": False,
    "suspect_reason": None,
    "waived": None,
    "changed_by": [],
    "required": True,
    "implemented_by": [],
    "verified_by": [],
}


def complete_row(row: dict) -> dict:
    """Return ``row`` with every value the templates show (defaults for those it lacks or
    leaves null); other keys, such as a null ``target``, stay as they are. Its ``changed_by``
    holds :class:`ChangeRef` items: a text, as a file gives it, becomes the change it writes
    (text that writes none stays text, shown as it is)."""
    complete = ROW_DEFAULTS | {
        key: value for key, value in row.items() if value is not None or key not in ROW_DEFAULTS
    }
    complete["changed_by"] = [_change(item) for item in complete["changed_by"]]
    complete["verified_by"] = [
        {"test": e.get("test", ""), "outcome": e.get("outcome", "")}
        if isinstance(e, dict)
        else {"test": e, "outcome": ""}
        for e in complete["verified_by"]
    ]
    return complete


def _change(item: object) -> ChangeRef | str:
    """Return a ``changed_by`` item of matrix data as a change, or as text that writes none."""
    if isinstance(item, ChangeRef):
        return item
    text = str(item)
    return ChangeRef.parse(text) or text


def irps(changed_by: Iterable[object]) -> list[str]:
    """Return the IRPs of a row's ``changed_by`` (changes, or the texts a file gives for them),
    in order; text that writes no change names none."""
    found = (_change(item) for item in changed_by)
    return list(dict.fromkeys(c.irp for c in found if isinstance(c, ChangeRef)))


def row_attributes(row: dict) -> dict[str, str]:
    """Return the ``data-*`` attributes the filter script reads from a row (without "data-")."""
    return {
        "document": str(row.get("document") or ""),
        "edition": str(row.get("edition") or ""),
        "clause": str(row.get("clause") or ""),
        "actors": "|".join(row.get("actors") or []),
        "status": str(row.get("status") or ""),
        "irps": " ".join(irps(row.get("changed_by") or [])),
        "required": "yes" if row.get("required", True) else "no",
    }


def totals(summary: dict[str, dict[str, int]]) -> dict[str, int]:
    """Return the count of each status over all editions."""
    return {s: sum(counts.get(s, 0) for counts in summary.values()) for s in STATUSES}


def done_percent(counts: dict[str, int]) -> str:
    """Return the share of statements covered or waived, as summary.md shows it ("-" if none)."""
    total = sum(counts.values())
    done = counts.get(Status.COVERED, 0) + counts.get(Status.WAIVED, 0)
    return f"{100 * done / total:.0f}" if total else "-"


# The chart ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    status: str
    count: int
    x: int
    width: int

    @property
    def labelled(self) -> bool:
        """Whether the count fits inside the segment (the table gives every count anyway)."""
        return self.width >= _DIGIT_WIDTH * len(str(self.count)) + 6


@dataclass(frozen=True)
class Bar:
    edition: str
    total: int
    percent: str
    y: int
    segments: list[Segment]


@dataclass(frozen=True)
class LegendItem:
    status: str
    count: int
    x: int
    y: int


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    legend: list[LegendItem]
    height: int
    width: int = CHART_WIDTH
    bar_width: int = BAR_WIDTH
    bar_height: int = _BAR_HEIGHT
    label_height: int = _LABEL_HEIGHT

    @property
    def description(self) -> str:
        """Return the chart as one sentence, for readers that cannot see it."""
        parts = []
        for bar in self.bars:
            counts = ", ".join(f"{s.count} {s.status}" for s in bar.segments) or "none"
            plural = "s" if bar.total != 1 else ""
            parts.append(f"{bar.edition}: {bar.total} required statement{plural} ({counts})")
        return "; ".join(parts) + "." if parts else "No required statements."


def chart(summary: dict[str, dict[str, int]]) -> Chart:
    """Return the layout of the chart: one stacked bar per edition, then a legend."""
    bars = []
    y = 0
    for edition, counts in summary.items():
        total = sum(counts.get(s, 0) for s in STATUSES)
        segments = []
        before = 0
        for status in STATUSES:
            count = counts.get(status, 0)
            if not count:
                continue
            start = _scaled(before, total)
            before += count
            segments.append(Segment(status, count, start, _scaled(before, total) - start))
        bars.append(Bar(edition, total, done_percent(counts), y, segments))
        y += _LABEL_HEIGHT + _BAR_HEIGHT + _BAR_GAP
    everything = totals(summary)
    column = CHART_WIDTH // _LEGEND_COLUMNS
    legend = [
        LegendItem(
            status,
            everything[status],
            (index % _LEGEND_COLUMNS) * column,
            y + (index // _LEGEND_COLUMNS) * _LEGEND_ROW,
        )
        for index, status in enumerate(STATUSES)
    ]
    rows = -(-len(STATUSES) // _LEGEND_COLUMNS)
    return Chart(bars, legend, y + rows * _LEGEND_ROW)


def _scaled(count: int, total: int) -> int:
    """Return ``count`` of ``total`` as a width of the bar, rounded half up (integers only)."""
    return (2 * count * BAR_WIDTH + total) // (2 * total) if total else 0


def render_chart(summary: dict[str, dict[str, int]]) -> Markup:
    """Return the chart as inline SVG: stacked bars of statuses per edition, with counts, a
    pattern per status (readable without colour) and a legend."""
    return Markup(_environment().get_template("chart.svg.j2").render(chart=chart(summary)).strip())


# The table ---------------------------------------------------------------------------------


def render_row(row: dict, href: str | None, links: list[str | None] | None = None) -> Markup:
    """Return one statement's ``<tr>``: ``href`` is where its id links to (None: nowhere);
    ``links``, where each of its changes links to (None: nowhere).

    ``row`` has every key of :meth:`Row.as_dict` (:func:`complete_row`). Written in Python
    rather than a jinja macro: a macro call per row was most of the time of a large page.
    """
    statement = _text(row["statement"])
    status = _text(row["status"])
    ident = f'<a class="spectrace-ref spectrace-statement" href="{_text(href)}">{statement}</a>'
    marks = [
        f'<span class="spectrace-status spectrace-status-{status}" '
        f'title="{_text(MEANINGS.get(row["status"], ""))}">{status}</span>'
    ]
    if row["suspect"]:  # with why: "changed since reviewed by Ana on 2025-01-31"
        shown = [] if row["status"] == Status.SUSPECT else ["suspect"]
        shown += [str(row["suspect_reason"])] if row["suspect_reason"] else []
        if shown:
            marks.append(
                '<span class="spectrace-marker spectrace-marker-suspect">'
                f"{_text(': '.join(shown))}</span>"
            )
    if row["waived"]:
        marks.append(
            '<span class="spectrace-marker spectrace-marker-waived">'
            f"waiver: {_text(row['waived'])}</span>"
        )
    if not row["required"]:
        marks.append('<span class="spectrace-marker spectrace-marker-optional">not required</span>')
    links = list(links or [])
    links += [None] * (len(row["changed_by"]) - len(links))
    changes = [
        f'<a class="spectrace-ref spectrace-irp" href="{_text(link)}">{_text(change)}</a>'
        if link is not None
        else f'<span class="spectrace-change-ref">{_text(change)}</span>'
        for change, link in zip(row["changed_by"], links, strict=False)
    ]
    where = [f'<code class="spectrace-where">{_text(w)}</code>' for w in row["implemented_by"]]
    tests = [
        f'<code class="spectrace-where">{_text(e["test"])}</code> <span class="spectrace-outcome '
        f'spectrace-outcome-{_text(e["outcome"])}">{_text(e["outcome"])}</span>'
        for e in row["verified_by"]
    ]
    cells = [
        f'<td class="spectrace-id">{ident if href is not None else statement}</td>',
        f"<td>{_text(row['edition'])}</td>",
        f"<td>{_text(row['clause'])}</td>",
        f"<td>{_text(row['modality'])}</td>",
        f"<td>{_text(', '.join(row['actors']))}</td>",
        f"<td>{' '.join(marks)}</td>",
        f"<td>{'<br>'.join(changes)}</td>",
        f'<td class="spectrace-text">{_text(row["text"])}</td>',
        f"<td>{'<br>'.join(where)}</td>",
        f"<td>{'<br>'.join(tests)}</td>",
    ]
    return Markup(f'<tr id="{statement}"{_data_attributes(row)}>\n' + "\n".join(cells) + "\n</tr>")


HEAD = Markup(
    "<tr>"
    + "".join(
        f'<th scope="col">{name}</th>'
        for name in (
            "Statement",
            "Edition",
            "Clause",
            "Modality",
            "Actors",
            "Status",
            "Changed by",
            "Text",
            "Implemented by",
            "Verified by",
        )
    )
    + "</tr>"
)


def _text(value) -> str:
    """Return ``value`` as HTML text (quotes escaped too: it may end up in an attribute)."""
    return html.escape(str(value))


def render_head() -> Markup:
    """Return the header row of the table of statements."""
    return HEAD


# The filters -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """The choices of the filter controls: every value some row has."""

    documents: list[str]
    actors: list[str]
    statuses: list[str]
    irps: list[str]
    total: int


def filters(rows: list[dict]) -> Filters:
    """Return the filter choices for ``rows`` (documents in order, the rest sorted)."""
    documents = list(dict.fromkeys(str(row.get("document") or "") for row in rows))
    actors = sorted({str(a) for row in rows for a in row.get("actors") or []})
    seen = {row.get("status") for row in rows}
    return Filters(
        [d for d in documents if d],
        actors,
        [s for s in STATUSES if s in seen],
        sorted({irp for row in rows for irp in irps(row.get("changed_by") or [])}),
        len(rows),
    )


def render_filters(choices: Filters) -> Markup:
    """Return the filter form (hidden until the script shows it) and its script."""
    return Markup(
        _environment()
        .get_template("filters.html.j2")
        .render(filters=choices, script=Markup(_script()))
        .strip()
    )


@cache
def _script() -> str:
    text = (TEMPLATES / "filter.js").read_text(encoding="utf-8")
    if "</" in text:
        raise ValueError("filter.js must not contain '</' (it is inlined in <script>)")
    return text.strip()


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(done_percent=done_percent, meanings=MEANINGS)
    return env


def _data_attributes(row: dict) -> str:
    """Return a row's ``data-*`` attributes, each value escaped (the names are ours)."""
    return "".join(f' data-{key}="{_text(value)}"' for key, value in row_attributes(row).items())


__all__ = [
    "DEFAULT_TITLE",
    "Filters",
    "filters",
    "render_chart",
    "render_filters",
    "render_head",
    "render_matrix_html",
    "render_page",
    "render_row",
    "row_attributes",
]
