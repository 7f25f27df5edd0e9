"""Firmware held by a device, and its verification against the form originally received."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass


@dataclass(frozen=True)
class FirmwareImage:
    """A Firmware image: its version and its bytes."""

    version: str
    content: bytes

    def digest(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass
class FirmwareSlot:
    """Firmware as held in a device's memory, with the digest taken when it was received.

    ``image`` is what the memory holds now; if it has changed since it was received (corrupted
    or tampered with), verification fails.
    """

    image: FirmwareImage
    received_digest: str

    @classmethod
    def receive(cls, image: FirmwareImage) -> FirmwareSlot:
        """Store ``image`` as received, remembering the form it was received in."""
        return cls(image, image.digest())

    def verify(self) -> bool:
        """Whether the Firmware is, now, in the form originally received.

        implements: CHTS-4.4.6.1-2
        """
        return hmac.compare_digest(self.image.digest(), self.received_digest)
