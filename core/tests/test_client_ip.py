"""The client address: X-Forwarded-For believed only from a trusted proxy, read from the right."""

import pytest
from django.test import RequestFactory

from core.client_ip import client_ip

PROXIES = ["10.0.0.0/8", "2001:db8:1::/48", "192.0.2.10"]


def address(remote_addr: str, forwarded_for: str | None = None, *, trusted=PROXIES, settings) -> str | None:
    settings.TRUSTED_PROXIES = trusted
    headers = {} if forwarded_for is None else {"HTTP_X_FORWARDED_FOR": forwarded_for}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers))


@pytest.mark.parametrize(
    ("remote_addr", "forwarded_for", "expected"),
    [
        # No proxy is trusted: the header is the client's word and changes nothing.
        ("203.0.113.7", "198.51.100.1", "203.0.113.7"),
        # From a trusted proxy: the address it saw.
        ("10.0.0.2", "198.51.100.1", "198.51.100.1"),
        # The client wrote its own entry first: the proxy's entry, on the right, counts.
        ("10.0.0.2", "1.2.3.4, 198.51.100.1", "198.51.100.1"),
        # Two trusted proxies in a row (a load balancer in front of nginx) are both skipped.
        ("10.0.0.2", "6.6.6.6, 198.51.100.1, 10.1.2.3", "198.51.100.1"),
        ("192.0.2.10", "198.51.100.1", "198.51.100.1"),
        ("192.0.2.11", "198.51.100.1", "192.0.2.11"),  # a neighbour of the trusted proxy is not trusted
        # A trusted proxy without the header is the client itself (a health check).
        ("10.0.0.2", None, "10.0.0.2"),
        ("10.0.0.2", "", "10.0.0.2"),
        # Only trusted hops: the left-most one reached is the client.
        ("10.0.0.2", "10.9.9.9, 10.0.0.3", "10.9.9.9"),
        # IPv6, with and without brackets and ports, and IPv4 written as IPv6.
        ("2001:db8:1::5", "2001:db8:2::7", "2001:db8:2::7"),
        ("10.0.0.2", "[2001:db8:2::7]:4711", "2001:db8:2::7"),
        ("10.0.0.2", "198.51.100.1:5310", "198.51.100.1"),
        ("::ffff:10.0.0.2", "::ffff:198.51.100.1", "198.51.100.1"),
        ("::ffff:203.0.113.7", None, "203.0.113.7"),
        # Several X-Forwarded-For headers arrive joined by commas: read the same way.
        ("10.0.0.2", "1.2.3.4,198.51.100.1", "198.51.100.1"),
    ],
)
def test_trusted_and_untrusted_chains(settings, remote_addr, forwarded_for, expected):
    assert address(remote_addr, forwarded_for, settings=settings) == expected


@pytest.mark.parametrize(
    "forwarded_for",
    [
        "not-an-address",
        "198.51.100.1, garbage",
        "198.51.100.1, 999.1.1.1",
        "198.51.100.1, [2001:db8::1",
        "198.51.100.1, 198.51.100.2:http",
        "198.51.100.1, 198.51.100.2:٣",  # a digit, but not an ASCII one
        "198.51.100.1, ",
        "\x00\r\n",
        "\uff11\uff19\uff18.51.100.1",  # full-width digits
    ],
)
def test_a_malformed_entry_ends_the_walk_at_the_last_address_reached(settings, forwarded_for):
    """Nothing left of an entry that is not an address can be trusted: the trusted proxy that
    handed the request over (here the peer itself) is the client."""
    assert address("10.0.0.2", forwarded_for, settings=settings) == "10.0.0.2"


def test_a_malformed_entry_left_of_the_client_is_never_read(settings):
    assert address("10.0.0.2", "garbage, 198.51.100.1", settings=settings) == "198.51.100.1"


def test_a_very_long_header_is_read_only_as_far_as_real_proxies_reach(settings):
    chain = ", ".join(["10.0.0.1"] * 10_000 + ["198.51.100.1"])
    assert address("10.0.0.2", chain, settings=settings) == "198.51.100.1"
    assert address("10.0.0.2", ", ".join(["10.0.0.1"] * 10_000), settings=settings) == "10.0.0.1"


@pytest.mark.parametrize("remote_addr", ["", "unix:/run/gunicorn.sock", "garbage"])
def test_no_usable_peer_address_is_no_address(settings, remote_addr):
    assert address(remote_addr, "198.51.100.1", settings=settings) is None


def test_with_no_trusted_proxies_the_header_is_ignored(settings):
    assert address("10.0.0.2", "198.51.100.1", trusted=[], settings=settings) == "10.0.0.2"


def test_every_limit_and_the_lockouts_use_it(settings):
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXIES = PROXIES
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.1")
    assert get_client_ip_address(request) == "198.51.100.1"


def test_the_history_records_the_client_behind_the_proxy_not_the_proxy(settings):
    from core.history.context import HistoryContext

    settings.TRUSTED_PROXIES = PROXIES
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert HistoryContext(request=request).attribution()["remote_addr"] == "198.51.100.1"
    request = RequestFactory().get("/", REMOTE_ADDR="garbage")
    assert HistoryContext(request=request).attribution()["remote_addr"] is None  # a GenericIPAddressField
