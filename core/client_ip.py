"""The address a request comes from: the one function every per-address limit and log uses.

DRF's throttles, the contact and join forms, the password-reset limits, the sign-in lockouts
(`AXES_CLIENT_IP_CALLABLE`) and the history's `remote_addr` all ask `client_ip(request)`, so
they agree on who a client is, and a header a client made up counts for none of them.

`X-Forwarded-For` is read only when the direct peer (`REMOTE_ADDR`) is one of
`settings.TRUSTED_PROXIES`. Each proxy appends the address it saw, so the header is read from
the right: trusted proxies are skipped and the first address that is not one is the client.
Whatever stands left of it was written by the client and is ignored. An entry that is not an
address ends the walk: nothing left of it can be trusted, so the last address reached counts.
"""

import functools
import ipaddress

from django.conf import settings
from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

#: More hops than any real chain of proxies; entries further left are never looked at.
MAX_HOPS = 20


def parse_networks(values: list[str] | tuple[str, ...]) -> tuple[Network, ...]:
    """Addresses and CIDR ranges (`10.0.0.0/8`, `2001:db8::/32`); a bad one raises ValueError."""
    return tuple(ipaddress.ip_network(value.strip(), strict=False) for value in values)


@functools.cache
def _trusted(values: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(values)


def parse_address(value: str) -> Address | None:
    """One address as proxies write it (`203.0.113.7`, `203.0.113.7:5310`, `[2001:db8::1]:443`,
    `::ffff:203.0.113.7`), or None when it is not one."""
    value, port = value.strip(), ""
    if value.startswith("["):
        value, closed, rest = value[1:].partition("]")
        if not closed:
            return None
        if rest:
            if not rest.startswith(":"):
                return None
            port = rest[1:]
    elif value.count(":") == 1:  # IPv4 with a port; a bare IPv6 address has several colons
        value, _, port = value.partition(":")
    if port and not (port.isascii() and port.isdigit()):
        return None
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as text, or None when the peer's own address is missing or malformed."""
    peer = parse_address(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return None
    trusted = _trusted(tuple(settings.TRUSTED_PROXIES))
    client = peer
    if _is_trusted(peer, trusted):
        header = request.META.get("HTTP_X_FORWARDED_FOR", "")
        for entry in reversed(header.rsplit(",", MAX_HOPS)[-MAX_HOPS:] if header else []):
            hop = parse_address(entry)
            if hop is None:
                break
            client = hop
            if not _is_trusted(hop, trusted):
                break
    return str(client)


def _is_trusted(address: Address, trusted: tuple[Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in trusted)
