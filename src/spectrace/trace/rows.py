"""Write matrix.json, matrix.csv and matrix.html, rendering again only the rows that changed.

Rendering every row's JSON, CSV and HTML is most of the time writing a large matrix takes (about
a second for 26,679 rows), yet a run after a small change changes few rows. So the cache keeps,
for the files of the last run, what each row showed and how many bytes its text takes in each
file. When the files are still as written (the same files — inode, size and modification time:
a generation of outputs carries them over as hard links — wherever the caller says the last
run's files are) and hold as many rows, a run renders only the rows whose content changed and
copies every other row's bytes from the previous file; otherwise it renders all. Either way
the bytes are those rendering every row gives (tested).

What every row showed is a large record, so it is kept in two parts: a base, written when all
rows were rendered, and the rows changed since then, written by every run; the second is folded
into the first when it grows.
"""

from __future__ import annotations

import csv
import io
import json
import os
import secrets
from array import array
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from itertools import accumulate
from pathlib import Path

from spectrace import cache
from spectrace.errors import SpectraceError
from spectrace.fileio import atomic_path
from spectrace.trace.html import complete_row, page_frame, render_row
from spectrace.trace.matrix import Matrix
from spectrace.trace.model import Row
from spectrace.trace.report import Frame, csv_header, csv_record, json_frame, summary_counts

#: The record of the last files, in the cache folder: where each row's text sits in them, and
#: what the rows that changed since the base was written show now (small: written every run).
STATE = "matrix-rows.pickle"
#: What every row showed when the record was last folded into it (large: written rarely).
BASE = "matrix-rows-base.pickle"
#: The record's changed rows are folded into the base when they are this share of the rows.
FOLD_SHARE = 0.1
#: The files with a text per row, in the order :class:`_Renderer` returns their texts.
FILES = ("matrix.json", "matrix.csv", "matrix.html")


def write_matrix_files(
    folder: Path, matrix: Matrix, cache_folder: Path | None, previous: Path | None = None
) -> None:
    """Write matrix.json, matrix.csv and matrix.html of ``matrix`` to ``folder``, using and
    updating the record in ``cache_folder`` (None: render every row, record nothing) of the
    files the last run wrote, which are in ``previous`` (None: in ``folder``)."""
    summary = summary_counts(matrix)
    errors = [error.as_dict() for error in matrix.errors]
    choices = [
        {"document": r.document, "actors": r.actors, "status": r.status, "changed_by": r.changed_by}
        for r in matrix.rows
    ]
    frames = {
        "matrix.json": json_frame({"summary": summary, "errors": errors}, "rows", bool(choices)),
        "matrix.csv": Frame(csv_header(), "", ""),
        "matrix.html": page_frame(summary, errors, choices),
    }
    write_row_files(folder, frames, matrix.rows, cache_folder, previous)


def write_row_files(
    folder: Path,
    frames: dict[str, Frame],
    rows: list[Row],
    cache_folder: Path | None,
    last: Path | None = None,
) -> None:
    """Write each of :data:`FILES` to ``folder``: its frame around the text of every row, in
    order (``frames`` has one for each); the last run's files are in ``last`` (default
    ``folder``)."""
    contents = [_content(row) for row in rows]
    previous = _Previous.load(last or folder, cache_folder, len(rows))
    render = _Renderer()
    if previous is None:
        rendered = {i: render(row) for i, row in enumerate(rows)}
        lengths = {name: array("q", [0] * len(rows)) for name in FILES}
    else:
        rendered = {
            i: render(rows[i])
            for i, (now, before) in enumerate(zip(contents, previous.contents, strict=True))
            if now != before
        }
        lengths = previous.lengths
    # All three are written to temporary files (in threads, each while the next is made) and
    # renamed only when every one is complete: a failure leaves the previous files as they were.
    with ExitStack() as outputs, ThreadPoolExecutor(len(FILES)) as pool:
        writes = []
        for index, name in enumerate(FILES):
            frame = frames[name]
            new = {i: texts[index].encode("utf-8") for i, texts in rendered.items()}
            if previous is None:
                data = _assemble(frame, [new[i] for i in range(len(rows))])
            else:
                data = _patch(
                    previous.files[name], frame, lengths[name], previous.offsets[name], new
                )
            for i, text in new.items():
                lengths[name][i] = len(text)
            temporary = outputs.enter_context(atomic_path(folder / name))
            writes.append(pool.submit(_write, temporary, data, folder / name))
        for write in writes:
            write.result()
    if cache_folder is not None:
        offsets = {name: len(frames[name].head.encode("utf-8")) for name in FILES}
        _Previous.remember(folder, cache_folder, contents, rendered, previous, offsets, lengths)


class _Previous:
    """What the cache says of the files the last run wrote, when they are still as written."""

    def __init__(self, record: dict, contents: list[tuple], files: dict[str, bytes]):
        self.record = record
        self.contents = contents
        self.files = files
        self.offsets: dict[str, int] = record["offsets"]
        self.lengths: dict[str, array] = record["lengths"]

    @classmethod
    def load(cls, folder: Path, cache_folder: Path | None, count: int) -> _Previous | None:
        """Return the record of the last files, if they are as written and hold ``count`` rows."""
        if cache_folder is None or not count:
            return None
        record = cache.load(cache_folder / STATE, STATE)
        if not record or any(record["files"].get(name) != _stamp(folder / name) for name in FILES):
            return None
        base = cache.load(cache_folder / BASE, BASE)
        if not base or base["token"] != record["base"] or len(base["contents"]) != count:
            return None
        try:
            files = {name: (folder / name).read_bytes() for name in FILES}
        except OSError:
            return None
        if any(len(files[name]) != record["files"][name][2] for name in FILES):
            return None  # changed since they were looked at
        contents = base["contents"]
        for index, content in record["changed"].items():
            contents[index] = content
        return cls(record, contents, files)

    @staticmethod
    def remember(
        folder: Path,
        cache_folder: Path,
        contents: list[tuple],
        rendered: dict,
        previous: _Previous | None,
        offsets: dict[str, int],
        lengths: dict[str, array],
    ) -> None:
        """Record the files just written: the changed rows in the small record, or every row
        in a new base when there are many."""
        changed = previous.record["changed"] if previous is not None else {}
        changed |= {index: contents[index] for index in rendered}
        token = previous.record["base"] if previous is not None else ""
        if previous is None or len(changed) > FOLD_SHARE * len(contents):
            token = secrets.token_hex(8)
            cache.store(cache_folder / BASE, BASE, {"token": token, "contents": contents})
            changed = {}
        record = {
            "files": {name: _stamp(folder / name) for name in FILES},
            "offsets": offsets,
            "lengths": lengths,
            "base": token,
            "changed": changed,
        }
        cache.store(cache_folder / STATE, STATE, record)


def _write(temporary: Path, data: bytes, path: Path) -> None:
    try:
        temporary.write_bytes(data)
    except OSError as exc:
        raise SpectraceError(f"cannot be written ({exc.strerror})", file=str(path)) from None


def _assemble(frame: Frame, texts: list[bytes]) -> bytes:
    return b"".join(
        [
            frame.head.encode("utf-8"),
            frame.separator.encode("utf-8").join(texts),
            frame.tail.encode("utf-8"),
        ]
    )


def _patch(old: bytes, frame: Frame, lengths: array, offset: int, new: dict[int, bytes]) -> bytes:
    """Return the file ``old`` in ``frame`` with the rows in ``new`` replaced."""
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


def _stamp(path: Path) -> tuple[int, int, int, int] | None:
    """Return what tells the file at ``path`` from any other: device, inode, size, mtime."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns


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
        shown = complete_row(data | {"changed_by": row.changed_by})  # the changes, not their text
        return (
            json.dumps(data, ensure_ascii=False, sort_keys=True),
            self.buffer.getvalue(),
            str(render_row(shown, f"#{row.statement}")),
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
        row.suspect_reason,
        row.waived,
        tuple(row.changed_by),
        row.required,
        tuple((link.path, link.line, link.name) for link in row.implemented_by),
        tuple((e.link.path, e.link.line, e.link.name, e.outcome) for e in row.verified_by),
    )
