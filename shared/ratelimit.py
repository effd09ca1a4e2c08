"""A per-client rate limit for the endpoints that make the AI work (in memory, per replica)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from fastapi import HTTPException, Request


class RateLimit:
    """A token bucket per client address: `per_minute` requests, refilling continuously."""

    def __init__(self, per_minute: int, what: str, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.what = what
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, last time)

    def check(self, client: str) -> None:
        now = self.clock()
        tokens, last = self._buckets.get(client, (float(self.per_minute), now))
        tokens = min(float(self.per_minute), tokens + (now - last) * self.per_minute / 60)
        if tokens < 1:
            wait = math.ceil((1 - tokens) * 60 / self.per_minute)
            raise HTTPException(
                429,
                f"Too many {self.what} from this address; please wait {wait} s and try again.",
                headers={"Retry-After": str(wait)},
            )
        self._buckets[client] = (tokens - 1, now)
        if len(self._buckets) > 100_000:  # forget the quietest clients rather than grow without bound
            for key in sorted(self._buckets, key=lambda k: self._buckets[k][1])[:50_000]:
                del self._buckets[key]

    def __call__(self, request: Request) -> None:
        """As a FastAPI dependency."""
        self.check(request.client.host if request.client else "unknown")
