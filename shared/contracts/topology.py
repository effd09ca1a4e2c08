"""Who listens to what: every exchange, queue and binding of the system, in one table.

Every service declares the whole topology when it connects, so an event published
before its consumer ever started still waits in that consumer's queue.
"""

from dataclasses import dataclass

from shared.contracts.events import (
    EVENT_TYPES,
    POSITION_EVENTS,
    SHADOW_EVENTS,
    USER_EVENTS,
    AnswerCorrected,
    AnswerRescored,
    AnswerReviewed,
    AnswerScored,
    AnswerSubmitted,
    CandidateRequestMade,
    CandidateRequestResolved,
    DemographicsProvided,
    Event,
    InterviewCompleted,
    InterviewEndRequested,
    InterviewErased,
    InterviewReviewed,
    InterviewStarted,
    InvitationAccepted,
    InvitationIssued,
    InvitationRevoked,
    ProcessingFailed,
    QuestionGenerated,
    ReportGenerated,
    ReportRevised,
    WebhookDeliveryAttempted,
    WebhookRegistered,
    WebhookRemoved,
)

# Who publishes each event (its `producer`): the candidate's and recruiters' writes, and what the
# consumers derive from them. docs/asyncapi.yaml is generated from this and SUBSCRIPTIONS.
PUBLISHERS: dict[type[Event], tuple[str, ...]] = {
    InterviewStarted: ("gateway",),
    QuestionGenerated: ("interview",),
    AnswerSubmitted: ("gateway",),
    AnswerScored: ("scoring",),
    InterviewEndRequested: ("gateway", "persistence"),  # persistence: a recruiter ends an abandoned interview
    InterviewCompleted: ("gateway",),
    ReportGenerated: ("scoring",),
    InterviewErased: ("persistence",),
    ProcessingFailed: ("interview", "scoring"),
    AnswerReviewed: ("persistence",),
    InterviewReviewed: ("persistence",),
    DemographicsProvided: ("gateway",),
    CandidateRequestMade: ("gateway",),
    CandidateRequestResolved: ("persistence",),
    AnswerCorrected: ("persistence",),
    AnswerRescored: ("scoring",),
    ReportRevised: ("scoring",),
    **dict.fromkeys(POSITION_EVENTS, ("persistence",)),
    InvitationIssued: ("persistence",),
    InvitationAccepted: ("gateway",),
    InvitationRevoked: ("persistence",),
    **dict.fromkeys(USER_EVENTS, ("persistence",)),
    WebhookRegistered: ("persistence",),
    WebhookRemoved: ("persistence",),
    WebhookDeliveryAttempted: ("exporter",),
    **dict.fromkeys(SHADOW_EVENTS, ("scoring",)),  # its shadow runs' (docs/shadow-scoring.md)
}

# The event classes each service's durable queue is bound to (by their type names, the routing keys).
SUBSCRIPTIONS: dict[str, tuple[type[Event], ...]] = {
    "gateway": (AnswerScored, InterviewEndRequested),  # closing an interview once every answer is scored
    "interview": (InterviewStarted, AnswerSubmitted),
    "scoring": (AnswerSubmitted, InterviewCompleted, AnswerCorrected),
    "persistence": EVENT_TYPES,
    "exporter": (ReportGenerated, ReportRevised, InterviewErased),
    # the applicant-tracking systems' webhooks: a queue of the exporter process's own (docs/recruiting.md)
    "webhooks": (InterviewCompleted, ReportGenerated, ReportRevised, InterviewErased),
}

# Where a service needs only some messages of an event type, the routing-key pattern it binds for that type
# instead of `<type>.#`: the gateway's durable completion check needs an interview's last score only (the
# replica serving an interview hears every score on its live queue), so the other scores, four in five,
# never enter its queue.
NARROWED: dict[str, dict[type[Event], str]] = {"gateway": {AnswerScored: "AnswerScored.*.last"}}
# Bindings a service's queue had in an earlier version and must not keep (declared queues keep bindings).
RETIRED: dict[str, tuple[str, ...]] = {"gateway": ("AnswerScored.#",)}


def is_last_score(event: Event) -> bool:
    """The score of the interview's last planned question (or of an event that does not say its length)."""
    if not isinstance(event, AnswerScored):
        return False
    total = event.payload.total_questions
    return total is None or event.payload.question_number >= total


def routing_key(event: Event) -> str:
    """`<type>.<session id>`, and `.last` after an interview's last score: the services' queues bind by type
    (`binding`), the gateway's live queues by session (`*.<session id>.#`). Session ids hold no dots
    (SESSION_ID_CHARS)."""
    return f"{event.type}.{event.session_id}.last" if is_last_score(event) else f"{event.type}.{event.session_id}"


def binding(service: str, event_type: type[Event]) -> str:
    """The pattern `service`'s queue binds for `event_type`: all of its messages (`#` matches no word too, so
    messages published as `<type>` alone, before session keys, match as well) unless NARROWED."""
    return NARROWED.get(service, {}).get(event_type, f"{event_type.type_name()}.#")


@dataclass(frozen=True)
class Names:
    """Broker names under one namespace (tests use a fresh namespace each)."""

    namespace: str = "interviewer"

    @property
    def exchange(self) -> str:
        return f"{self.namespace}.events"

    @property
    def dead_letter_exchange(self) -> str:
        return f"{self.namespace}.dead-letter"

    def queue(self, service: str) -> str:
        return f"{self.namespace}.{service}"

    def dead_letter_queue(self, service: str) -> str:
        return f"{self.namespace}.{service}.dlq"

    def delay_queue(self, service: str, seconds: int) -> str:
        """Where a message waits `seconds` before it goes back to the service's queue (Broker.later)."""
        return f"{self.namespace}.{service}.delay.{seconds}s"
