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
    InterviewEndRequested: ("gateway",),
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
