"""A per-client rate limit for the endpoints that make the AI work (in memory, per replica)."""

from __future__ import annotations

import ipaddress
import math
import time
from collections.abc import Callable

from fastapi import HTTPException, Request


class RateLimit:
    """A token bucket per client: `per_minute` requests, refilling continuously. The table
    forgets only buckets that have refilled (forgetting one changes nothing), never a
    throttled client, so it holds about the clients of the last minute."""

    def __init__(
        self, per_minute: int, what: str, clock: Callable[[], float] = time.monotonic, max_clients: int = 100_000
    ) -> None:
        self.per_minute = per_minute
        self.what = what
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, last time)
        self._max_clients = max_clients
        self._sweep_at = max_clients

    def _tokens(self, client: str, now: float) -> float:
        tokens, last = self._buckets.get(client, (float(self.per_minute), now))
        return min(float(self.per_minute), tokens + (now - last) * self.per_minute / 60)

    def check(self, client: str) -> None:
        now = self.clock()
        tokens = self._tokens(client, now)
        if tokens < 1:
            wait = math.ceil((1 - tokens) * 60 / self.per_minute)
            raise HTTPException(
                429,
                f"Too many {self.what} from this address; please wait {wait} s and try again.",
                headers={"Retry-After": str(wait)},
            )
        self._buckets[client] = (tokens - 1, now)
        if len(self._buckets) > self._sweep_at:
            self._forget_refilled(now)

    def _forget_refilled(self, now: float) -> None:
        for client in [client for client in self._buckets if self._tokens(client, now) >= self.per_minute]:
            del self._buckets[client]
        # many clients busy at once: sweep again only once the table has doubled, not on every request
        self._sweep_at = max(self._max_clients, 2 * len(self._buckets))

    def __call__(self, request: Request) -> None:
        """As a FastAPI dependency."""
        self.check(client_key(request.client.host if request.client else "unknown"))


def client_key(host: str) -> str:
    """Whose bucket a request uses: its IPv4 address, or its IPv6 /64 (what one subscriber
    usually gets, so rotating addresses inside it gains nothing)."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)
