"""Webhooks reach the internet, and of the rest only WEBHOOKS_ALLOWED_NETWORKS (shared/platform/addresses.py):
the check itself, a resolution that is bounded, and the exporter posting only to the address it checked, so
a name that resolves inside the network by the time of a delivery (DNS rebinding) gets nothing."""

import asyncio
import ipaddress
import socket
from pathlib import Path

import pytest

from services.exporter.settings import ExporterSettings
from services.exporter.webhooks import WebhookDeliverer
from shared.contracts.events import WebhookDeliveryAttempted, parse_event
from shared.platform.addresses import (
    AddressRefused,
    Unresolvable,
    kind_of_internal,
    parse_networks,
    reachable_addresses,
    refusal,
    resolve,
)
from tests.fakes.webhook_receiver import WebhookReceiver

SAMPLES = Path(__file__).resolve().parents[1] / "events" / "samples"
REPORT = parse_event((SAMPLES / "ReportGenerated.v1.json").read_bytes())


@pytest.mark.parametrize(
    ("address", "kind"),
    [("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"), ("10.1.2.3", "private"),
     ("172.16.0.1", "private"), ("192.168.1.1", "private"), ("fd00::1", "private"),
     ("169.254.169.254", "link-local"), ("fe80::1", "link-local"), ("0.0.0.0", "unspecified"),
     ("::", "unspecified"), ("224.0.0.1", "multicast"), ("ff02::1", "multicast"), ("100.64.0.1", "not a global"),
     ("::ffff:127.0.0.1", "loopback"), ("::ffff:10.0.0.1", "private"), ("240.0.0.1", "reserved"),
     # a security review's: 6to4 addresses carrying internal ones, site-local, IETF protocol assignments
     ("2002:7f00:1::", "carrying 127.0.0.1, a loopback"), ("2002:a9fe:a9fe::", "169.254.169.254, a link-local"),
     ("2002:c0a8:101::", "192.168.1.1, a private"), ("fec0::1", "site-local"), ("192.0.0.9", "special-purpose")],
)  # fmt: skip
def test_addresses_off_the_internet_are_named(address, kind):
    described = kind_of_internal(ipaddress.ip_address(address))
    assert described is not None and kind in described


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8", "2002:808:808::"])
def test_global_addresses_pass(address):
    assert kind_of_internal(ipaddress.ip_address(address)) is None
    assert refusal(ipaddress.ip_address(address), ()) is None


def test_an_allowed_network_lets_its_addresses_through_and_no_other():
    allowed = parse_networks(" 10.0.0.0/8 , 127.0.0.1,fd00::/8,")
    assert [str(n) for n in allowed] == ["10.0.0.0/8", "127.0.0.1/32", "fd00::/8"]
    for address in ("10.200.0.1", "127.0.0.1", "fd00::5", "::ffff:10.0.0.7"):
        assert refusal(ipaddress.ip_address(address), allowed) is None, address
    assert refusal(ipaddress.ip_address("127.0.0.2"), allowed) == "a loopback address (this machine)"
    assert "link-local" in str(refusal(ipaddress.ip_address("169.254.169.254"), allowed))
    assert parse_networks("") == ()


def test_a_setting_that_is_not_a_network_stops_the_service_with_its_name():
    with pytest.raises(ValueError, match="'10.0.0.0/33' is not an IP address or network"):
        ExporterSettings(webhooks_allowed_networks="127.0.0.1,10.0.0.0/33")
    assert ExporterSettings(webhooks_allowed_networks="10.1.2.3/8").webhooks_allowed_networks == (
        ipaddress.ip_network("10.0.0.0/8"),
    )


async def test_a_host_is_refused_for_any_internal_address_it_resolves_to(monkeypatch):
    async def getaddrinfo(host, port, **_):
        answers = {"ats.example.com": ["93.184.215.14", "10.0.0.5"], "metadata.example.com": ["169.254.169.254"]}
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in answers[host]]

    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", getaddrinfo)
    with pytest.raises(AddressRefused, match=r"^ats.example.com resolves to 10.0.0.5, a private address$"):
        await reachable_addresses("ats.example.com", 443, (), 1.0)
    allowed = parse_networks("10.0.0.0/8")
    assert [str(a) for a in await reachable_addresses("ats.example.com", 443, allowed, 1.0)] == [
        "93.184.215.14",
        "10.0.0.5",
    ]
    with pytest.raises(AddressRefused, match="link-local"):
        await reachable_addresses("metadata.example.com", 80, allowed, 1.0)
    with pytest.raises(AddressRefused, match=r"^10.1.2.3 is a private address$"):  # a literal: no resolver asked
        await reachable_addresses("10.1.2.3", 443, (), 1.0)


async def test_a_resolution_is_bounded_and_a_name_that_does_not_resolve_is_said_so(monkeypatch):
    async def hangs(*args, **kwargs):
        await asyncio.sleep(10)

    async def unknown(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", hangs)
    with pytest.raises(Unresolvable, match="ats.example.com did not resolve within 0.05 s"):
        await resolve("ats.example.com", 443, 0.05)
    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", unknown)
    with pytest.raises(Unresolvable, match=r"ats.example.com could not be resolved \(Name or service not known\)"):
        await resolve("ats.example.com", 443, 1.0)
    monkeypatch.undo()
    with pytest.raises(Unresolvable, match="longer than 63 characters"):  # IDNA's refusal, not a 500
        await resolve("a" * 70 + ".com", 443, 1.0)


async def deliver(allowed: str, url: str) -> WebhookDeliveryAttempted:
    deliverer = WebhookDeliverer("http://127.0.0.1:9", {}, 2.0, 60.0, parse_networks(allowed))
    try:
        webhook = {"webhook_id": "whk-1", "secret": "whsec_x", "url": url}
        outcome = await deliverer.attempt(webhook, REPORT, "report.generated", 1)
    finally:
        await deliverer.close()
    assert isinstance(outcome, WebhookDeliveryAttempted)
    return outcome


@pytest.fixture
def receiver():
    server = WebhookReceiver(secret="whsec_x").start()
    yield server
    server.stop()


async def test_the_exporter_posts_to_the_address_it_checked_with_the_name_in_host(receiver, monkeypatch):
    real = asyncio.get_running_loop().getaddrinfo

    async def getaddrinfo(host, port, **kwargs):
        return await real("127.0.0.1" if host == "ats.internal.example" else host, port, **kwargs)

    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", getaddrinfo)
    named = receiver.url.replace("127.0.0.1", "ats.internal.example")
    outcome = await deliver("127.0.0.1", named)
    assert outcome.payload.delivered and outcome.payload.status_code == 200, outcome.payload.error
    assert [(r.host, r.signed) for r in receiver.requests] == [(f"ats.internal.example:{receiver.port}", True)]


async def test_the_exporter_does_not_post_to_an_address_not_allowed_nor_try_again(receiver, monkeypatch, caplog):
    """Registered while the name was on the internet (or with persistence allowing more than the exporter):
    at the delivery it resolves to this machine."""
    real = asyncio.get_running_loop().getaddrinfo

    async def rebound(host, port, **kwargs):
        return await real("127.0.0.1" if host == "ats.example.com" else host, port, **kwargs)

    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", rebound)
    outcome = await deliver("10.0.0.0/8", receiver.url.replace("127.0.0.1", "ats.example.com"))
    assert not outcome.payload.delivered and outcome.payload.status_code is None
    assert outcome.payload.error == ("not sent: ats.example.com resolves to 127.0.0.1, a loopback address (this "
                                     "machine), not in the exporter's WEBHOOKS_ALLOWED_NETWORKS")  # fmt: skip
    assert outcome.payload.next_attempt_at is None  # failed for good: the dashboard counts it as failed
    assert receiver.requests == []
    logged = [r.getMessage() for r in caplog.records if r.name == "services.exporter.webhooks"]
    assert len(logged) == 1 and "whk-1" in logged[0] and "not sent" in logged[0]

    literal = await deliver("", receiver.url)
    assert literal.payload.error.startswith("not sent: 127.0.0.1 is a loopback address")
    assert receiver.requests == []


async def test_a_name_that_does_not_resolve_at_a_delivery_is_tried_again(monkeypatch):
    async def unknown(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", unknown)
    outcome = await deliver("", "https://ats.example.com/hook")
    assert "could not be resolved" in outcome.payload.error and outcome.payload.next_attempt_at is not None
