"""What a candidate is told when a service gives up on their interview's work."""

from shared.contracts.events import (
    AnswerSubmitted,
    Event,
    InterviewCompleted,
    InterviewStarted,
    ProcessingFailed,
    ProcessingFailedPayload,
)
from shared.platform.messaging import GiveUp, PermanentFailure
from shared.platform.settings import ServiceSettings

WHAT_WAITS: dict[tuple[str, type[Event]], str] = {
    ("scoring", AnswerSubmitted): "Your answer is saved, but it could not be scored right now because the AI "
    "service is unavailable.",
    ("interview", AnswerSubmitted): "Your answer is saved, but the next question could not be prepared right now "
    "because the AI service is unavailable.",
    ("interview", InterviewStarted): "Your interview is registered, but its first question could not be prepared "
    "right now because the AI service is unavailable.",
    ("scoring", InterviewCompleted): "Your interview is complete and saved, but its report could not be written "
    "right now because the AI service is unavailable.",
}
RETRIED = " It is tried again automatically every few minutes; please come back later."
NOT_RETRIED = " The team running this service has to fix it first; please come back later."


def candidate_message(service: str, event_type: type[Event], retried: bool) -> str:
    """What the candidate reads: what waits, and whether it is retried by itself (the broker re-drives work
    that kept failing) or needs a person (a permanent failure, such as a rejected AI key)."""
    what = WHAT_WAITS.get((service, event_type), "Part of your interview could not be processed right now.")
    return what + (RETRIED if retried else NOT_RETRIED)


def processing_failed(service: str, settings: ServiceSettings) -> GiveUp:
    """The give-up hook of a service whose work a candidate waits for."""

    def give_up(event: Event, error: BaseException) -> list[Event]:
        payload = event.payload
        retried = not isinstance(error, PermanentFailure) and bool(settings.auto_redrive_seconds)
        message = candidate_message(service, type(event), retried)
        return [
            ProcessingFailed.derived(
                session_id=event.session_id,
                producer=service,
                key=(service, event.event_id),
                payload=ProcessingFailedPayload(
                    service=service,
                    failed_event_type=event.type,
                    failed_event_id=event.event_id,
                    question_number=getattr(payload, "question_number", None),
                    message=message,
                    error=repr(error)[:500],
                ),
            )
        ]

    return give_up
