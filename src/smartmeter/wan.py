"""The WAN Interface of the Communications Hub, as far as the model needs it: Alerts sent."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from smartmeter.events import require_utc


class AlertCode(Enum):
    """The Alerts the model sends (the model's own codes, not GBCS alert codes)."""

    FIRMWARE_VERIFICATION_FAILED_AT_POWER_ON = "firmware-verification-failed-at-power-on"


@dataclass(frozen=True)
class Alert:
    """An Alert sent via the WAN Interface, with the UTC date-time it was raised."""

    code: AlertCode
    raised_at: datetime
    source: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "raised_at", require_utc(self.raised_at))


@dataclass
class WanInterface:
    """The WAN side of the Communications Hub: the Alerts it has sent, in order."""

    sent: list[Alert] = field(default_factory=list)

    def send(self, alert: Alert) -> None:
        self.sent.append(alert)
