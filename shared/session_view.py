"""One interview, folded from its events.

The fold is a pure function of the *set* of a session's events: duplicates count
once and arrival order does not matter (events are put in a canonical order first,
and where two events claim the same slot the earliest wins). The gateway derives
its session state from it and the persistence service its read models.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from statistics import fmean

from shared.events import (
    AnswerScoredPayload,
    AnswerSubmittedPayload,
    CompletionReason,
    Event,
    InterviewCompletedPayload,
    InterviewContext,
    ReportGeneratedPayload,
    ScoredAnswer,
)


def average_score(scores: Iterable[int]) -> float:
    """The seed's `average_score`: the mean of `individual_scores`, 0.0 before any answer."""
    scores = list(scores)
    return round(fmean(scores), 2) if scores else 0.0


@dataclass(frozen=True)
class SessionView:
    session_id: str
    context: InterviewContext | None = None
    questions: dict[int, str] = field(default_factory=dict)
    answers: dict[int, AnswerSubmittedPayload] = field(default_factory=dict)
    scores: dict[int, AnswerScoredPayload] = field(default_factory=dict)
    end_requested_at: datetime | None = None
    completion: InterviewCompletedPayload | None = None
    report: ReportGeneratedPayload | None = None
    last_event_at: datetime | None = None
    event_count: int = 0

    @property
    def status(self) -> str:
        return "completed" if self.report is not None else "in_progress"

    @property
    def is_closed(self) -> bool:
        """No more answers are accepted."""
        return self.completion is not None or self.end_requested_at is not None

    @property
    def total_questions(self) -> int:
        return self.context.total_questions if self.context else 0

    @property
    def open_question_number(self) -> int | None:
        """The question waiting for an answer, if it has been asked."""
        if self.is_closed:
            return None
        number = len(self.answers) + 1
        if number > self.total_questions or number not in self.questions:
            return None
        return number

    @property
    def scored_transcript(self) -> tuple[ScoredAnswer, ...]:
        return tuple(ScoredAnswer.model_validate(self.scores[n], from_attributes=True) for n in sorted(self.scores))

    @property
    def individual_scores(self) -> list[int]:
        return [self.scores[n].score for n in sorted(self.scores)]

    @property
    def average_score(self) -> float:
        return average_score(self.individual_scores)

    @property
    def answered_numbers(self) -> set[int]:
        """Questions answered: a score implies its answer even if the answer event is not here yet."""
        return set(self.answers) | set(self.scores)

    @property
    def awaiting_last_scores(self) -> bool:
        """Nothing more will be answered, but some answers still wait for their score."""
        answered = self.answered_numbers
        finished = len(answered) >= self.total_questions or self.end_requested_at is not None
        return self.completion is None and finished and not answered <= set(self.scores)

    def completion_due(self) -> CompletionReason | None:
        """Why the interview is now complete, once every answer given has its score."""
        if self.completion is not None or self.context is None:
            return None
        answered = self.answered_numbers
        if not answered <= set(self.scores):
            return None
        if len(answered) >= self.total_questions:
            return "all_answered"
        if self.end_requested_at is not None:
            return "ended_early"
        return None


def fold_session(session_id: str, events: Iterable[Event]) -> SessionView:
    unique = {event.event_id: event for event in events if event.session_id == session_id}
    ordered = sorted(unique.values(), key=lambda e: (e.occurred_at, str(e.event_id)))

    context: InterviewContext | None = None
    fallback_context: InterviewContext | None = None
    questions: dict[int, str] = {}
    answers: dict[int, AnswerSubmittedPayload] = {}
    scores: dict[int, AnswerScoredPayload] = {}
    end_requested_at = None
    completion = None
    report = None

    for event in ordered:
        payload = event.payload
        match event.type:
            case "InterviewStarted":
                context = context or InterviewContext.model_validate(payload, from_attributes=True)
            case "QuestionGenerated":
                questions.setdefault(payload.question_number, payload.question)
            case "AnswerSubmitted":
                answers.setdefault(payload.question_number, payload)
                fallback_context = fallback_context or payload.context
            case "AnswerScored":
                scores.setdefault(payload.question_number, payload)
            case "InterviewEndRequested":
                end_requested_at = end_requested_at or payload.requested_at
            case "InterviewCompleted":
                completion = completion or payload
                fallback_context = fallback_context or payload.context
            case "ReportGenerated":
                report = report or payload
                fallback_context = fallback_context or payload.context

    return SessionView(
        session_id=session_id,
        context=context or fallback_context,
        questions=questions,
        answers=answers,
        scores=scores,
        end_requested_at=end_requested_at,
        completion=completion,
        report=report,
        last_event_at=ordered[-1].occurred_at if ordered else None,
        event_count=len(ordered),
    )
