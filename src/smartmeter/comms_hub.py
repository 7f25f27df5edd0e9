"""The Communications Hub: its Communications Hub Function (CHF), its Gas Proxy Function (GPF),
its Firmware and its WAN Interface."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from enum import Enum
from types import MappingProxyType

from smartmeter.data import DataItem
from smartmeter.events import SecurityLogEntry, SensitiveEvent
from smartmeter.firmware import FirmwareImage, FirmwareSlot
from smartmeter.han import HanDevice, HanRequest, ReadSecurityLog
from smartmeter.outcomes import Refusal, Refused, SecurityLogRead
from smartmeter.security_log import MINIMUM_CAPACITY, SecurityLog, SecurityLogId
from smartmeter.wan import Alert, AlertCode, WanInterface


class CommunicationsHubFunction:
    """The CHF: the HAN and WAN side of the Communications Hub, with the CHF Security Log."""

    def __init__(self, *, log_capacity: int = MINIMUM_CAPACITY) -> None:
        self.security_log = SecurityLog(log_capacity)

    def record_sensitive_event(self, event: SensitiveEvent, at: datetime) -> SecurityLogEntry:
        """Log the occurrence (its date-time) and type of a Sensitive Event.

        implements: CHTS-4.4.6.1-6
        """
        entry = SecurityLogEntry(at, event)
        self.security_log.record(entry)
        return entry

    def handle_han_request(self, device: HanDevice, request: HanRequest) -> Refused:
        """Answer a Type 1 or Type 2 Device: no information from any Security Log (the CHF's,
        the GPF's or the GSME's) is provided; the CHF's other HAN data is not modelled.

        implements: CHTS-4.4.6.1-10
        """
        if isinstance(request, ReadSecurityLog):
            return Refused(Refusal.SECURITY_LOG_NOT_PROVIDED_OVER_HAN)
        return Refused(Refusal.DATA_ITEM_NOT_AVAILABLE)


class GasProxyFunction:
    """The GPF: answers for the gas meter with a copy of its [INFO] data and of the GSME Security
    Log, and holds the GPF Security Log."""

    def __init__(self, *, log_capacity: int = MINIMUM_CAPACITY) -> None:
        self.security_log = SecurityLog(log_capacity)
        self.gsme_security_log = SecurityLog()  # replaced by the GSME's on pairing
        self._gsme_data: dict[str, DataItem] = {}

    @property
    def gsme_data(self) -> Mapping[str, DataItem]:
        """The copy of the GSME's [INFO] data, by clause."""
        return MappingProxyType(self._gsme_data)

    def record_sensitive_event(self, event: SensitiveEvent, at: datetime) -> SecurityLogEntry:
        """Log the occurrence (its date-time) and type of a Sensitive Event.

        implements: CHTS-4.4.6.1-7
        """
        entry = SecurityLogEntry(at, event)
        self.security_log.record(entry)
        return entry

    # -- what the GSME sends ----------------------------------------------------------------

    def receive_gsme_snapshot(self, items: Iterable[DataItem], log: SecurityLog) -> None:
        """Take the GSME's [INFO] data and Security Log as they are when it pairs."""
        self._gsme_data = {item.clause: item for item in items}
        self.gsme_security_log = SecurityLog(log.capacity, log.entries)

    def receive_gsme_data(self, item: DataItem) -> None:
        self._gsme_data[item.clause] = item

    def receive_gsme_security_log_entry(self, entry: SecurityLogEntry) -> None:
        """Apply a change of the GSME Security Log to the copy (overwriting as the GSME does)."""
        self.gsme_security_log.record(entry)

    # -- HAN --------------------------------------------------------------------------------

    def handle_han_request(self, device: HanDevice, request: HanRequest) -> DataItem | Refused:
        """Answer a Type 1 or Type 2 Device from the copy of the GSME's [INFO] data; no
        information from any Security Log (the GSME's copy, the GPF's, the CHF's) is provided.

        implements: CHTS-4.4.6.1-10
        """
        if isinstance(request, ReadSecurityLog):
            return Refused(Refusal.SECURITY_LOG_NOT_PROVIDED_OVER_HAN)
        item = self._gsme_data.get(request.clause)
        if item is None:
            return Refused(Refusal.DATA_ITEM_NOT_AVAILABLE)
        return item


class PowerOnResult(Enum):
    FIRMWARE_VERIFIED = "firmware verified"
    FIRMWARE_VERIFICATION_FAILED = "firmware verification failed"


class CommunicationsHub:
    """A Communications Hub (CH): a CHF and a GPF, the Firmware they run, the WAN Interface."""

    def __init__(self, firmware: FirmwareImage, *, log_capacity: int = MINIMUM_CAPACITY) -> None:
        self.chf = CommunicationsHubFunction(log_capacity=log_capacity)
        self.gpf = GasProxyFunction(log_capacity=log_capacity)
        self.wan = WanInterface()
        self.firmware = FirmwareSlot.receive(firmware)
        self.pending_firmware: FirmwareSlot | None = None

    def power_on(self, at: datetime) -> PowerOnResult:
        """Verify the Firmware at power on; on failure, generate an entry to that effect in the
        CHF Security Log and send an Alert to that effect via the WAN Interface.

        implements: CHTS-4.4.6.1-2, CHTS-4.4.6.1-3, CHTS-4.4.6.1-4, CHTS-4.4.6.1-5
        """
        if self.firmware.verify():
            return PowerOnResult.FIRMWARE_VERIFIED
        entry = self.chf.record_sensitive_event(SensitiveEvent.FIRMWARE_VERIFICATION_FAILURE, at)
        self.wan.send(
            Alert(AlertCode.FIRMWARE_VERIFICATION_FAILED_AT_POWER_ON, entry.occurred_at, "CHF")
        )
        return PowerOnResult.FIRMWARE_VERIFICATION_FAILED

    def receive_firmware(self, image: FirmwareImage) -> None:
        """Hold new Firmware, as received, until it is activated."""
        self.pending_firmware = FirmwareSlot.receive(image)

    def activate_pending_firmware(self, at: datetime) -> bool:
        """Verify the received Firmware prior to activation and activate it only if it is still
        in the form received; a failure is a Sensitive Event, logged by the CHF.

        implements: CHTS-4.4.6.1-2
        """
        pending = self.pending_firmware
        if pending is None:
            raise ValueError("no Firmware has been received")
        self.pending_firmware = None
        if not pending.verify():
            self.chf.record_sensitive_event(SensitiveEvent.FIRMWARE_VERIFICATION_FAILURE, at)
            return False
        self.firmware = pending
        return True

    def answer_dcc_security_log_read(self, log: SecurityLogId) -> SecurityLogRead | Refused:
        """A remote read the DCC has authorised and forwarded: the CHF's, the GPF's, or the
        GPF's copy of the GSME's Security Log."""
        logs = {
            SecurityLogId.CHF: self.chf.security_log,
            SecurityLogId.GPF: self.gpf.security_log,
            SecurityLogId.GSME: self.gpf.gsme_security_log,
        }
        if log not in logs:
            return Refused(Refusal.SECURITY_LOG_NOT_HELD)
        return SecurityLogRead(log, logs[log].entries)
