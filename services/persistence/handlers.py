"""What the persistence service does with each event: store it once, then bring the
session's read models up to date. Every event type goes through the same handler."""

from services.persistence.projections import project_session
from services.persistence.store import Store
from shared.events import EVENT_TYPE_NAMES, Event
from shared.messaging import Handler
from shared.session_view import fold_session


def build_handlers(store: Store) -> dict[str, Handler]:
    async def record_event(event: Event) -> list[Event]:
        await store.append(event)
        events = await store.session_events(event.session_id)
        await store.save_projection(project_session(fold_session(event.session_id, events)))
        return []

    return {event_type: record_event for event_type in EVENT_TYPE_NAMES}
