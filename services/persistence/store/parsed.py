"""The events a store read lately, each stored body parsed once (both stores use it).

Persistence reads a session's events again for each new one (`handlers.projected`), and its fold cache
(shared/contracts/session_view.py `FoldCache`) skips the events it has folded, known by being the very
objects it folded: so the same stored body must come back as the same event object. Parsing every body on
every read was most of the SQLite store's CPU; with MongoDB, which did, every event of a session was parsed
and held against the folded one (both serialised to JSON) for each new event."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from shared.contracts.events import Event, parse_event

SIZE = 2_000  # parsed events kept in memory: the interviews in progress, about a hundred


class ParsedEvents:
    def __init__(self, size: int = SIZE) -> None:
        self._size = size
        self._events: OrderedDict[str, tuple[str | dict[str, Any], Event]] = OrderedDict()

    def __call__(self, event_id: str, body: str | dict[str, Any]) -> Event:
        """The event of this stored body: the one parsed before while the body is the same (an id's body
        replaced by an earlier one, as the stores do for a derived event made twice, is parsed again)."""
        cached = self._events.get(event_id)
        if cached is not None and cached[0] == body:
            self._events.move_to_end(event_id)
            return cached[1]
        event = parse_event(body)
        self._events[event_id] = (body, event)
        if len(self._events) > self._size:
            self._events.popitem(last=False)
        return event

    def forget(self, event_ids: Iterable[str]) -> None:
        for event_id in event_ids:
            self._events.pop(event_id, None)

    def forget_session(self, session_id: str) -> None:
        """Nothing of an erased candidate lingers in memory either."""
        self.forget(self.ids_of(session_id))

    def ids_of(self, session_id: str) -> list[str]:
        return [key for key, (_, event) in self._events.items() if event.session_id == session_id]
