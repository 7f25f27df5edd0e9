"""``trace/reviewed.json``: the statement texts (as fingerprints) their links were reviewed
against. Sorted keys and a trailing newline, so it diffs cleanly in review."""

from __future__ import annotations

import json
import os
from pathlib import Path

from spectrace.errors import ReadError
from spectrace.fileio import atomic_path, read_json
from spectrace.limits import REVIEWED_FILE_BYTES


def read_reviewed(path: Path) -> dict[str, str]:
    """Return statement id -> fingerprint; an absent file is an empty record.

    Anything else that is not a regular UTF-8 file holding one JSON object of strings (a
    folder, a FIFO, nesting over :data:`~spectrace.limits.JSON_DEPTH`) is a ReadError naming
    the file.
    """
    if not os.path.lexists(path):
        return {}
    data = read_json(path, limit=REVIEWED_FILE_BYTES)
    if not isinstance(data, dict):
        raise ReadError(
            f"must be a JSON object of statement ids to fingerprints, not {_kind(data)}",
            file=str(path),
        )
    for statement, fingerprint in data.items():
        if not isinstance(fingerprint, str):
            raise ReadError(
                f"{statement!r} must map to a fingerprint string, not {_kind(fingerprint)}",
                file=str(path),
            )
    return data


def _kind(value: object) -> str:
    """Return what a JSON value is, as a message names it ("a list", "null")."""
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    return names.get(type(value), "a number")


def write_reviewed(path: Path, reviewed: dict[str, str]) -> None:
    with atomic_path(path) as temporary:
        temporary.write_text(
            json.dumps(dict(sorted(reviewed.items())), indent=1) + "\n", encoding="utf-8"
        )
