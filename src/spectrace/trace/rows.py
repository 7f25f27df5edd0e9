"""Write matrix.json, matrix.csv and matrix.html, rendering again only the rows that changed.

Rendering every row's JSON, CSV and HTML is most of the time writing a large matrix takes (about
a second for 26,679 rows), yet a run after a small change changes few rows. So the cache keeps,
for the files of the last run, what each row showed and how many bytes its text takes in each
file (``OUTPUT/cache/matrix-rows.pickle``). When the files are still as written (same folder,
size and modification time) and hold as many rows, a run renders only the rows whose content
changed and copies every other row's bytes from the previous file; otherwise it renders all.
Either way the bytes are those rendering every row gives (tested).
"""

from __future__ import annotations

import csv
import io
import json
import os
from array import array
from itertools import accumulate
from pathlib import Path

from spectrace import cache
from spectrace.fileio import atomic_path
from spectrace.trace.html import complete_row, render_row
from spectrace.trace.model import Row
from spectrace.trace.report import Frame, csv_record

#: The name of the record of the last files in the cache folder.
STATE = "matrix-rows.pickle"
#: The files with a text per row, in the order :class:`_Renderer` returns their texts.
FILES = ("matrix.json", "matrix.csv", "matrix.html")


def write_row_files(
    folder: Path, frames: dict[str, Frame], rows: list[Row], cache_folder: Path | None
) -> None:
    """Write each of :data:`FILES` to ``folder``: its frame around the text of every row, in
    order (``frames`` has one for each)."""
    contents = [_content(row) for row in rows]
    state = _previous(folder, frames, contents, cache_folder)
    render = _Renderer()
    if state is None:
        texts = [render(row) for row in rows]
        lengths = {name: array("q", [0] * len(rows)) for name in FILES}
        rendered = dict(enumerate(texts))
    else:
        lengths = state["lengths"]
        rendered = {
            i: render(rows[i])
            for i, (now, before) in enumerate(zip(contents, state["contents"], strict=True))
            if now != before
        }
    for index, name in enumerate(FILES):
        frame = frames[name]
        new = {i: texts[index].encode("utf-8") for i, texts in rendered.items()}
        if state is None:
            data = _assemble(frame, [new[i] for i in range(len(rows))])
        else:
            data = _patch(folder / name, frame, lengths[name], state["offsets"][name], new)
        for i, text in new.items():
            lengths[name][i] = len(text)
        with atomic_path(folder / name) as temporary:
            temporary.write_bytes(data)
    if cache_folder is not None:
        cache.store(
            cache_folder / STATE,
            STATE,
            {
                "folder": str(folder.resolve()),
                "files": {name: _stamp(folder / name) for name in FILES},
                "offsets": {name: len(frames[name].head.encode("utf-8")) for name in FILES},
                "lengths": lengths,
                "contents": contents,
            },
        )


def _previous(
    folder: Path, frames: dict[str, Frame], contents: list[tuple], cache_folder: Path | None
) -> dict | None:
    """Return the record of the last files, if they are still as written and can be patched."""
    state = cache.load(cache_folder / STATE, STATE) if cache_folder is not None else None
    if (
        not state
        or state["folder"] != str(folder.resolve())
        or len(state["contents"]) != len(contents)
        or not contents
        or any(state["files"].get(name) != _stamp(folder / name) for name in FILES)
    ):
        return None
    return state


def _assemble(frame: Frame, texts: list[bytes]) -> bytes:
    return b"".join(
        [
            frame.head.encode("utf-8"),
            frame.separator.encode("utf-8").join(texts),
            frame.tail.encode("utf-8"),
        ]
    )


def _patch(path: Path, frame: Frame, lengths: array, offset: int, new: dict[int, bytes]) -> bytes:
    """Return the file at ``path`` in ``frame`` with the rows in ``new`` replaced."""
    old = path.read_bytes()
    separator = len(frame.separator.encode("utf-8"))
    starts = [offset, *accumulate(length + separator for length in lengths)]
    starts[1:] = [start + offset for start in starts[1:]]
    pieces = [frame.head.encode("utf-8")]
    cursor = offset
    for i in sorted(new):
        pieces += [old[cursor : starts[i]], new[i]]
        cursor = starts[i] + lengths[i]
    pieces += [old[cursor : starts[-1] - separator], frame.tail.encode("utf-8")]
    return b"".join(pieces)


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


class _Renderer:
    """Render a row's JSON line, CSV record and ``<tr>``."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.csv = csv.writer(self.buffer, lineterminator="\n")

    def __call__(self, row: Row) -> tuple[str, str, str]:
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
    """Return everything a row's texts show (a link shows as its ``where``), as a value to
    compare."""
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
        tuple((link.path, link.line, link.name) for link in row.implemented_by),
        tuple((e.link.path, e.link.line, e.link.name, e.outcome) for e in row.verified_by),
    )
