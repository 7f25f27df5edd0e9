"""The Communications Hub: Firmware verification, CHF and GPF Security Logs, HAN refusals."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from smartmeter import (
    Alert,
    AlertCode,
    CommunicationsHub,
    DataItem,
    Dcc,
    FirmwareImage,
    Gsme,
    HanDevice,
    HanDeviceKind,
    PowerOnResult,
    ReadDataItem,
    ReadSecurityLog,
    Refusal,
    Refused,
    RemoteParty,
    SecurityLogId,
    SecurityLogRead,
    SensitiveEvent,
)

HAN_DEVICES = [
    HanDevice("ihd-1", HanDeviceKind.IHD),
    HanDevice("ppmid-1", HanDeviceKind.PPMID),
    HanDevice("cad-1", HanDeviceKind.CAD),
]
CH_LOGS = [SecurityLogId.GSME, SecurityLogId.GPF, SecurityLogId.CHF]


def tamper(hub: CommunicationsHub) -> None:
    """Change the Firmware in the CH's memory after it was received."""
    hub.firmware.image = replace(hub.firmware.image, content=b"tampered")


# -- Firmware verification -------------------------------------------------------------------


@pytest.mark.verifies("CHTS-4.4.6.1-2")
def test_ch_verifies_its_firmware_at_power_on(hub: CommunicationsHub, at):
    assert hub.power_on(at(0)) is PowerOnResult.FIRMWARE_VERIFIED
    assert len(hub.chf.security_log) == 0
    assert hub.wan.sent == []


@pytest.mark.verifies("CHTS-4.4.6.1-2", "CHTS-4.4.6.1-3", "CHTS-4.4.6.1-4", "CHTS-4.4.6.1-6")
def test_on_failure_of_verification_at_power_on_ch_logs_it_in_the_chf_security_log(
    hub: CommunicationsHub, at
):
    tamper(hub)
    assert hub.power_on(at(5)) is PowerOnResult.FIRMWARE_VERIFICATION_FAILED
    [entry] = hub.chf.security_log.entries
    assert (entry.occurred_at, entry.event) == (at(5), SensitiveEvent.FIRMWARE_VERIFICATION_FAILURE)
    assert len(hub.gpf.security_log) == 0


@pytest.mark.verifies("CHTS-4.4.6.1-3", "CHTS-4.4.6.1-5")
def test_on_failure_of_verification_at_power_on_ch_sends_an_alert_via_the_wan_interface(
    hub: CommunicationsHub, at
):
    tamper(hub)
    hub.power_on(at(5))
    hub.power_on(at(65))
    assert hub.wan.sent == [
        Alert(AlertCode.FIRMWARE_VERIFICATION_FAILED_AT_POWER_ON, at(5), "CHF"),
        Alert(AlertCode.FIRMWARE_VERIFICATION_FAILED_AT_POWER_ON, at(65), "CHF"),
    ]


@pytest.mark.verifies("CHTS-4.4.6.1-2")
def test_ch_activates_received_firmware_still_in_the_form_received(hub: CommunicationsHub, at):
    update = FirmwareImage("1.1.0", b"communications hub firmware 1.1.0")
    hub.receive_firmware(update)
    assert hub.activate_pending_firmware(at(0)) is True
    assert hub.firmware.image == update
    assert hub.power_on(at(10)) is PowerOnResult.FIRMWARE_VERIFIED


@pytest.mark.verifies("CHTS-4.4.6.1-2", "CHTS-4.4.6.1-6")
def test_ch_verifies_firmware_prior_to_activation_and_keeps_its_firmware_on_failure(
    hub: CommunicationsHub, firmware: FirmwareImage, at
):
    hub.receive_firmware(FirmwareImage("1.1.0", b"communications hub firmware 1.1.0"))
    assert hub.pending_firmware is not None
    hub.pending_firmware.image = replace(hub.pending_firmware.image, content=b"altered")
    assert hub.activate_pending_firmware(at(0)) is False
    assert hub.firmware.image == firmware
    assert [e.event for e in hub.chf.security_log] == [SensitiveEvent.FIRMWARE_VERIFICATION_FAILURE]
    assert hub.wan.sent == []  # the Alert is required at power on only


def test_ch_cannot_activate_firmware_it_has_not_received(hub: CommunicationsHub, at):
    with pytest.raises(ValueError, match="no Firmware"):
        hub.activate_pending_firmware(at(0))


# -- logging Sensitive Events ------------------------------------------------------------------


@pytest.mark.verifies("CHTS-4.4.6.1-6", "CHTS-4.6.3.5-1")
def test_chf_logs_the_occurrence_and_type_of_any_sensitive_event(hub: CommunicationsHub, at):
    for n, event in enumerate(SensitiveEvent):
        hub.chf.record_sensitive_event(event, at(n))
    assert [(e.occurred_at, e.event) for e in hub.chf.security_log] == [
        (at(n), event) for n, event in enumerate(SensitiveEvent)
    ]


@pytest.mark.verifies("CHTS-4.4.6.1-7", "CHTS-4.6.3.11-1")
def test_gpf_logs_the_occurrence_and_type_of_any_sensitive_event(hub: CommunicationsHub, at):
    for n, event in enumerate(SensitiveEvent):
        hub.gpf.record_sensitive_event(event, at(n))
    assert [(e.occurred_at, e.event) for e in hub.gpf.security_log] == [
        (at(n), event) for n, event in enumerate(SensitiveEvent)
    ]
    assert len(hub.chf.security_log) == 0


# -- HAN: never the Security Logs --------------------------------------------------------------


@pytest.mark.verifies("CHTS-4.4.6.1-10")
@pytest.mark.parametrize("function", ["chf", "gpf"])
@pytest.mark.parametrize("device", HAN_DEVICES, ids=lambda d: d.kind.name)
@pytest.mark.parametrize("log", CH_LOGS, ids=lambda log: log.name)
def test_neither_gpf_nor_chf_provides_a_security_log_to_type_1_or_type_2_devices(
    hub: CommunicationsHub, function, device, log, at
):
    gsme = Gsme()
    gsme.pair_with(hub.gpf)
    gsme.record_sensitive_event(SensitiveEvent.COMMAND_VERIFICATION_FAILURE, at(0))
    hub.gpf.record_sensitive_event(SensitiveEvent.COMMAND_VERIFICATION_FAILURE, at(1))
    hub.chf.record_sensitive_event(SensitiveEvent.COMMAND_VERIFICATION_FAILURE, at(2))
    answer = getattr(hub, function).handle_han_request(device, ReadSecurityLog(log))
    assert answer == Refused(Refusal.SECURITY_LOG_NOT_PROVIDED_OVER_HAN)


@pytest.mark.verifies("CHTS-4.4.6.1-10")
def test_gpf_gives_han_devices_gsme_info_data_but_no_security_log_entry(hub: CommunicationsHub, at):
    gsme = Gsme()
    balance = DataItem("4.6.5.11", "Meter Balance", Decimal("5.00"), info=True)
    gsme.set_data(balance)
    gsme.record_sensitive_event(SensitiveEvent.COMMAND_VERIFICATION_FAILURE, at(0))
    gsme.pair_with(hub.gpf)
    ihd = HAN_DEVICES[0]
    assert hub.gpf.handle_han_request(ihd, ReadDataItem("4.6.5.11")) == balance
    assert hub.gpf.handle_han_request(ihd, ReadDataItem("4.6.5.17")) == Refused(
        Refusal.DATA_ITEM_NOT_AVAILABLE
    )


# -- remote reads through the DCC --------------------------------------------------------------


@pytest.mark.parametrize("log", CH_LOGS, ids=lambda log: log.name)
def test_a_remote_party_the_dcc_authorises_reads_each_security_log_the_ch_holds(
    hub: CommunicationsHub, log, at
):
    gsme = Gsme()
    gsme.pair_with(hub.gpf)
    gsme.record_sensitive_event(SensitiveEvent.COMMAND_VERIFICATION_FAILURE, at(0))
    hub.gpf.record_sensitive_event(SensitiveEvent.FIRMWARE_VERIFICATION_FAILURE, at(1))
    hub.chf.record_sensitive_event(SensitiveEvent.COMMAND_VERIFICATION_FAILURE, at(2))
    expected = {
        SecurityLogId.GSME: gsme.security_log,
        SecurityLogId.GPF: hub.gpf.security_log,
        SecurityLogId.CHF: hub.chf.security_log,
    }[log]
    operator = RemoteParty("Network Operator")
    dcc = Dcc()
    assert dcc.read_security_log(operator, hub, log) == Refused(Refusal.NOT_AUTHORISED_BY_DCC)
    dcc.grant(operator, log)
    read = dcc.read_security_log(operator, hub, log)
    assert read == SecurityLogRead(log, expected.entries)
    assert len(read.entries) == 1


def test_ch_answers_no_remote_read_of_the_esme_security_log(hub: CommunicationsHub):
    assert hub.answer_dcc_security_log_read(SecurityLogId.ESME) == Refused(
        Refusal.SECURITY_LOG_NOT_HELD
    )
