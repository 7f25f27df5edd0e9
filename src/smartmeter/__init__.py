"""A reference model of GB smart meters' Security Log behaviour (not a real meter).

``smartmeter`` is a small, deterministic, in-memory model of the behaviour that IRP603
("Security Log display over HAN") touches in the bundled SMETS 4.2 and CHTS 1.3 excerpts, and of
its neighbours: the Security Logs of ESME, GSME, the Communications Hub Function (CHF) and the Gas
Proxy Function (GPF) recording Sensitive Events (at least 100 entries, the oldest overwritten when
full, no way to clear them); the GPF's copy of the GSME Security Log; reads by remote parties
through the DCC; the refusal of every request from Type 1 and Type 2 Devices (IHD, PPMID, CAD) for
Security Log information; the Security Log on a meter's User Interface only following physical
access through the Secure Perimeter; ESME giving HAN devices its [INFO] data but never its
Security Log; and the CH verifying its Firmware at power on, logging and alerting on failure.

It exists to prove the repository's traceability on a real codebase: each function or class
names, in an ``implements`` tag of its docstring, the statements of the final editions
("SMETS 4.2+IRP603", "CHTS 1.3+IRP603") it implements, and the tests in ``tests/meter/`` carry
``verifies`` marks, so the project's own traceability matrix covers this code and its tests.
Statements the model does not implement (metrology, clocks, radio, physical design, commands the
excerpts do not reproduce) are left to the project file's waivers or shown uncovered.

It is not a meter: there is no radio, cryptography, persistence, clock or I/O. Time is passed in
as UTC date-times, and event and alert codes are the model's own, not GBCS codes.
"""

from smartmeter.comms_hub import (
    CommunicationsHub,
    CommunicationsHubFunction,
    GasProxyFunction,
    PowerOnResult,
)
from smartmeter.data import DataItem
from smartmeter.dcc import Dcc, RemoteParty
from smartmeter.events import SecurityLogEntry, SensitiveEvent
from smartmeter.firmware import FirmwareImage
from smartmeter.han import DeviceType, HanDevice, HanDeviceKind, ReadDataItem, ReadSecurityLog
from smartmeter.meters import Esme, EsmeVariant, Gsme, SecurePerimeter
from smartmeter.outcomes import Displayed, Refusal, Refused, Screen, SecurityLogRead
from smartmeter.security_log import MINIMUM_CAPACITY, SecurityLog, SecurityLogId
from smartmeter.wan import Alert, AlertCode

__all__ = [
    "MINIMUM_CAPACITY",
    "Alert",
    "AlertCode",
    "CommunicationsHub",
    "CommunicationsHubFunction",
    "DataItem",
    "Dcc",
    "DeviceType",
    "Displayed",
    "Esme",
    "EsmeVariant",
    "FirmwareImage",
    "GasProxyFunction",
    "Gsme",
    "HanDevice",
    "HanDeviceKind",
    "PowerOnResult",
    "ReadDataItem",
    "ReadSecurityLog",
    "Refusal",
    "Refused",
    "RemoteParty",
    "Screen",
    "SecurePerimeter",
    "SecurityLog",
    "SecurityLogEntry",
    "SecurityLogId",
    "SecurityLogRead",
    "SensitiveEvent",
]
