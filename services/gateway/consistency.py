"""Reads through this gateway show the writes it answered, token or not.

Every write's response carries a consistency token (shared/contracts/consistency.py); the gateway also keeps
the latest token of each session it wrote to until persistence says its read models reflect it (it
asks every CONFIRM_SECONDS while any is open). A read passed through to /api/data first waits,
bounded, for the open tokens it concerns (the session it names, or all of them for lists and
statistics). Another gateway replica, or a restarted one, knows nothing of these writes: there the
client's own token is what makes its read wait.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict

import httpx

from services.gateway.persistence_client import PersistenceClient
from shared.contracts.consistency import MAX_TOKENS, ConsistencyToken

log = logging.getLogger(__name__)
# Each replica asks about its open writes this often even when no read waits for them (a read that does
# wait asks at once): every 0.2 s, three replicas asked persistence 15 times a second with every session
# they had written to, which it could not spare under load (docs/benchmarks.md).
CONFIRM_SECONDS = 1.0


class RecentWrites:
    def __init__(self, persistence: PersistenceClient, wait_seconds: float = 2.0, max_sessions: int = 10_000) -> None:
        self._persistence = persistence
        self._wait_seconds = wait_seconds
        self._max_sessions = max_sessions
        self._open: OrderedDict[str, ConsistencyToken] = OrderedDict()
        self._task: asyncio.Task[None] | None = None

    def note(self, token: ConsistencyToken) -> None:
        """A write was answered; its token covers every earlier write to the session."""
        self._open[token.session_id] = token
        self._open.move_to_end(token.session_id)
        while len(self._open) > self._max_sessions:
            forgotten, _ = self._open.popitem(last=False)
            log.warning("too many writes not yet readable; no longer waiting for one", extra={"session_id": forgotten})

    def open_tokens(self, session_id: str | None = None) -> list[ConsistencyToken]:
        """The open tokens a read of `session_id` (None: of anything) must wait for."""
        if session_id is None:
            return list(self._open.values())
        token = self._open.get(session_id)
        return [token] if token else []

    async def wait(self, session_id: str | None) -> bool:
        """Wait until persistence reflects the open writes a read concerns; False if it still does not
        after the bounded wait. httpx.HTTPError if persistence cannot be asked."""
        tokens = self.open_tokens(session_id)
        if not tokens:
            return True
        return await self._confirm(tokens, self._wait_seconds)

    async def _confirm(self, tokens: list[ConsistencyToken], wait_seconds: float) -> bool:
        batches = await asyncio.gather(
            *(
                self._persistence.reflected(tokens[start : start + MAX_TOKENS], wait_seconds)
                for start in range(0, len(tokens), MAX_TOKENS)
            )
        )
        reflected = set().union(*batches)
        for token in tokens:
            if token.session_id in reflected and self._open.get(token.session_id) is token:
                del self._open[token.session_id]  # a newer write to the session keeps its own token open
        return all(token.session_id in reflected for token in tokens)

    def start(self) -> None:
        self._task = asyncio.create_task(self._confirm_periodically())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _confirm_periodically(self) -> None:
        """Writes nobody reads are confirmed too, so the open set stays small."""
        while True:
            await asyncio.sleep(CONFIRM_SECONDS)
            if not self._open:
                continue
            try:
                await self._confirm(list(self._open.values()), 0.0)
            except httpx.HTTPError as error:
                log.debug("persistence not asked about recent writes", extra={"error": repr(error)})
