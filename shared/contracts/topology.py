"""Who listens to what: every exchange, queue and binding of the system, in one table.

Every service declares the whole topology when it connects, so an event published
before its consumer ever started still waits in that consumer's queue.
"""

from dataclasses import dataclass

from shared.contracts.events import EVENT_TYPE_NAMES

SUBSCRIPTIONS: dict[str, tuple[str, ...]] = {
    "gateway": ("AnswerScored", "InterviewEndRequested"),
    "interview": ("InterviewStarted", "AnswerSubmitted"),
    "scoring": ("AnswerSubmitted", "InterviewCompleted"),
    "persistence": EVENT_TYPE_NAMES,
    "exporter": ("ReportGenerated", "InterviewErased"),
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
