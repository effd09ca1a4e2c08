"""What the persistence service does with each event: store it once, then bring the
session's read models up to date. Every event type goes through the same handler; an
erasure removes the session instead."""

import asyncio
import contextvars
import logging
from collections.abc import Awaitable, Callable

from opentelemetry.semconv.attributes.db_attributes import DB_OPERATION_NAME, DB_SYSTEM_NAME

from services.persistence.projections import SessionRows, project_session
from services.persistence.recruiting import kind_of, project_stream
from services.persistence.store import Store, side_by_side
from shared.contracts.events import EVENT_TYPES, Event, InterviewErased
from shared.contracts.session_view import FoldCache, fold_session
from shared.platform.handlers import Handlers
from shared.platform.telemetry import span
from shared.platform.telemetry import tracer as make_tracer

tracer = make_tracer(__name__)
log = logging.getLogger(__name__)
MAX_BATCH = 64  # events recorded together at most (a service's prefetch bounds it too)


async def reproject(store: Store, session_id: str, folds: FoldCache | None = None) -> bool:
    """Recompute the stream's read-model rows from all its stored events: an interview's (or remove them,
    if the session was erased), or a position's, invitation's, user's, webhook's or delivery's record.
    With `folds`, a session's fold is kept from one event to the next and given only what it lacks."""
    if kind_of(session_id) is not None:
        record = project_stream(session_id, await store.session_events(session_id))
        return record is not None and await store.save_record(record)
    rows = await projected(store, session_id, folds)
    return rows is not None and await store.save_projection(rows)  # never leaves an erased session's rows


async def projected(store: Store, session_id: str, folds: FoldCache | None) -> SessionRows | None:
    """The interview's rows from its stored events; None if it was erased (its rows are removed now)."""
    stored = await store.session_events(session_id)
    view = folds.view(session_id, stored) if folds is not None else fold_session(session_id, stored)
    if view.erased:
        await store.erase_session(session_id)
        return None
    return project_session(view)


ErasureHook = Callable[[str], Awaitable[int]]


async def record_event(
    store: Store, event: Event, on_erased: ErasureHook | None = None, folds: FoldCache | None = None
) -> None:
    """Store the event once and bring its session's read models up to date (or, for an erasure, remove
    the session). `on_erased(session_id)`: what else an erasure removes (the service passes the dead
    letters' purge); a failure there is logged, and the erasure of the store stands."""
    with span(tracer, "store event", span_attributes(store, event)):
        await _record(store, event, on_erased, folds)


def span_attributes(store: Store, event: Event) -> dict[str, str]:
    return {DB_SYSTEM_NAME: store.description.split()[0].lower(), DB_OPERATION_NAME: "append",
            "event.type": event.type, "session.id": event.session_id}  # fmt: skip


async def _record(store: Store, event: Event, on_erased: ErasureHook | None, folds: FoldCache | None) -> None:
    if isinstance(event, InterviewErased):
        # the invitation first: were this cut short, the redelivery still finds it from the interview
        await erase_invitations(store, event, await invitations_of(store, event.session_id))
        await store.append(event)
        await store.erase_session(event.session_id)
        for run_id in await store.erase_shadow_scores(event.session_id):  # the shadow runs' copies of its answers
            await reproject(store, run_id)
        if on_erased is not None:
            try:
                purged = await on_erased(event.session_id)
            except Exception as error:
                log.warning("dead letters of an erased session not purged", extra={"error": repr(error)})
            else:
                if purged:
                    log.info("dead letters of an erased session purged", extra={"messages": purged})
        return
    if not await store.append(event) and await store.is_erased(event.session_id):
        return  # a late event of an erased interview is not stored again
    await reproject(store, event.session_id, folds)


async def record_events(store: Store, events: list[Event], folds: FoldCache | None = None) -> None:
    """`record_event` for each of several events (none an erasure), together: one transaction appends
    them all, each session they touch is folded and projected once, from all its events then stored, and
    one transaction writes every session's rows (where the store has transactions: SQLite)."""
    sessions = []
    for event, new in zip(events, await store.append_all(events), strict=True):
        if new or not await store.is_erased(event.session_id):  # not a late event of an erased interview
            sessions.append(event.session_id)
    interviews = []
    for session_id in dict.fromkeys(sessions):
        if kind_of(session_id) is not None:
            await reproject(store, session_id)  # a position's, user's, ... record: written on its own
        else:
            interviews.append(session_id)
    rows = await side_by_side(projected(store, session_id, folds) for session_id in interviews)
    if written := [session_rows for session_rows in rows if session_rows is not None]:
        await store.save_projections(written)


class Batches:
    """The events that reach the service together, recorded together (`record_events`): under load, one
    transaction and one flush to disk for many events instead of two each, and a session with several
    events in the batch projected once. A handler still returns (and its message is acknowledged) only
    once its own event is stored and projected; a batch that fails is done again one event at a time, so
    that each message gets its own outcome (and only its own retries). When events come one at a time,
    each is recorded at once, alone: batching adds no wait."""

    def __init__(self, store: Store, on_erased: ErasureHook | None, folds: FoldCache, size: int = MAX_BATCH) -> None:
        self._store = store
        self._on_erased = on_erased
        self._folds = folds
        self._size = size
        self._waiting: list[tuple[Event, asyncio.Future[None]]] = []
        self._worker: asyncio.Task[None] | None = None

    async def record(self, event: Event) -> None:
        future = asyncio.get_running_loop().create_future()
        self._waiting.append((event, future))
        if self._worker is None:
            # in a context of its own: a batch belongs to no one message's trace
            self._worker = asyncio.create_task(self._work(), context=contextvars.Context())
        await future

    async def _work(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting[: self._size], self._waiting[self._size :]
                outcomes = await self._recorded([event for event, _ in batch])
                for (_, future), outcome in zip(batch, outcomes, strict=True):
                    if future.done():
                        continue  # its handler was cancelled (the service stopping): the broker sends it again
                    if outcome is None:
                        future.set_result(None)
                    else:
                        future.set_exception(outcome)
        finally:
            self._worker = None

    async def _recorded(self, events: list[Event]) -> list[Exception | None]:
        if len(events) > 1 and not any(isinstance(event, InterviewErased) for event in events):
            try:
                await record_events(self._store, events, self._folds)
                return [None] * len(events)
            except Exception as error:
                log.warning("a batch of events failed; recording them one by one", extra={"error": repr(error),
                            "events": len(events)})  # fmt: skip
        outcomes: list[Exception | None] = []
        for event in events:
            try:
                await _record(self._store, event, self._on_erased, self._folds)
                outcomes.append(None)
            except Exception as error:
                outcomes.append(error)
        return outcomes


async def invitations_of(store: Store, session_id: str) -> set[str]:
    """The invitation an interview was started from: named by its own InterviewStarted (whatever the
    order the invitation's events were projected in), and any invitation record that points to it."""
    view = fold_session(session_id, await store.session_events(session_id))
    named = {view.context.invitation_id} if view.context and view.context.invitation_id else set()
    return named | {record.id for record in await store.find_records("invitation", "session", session_id)}


async def erase_invitations(store: Store, erased: InterviewErased, invitation_ids: set[str]) -> None:
    """An erased interview's invitation holds the candidate's name and e-mail: its stream goes too, and a
    tombstone of its own keeps late events of it out."""
    for invitation_id in sorted(invitation_ids):
        tombstone = InterviewErased.derived(session_id=invitation_id, producer=erased.producer, payload=erased.payload)
        await store.append(tombstone)
        await store.erase_session(invitation_id)


def build_handlers(store: Store, on_erased: ErasureHook | None = None) -> Handlers:
    """Every event type goes through the same handler."""
    handlers = Handlers()
    folds = FoldCache()  # the sessions being written now: each event folded once, not once per later event
    batches = Batches(store, on_erased, folds)

    @handlers.on(*EVENT_TYPES)
    async def store_and_project(event: Event) -> list[Event]:
        with span(tracer, "store event", span_attributes(store, event)):
            await batches.record(event)
        return []

    return handlers
