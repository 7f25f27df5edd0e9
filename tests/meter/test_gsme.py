"""GSME: its User Interface; its [INFO] data and Security Log copied to the Gas Proxy Function."""

from __future__ import annotations

from decimal import Decimal

import pytest

from smartmeter import (
    CommunicationsHub,
    DataItem,
    Dcc,
    Displayed,
    Gsme,
    Refusal,
    Refused,
    RemoteParty,
    Screen,
    SecurityLogId,
    SecurityLogRead,
    SensitiveEvent,
)

CURRENCY_UNITS = DataItem("4.6.4.9", "Currency Units", "GBP", info=True)
DEBT_RECOVERY_RATES = DataItem("4.6.4.12", "Debt Recovery Rates", Decimal("0.50"), info=True)
METER_BALANCE = DataItem("4.6.5.11", "Meter Balance", Decimal("-3.20"), info=True)
INTERNAL = DataItem("4.6.2.1", "Internal Counter", 7, info=True)  # Internal data: not to the GPF
NOT_INFO = DataItem("4.6.4.20", "Unannotated Setting", 1)


def gsme_with_display_data(at) -> Gsme:
    gsme = Gsme()
    for item in (CURRENCY_UNITS, DEBT_RECOVERY_RATES, METER_BALANCE):
        gsme.set_data(item)
    gsme.record_sensitive_event(SensitiveEvent.COMMAND_VERIFICATION_FAILURE, at(0))
    return gsme


# -- User Interface ---------------------------------------------------------------------------


@pytest.mark.verifies("SMETS-4.4.5-1")
@pytest.mark.parametrize(
    ("screen", "shown"),
    [
        pytest.param(
            Screen.CURRENCY_UNITS, "GBP", marks=pytest.mark.verifies("SMETS-4.4.5-2"), id="units"
        ),
        pytest.param(
            Screen.DEBT_RECOVERY_RATES,
            "0.50",
            marks=pytest.mark.verifies("SMETS-4.4.5-3"),
            id="debt",
        ),
        pytest.param(
            Screen.METER_BALANCE, "-3.20", marks=pytest.mark.verifies("SMETS-4.4.5-4"), id="balance"
        ),
    ],
)
def test_gsme_displays_its_information_on_its_user_interface(screen, shown, at):
    assert gsme_with_display_data(at).display(screen) == Displayed(screen, (shown,))


def test_gsme_displays_nothing_for_information_it_does_not_hold():
    assert Gsme().display(Screen.METER_BALANCE) == Refused(Refusal.DATA_ITEM_NOT_AVAILABLE)


@pytest.mark.verifies("SMETS-4.4.5-5")
def test_gsme_does_not_display_its_security_log_without_access_through_the_secure_perimeter(at):
    gsme = gsme_with_display_data(at)
    assert gsme.display(Screen.SECURITY_LOG) == Refused(Refusal.SECURE_PERIMETER_NOT_ACCESSED)
    gsme.secure_perimeter.access()
    gsme.secure_perimeter.reseal()
    assert gsme.display(Screen.SECURITY_LOG) == Refused(Refusal.SECURE_PERIMETER_NOT_ACCESSED)


@pytest.mark.verifies("SMETS-4.4.5-5")
def test_gsme_displays_its_security_log_following_physical_access_through_the_secure_perimeter(
    at,
):
    gsme = gsme_with_display_data(at)
    gsme.secure_perimeter.access()
    assert gsme.display(Screen.SECURITY_LOG) == Displayed(
        Screen.SECURITY_LOG, ("2024-01-01 00:00:00Z command-verification-failure",)
    )


# -- the Gas Proxy Function's copy ----------------------------------------------------------


@pytest.mark.verifies("SMETS-4.5.1-1")
def test_gsme_provides_its_info_data_to_the_gas_proxy_function(hub: CommunicationsHub, at):
    gsme = gsme_with_display_data(at)
    gsme.set_data(INTERNAL)
    gsme.set_data(NOT_INFO)
    gsme.pair_with(hub.gpf)
    changed = DataItem("4.6.5.11", "Meter Balance", Decimal("-1.00"), info=True)
    gsme.set_data(changed)
    assert dict(hub.gpf.gsme_data) == {
        "4.6.4.9": CURRENCY_UNITS,
        "4.6.4.12": DEBT_RECOVERY_RATES,
        "4.6.5.11": changed,
    }


@pytest.mark.verifies("SMETS-4.5.1-1", "SMETS-4.6.5.17-1")
def test_gpf_keeps_a_copy_of_the_gsme_security_log_fed_by_its_changes(hub: CommunicationsHub, at):
    gsme = Gsme()
    gsme.record_sensitive_event(SensitiveEvent.COMMAND_VERIFICATION_FAILURE, at(0))
    gsme.pair_with(hub.gpf)
    assert hub.gpf.gsme_security_log.entries == gsme.security_log.entries
    for n in range(1, 150):
        gsme.record_sensitive_event(SensitiveEvent.FIRMWARE_VERIFICATION_FAILURE, at(n))
    assert len(gsme.security_log) == 100
    assert hub.gpf.gsme_security_log.entries == gsme.security_log.entries
    assert hub.gpf.gsme_security_log.capacity == gsme.security_log.capacity


def test_the_gpf_copy_follows_a_gsme_log_larger_than_the_minimum(hub: CommunicationsHub, at):
    gsme = Gsme(log_capacity=120)
    gsme.pair_with(hub.gpf)
    for n in range(130):
        gsme.record_sensitive_event(SensitiveEvent.COMMAND_VERIFICATION_FAILURE, at(n))
    assert hub.gpf.gsme_security_log.entries == gsme.security_log.entries
    assert len(hub.gpf.gsme_security_log) == 120


def test_gsme_keeps_its_security_log_out_of_its_ordinary_data():
    with pytest.raises(ValueError, match="Security Log"):
        Gsme().set_data(DataItem("4.6.5.17", "Security Log entry", "event", info=True))
    with pytest.raises(ValueError, match="not a GSME data item"):
        Gsme().set_data(DataItem("5.7.5.11", "Meter Balance", 0, info=True))


def test_a_remote_party_reads_the_gsme_security_log_from_the_gpf_copy_through_the_dcc(
    hub: CommunicationsHub, at
):
    gsme = gsme_with_display_data(at)
    gsme.pair_with(hub.gpf)
    supplier = RemoteParty("Gas Supplier")
    dcc = Dcc()
    dcc.grant(supplier, SecurityLogId.GSME)
    assert dcc.read_security_log(supplier, hub, SecurityLogId.GSME) == SecurityLogRead(
        SecurityLogId.GSME, gsme.security_log.entries
    )
