"""``trace/reviewed.json``: the statement texts (as fingerprints) their links were written or
reviewed against, so that any later change of a linked statement (an IRP, a re-import, a hand
edit of its ``.rst``) makes its links suspect.

The file is one JSON object of statement id to record, sorted, one key a line, ending in a
newline, so that it diffs and merges cleanly in review. A record is either

- a fingerprint string, ``"SMETS-5.7.5.31-2": "8f1e…"``: the *baseline* ``spectrace trace``
  writes the first time it finds a statement linked (and the whole record of files written
  before reviews had reviewers), or
- an object, ``{"by": "Ana", "fingerprint": "8f1e…", "note": "…", "on": "2025-01-31"}``: what
  ``spectrace review`` writes, with who accepted the text and on which day (``note`` is left
  out when there is none).
"""

from __future__ import annotations

import datetime
import getpass
import json
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from spectrace.errors import ConfigError, ReadError
from spectrace.fileio import atomic_path, read_json
from spectrace.limits import REVIEW_NOTE_CHARS, REVIEWED_FILE_BYTES, REVIEWER_CHARS
from spectrace.model.refs import is_statement_id

#: A statement's fingerprint (:attr:`spectrace.model.Statement.fingerprint`).
FINGERPRINT = re.compile(r"^[0-9a-f]{16}\Z")
#: What a reviewed record's object may hold.
FIELDS = ("fingerprint", "by", "on", "note")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class Record:
    """The text links to a statement were accepted against: a baseline (``by`` empty) or a
    review by ``by`` on the ISO date ``on``, with an optional ``note``."""

    fingerprint: str
    by: str = ""
    on: str = ""
    note: str = ""

    @property
    def reviewed(self) -> bool:
        return bool(self.by)

    def describe(self) -> str:
        """Return when the text was accepted: "reviewed by Ana on 2025-01-31", or "first
        traced" for a baseline."""
        if not self.reviewed:
            return "first traced"
        return f"reviewed by {self.by}" + (f" on {self.on}" if self.on else "")

    def as_json(self) -> str | dict[str, str]:
        """Return the record as the file holds it: a baseline as its fingerprint alone."""
        if not self.reviewed:
            return self.fingerprint
        fields = {"fingerprint": self.fingerprint, "by": self.by, "on": self.on, "note": self.note}
        return {key: value for key, value in fields.items() if value}


Records = dict[str, Record]


def read_reviewed(path: Path) -> Records:
    """Return statement id -> record; an absent file is an empty record.

    Anything else that is not a regular UTF-8 file holding one JSON object of statement ids to
    records (a folder, a FIFO, over :data:`~spectrace.limits.REVIEWED_FILE_BYTES`, nesting over
    :data:`~spectrace.limits.JSON_DEPTH`, a value of the wrong type) is a ReadError naming the
    file and the statement.
    """
    if not os.path.lexists(path):
        return {}
    data = read_json(path, limit=REVIEWED_FILE_BYTES)
    if not isinstance(data, dict):
        raise ReadError(
            f"must be a JSON object of statement ids to records, not {_kind(data)}",
            file=str(path),
        )
    return {statement: _record(statement, value, str(path)) for statement, value in data.items()}


def _record(statement: str, value: object, file: str) -> Record:
    where = _shown(statement)
    if not is_statement_id(statement):
        raise ReadError("is not a statement id (SMETS-5.6.1-2)", file=file, where=where)
    if isinstance(value, str):
        return Record(_fingerprint(value, file, where))
    if not isinstance(value, dict):
        raise ReadError(
            f"must map to a fingerprint string or a review object, not {_kind(value)}",
            file=file,
            where=where,
        )
    unknown = [key for key in value if key not in FIELDS]
    if unknown:
        raise ReadError(
            f"unknown field {_shown(unknown[0])} (known: {', '.join(FIELDS)})",
            file=file,
            where=where,
        )
    for key, field in value.items():
        if not isinstance(field, str):
            raise ReadError(f'"{key}" must be a string, not {_kind(field)}', file=file, where=where)
    if "fingerprint" not in value:
        raise ReadError('has no "fingerprint"', file=file, where=where)
    try:
        by = check_reviewer(value["by"]) if "by" in value else ""
        note = check_note(value.get("note", ""))
    except ConfigError as error:
        raise ReadError(error.message, file=file, where=where) from None
    on = value.get("on", "")
    if on and not _is_date(on):
        raise ReadError(
            f'"on" must be a date as YYYY-MM-DD, not {_shown(on)}', file=file, where=where
        )
    return Record(_fingerprint(value["fingerprint"], file, where), by, on, note)


def _fingerprint(value: str, file: str, where: str) -> str:
    if FINGERPRINT.match(value) is None:
        raise ReadError(
            f"{_shown(value)} is not a fingerprint (16 lower-case hexadecimal digits)",
            file=file,
            where=where,
        )
    return value


def _is_date(text: str) -> bool:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) is None:
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def check_reviewer(name: str) -> str:
    """Return ``name`` as a reviewer, or raise ConfigError saying what is wrong with it."""
    if not name.strip():
        raise ConfigError('the reviewer ("by") is empty')
    if len(name) > REVIEWER_CHARS:
        raise ConfigError(f'the reviewer ("by") is over {REVIEWER_CHARS} characters')
    if _CONTROL.search(name):
        raise ConfigError('the reviewer ("by") must be one line without control characters')
    return name


def check_note(note: str) -> str:
    """Return ``note`` as a review's note, or raise ConfigError saying what is wrong."""
    if len(note) > REVIEW_NOTE_CHARS:
        raise ConfigError(f"the note is over {REVIEW_NOTE_CHARS} characters")
    if _CONTROL.search(note):
        raise ConfigError("the note must be one line without control characters")
    return note


def _shown(text: str, width: int = 60) -> str:
    """Return ``text`` quoted for a message, cut to ``width`` characters."""
    text = text if len(text) <= width else text[: width - 1] + "…"
    return repr(text)


def _kind(value: object) -> str:
    """Return what a JSON value is, as a message names it ("a list", "null")."""
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    return names.get(type(value), "a number")


def render_reviewed(records: Records) -> str:
    """Return the file's text: keys sorted at every level, one a line, a final newline."""
    data = {statement: records[statement].as_json() for statement in sorted(records)}
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def write_reviewed(path: Path, records: Records) -> None:
    """Replace the file at ``path`` with ``records``, in one step."""
    with atomic_path(path) as temporary:
        temporary.write_text(render_reviewed(records), encoding="utf-8", newline="\n")


def add_baselines(path: Path, baselines: Records) -> Records:
    """Add to the file at ``path`` each of ``baselines`` it has no record of (a record there is
    never replaced: only a review accepts a new text); return those added. The file is read
    again just before it is written, so that what another run recorded meanwhile is kept, and
    it is not written at all when there is nothing to add."""
    records = read_reviewed(path)
    added = {s: record for s, record in baselines.items() if s not in records}
    if added:
        write_reviewed(path, records | added)
    return added


def reviewer(root: Path) -> str:
    """Return who is reviewing: git's ``user.name`` for the project at ``root``, else the
    system's name of the user."""
    try:
        found = subprocess.run(
            ["git", "config", "user.name"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
        found = ""
    if found:
        return found
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no name for the user id (a container's)
        return ""


def today() -> datetime.date:
    """Return today's date (reviews are dated with it; tests pass a clock of their own)."""
    return datetime.date.today()
