"""Every limit in spectrace.limits is documented, with its value, in docs/limits.rst."""

from __future__ import annotations

import re

from spectrace import limits
from tests.conftest import PROJECT_ROOT

DOCS = PROJECT_ROOT / "docs" / "limits.rst"


def _shown(value: int) -> set[str]:
    """The ways the docs may write ``value``: 65,536; 64 KiB; 384 MiB."""
    ways = {f"{value:,}", str(value)}
    for unit, size in (("KiB", limits.KiB), ("MiB", limits.MiB)):
        if value % size == 0:
            ways.add(f"{value // size} {unit}")
    return ways


def test_every_limit_is_in_the_table_with_its_value():
    rows = {}
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^``([A-Z_]+)``\s+(\S+(?: [KM]iB)?)\s", line)
        if match:
            rows[match.group(1)] = match.group(2)
    names = [n for n in vars(limits) if n.isupper() and n not in ("KiB", "MiB")]
    assert sorted(rows) == sorted(names)
    for name in names:
        assert rows[name] in _shown(getattr(limits, name)), name
