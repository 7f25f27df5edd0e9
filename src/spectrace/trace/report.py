"""The matrix as JSON, CSV and a Markdown summary for CI logs (HTML is :mod:`.html`)."""

from __future__ import annotations

import csv
import io
import json
import secrets
from typing import NamedTuple

from spectrace.trace.matrix import Matrix
from spectrace.trace.model import Row, Status

COLUMNS = (
    "edition",
    "statement",
    "clause",
    "modality",
    "status",
    "suspect",
    "suspect_reason",
    "waived",
    "changed_by",
    "implemented_by",
    "verified_by",
    "text",
)


def matrix_data(matrix: Matrix) -> dict:
    """Return the matrix as plain data: ``summary`` (per edition, the count of each status
    among required statements), ``rows`` and ``errors``, as ``matrix.json`` holds them."""
    return {
        "summary": summary_counts(matrix),
        "rows": [row.as_dict() for row in matrix.rows],
        "errors": [error.as_dict() for error in matrix.errors],
    }


def to_json(matrix: Matrix) -> str:
    """Return ``matrix.json``."""
    return json_lines(matrix_data(matrix))


def json_lines(data: dict, encoded: dict[str, list[str]] | None = None) -> str:
    """Return ``data`` (a dict of lists and dicts) as JSON with sorted keys and one line per
    list item, so that it diffs line by line (and is written by the C encoder: ``indent``
    would make the same text three times slower). ``encoded`` holds lists whose items are
    JSON text already."""
    encoded = encoded or {}
    parts = []
    for key, value in sorted((data | encoded).items()):
        if isinstance(value, list) and value:
            items = ",\n  ".join(value if key in encoded else map(_compact, value))
            parts.append(f"{_compact(key)}: [\n  {items}\n ]")
        else:
            parts.append(f"{_compact(key)}: {_compact(value)}")
    return "{\n " + ",\n ".join(parts) + "\n}\n"


class Frame(NamedTuple):
    """What surrounds the rows in a file: the text before them, between two, and after."""

    head: str
    separator: str
    tail: str


def json_frame(data: dict, key: str, any_rows: bool) -> Frame:
    """Return the frame of :func:`json_lines` around the items of the list ``key`` (none:
    the list is empty)."""
    if not any_rows:
        return Frame(json_lines(data | {key: []}), ",\n  ", "")
    marker = f"<{secrets.token_hex(16)}>"
    head, tail = json_lines(data, {key: [marker]}).split(marker)
    return Frame(head, ",\n  ", tail)


def _compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def to_csv(matrix: Matrix) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(csv_record(row) for row in matrix.rows)
    return out.getvalue()


def csv_record(row: Row) -> list[str]:
    """Return the row's values in the order of :data:`COLUMNS`."""
    return [
        row.edition,
        row.statement,
        row.clause,
        row.modality,
        row.status.value,
        "yes" if row.suspect else "",
        row.suspect_reason,
        row.waived,
        "; ".join(map(str, row.changed_by)),
        "; ".join(link.where for link in row.implemented_by),
        "; ".join(f"{e.link.where} [{e.outcome}]" for e in row.verified_by),
        row.text,
    ]


def csv_header() -> str:
    """Return the first line of matrix.csv."""
    return ",".join(COLUMNS) + "\n"


def summary_counts(matrix: Matrix) -> dict[str, dict[str, int]]:
    """Return, per edition, how many required statements have each status."""
    counts: dict[str, dict[str, int]] = {}
    for row in matrix.rows:
        if row.required:
            edition = counts.get(row.edition)
            if edition is None:
                edition = counts[row.edition] = {status.value: 0 for status in Status}
            edition[row.status] += 1
    return counts


def covered_waived_aside(counts: dict[str, int]) -> tuple[int, int]:
    """Return (covered, counted) of an edition's status counts: the share the summary shows
    and ``[check] min-coverage`` sets, a waived statement being neither covered nor not."""
    return counts[Status.COVERED.value], sum(counts.values()) - counts[Status.WAIVED.value]


def summary_markdown(matrix: Matrix) -> str:
    """Return a short Markdown table of coverage per edition, for a CI log."""
    lines = [
        "| edition | " + " | ".join(s.value for s in Status) + " | covered %, waived aside |",
        "|---|" + "---|" * (len(Status) + 1),
    ]
    for edition, counts in summary_counts(matrix).items():
        covered, counted = covered_waived_aside(counts)
        share = f"{100 * covered / counted:.0f}" if counted else "-"
        lines.append(
            f"| {edition} | " + " | ".join(str(counts[s.value]) for s in Status) + f" | {share} |"
        )
    if matrix.errors:
        lines += ["", f"{len(matrix.errors)} tracing problem(s):"]
        lines += [f"- `{error}`" for error in matrix.errors]
    return "\n".join(lines) + "\n"
