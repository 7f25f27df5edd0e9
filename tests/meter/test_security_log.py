"""The Security Logs of ESME, GSME, CHF and GPF: capacity, entries, overwrite, no clearing."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from smartmeter import (
    MINIMUM_CAPACITY,
    CommunicationsHub,
    Esme,
    FirmwareImage,
    Gsme,
    SecurityLog,
    SecurityLogEntry,
    SensitiveEvent,
)

FIRMWARE = FirmwareImage("1.0.0", b"firmware")


def esme_log() -> SecurityLog:
    return Esme().security_log


def gsme_log() -> SecurityLog:
    return Gsme().security_log


def chf_log() -> SecurityLog:
    return CommunicationsHub(FIRMWARE).chf.security_log


def gpf_log() -> SecurityLog:
    return CommunicationsHub(FIRMWARE).gpf.security_log


EVERY_LOG = [
    pytest.param(esme_log, marks=pytest.mark.verifies("SMETS-5.7.5.31-1"), id="ESME"),
    pytest.param(gsme_log, marks=pytest.mark.verifies("SMETS-4.6.5.17-1"), id="GSME"),
    pytest.param(chf_log, marks=pytest.mark.verifies("CHTS-4.6.3.5-1"), id="CHF"),
    pytest.param(gpf_log, marks=pytest.mark.verifies("CHTS-4.6.3.11-1"), id="GPF"),
]

METER_LOGS = [
    pytest.param(esme_log, marks=pytest.mark.verifies("SMETS-5.7.5.31-2"), id="ESME"),
    pytest.param(gsme_log, marks=pytest.mark.verifies("SMETS-4.6.5.17-2"), id="GSME"),
]


@pytest.mark.parametrize("make_log", EVERY_LOG)
def test_every_security_log_stores_at_least_one_hundred_entries(make_log, at):
    log = make_log()
    assert log.capacity >= 100
    entries = [
        SecurityLogEntry(at(n), SensitiveEvent.COMMAND_VERIFICATION_FAILURE) for n in range(100)
    ]
    for entry in entries:
        assert log.record(entry) is None
    assert log.entries == tuple(entries)


@pytest.mark.parametrize("make_log", EVERY_LOG)
def test_each_entry_records_the_utc_date_time_and_the_type_of_the_sensitive_event(make_log, at):
    log = make_log()
    log.record(SecurityLogEntry(at(0), SensitiveEvent.FIRMWARE_VERIFICATION_FAILURE))
    log.record(SecurityLogEntry(at(60), SensitiveEvent.COMMAND_VERIFICATION_FAILURE))
    assert [(e.occurred_at, e.event) for e in log] == [
        (at(0), SensitiveEvent.FIRMWARE_VERIFICATION_FAILURE),
        (at(60), SensitiveEvent.COMMAND_VERIFICATION_FAILURE),
    ]
    assert str(log.entries[1]) == "2024-01-01 00:01:00Z command-verification-failure"


@pytest.mark.verifies("SMETS-4.6.5.17-1", "SMETS-5.7.5.31-1", "CHTS-4.6.3.5-1", "CHTS-4.6.3.11-1")
def test_a_security_log_cannot_be_made_smaller_than_one_hundred_entries():
    assert MINIMUM_CAPACITY == 100
    with pytest.raises(ValueError, match="at least 100"):
        SecurityLog(capacity=99)


def test_an_entry_needs_a_utc_date_time():
    naive = datetime(2024, 1, 1)
    with pytest.raises(ValueError, match="not a UTC date-time"):
        SecurityLogEntry(naive, SensitiveEvent.COMMAND_VERIFICATION_FAILURE)
    london_summer = datetime(2024, 7, 1, tzinfo=timezone(timedelta(hours=1)))
    with pytest.raises(ValueError, match="not a UTC date-time"):
        SecurityLogEntry(london_summer, SensitiveEvent.COMMAND_VERIFICATION_FAILURE)


@pytest.mark.parametrize("make_log", METER_LOGS)
def test_when_the_log_is_full_the_oldest_entry_is_overwritten_by_the_newest(make_log, at):
    log = make_log()
    entries = [
        SecurityLogEntry(at(n), SensitiveEvent.COMMAND_VERIFICATION_FAILURE)
        for n in range(log.capacity + 2)
    ]
    for entry in entries[: log.capacity]:
        log.record(entry)
    assert log.is_full

    assert log.record(entries[-2]) == entries[0]
    assert log.record(entries[-1]) == entries[1]

    assert len(log) == log.capacity
    assert log.entries == tuple(entries[2:])


@pytest.mark.verifies("SMETS-4.6.5.17-2", "SMETS-5.7.5.31-2")
def test_a_larger_log_overwrites_only_once_its_own_capacity_is_reached(at):
    log = SecurityLog(capacity=150)
    for n in range(150):
        log.record(SecurityLogEntry(at(n), SensitiveEvent.COMMAND_VERIFICATION_FAILURE))
    assert log.entries[0].occurred_at == at(0)
    log.record(SecurityLogEntry(at(150), SensitiveEvent.FIRMWARE_VERIFICATION_FAILURE))
    assert log.entries[0].occurred_at == at(1)
    assert log.entries[-1].occurred_at == at(150)


def test_a_security_log_offers_no_way_to_clear_or_edit_its_entries(at):
    log = SecurityLog()
    log.record(SecurityLogEntry(at(0), SensitiveEvent.COMMAND_VERIFICATION_FAILURE))
    public = {name for name in dir(log) if not name.startswith("_")}
    assert public == {"capacity", "entries", "is_full", "record"}
    assert isinstance(log.entries, tuple)  # a snapshot: changing it cannot change the log
