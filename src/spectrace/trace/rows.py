"""Each matrix row as matrix.json, matrix.csv and matrix.html show it, remembered between runs.

Rendering the rows is most of the time writing a large matrix takes (about a second for 26,679
rows), yet a run after a small change changes few of them. A row's texts depend on the row
alone, so they are kept in ``OUTPUT/cache/matrix-rows.pickle`` under the row's whole content:
a run renders only the rows whose content it has not seen and reuses the others' texts.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import NamedTuple

from spectrace import cache
from spectrace.trace.html import complete_row, render_row
from spectrace.trace.model import Row
from spectrace.trace.report import csv_record

#: The name of the memo in the cache folder.
MEMO = "matrix-rows.pickle"


class RowTexts(NamedTuple):
    """Each row's line of matrix.json, its record of matrix.csv (with its line end) and its
    ``<tr>`` of matrix.html, in the order of the rows."""

    json: list[str]
    csv: list[str]
    html: list[str]


def row_texts(rows: list[Row], folder: Path | None = None) -> RowTexts:
    """Return the texts of ``rows``, reusing those the memo in ``folder`` remembers (and
    remembering this run's rows there, when any is new)."""
    entry = folder / MEMO if folder is not None else None
    # {edition: {statement: (content, json, csv, html)}}, plain tuples: they load fastest
    remembered: dict[str, dict[str, tuple]] = (entry and cache.load(entry, MEMO)) or {}
    memo: dict[str, dict[str, tuple]] = {}
    render = _Renderer()
    texts = RowTexts([], [], [])
    for row in rows:
        content = _content(row)
        found = remembered.get(row.edition, {}).get(row.statement)
        if found is None or found[0] != content:
            found = (content, *render(row))
        memo.setdefault(row.edition, {})[row.statement] = found
        texts.json.append(found[1])
        texts.csv.append(found[2])
        texts.html.append(found[3])
    if entry is not None and (
        render.count
        or memo.keys() != remembered.keys()
        or any(len(memo[edition]) != len(remembered[edition]) for edition in memo)
    ):
        cache.store(entry, MEMO, memo)
    return texts


class _Renderer:
    """Render rows' texts, counting them."""

    def __init__(self) -> None:
        self.count = 0
        self.buffer = io.StringIO()
        self.csv = csv.writer(self.buffer, lineterminator="\n")

    def __call__(self, row: Row) -> tuple[str, str, str]:
        self.count += 1
        self.buffer.seek(0)
        self.buffer.truncate()
        self.csv.writerow(csv_record(row))
        data = row.as_dict()
        return (
            json.dumps(data, ensure_ascii=False, sort_keys=True),
            self.buffer.getvalue(),
            str(render_row(complete_row(data), f"#{row.statement}")),
        )


def _content(row: Row) -> tuple:
    """Return everything a row's texts show, as a hashable value."""
    return (
        row.edition,
        row.document,
        row.statement,
        row.clause,
        row.modality,
        row.text,
        tuple(row.actors),
        row.status.value,
        row.suspect,
        row.waived,
        tuple(row.changed_by),
        row.required,
        tuple(link.where for link in row.implemented_by),
        tuple((e.link.where, e.outcome) for e in row.verified_by),
    )
