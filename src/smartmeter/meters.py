"""The meters: ESME (electricity) and GSME (gas), their User Interface and Security Log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING

from smartmeter.data import DataItem
from smartmeter.events import SecurityLogEntry, SensitiveEvent
from smartmeter.han import HanDevice, HanLink, HanRequest, ReadSecurityLog
from smartmeter.outcomes import Displayed, Refusal, Refused, Screen, SecurityLogRead
from smartmeter.security_log import MINIMUM_CAPACITY, SecurityLog, SecurityLogId

if TYPE_CHECKING:
    from smartmeter.comms_hub import GasProxyFunction

ESME_SECURITY_LOG_CLAUSE = "5.7.5.31"
GSME_SECURITY_LOG_CLAUSE = "4.6.5.17"


@dataclass
class SecurePerimeter:
    """A meter's sealed enclosure; the meter tracks whether it has been physically accessed."""

    accessed: bool = False

    def access(self) -> None:
        """Physical access through the Secure Perimeter (the enclosure is opened)."""
        self.accessed = True

    def reseal(self) -> None:
        """The enclosure is sealed again: the access no longer holds."""
        self.accessed = False


def _security_log_display(perimeter: SecurePerimeter, log: SecurityLog) -> Displayed | Refused:
    """The Security Log on a User Interface, only following access through the Secure Perimeter."""
    if not perimeter.accessed:
        return Refused(Refusal.SECURE_PERIMETER_NOT_ACCESSED)
    return Displayed(Screen.SECURITY_LOG, tuple(str(entry) for entry in log))


class EsmeVariant(Enum):
    """The ESME variants of SMETS Section 5: Part A (single element), Part B (twin element)."""

    SINGLE_ELEMENT = "Part A: Single Element ESME"
    TWIN_ELEMENT = "Part B: Twin Element ESME"

    @property
    def data_sections(self) -> tuple[str, ...]:
        """The sections whose data items the variant holds."""
        if self is EsmeVariant.SINGLE_ELEMENT:
            return ("5.7",)
        return ("5.7", "5.13")

    @property
    def han_info_sections(self) -> tuple[str, ...]:
        """The sections whose [INFO] data the variant provides to Type 1 and Type 2 Devices.

        Part A provides 5.7.1, 5.7.4 and 5.7.5 (5.6.1); for Part B, 5.6.1 does not apply and it
        provides 5.7.1, 5.7.4, 5.7.5, 5.13.1 and 5.13.2 (5.12.1).

        implements: SMETS-5.6.1-1, SMETS-5.12.1-1, SMETS-5.12.1-2
        """
        if self is EsmeVariant.SINGLE_ELEMENT:
            return ("5.7.1", "5.7.4", "5.7.5")
        return ("5.7.1", "5.7.4", "5.7.5", "5.13.1", "5.13.2")


class Esme:
    """Electricity Smart Metering Equipment."""

    def __init__(
        self,
        variant: EsmeVariant = EsmeVariant.SINGLE_ELEMENT,
        *,
        log_capacity: int = MINIMUM_CAPACITY,
    ) -> None:
        self.variant = variant
        self.security_log = SecurityLog(log_capacity)
        self.secure_perimeter = SecurePerimeter()
        self._data: dict[str, DataItem] = {}
        self._links: dict[str, HanLink] = {}

    # -- Security Log -----------------------------------------------------------------------

    def record_sensitive_event(self, event: SensitiveEvent, at: datetime) -> SecurityLogEntry:
        """Record a Sensitive Event in the ESME Security Log.

        implements: SMETS-5.7.5.31-1
        """
        entry = SecurityLogEntry(at, event)
        self.security_log.record(entry)
        return entry

    def display_security_log(self) -> Displayed | Refused:
        """Show the Security Log on the User Interface, only following physical access through
        the Secure Perimeter of ESME.

        implements: SMETS-5.5.4-1
        """
        return _security_log_display(self.secure_perimeter, self.security_log)

    def answer_dcc_security_log_read(self, log: SecurityLogId) -> SecurityLogRead | Refused:
        """A remote read the DCC has authorised and forwarded."""
        if log is not SecurityLogId.ESME:
            return Refused(Refusal.SECURITY_LOG_NOT_HELD)
        return SecurityLogRead(log, self.security_log.entries)

    # -- data and the HAN -------------------------------------------------------------------

    def data(self, clause: str) -> DataItem | None:
        return self._data.get(clause)

    def set_data(self, item: DataItem) -> None:
        """Hold ``item``; when it is provided over the HAN, send the change over every link.

        implements: SMETS-5.6.1-1, SMETS-5.12.1-2
        """
        if not item.within(self.variant.data_sections):
            raise ValueError(f"{item.clause} is not a data item of {self.variant.value}")
        if item.within([ESME_SECURITY_LOG_CLAUSE]):
            raise ValueError("the Security Log is recorded through record_sensitive_event")
        self._data[item.clause] = item
        if self._provided_over_han(item):
            for link in self._links.values():
                link.received.append(item)

    def establish_link(self, device: HanDevice) -> HanLink:
        """Establish a Communications Link with a Type 1 or Type 2 Device and immediately send
        it the data ESME provides over the HAN.

        implements: SMETS-5.6.1-1, SMETS-5.12.1-2
        """
        link = HanLink(device)
        link.received.extend(item for item in self._data.values() if self._provided_over_han(item))
        self._links[device.device_id] = link
        return link

    def handle_han_request(self, device: HanDevice, request: HanRequest) -> DataItem | Refused:
        """Answer a Type 1 or Type 2 Device; any request for Security Log information is refused.

        implements: SMETS-5.6.1-2, SMETS-5.12.1-3
        """
        if device.device_id not in self._links:
            return Refused(Refusal.NO_COMMUNICATIONS_LINK)
        if isinstance(request, ReadSecurityLog):
            return Refused(Refusal.SECURITY_LOG_NOT_PROVIDED_OVER_HAN)
        item = self._data.get(request.clause)
        if item is None or not self._provided_over_han(item):
            return Refused(Refusal.DATA_ITEM_NOT_AVAILABLE)
        return item

    def _provided_over_han(self, item: DataItem) -> bool:
        """Whether ESME gives ``item`` to Type 1 and Type 2 Devices: [INFO] data of the
        variant's sections, never information from the Security Log (although its entries
        are annotated [INFO] in 5.7.5.31).

        implements: SMETS-5.6.1-1, SMETS-5.6.1-2, SMETS-5.12.1-2, SMETS-5.12.1-3
        """
        return (
            item.info
            and item.within(self.variant.han_info_sections)
            and not item.within([ESME_SECURITY_LOG_CLAUSE])
        )


GSME_DISPLAYED_DATA = {
    Screen.CURRENCY_UNITS: "4.6.4.9",
    Screen.DEBT_RECOVERY_RATES: "4.6.4.12",
    Screen.METER_BALANCE: "4.6.5.11",
}
"""The data items GSME displays, by screen, and the clauses that define them."""


class Gsme:
    """Gas Smart Metering Equipment: battery powered, it talks only to the Communications Hub,
    whose Gas Proxy Function keeps a copy of its [INFO] data and of its Security Log."""

    DATA_SECTIONS = ("4.6.1", "4.6.2", "4.6.3", "4.6.4", "4.6.5")
    GPF_INFO_SECTIONS = ("4.6.1", "4.6.4", "4.6.5")

    def __init__(self, *, log_capacity: int = MINIMUM_CAPACITY) -> None:
        self.security_log = SecurityLog(log_capacity)
        self.secure_perimeter = SecurePerimeter()
        self._data: dict[str, DataItem] = {}
        self._gpf: GasProxyFunction | None = None

    def data(self, clause: str) -> DataItem | None:
        return self._data.get(clause)

    def set_data(self, item: DataItem) -> None:
        """Hold ``item``; an [INFO] item is provided to the Gas Proxy Function.

        implements: SMETS-4.5.1-1
        """
        if not item.within(self.DATA_SECTIONS):
            raise ValueError(f"{item.clause} is not a GSME data item")
        if item.within([GSME_SECURITY_LOG_CLAUSE]):
            raise ValueError("the Security Log is recorded through record_sensitive_event")
        self._data[item.clause] = item
        if self._gpf is not None and self._provided_to_gpf(item):
            self._gpf.receive_gsme_data(item)

    def record_sensitive_event(self, event: SensitiveEvent, at: datetime) -> SecurityLogEntry:
        """Record a Sensitive Event in the GSME Security Log and send the change to the GPF
        (Security Log entries are annotated [INFO] in 4.6.5.17).

        implements: SMETS-4.6.5.17-1, SMETS-4.5.1-1
        """
        entry = SecurityLogEntry(at, event)
        self.security_log.record(entry)
        if self._gpf is not None:
            self._gpf.receive_gsme_security_log_entry(entry)
        return entry

    def pair_with(self, gpf: GasProxyFunction) -> None:
        """Join the Communications Hub: give its GPF the [INFO] data and the Security Log held
        now; later changes follow as they happen.

        implements: SMETS-4.5.1-1
        """
        self._gpf = gpf
        gpf.receive_gsme_snapshot(
            [item for item in self._data.values() if self._provided_to_gpf(item)],
            self.security_log,
        )

    def display(self, screen: Screen) -> Displayed | Refused:
        """Show ``screen`` on the User Interface: Currency Units, Debt Recovery Rates, Meter
        Balance, and the Security Log only following physical access through the Secure
        Perimeter of GSME.

        implements: SMETS 4.4.5
        """
        if screen is Screen.SECURITY_LOG:
            return _security_log_display(self.secure_perimeter, self.security_log)
        item = self._data.get(GSME_DISPLAYED_DATA[screen])
        if item is None:
            return Refused(Refusal.DATA_ITEM_NOT_AVAILABLE)
        return Displayed(screen, (str(item.value),))

    def _provided_to_gpf(self, item: DataItem) -> bool:
        return item.info and item.within(self.GPF_INFO_SECTIONS)
