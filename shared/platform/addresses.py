"""Which addresses a webhook may reach: the internet, and of the rest only the networks the operator
allows (WEBHOOKS_ALLOWED_NETWORKS). Persistence checks at registration, the exporter again at every
delivery on the address it then connects to, so a name that later resolves inside the network (DNS
rebinding) is not delivered to."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from typing import Annotated

import httpx
from pydantic import BeforeValidator
from pydantic_settings import NoDecode

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
RESOLVE_SECONDS = 5.0  # a registration's resolution of the host


class AddressRefused(Exception):
    """The host is, or resolves to, an address that is not on the internet and not allowed."""


class Unresolvable(Exception):
    """The host's name does not resolve (in time)."""


def parse_networks(text: str) -> tuple[Network, ...]:
    """`10.0.0.0/8,127.0.0.1`: addresses and networks, comma-separated."""
    networks = []
    for item in filter(None, (item.strip() for item in text.split(","))):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"{item!r} is not an IP address or network (like 10.0.0.0/8 or 127.0.0.1)") from None
    return tuple(networks)


def _networks(value: object) -> object:
    return parse_networks(value) if isinstance(value, str) else value


# a setting: `10.0.0.0/8,127.0.0.1` from the environment, held parsed; the service stops at start unless it parses
Networks = Annotated[tuple[Network, ...], NoDecode, BeforeValidator(_networks)]


def port_of(url: httpx.URL) -> int:
    """The port a URL connects to: its own, else its scheme's."""
    return url.port or (443 if url.scheme == "https" else 80)


# special-purpose blocks that Python's `is_global` counts as global: IETF protocol assignments, 6to4 relays
SPECIAL = tuple(ipaddress.ip_network(n) for n in ("192.0.0.0/24", "192.88.99.0/24"))


def unmapped(address: Address) -> Address:
    """::ffff:10.1.2.3 is 10.1.2.3 on the wire."""
    return (address.ipv4_mapped or address) if isinstance(address, ipaddress.IPv6Address) else address


def address_in(text: str) -> Address | None:
    """The IP address `text` is (`[::1]` and ::ffff:10.1.2.3 unwrapped), or None for anything else."""
    try:
        return unmapped(ipaddress.ip_address(text.strip().removeprefix("[").removesuffix("]")))
    except ValueError:
        return None


def kind_of_internal(address: Address) -> str | None:
    """What keeps `address` off the internet, in words; None for a global one. A 6to4 address (2002::/16)
    is judged by the IPv4 address it carries, as a Teredo one (2001::/32) by its server's and client's."""
    address = unmapped(address)
    if isinstance(address, ipaddress.IPv6Address):
        carried = [address.sixtofour] if address.sixtofour else list(address.teredo or ())
        for inner in carried:
            if kind := kind_of_internal(inner):
                return f"a 6to4 or Teredo address carrying {inner}, {kind}"
        if address.is_site_local:
            return "a site-local address"
    kinds = [("an unspecified address", address.is_unspecified),
             ("a loopback address (this machine)", address.is_loopback),
             ("a link-local address (where clouds serve their metadata)", address.is_link_local),
             ("a multicast address", address.is_multicast), ("a reserved address", address.is_reserved),
             ("a private address", address.is_private),
             ("a special-purpose address", any(address in network for network in SPECIAL if
                                               network.version == address.version)),
             ("not a global address", not address.is_global)]  # fmt: skip
    return next((kind for kind, applies in kinds if applies), None)


def refusal(address: Address, allowed: tuple[Network, ...]) -> str | None:
    """What keeps `address` off the internet (`kind_of_internal`) unless it is in an allowed network; else None."""
    kind = kind_of_internal(address)
    return None if kind is None or any(unmapped(address) in network for network in allowed) else kind


async def resolve(host: str, port: int, timeout: float) -> list[Address]:
    """The addresses of `host` (an IP address is itself), in the resolver's order, without blocking the loop."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        found = await asyncio.wait_for(
            asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM), timeout
        )
    except TimeoutError:
        raise Unresolvable(f"{host} did not resolve within {timeout:g} s") from None
    except OSError as error:  # socket.gaierror: no such name, or no resolver
        raise Unresolvable(f"{host} could not be resolved ({error.strerror or error})") from None
    except UnicodeError:  # a label of more than 63 characters, or empty: IDNA refuses the name
        raise Unresolvable(
            f"{host[:100]} is not a host name (a part of it is empty or longer than 63 characters)"
        ) from None
    addresses = dict.fromkeys(ipaddress.ip_address(str(info[4][0])) for info in found)
    if not addresses:
        raise Unresolvable(f"{host} could not be resolved (no address)")
    return list(addresses)


async def reachable_addresses(host: str, port: int, allowed: tuple[Network, ...], timeout: float) -> list[Address]:
    """Every address of `host`, all of them global or allowed: AddressRefused names the first that is not."""
    addresses = await resolve(host, port, timeout)
    for address in addresses:
        if kind := refusal(address, allowed):
            literal = str(address) == host.strip("[]")
            raise AddressRefused(f"{address} is {kind}" if literal else f"{host} resolves to {address}, {kind}")
    return addresses
