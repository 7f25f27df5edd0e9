"""``trace/reviewed.json``: the statement texts (as fingerprints) their links were reviewed
against. Sorted keys and a trailing newline, so it diffs cleanly in review."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from spectrace.errors import ReadError
from spectrace.fileio import atomic_path, read_text_input
from spectrace.limits import REVIEWED_FILE_BYTES

# TODO(limits): move to spectrace.limits. Nesting of arrays and objects in a JSON file
# spectrace reads (reviewed.json is one flat object, matrix.json nests four deep): checked
# before json.loads, whose parser recurses once per level.
JSON_DEPTH = 32

# a string (brackets in it do not count; an unterminated one runs to the end, so that no
# quote is scanned twice), or a bracket
_JSON_NESTING = re.compile(r'"(?:[^"\\]|\\.)*+(?:"|\\?\Z)|[\[{\]}]', re.S)


def read_reviewed(path: Path) -> dict[str, str]:
    """Return statement id -> fingerprint; an absent file is an empty record.

    Anything else that is not a regular UTF-8 file holding one JSON object of strings (a
    folder, a FIFO, nesting over :data:`JSON_DEPTH`) is a ReadError naming the file.
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


def read_json(path: Path, *, limit: int) -> object:
    """Return the JSON value in the regular file ``path`` (at most ``limit`` bytes, UTF-8,
    nested at most :data:`JSON_DEPTH` deep); any problem is a ReadError naming the file and,
    where there is one, the line."""
    text = read_text_input(path, limit=limit)
    check_nesting(text, file=str(path))
    try:
        return json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        message = getattr(exc, "msg", str(exc))
        raise ReadError(
            f"not readable JSON ({message})", file=str(path), where=f"line {line}" if line else None
        ) from None


def check_nesting(text: str, *, file: str) -> None:
    """Refuse JSON ``text`` whose arrays and objects nest deeper than :data:`JSON_DEPTH`, in
    one pass, before a recursive parser sees it."""
    depth = 0
    for token in _JSON_NESTING.finditer(text):
        bracket = token.group()
        if bracket in ("[", "{"):
            depth += 1
            if depth > JSON_DEPTH:
                line = text.count("\n", 0, token.start()) + 1
                raise ReadError(
                    f"arrays and objects nest deeper than {JSON_DEPTH} levels; refused",
                    file=file,
                    where=f"line {line}",
                )
        elif bracket in ("]", "}"):
            depth -= 1


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
