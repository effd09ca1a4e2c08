"""A service's handler table: which function handles each event class it subscribes to.

    handlers = Handlers()

    @handlers.on(InterviewStarted)
    async def ask_first_question(event: InterviewStarted) -> list[Event]: ...

The table is keyed by event class, and a handler's first parameter names the event it takes: `on`
refuses a handler whose annotation does not accept an event class it is registered for, and the broker
refuses at start-up a table that differs from the service's subscriptions (shared/contracts/topology.py).
"""

from __future__ import annotations

import types
import typing
from collections.abc import Awaitable, Callable, Iterator, Sequence
from typing import Any, TypeVar, overload

from shared.contracts.events import Event

E = TypeVar("E", bound=Event)
F = TypeVar("F", bound=Event)
Handler = Callable[[E], Awaitable[Sequence[Event]]]
AnyHandler = Callable[[Any], Awaitable[Sequence[Event]]]


class Handlers:
    def __init__(self) -> None:
        self._table: dict[type[Event], AnyHandler] = {}

    # A TypeVar over *event_types would make two classes their common base (Event): the second
    # overload lets a handler of two event classes take their union.
    @overload
    def on(self, event_type: type[E], /) -> Callable[[Handler[E]], Handler[E]]: ...
    @overload
    def on(self, first: type[E], second: type[F], /) -> Callable[[Handler[E | F]], Handler[E | F]]: ...
    @overload
    def on(self, *event_types: type[Event]) -> Callable[[Handler[Event]], Handler[Event]]: ...

    def on(self, *event_types: type[Event]) -> Callable[[AnyHandler], AnyHandler]:
        """Register the decorated function for these event classes."""

        def register(handler: AnyHandler) -> AnyHandler:
            accepted = accepted_events(handler)
            for event_type in event_types:
                if not issubclass(event_type, accepted):
                    names = " | ".join(t.__name__ for t in accepted)
                    raise TypeError(f"{handler.__name__} takes {names}, so it cannot handle {event_type.__name__}")
                if event_type in self._table:
                    raise ValueError(f"{event_type.__name__} already has a handler: {self._table[event_type].__name__}")
                self._table[event_type] = handler
            return handler

        return register

    def __getitem__(self, event_type: type[Event]) -> AnyHandler:
        return self._table[event_type]

    def get(self, event_type: type[Event]) -> AnyHandler | None:
        return self._table.get(event_type)

    def __iter__(self) -> Iterator[type[Event]]:
        return iter(self._table)

    @property
    def event_types(self) -> frozenset[type[Event]]:
        return frozenset(self._table)


def accepted_events(handler: Callable[..., Any]) -> tuple[type[Event], ...]:
    """The event classes a handler's first parameter is annotated with (a class or a union of them)."""
    hints = typing.get_type_hints(handler)
    parameters = [name for name in handler.__code__.co_varnames[: handler.__code__.co_argcount]]
    if not parameters or parameters[0] not in hints:
        raise TypeError(f"{handler.__name__} must annotate its event parameter with the event class it takes")
    annotation = hints[parameters[0]]
    union = typing.get_origin(annotation) in (typing.Union, types.UnionType)
    members = typing.get_args(annotation) if union else (annotation,)
    if not all(isinstance(m, type) and issubclass(m, Event) for m in members):
        raise TypeError(f"{handler.__name__}'s first parameter is annotated {annotation}, not an event class")
    return members
