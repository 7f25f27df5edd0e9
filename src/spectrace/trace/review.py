"""``trace/reviewed.json``: the statement texts (as fingerprints) their links were reviewed
against. Sorted keys and a trailing newline, so it diffs cleanly in review."""

from __future__ import annotations

import json
from pathlib import Path

from spectrace.errors import SpectraceError
from spectrace.fileio import atomic_path


def read_reviewed(path: Path) -> dict[str, str]:
    """Return statement id -> fingerprint; an absent file is an empty record."""
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SpectraceError(f"not readable JSON ({exc})", file=str(path)) from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise SpectraceError("must map statement ids to fingerprints", file=str(path))
    return data


def write_reviewed(path: Path, reviewed: dict[str, str]) -> None:
    with atomic_path(path) as temporary:
        temporary.write_text(
            json.dumps(dict(sorted(reviewed.items())), indent=1) + "\n", encoding="utf-8"
        )
