"""The one interface both AI providers implement, and how a service picks one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from shared.contracts.events import (
    CompletionReason,
    Evidence,
    Feedback,
    InterviewContext,
    Provenance,
    QuestionAnswer,
    Report,
    ScoredAnswer,
)
from shared.contracts.session_view import EndedBy


@dataclass(frozen=True)
class GeneratedQuestion:
    text: str
    provenance: Provenance


@dataclass(frozen=True)
class AnswerAssessment:
    score: int
    feedback: Feedback
    provenance: Provenance
    evidence: tuple[Evidence, ...] = ()  # the spans of the answer that earned or cost points


@dataclass(frozen=True)
class ReportDraft:
    report: Report
    provenance: Provenance


class AIUnavailable(RuntimeError):
    """The AI could not answer now (rate limit, outage, malformed output): retry later, after
    `retry_after` seconds when the AI said how long (the consumer holds the event that long)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class InterviewerAI(Protocol):
    name: str

    async def next_question(
        self, context: InterviewContext, transcript: Sequence[QuestionAnswer], question_number: int
    ) -> GeneratedQuestion: ...

    async def assess_answer(
        self, context: InterviewContext, question: str, answer: str, transcript: Sequence[QuestionAnswer]
    ) -> AnswerAssessment: ...

    async def write_report(
        self,
        context: InterviewContext,
        transcript: Sequence[ScoredAnswer],
        reason: CompletionReason,
        ended_by: EndedBy = "candidate",  # who ended an interview ended early
    ) -> ReportDraft: ...
