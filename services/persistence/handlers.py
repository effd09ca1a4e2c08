"""What the persistence service does with each event: store it once, then bring the
session's read models up to date. Every event type goes through the same handler; an
erasure removes the session instead."""

from services.persistence.projections import project_session
from services.persistence.store import Store
from shared.events import EVENT_TYPE_NAMES, Event
from shared.messaging import Handler
from shared.session_view import fold_session


async def reproject(store: Store, session_id: str) -> bool:
    """Recompute the session's read-model rows from all its stored events."""
    events = await store.session_events(session_id)
    return await store.save_projection(project_session(fold_session(session_id, events)))


def build_handlers(store: Store) -> dict[str, Handler]:
    async def record_event(event: Event) -> list[Event]:
        if event.type == "InterviewErased":
            await store.append(event)
            await store.erase_session(event.session_id)
            return []
        if not await store.append(event) and await store.is_erased(event.session_id):
            return []  # a late event of an erased interview is not stored again
        await reproject(store, event.session_id)
        if await store.is_erased(event.session_id):
            await store.erase_session(event.session_id)  # the erasure raced with this write
        return []

    return {event_type: record_event for event_type in EVENT_TYPE_NAMES}
