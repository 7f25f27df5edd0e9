"""What a device answers: a read, a display, or a refusal with its reason."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from smartmeter.events import SecurityLogEntry
from smartmeter.security_log import SecurityLogId


class Refusal(Enum):
    """Why a device refused a request."""

    SECURITY_LOG_NOT_PROVIDED_OVER_HAN = (
        "no Security Log information is provided to Type 1 Devices or Type 2 Devices"
    )
    NO_COMMUNICATIONS_LINK = "no Communications Link has been established with the device"
    DATA_ITEM_NOT_AVAILABLE = "the data item is not available to the requester"
    SECURE_PERIMETER_NOT_ACCESSED = (
        "the Security Log is displayed only following physical access through the Secure Perimeter"
    )
    NOT_AUTHORISED_BY_DCC = "the DCC has not authorised the remote party to read this Security Log"
    SECURITY_LOG_NOT_HELD = "the device does not hold that Security Log"


@dataclass(frozen=True)
class Refused:
    """A refused request."""

    reason: Refusal


class Screen(Enum):
    """What a meter's User Interface can be asked to display."""

    CURRENCY_UNITS = "Currency Units"
    DEBT_RECOVERY_RATES = "Debt Recovery Rates"
    METER_BALANCE = "Meter Balance"
    SECURITY_LOG = "Security Log"


@dataclass(frozen=True)
class Displayed:
    """What the User Interface shows: a screen and its lines of text."""

    screen: Screen
    lines: tuple[str, ...]


@dataclass(frozen=True)
class SecurityLogRead:
    """A Security Log as read by a remote party through the DCC, oldest entry first."""

    log: SecurityLogId
    entries: tuple[SecurityLogEntry, ...]
