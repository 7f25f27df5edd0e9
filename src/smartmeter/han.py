"""HAN devices that ask meters and the Communications Hub for information, and their requests."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import TypeAlias

from smartmeter.data import DataItem
from smartmeter.security_log import SecurityLogId


class DeviceType(Enum):
    """The two classes of HAN device that ESME and the CH give information to."""

    TYPE_1 = "Type 1 Device"
    TYPE_2 = "Type 2 Device"


class HanDeviceKind(Enum):
    """The HAN devices of the model, classed as the bundled glossaries class them.

    A Type 1 Device holds Security Credentials ("such as a PPMID"); a Type 2 Device does not
    ("such as an IHD"); a CAD holds none either.
    """

    IHD = "In-Home Display"
    PPMID = "Prepayment Interface Device"
    CAD = "Consumer Access Device"

    @property
    def device_type(self) -> DeviceType:
        return DeviceType.TYPE_1 if self is HanDeviceKind.PPMID else DeviceType.TYPE_2


@dataclass(frozen=True)
class HanDevice:
    """One HAN device of the premises."""

    device_id: str
    kind: HanDeviceKind

    @property
    def device_type(self) -> DeviceType:
        return self.kind.device_type


@dataclass(frozen=True)
class ReadDataItem:
    """A HAN device asks for the data item that ``clause`` defines."""

    clause: str


@dataclass(frozen=True)
class ReadSecurityLog:
    """A HAN device asks for (any part of) a Security Log."""

    log: SecurityLogId


HanRequest: TypeAlias = ReadDataItem | ReadSecurityLog


@dataclass
class HanLink:
    """A Communications Link to a HAN device: every data item sent over it, in order."""

    device: HanDevice
    received: list[DataItem] = field(default_factory=list)

    def latest(self) -> dict[str, DataItem]:
        """The most recent value received of each data item, by clause."""
        return {item.clause: item for item in self.received}
