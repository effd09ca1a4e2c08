"""What a candidate is told when a service gives up on their interview's work."""

from shared.events import Event, ProcessingFailed, ProcessingFailedPayload

MESSAGES = {
    ("scoring", "AnswerSubmitted"): "Your answer is saved, but it could not be scored right now because the AI "
    "service is unavailable. It will be scored once the service recovers; please come back later.",
    ("interview", "AnswerSubmitted"): "Your answer is saved, but the next question could not be prepared right now "
    "because the AI service is unavailable. Please come back later to continue.",
    ("interview", "InterviewStarted"): "Your interview is registered, but its first question could not be prepared "
    "right now because the AI service is unavailable. Please come back later to continue.",
    ("scoring", "InterviewCompleted"): "Your interview is complete and saved, but its report could not be written "
    "right now because the AI service is unavailable. It will appear once the service recovers.",
}


def processing_failed(service: str):  # noqa: ANN201 (returns messaging.GiveUp)
    """The give-up hook of a service whose work a candidate waits for."""

    def give_up(event: Event, error: BaseException) -> list[Event]:
        payload = event.payload
        message = MESSAGES.get((service, event.type), "Part of your interview could not be processed right now.")
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
