"""Fixtures of the meter model's tests: a fixed UTC clock and the devices of one premises."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from smartmeter import CommunicationsHub, FirmwareImage

START = datetime(2024, 1, 1, tzinfo=UTC)


@pytest.fixture
def at() -> Callable[[int], datetime]:
    """UTC date-times ``seconds`` after a fixed start (the model has no clock of its own)."""

    def moment(seconds: int) -> datetime:
        return START + timedelta(seconds=seconds)

    return moment


@pytest.fixture
def firmware() -> FirmwareImage:
    return FirmwareImage("1.0.0", b"communications hub firmware 1.0.0")


@pytest.fixture
def hub(firmware: FirmwareImage) -> CommunicationsHub:
    return CommunicationsHub(firmware)
