"""Closing an interview once every answer given has its score (all questions answered, or the candidate
asked to stop): at once by the replica serving it, from its live events (`live_listener`), and by the
gateway's durable subscription, whichever replica gets it, as the safety net."""

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from services.gateway.sessions import LiveSession, SessionRegistry
from shared.contracts.events import (
    AnswerScored,
    DemographicsProvided,
    Event,
    InterviewCompleted,
    InterviewCompletedPayload,
    InterviewEndRequested,
    InterviewStarted,
)
from shared.contracts.session_view import SessionView
from shared.contracts.topology import is_last_score
from shared.platform.handlers import Handlers
from shared.platform.messaging import Broker, PublishFailed

log = logging.getLogger(__name__)
PRODUCER = "gateway"


class SessionNotCaughtUp(RuntimeError):
    """This replica cannot see all of the session yet; the message is retried later."""


StoredCompletion = Callable[[str], Awaitable[bool]]
Completed = Callable[[str, float], Awaitable[bool]]


async def never_completed(session_id: str, wait: float = 0.0) -> bool:
    return False


class RecentIds:
    """Session ids heard of lately, the oldest forgotten past `size`."""

    def __init__(self, size: int = 10_000) -> None:
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._size = size

    def add(self, session_id: str) -> None:
        self._ids[session_id] = None
        if len(self._ids) > self._size:
            self._ids.popitem(last=False)

    def __contains__(self, session_id: object) -> bool:
        return session_id in self._ids


class RecentCompletions:
    """The interviews completed lately, whichever replica completed them: every replica hears every
    InterviewCompleted (one per interview, on a private queue), so that its durable completion check learns
    that the replica serving an interview completed it without asking anyone; the event store is asked
    only about one not heard of (this replica started since, or the event is late)."""

    def __init__(self, ask_store: StoredCompletion = never_completed, size: int = 10_000) -> None:
        self._ask_store = ask_store
        self._heard = RecentIds(size)
        self._waiting: dict[str, asyncio.Event] = {}

    async def hear(self, event: Event) -> None:
        if isinstance(event, InterviewCompleted):
            self._heard.add(event.session_id)
            if (waiting := self._waiting.pop(event.session_id, None)) is not None:
                waiting.set()

    async def completed(self, session_id: str, wait: float = 0.0) -> bool:
        """Heard of (waiting up to `wait` seconds to hear of it), or else stored."""
        if session_id not in self._heard and wait > 0:
            heard = self._waiting.setdefault(session_id, asyncio.Event())
            try:
                async with asyncio.timeout(wait):
                    await heard.wait()
            except TimeoutError:
                self._waiting.pop(session_id, None)
        return session_id in self._heard or await self._ask_store(session_id)


class RecentStarts:
    """The interviews started lately, whichever replica started them: every replica hears every
    InterviewStarted (on the same private queue as the completions), so that a request for an interview
    that another replica started a moment ago, before the event store has it, waits for the store instead
    of being told there is no such interview (a balancer without affinity, the candidate's next request)."""

    def __init__(self, size: int = 10_000) -> None:
        self._heard = RecentIds(size)

    async def hear(self, event: Event) -> None:
        if isinstance(event, InterviewStarted):
            self._heard.add(event.session_id)

    def __contains__(self, session_id: object) -> bool:
        return session_id in self._heard


def build_handlers(sessions: SessionRegistry, grace_seconds: float, completed: Completed = never_completed) -> Handlers:
    """`completed(session_id)`: whether the event store holds the session's InterviewCompleted (one small
    query, where reading the session costs all its events)."""
    handlers = Handlers()

    @handlers.on(AnswerScored, InterviewEndRequested)
    async def complete_interview_when_ready(event: AnswerScored | InterviewEndRequested) -> list[Event]:
        if not may_complete(event):
            return []  # not its last score (the live queue's listener checks those)
        if not sessions.follows(event.session_id):  # another replica's session, most likely
            # The replica serving it completes it as soon as it hears the last score: wait a moment to hear
            # that (each wait holds one of the queue's prefetched messages), and read the session only if not.
            if await completed(event.session_id, grace_seconds / 4):
                return []
        # the session this replica serves, or a copy from the event store (not followed from then on)
        session = await sessions.look(event.session_id) or LiveSession(event.session_id)
        await session.apply(event)
        if session.view.awaiting_last_scores and sessions.serves(session):
            # The missing scores may be on their way: give the live view a moment to catch up.
            await session.wait_until(lambda v: not v.awaiting_last_scores, grace_seconds)
        view = session.view
        if view.erased:
            return []
        if view.context is None:
            raise SessionNotCaughtUp(f"session {event.session_id} has no InterviewStarted here yet")
        if view.awaiting_last_scores:
            # The scores may have passed this replica's live queue before it knew the session, or not be
            # stored yet: read again on the retry.
            session.stale = True
            raise SessionNotCaughtUp(f"session {event.session_id} still waits for scores of {view.unscored_numbers}")
        if completion_of(view) is None:
            return []
        # The replica serving the interview completes it as soon as it hears the last score
        # (`live_listener`): give that a moment to show, here or in the event store, before making it too.
        if sessions.serves(session):
            await session.wait_until(lambda v: v.completion is not None, grace_seconds)
        made = completion_of(session.view)
        return [made] if made is not None else []

    return handlers


def may_complete(event: AnswerScored | InterviewEndRequested) -> bool:
    """Whether the event can be the one that makes its interview complete, as far as it tells alone: an
    end request, or the score of the last planned question (the only scores routed to this queue; one
    published before that routing may still come). The score of an earlier question completes an interview
    only after an end request, whose own check waits for that score (it is retried while scores are
    missing), and the replica serving the session checks every score anyway, on its live queue."""
    return isinstance(event, InterviewEndRequested) or is_last_score(event)


def completion_of(view: SessionView) -> InterviewCompleted | None:
    """The interview's InterviewCompleted, once it is due (its id is the session's: made twice, it is one)."""
    reason = view.completion_due()
    if reason is None or view.context is None:
        return None
    return InterviewCompleted.derived(
        session_id=view.session_id,
        producer=PRODUCER,
        payload=InterviewCompletedPayload(
            reason=reason,
            ended_at=view.last_event_at,
            context=view.context,
            transcript=view.scored_transcript,
            ended_by=view.end_requested_by,  # a recruiter's id: the report says the hiring team ended it
        ),  # fmt: skip
    )


def live_listener(sessions: SessionRegistry, broker: Broker) -> Callable[[Event], Awaitable[None]]:
    """The live queue's events into the sessions; and where one makes its interview complete, the
    InterviewCompleted at once: the replica serving the interview hears its last score first. The durable
    queue's check stays the safety net (another replica may get that message, and it has only the event
    store's copy, which can lag behind)."""

    async def on_live_event(event: Event) -> None:
        if isinstance(event, DemographicsProvided):
            return  # the adverse-impact analysis's alone: not kept in any gateway's memory
        session = await sessions.apply(event)
        if not isinstance(event, AnswerScored | InterviewEndRequested) or session.completing:
            return
        if (completed := completion_of(session.view)) is not None:
            session.completing = True  # once: a second last score or end request finds it made
            try:
                await broker.publish(completed)
            except PublishFailed:
                session.completing = False  # the durable queue's check makes it

    return on_live_event
