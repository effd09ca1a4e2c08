"""Reads that wait for a client's own writes (shared/contracts/consistency.py): a read that carries consistency
tokens is answered once the read models reflect every event the tokens name, or after a bounded wait
with 503 and Retry-After, never with a silently stale answer."""

from __future__ import annotations

import asyncio

from services.persistence.store import SessionProgress, Store
from shared.contracts.consistency import ConsistencyToken

FIRST_POLL_SECONDS, LAST_POLL_SECONDS = 0.005, 0.1


def reflects(progress: SessionProgress, token: ConsistencyToken) -> bool:
    """The session's read models show the token's events: they are stored, and the rows were computed
    from every stored event of the session (events are only ever added, so from these too). An erased
    session reflects every write before its erasure: nothing of it is shown."""
    if progress.erased:
        return True
    return token.reflected_by(progress.event_ids) and progress.projected_version >= len(progress.event_ids)


async def not_yet_reflected(
    store: Store, tokens: list[ConsistencyToken], wait_seconds: float
) -> list[ConsistencyToken]:
    """The tokens the read models still do not reflect after waiting up to `wait_seconds` (usually a
    few milliseconds: persistence applies an event about when the gateway sees its outcome)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_seconds
    delay = FIRST_POLL_SECONDS
    waiting = tokens
    while True:
        progress = await store.sessions_progress([token.session_id for token in waiting])
        waiting = [token for token in waiting if not reflects(progress[token.session_id], token)]
        remaining = deadline - loop.time()
        if not waiting or remaining <= 0:
            return waiting
        await asyncio.sleep(min(delay, remaining))
        delay = min(delay * 2, LAST_POLL_SECONDS)
