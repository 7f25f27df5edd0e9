"""The Security Log: a bounded log of Sensitive Events that overwrites its oldest entry."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from enum import Enum

from smartmeter.events import SecurityLogEntry

MINIMUM_CAPACITY = 100
"""The bundled texts describe each Security Log as capable of storing at least 100 entries."""


class SecurityLogId(Enum):
    """The four Security Logs of a premises: ESME's, GSME's (copied by the GPF), CHF's, GPF's."""

    ESME = "ESME Security Log"
    GSME = "GSME Security Log"
    CHF = "CHF Security Log"
    GPF = "GPF Security Log"


class SecurityLog:
    """A log of at least 100 entries, each the date-time and type of a Sensitive Event.

    Entries are kept oldest first. There is deliberately no operation that clears, edits or
    removes entries: only recording a newer entry displaces the oldest one, so no command
    (remote or local) can clear the log.

    implements: SMETS-4.6.5.17-1, SMETS-5.7.5.31-1, CHTS-4.6.3.5-1, CHTS-4.6.3.11-1
    """

    def __init__(self, capacity: int = MINIMUM_CAPACITY, entries: Iterable[SecurityLogEntry] = ()):
        if capacity < MINIMUM_CAPACITY:
            raise ValueError(
                f"a Security Log holds at least {MINIMUM_CAPACITY} entries, not {capacity}"
            )
        self._entries: deque[SecurityLogEntry] = deque(maxlen=capacity)
        for entry in entries:
            self.record(entry)

    @property
    def capacity(self) -> int:
        """How many entries the log holds before it overwrites the oldest."""
        maxlen = self._entries.maxlen
        assert maxlen is not None
        return maxlen

    @property
    def entries(self) -> tuple[SecurityLogEntry, ...]:
        """The entries, oldest first."""
        return tuple(self._entries)

    @property
    def is_full(self) -> bool:
        return len(self._entries) == self.capacity

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[SecurityLogEntry]:
        return iter(self.entries)

    def record(self, entry: SecurityLogEntry) -> SecurityLogEntry | None:
        """Record ``entry``; when the log is full, the oldest entry is overwritten by it.

        Returns the overwritten entry, or None when the log had room.

        implements: SMETS-4.6.5.17-2, SMETS-5.7.5.31-2
        """
        overwritten = self._entries[0] if self.is_full else None
        self._entries.append(entry)
        return overwritten
