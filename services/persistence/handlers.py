"""What the persistence service does with each event: store it once, then bring the
session's read models up to date. Every event type goes through the same handler; an
erasure removes the session instead."""

import logging
from collections.abc import Awaitable, Callable

from opentelemetry.semconv.attributes.db_attributes import DB_OPERATION_NAME, DB_SYSTEM_NAME

from services.persistence.projections import project_session
from services.persistence.recruiting import kind_of, project_stream
from services.persistence.store import Store
from shared.contracts.events import EVENT_TYPES, Event, InterviewErased
from shared.contracts.session_view import FoldCache, fold_session
from shared.platform.handlers import Handlers
from shared.platform.telemetry import span
from shared.platform.telemetry import tracer as make_tracer

tracer = make_tracer(__name__)
log = logging.getLogger(__name__)


async def reproject(store: Store, session_id: str, folds: FoldCache | None = None) -> bool:
    """Recompute the stream's read-model rows from all its stored events: an interview's (or remove them,
    if the session was erased), or a position's, invitation's, user's, webhook's or delivery's record.
    With `folds`, a session's fold is kept from one event to the next and given only what it lacks."""
    if kind_of(session_id) is not None:
        record = project_stream(session_id, await store.session_events(session_id))
        return record is not None and await store.save_record(record)
    stored = await store.session_events(session_id)
    view = folds.view(session_id, stored) if folds is not None else fold_session(session_id, stored)
    if view.erased:
        await store.erase_session(session_id)
        return False
    return await store.save_projection(project_session(view))  # never leaves an erased session's rows


ErasureHook = Callable[[str], Awaitable[int]]


async def record_event(
    store: Store, event: Event, on_erased: ErasureHook | None = None, folds: FoldCache | None = None
) -> None:
    """Store the event once and bring its session's read models up to date (or, for an erasure, remove
    the session). `on_erased(session_id)`: what else an erasure removes (the service passes the dead
    letters' purge); a failure there is logged, and the erasure of the store stands."""
    attributes = {DB_SYSTEM_NAME: store.description.split()[0].lower(), "event.type": event.type,
                  "session.id": event.session_id}  # fmt: skip
    with span(tracer, "store event", attributes | {DB_OPERATION_NAME: "append"}):
        if isinstance(event, InterviewErased):
            # the invitation first: were this cut short, the redelivery still finds it from the interview
            await erase_invitations(store, event, await invitations_of(store, event.session_id))
            await store.append(event)
            await store.erase_session(event.session_id)
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
    with span(tracer, "project session", attributes | {DB_OPERATION_NAME: "project"}):
        await reproject(store, event.session_id, folds)


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

    @handlers.on(*EVENT_TYPES)
    async def store_and_project(event: Event) -> list[Event]:
        await record_event(store, event, on_erased, folds)
        return []

    return handlers
