"""Sensitive Events and the Security Log entries that record them.

Time is always passed in: the model has no clock of its own, so every date-time is a UTC
``datetime`` given by the caller (a test, or the simulation driving the model).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum


class SensitiveEvent(Enum):
    """The types of Sensitive Event the model records.

    The glossaries define a Sensitive Event as "an event that may indicate an attempt to
    compromise the security of a Device, including a failure to verify Firmware or a Command";
    the model knows those two. The values are the model's own event codes, not GBCS codes.
    """

    FIRMWARE_VERIFICATION_FAILURE = "firmware-verification-failure"
    COMMAND_VERIFICATION_FAILURE = "command-verification-failure"


def require_utc(moment: datetime) -> datetime:
    """Return ``moment`` as a UTC date-time; refuse naive or non-UTC date-times."""
    if moment.tzinfo is None or moment.utcoffset() != timedelta(0):
        raise ValueError(f"{moment.isoformat()} is not a UTC date-time")
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class SecurityLogEntry:
    """One Security Log entry: the UTC date-time and the type (event code) of a Sensitive Event."""

    occurred_at: datetime
    event: SensitiveEvent

    def __post_init__(self) -> None:
        object.__setattr__(self, "occurred_at", require_utc(self.occurred_at))

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S}Z {self.event.value}"
