"""Recruiters' writes: each is an event, published for the other services and recorded here at once, so
the next read shows it; the response names it in its consistency token."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from fastapi import HTTPException, Request, Response

from services.persistence.handlers import record_event, record_events
from services.persistence.store import Busy, Store, exclusive
from shared.contracts.consistency import HEADER, ConsistencyToken
from shared.contracts.events import Event, InterviewErased
from shared.platform.messaging import Broker, PublishFailed


async def publish_and_record(
    events: Sequence[Event], store: Store, broker: Broker, response: Response, what: str
) -> None:
    """All the events are confirmed by the broker before any is recorded: a 503 leaves nothing behind."""
    try:
        for event in events:
            await broker.publish(event)
    except PublishFailed:
        raise HTTPException(
            503, f"{what} could not be recorded (message broker unavailable); nothing was saved. Retry shortly."
        ) from None
    # the broker's copy arrives too: stored once. Together where none is an erasure: one transaction appends them
    # (found by a recruiter's test: 400 invitations one by one took 6-12 s, past the gateway's wait)
    if any(isinstance(event, InterviewErased) for event in events):
        for event in events:
            await record_event(store, event)
    else:
        await record_events(store, list(events))
    tokens: dict[str, list[Event]] = {}
    for event in events:
        tokens.setdefault(event.session_id, []).append(event)
    response.headers[HEADER] = ",".join(
        ConsistencyToken.of(stream, [e.event_id for e in stream_events]).encode()
        for stream, stream_events in list(tokens.items())[:100]
    )


@asynccontextmanager
async def one_at_a_time(request: Request, name: str, what: str) -> AsyncIterator[None]:
    """One request on `name` at a time, from the checks it makes to the events they allow recorded: in this process
    (a lock) and across the persistence replicas (a lease in the store, `exclusive`). `what` says in the 503 what
    took long."""
    locks: defaultdict[str, asyncio.Lock] | None = getattr(request.app.state, "one_at_a_time", None)
    if locks is None:
        locks = request.app.state.one_at_a_time = defaultdict(asyncio.Lock)
    async with locks[name]:
        try:
            async with exclusive(request.app.state.store, name):
                yield
        except Busy:
            raise HTTPException(503, f"{what} is taking long; nothing was changed. Retry shortly.",
                                headers={"Retry-After": "2"}) from None  # fmt: skip
