"""Rebuild every read model from the event store."""

import logging
import time

from services.persistence.handlers import reproject
from services.persistence.store import Store

log = logging.getLogger(__name__)


async def replay(store: Store) -> int:
    """Clear the read models and recompute them session by session; the number of sessions.
    Reads see partial results while it runs: stop the persistence service first, or accept that."""
    started = time.monotonic()
    await store.clear_read_models()
    sessions = 0
    async for session_id in store.session_ids():
        await reproject(store, session_id)
        sessions += 1
        if sessions % 1000 == 0:
            log.info("replaying", extra={"sessions": sessions})
    await store.mark_rebuilt()
    log.info("replay finished", extra={"sessions": sessions, "seconds": round(time.monotonic() - started, 2)})
    return sessions
