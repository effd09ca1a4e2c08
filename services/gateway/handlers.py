"""The gateway's own durable subscription: it closes an interview once every answer
given has its score (all questions answered, or the candidate asked to stop)."""

import logging

from services.gateway.sessions import LiveSession, SessionRegistry
from shared.contracts.events import (
    AnswerScored,
    Event,
    InterviewCompleted,
    InterviewCompletedPayload,
    InterviewEndRequested,
)
from shared.platform.handlers import Handlers

log = logging.getLogger(__name__)
PRODUCER = "gateway"


class SessionNotCaughtUp(RuntimeError):
    """This replica cannot see all of the session yet; the message is retried later."""


def build_handlers(sessions: SessionRegistry, grace_seconds: float) -> Handlers:
    handlers = Handlers()

    @handlers.on(AnswerScored, InterviewEndRequested)
    async def complete_interview_when_ready(event: AnswerScored | InterviewEndRequested) -> list[Event]:
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
        reason = view.completion_due()
        if reason is None:
            return []
        return [
            InterviewCompleted.derived(
                session_id=view.session_id,
                producer=PRODUCER,
                payload=InterviewCompletedPayload(
                    reason=reason,
                    ended_at=view.last_event_at,
                    context=view.context,
                    transcript=view.scored_transcript,
                ),
            )
        ]

    return handlers
