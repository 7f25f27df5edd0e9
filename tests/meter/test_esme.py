"""ESME: its Security Log on the User Interface, its information to HAN devices, remote reads."""

from __future__ import annotations

from decimal import Decimal

import pytest

from smartmeter import (
    DataItem,
    Dcc,
    Displayed,
    Esme,
    EsmeVariant,
    HanDevice,
    HanDeviceKind,
    ReadDataItem,
    ReadSecurityLog,
    Refusal,
    Refused,
    RemoteParty,
    Screen,
    SecurityLogId,
    SecurityLogRead,
    SensitiveEvent,
)

IHD = HanDevice("ihd-1", HanDeviceKind.IHD)
PPMID = HanDevice("ppmid-1", HanDeviceKind.PPMID)
CAD = HanDevice("cad-1", HanDeviceKind.CAD)
HAN_DEVICES = [IHD, PPMID, CAD]

TARIFF = DataItem("5.7.4.2", "Tariff Price", Decimal("0.2450"), info=True)
BALANCE = DataItem("5.7.5.11", "Meter Balance", Decimal("12.34"), info=True)
IDENTITY = DataItem("5.7.1.3", "Device Identifier", "ESME-0001", info=True)
INTERNAL = DataItem("5.7.2.1", "Internal Counter", 7)  # not annotated [INFO]
SECOND_ELEMENT = DataItem("5.13.2.1", "Second Element Consumption", 1234, info=True)

BOTH_VARIANTS = [
    pytest.param(
        EsmeVariant.SINGLE_ELEMENT, marks=pytest.mark.verifies("SMETS-5.6.1-2"), id="Part A"
    ),
    pytest.param(
        EsmeVariant.TWIN_ELEMENT, marks=pytest.mark.verifies("SMETS-5.12.1-3"), id="Part B"
    ),
]


def esme_with_events(at, variant: EsmeVariant = EsmeVariant.SINGLE_ELEMENT) -> Esme:
    esme = Esme(variant)
    esme.record_sensitive_event(SensitiveEvent.COMMAND_VERIFICATION_FAILURE, at(0))
    esme.record_sensitive_event(SensitiveEvent.FIRMWARE_VERIFICATION_FAILURE, at(30))
    return esme


# -- User Interface ---------------------------------------------------------------------------


@pytest.mark.verifies("SMETS-5.5.4-1")
def test_esme_does_not_display_its_security_log_without_access_through_the_secure_perimeter(at):
    esme = esme_with_events(at)
    assert esme.display_security_log() == Refused(Refusal.SECURE_PERIMETER_NOT_ACCESSED)


@pytest.mark.verifies("SMETS-5.5.4-1")
def test_esme_displays_its_security_log_following_physical_access_through_the_secure_perimeter(
    at,
):
    esme = esme_with_events(at)
    esme.secure_perimeter.access()
    assert esme.display_security_log() == Displayed(
        Screen.SECURITY_LOG,
        (
            "2024-01-01 00:00:00Z command-verification-failure",
            "2024-01-01 00:00:30Z firmware-verification-failure",
        ),
    )


@pytest.mark.verifies("SMETS-5.5.4-1")
def test_esme_stops_displaying_its_security_log_once_the_secure_perimeter_is_resealed(at):
    esme = esme_with_events(at)
    esme.secure_perimeter.access()
    esme.secure_perimeter.reseal()
    assert esme.display_security_log() == Refused(Refusal.SECURE_PERIMETER_NOT_ACCESSED)


# -- HAN: [INFO] data -------------------------------------------------------------------------


@pytest.mark.verifies("SMETS-5.6.1-1")
@pytest.mark.parametrize("device", HAN_DEVICES, ids=lambda d: d.kind.name)
def test_esme_gives_a_han_device_its_info_data_immediately_upon_establishing_a_link(device):
    esme = Esme(EsmeVariant.SINGLE_ELEMENT)
    for item in (TARIFF, BALANCE, IDENTITY, INTERNAL):
        esme.set_data(item)
    link = esme.establish_link(device)
    assert link.latest() == {item.clause: item for item in (TARIFF, BALANCE, IDENTITY)}


@pytest.mark.verifies("SMETS-5.6.1-1", "SMETS-5.12.1-2")
@pytest.mark.parametrize("variant", list(EsmeVariant), ids=lambda v: v.name)
def test_esme_sends_timely_updates_of_changed_info_data_over_every_link(variant):
    esme = Esme(variant)
    esme.set_data(BALANCE)
    links = [esme.establish_link(device) for device in HAN_DEVICES]
    lower = DataItem(BALANCE.clause, BALANCE.name, Decimal("11.00"), info=True)
    esme.set_data(lower)
    esme.set_data(DataItem("5.7.2.1", "Internal Counter", 8))  # not [INFO]: not sent
    for link in links:
        assert link.received == [BALANCE, lower]


@pytest.mark.verifies("SMETS-5.6.1-1")
def test_esme_answers_han_reads_of_its_info_data_only(at):
    esme = esme_with_events(at)
    esme.set_data(TARIFF)
    esme.set_data(INTERNAL)
    esme.establish_link(PPMID)
    assert esme.handle_han_request(PPMID, ReadDataItem(TARIFF.clause)) == TARIFF
    assert esme.handle_han_request(PPMID, ReadDataItem(INTERNAL.clause)) == Refused(
        Refusal.DATA_ITEM_NOT_AVAILABLE
    )


def test_esme_answers_no_han_device_it_has_no_communications_link_with():
    esme = Esme()
    esme.set_data(TARIFF)
    assert esme.handle_han_request(IHD, ReadDataItem(TARIFF.clause)) == Refused(
        Refusal.NO_COMMUNICATIONS_LINK
    )


# -- HAN: never the Security Log -------------------------------------------------------------


@pytest.mark.parametrize("variant", BOTH_VARIANTS)
@pytest.mark.parametrize("device", HAN_DEVICES, ids=lambda d: d.kind.name)
@pytest.mark.parametrize("log", list(SecurityLogId), ids=lambda log: log.name)
def test_esme_refuses_every_type_1_and_type_2_device_any_security_log(variant, device, log, at):
    esme = esme_with_events(at, variant)
    esme.establish_link(device)
    assert esme.handle_han_request(device, ReadSecurityLog(log)) == Refused(
        Refusal.SECURITY_LOG_NOT_PROVIDED_OVER_HAN
    )


@pytest.mark.parametrize("variant", BOTH_VARIANTS)
def test_esme_never_sends_security_log_information_over_a_link_although_its_entries_are_info(
    variant, at
):
    esme = esme_with_events(at, variant)
    esme.set_data(BALANCE)
    link = esme.establish_link(CAD)
    esme.record_sensitive_event(SensitiveEvent.COMMAND_VERIFICATION_FAILURE, at(90))
    with pytest.raises(ValueError, match="Security Log"):
        esme.set_data(DataItem("5.7.5.31", "Security Log entry", "event", info=True))
    assert link.received == [BALANCE]
    assert esme.handle_han_request(CAD, ReadDataItem("5.7.5.31")) == Refused(
        Refusal.DATA_ITEM_NOT_AVAILABLE
    )


# -- Part B: Twin Element ESME ---------------------------------------------------------------


@pytest.mark.verifies("SMETS-5.12.1-1", "SMETS-5.12.1-2")
@pytest.mark.parametrize("device", HAN_DEVICES, ids=lambda d: d.kind.name)
def test_twin_element_esme_gives_han_devices_its_part_b_info_data_as_well(device):
    esme = Esme(EsmeVariant.TWIN_ELEMENT)
    for item in (TARIFF, BALANCE, SECOND_ELEMENT):
        esme.set_data(item)
    link = esme.establish_link(device)
    assert link.latest() == {item.clause: item for item in (TARIFF, BALANCE, SECOND_ELEMENT)}
    assert esme.handle_han_request(device, ReadDataItem("5.13.2.1")) == SECOND_ELEMENT


@pytest.mark.verifies("SMETS-5.12.1-1")
def test_the_part_a_information_provision_rule_does_not_govern_twin_element_esme():
    assert EsmeVariant.SINGLE_ELEMENT.han_info_sections == ("5.7.1", "5.7.4", "5.7.5")
    assert set(EsmeVariant.TWIN_ELEMENT.han_info_sections) == {
        "5.7.1",
        "5.7.4",
        "5.7.5",
        "5.13.1",
        "5.13.2",
    }
    with pytest.raises(ValueError, match="not a data item of Part A"):
        Esme(EsmeVariant.SINGLE_ELEMENT).set_data(SECOND_ELEMENT)


# -- remote reads through the DCC ------------------------------------------------------------


def test_a_remote_party_the_dcc_authorises_reads_the_esme_security_log(at):
    esme = esme_with_events(at)
    supplier = RemoteParty("Electricity Supplier")
    dcc = Dcc()
    dcc.grant(supplier, SecurityLogId.ESME)
    assert dcc.read_security_log(supplier, esme, SecurityLogId.ESME) == SecurityLogRead(
        SecurityLogId.ESME, esme.security_log.entries
    )


def test_the_dcc_refuses_a_remote_party_it_has_not_authorised(at):
    esme = esme_with_events(at)
    supplier, other = RemoteParty("Electricity Supplier"), RemoteParty("Someone Else")
    dcc = Dcc()
    dcc.grant(supplier, SecurityLogId.ESME)
    assert dcc.read_security_log(other, esme, SecurityLogId.ESME) == Refused(
        Refusal.NOT_AUTHORISED_BY_DCC
    )
    dcc.revoke(supplier, SecurityLogId.ESME)
    assert dcc.read_security_log(supplier, esme, SecurityLogId.ESME) == Refused(
        Refusal.NOT_AUTHORISED_BY_DCC
    )


def test_esme_answers_remote_reads_only_for_its_own_security_log(at):
    esme = esme_with_events(at)
    assert esme.answer_dcc_security_log_read(SecurityLogId.CHF) == Refused(
        Refusal.SECURITY_LOG_NOT_HELD
    )


def test_han_devices_are_classed_as_the_bundled_glossaries_class_them():
    assert [device.device_type.value for device in HAN_DEVICES] == [
        "Type 2 Device",
        "Type 1 Device",
        "Type 2 Device",
    ]
