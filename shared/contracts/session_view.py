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
from uuid import UUID

from shared.contracts.events import (
    AnswerReviewed,
    AnswerReviewedPayload,
    AnswerScored,
    AnswerScoredPayload,
    AnswerSubmitted,
    AnswerSubmittedPayload,
    CompletionReason,
    Event,
    InterviewCompleted,
    InterviewCompletedPayload,
    InterviewContext,
    InterviewEndRequested,
    InterviewErased,
    InterviewReviewed,
    InterviewReviewedPayload,
    InterviewStarted,
    ProcessingFailed,
    ProcessingFailedPayload,
    QuestionGenerated,
    ReportGenerated,
    ReportGeneratedPayload,
    ScoredAnswer,
)

# what a ProcessingFailed says failed, by type name
ANSWER_SUBMITTED, INTERVIEW_COMPLETED, INTERVIEW_STARTED = (
    AnswerSubmitted.type_name(), InterviewCompleted.type_name(), InterviewStarted.type_name()
)  # fmt: skip


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
    erased: bool = False
    failures: tuple[ProcessingFailedPayload, ...] = ()
    # people's reviews (the latest of each): recruiters' data, never shown to the candidate
    reviews: dict[int, AnswerReviewedPayload] = field(default_factory=dict)
    verdict: InterviewReviewedPayload | None = None
    candidate_token_hash: str | None = None  # what the candidate's capability hashes to (docs/recruiting.md)

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
        answered = self.answered_numbers
        number = next(n for n in range(1, len(answered) + 2) if n not in answered)
        if number > self.total_questions or number not in self.questions:
            return None
        return number

    @property
    def scored_transcript(self) -> tuple[ScoredAnswer, ...]:
        """The interview's scored answers: once completed, exactly those the report covers
        (an answer that raced past the end is not part of it)."""
        closed = self.completion or self.report
        if closed is not None:
            return closed.transcript
        return tuple(ScoredAnswer.model_validate(self.scores[n], from_attributes=True) for n in sorted(self.scores))

    @property
    def individual_scores(self) -> list[int]:
        return [answer.score for answer in self.scored_transcript]

    @property
    def average_score(self) -> float:
        return average_score(self.individual_scores)

    @property
    def answered_numbers(self) -> set[int]:
        """Questions answered: a score implies its answer even if the answer event is not here yet."""
        return set(self.answers) | set(self.scores)

    def failure_for_answer(self, number: int) -> ProcessingFailedPayload | None:
        """A service gave up on what answering question `number` leads to (its score; then the next
        question, or the report) and that result is still missing."""
        last = number >= self.total_questions or self.is_closed
        for failure in self.failures:
            if failure.failed_event_type == ANSWER_SUBMITTED and failure.question_number == number:
                if failure.service == "scoring" and number not in self.scores:
                    return failure
                if failure.service == "interview" and not last and number + 1 not in self.questions:
                    return failure
            if failure.failed_event_type == INTERVIEW_COMPLETED and last and self.report is None:
                return failure
        return None

    @property
    def failure_before_question(self) -> ProcessingFailedPayload | None:
        """A service gave up on preparing the question the candidate waits for."""
        if self.is_closed or self.open_question_number is not None:
            return None
        answered = self.answered_numbers
        waiting_after = max(answered, default=0)
        for failure in self.failures:
            if failure.service != "interview":
                continue
            if failure.failed_event_type == INTERVIEW_STARTED and waiting_after == 0:
                return failure
            if failure.failed_event_type == ANSWER_SUBMITTED and failure.question_number == waiting_after:
                return failure
        return None

    @property
    def open_failure(self) -> ProcessingFailedPayload | None:
        """The problem to show the candidate now, if any."""
        for number in sorted(self.answered_numbers):
            if (failure := self.failure_for_answer(number)) is not None:
                return failure
        return self.failure_before_question

    @property
    def unscored_numbers(self) -> list[int]:
        return sorted(self.answered_numbers - set(self.scores))

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
    ordered = sorted(_unique(session_id, events).values(), key=lambda e: (e.occurred_at, str(e.event_id)))
    if any(isinstance(event, InterviewErased) for event in ordered):
        return SessionView(session_id=session_id, event_count=len(ordered), erased=True)

    context: InterviewContext | None = None
    fallback_context: InterviewContext | None = None
    questions: dict[int, str] = {}
    answers: dict[int, AnswerSubmittedPayload] = {}
    scored: dict[int, list[AnswerScoredPayload]] = {}
    end_requested_at: datetime | None = None
    completion: InterviewCompletedPayload | None = None
    report: ReportGeneratedPayload | None = None
    failures: dict[object, ProcessingFailedPayload] = {}
    reviews: dict[int, AnswerReviewedPayload] = {}
    verdict: InterviewReviewedPayload | None = None
    last_event_at: datetime | None = None
    token_hash: str | None = None

    for event in ordered:
        if not isinstance(event, AnswerReviewed | InterviewReviewed):
            last_event_at = event.occurred_at  # a review is about the interview, not part of it
        match event:
            case InterviewStarted(payload=started):
                context = context or InterviewContext.model_validate(started, from_attributes=True)
                token_hash = token_hash or started.candidate_token_hash
            case QuestionGenerated(payload=asked):
                questions.setdefault(asked.question_number, asked.question)
            case AnswerSubmitted(payload=answer):
                answers.setdefault(answer.question_number, answer)
                fallback_context = fallback_context or answer.context
            case AnswerScored(payload=score):
                scored.setdefault(score.question_number, []).append(score)
            case InterviewEndRequested(payload=request):
                end_requested_at = end_requested_at or request.requested_at
            case InterviewCompleted(payload=completed):
                completion = completion or completed
                fallback_context = fallback_context or completed.context
            case ReportGenerated(payload=generated):
                report = report or generated
                fallback_context = fallback_context or generated.context
            case ProcessingFailed(payload=failure):
                failures.setdefault((failure.service, failure.failed_event_id), failure)
            case AnswerReviewed(payload=review):
                reviews[review.question_number] = review  # in time order: the latest review counts
            case InterviewReviewed(payload=review_of_interview):
                verdict = review_of_interview

    return SessionView(
        session_id=session_id,
        context=context or fallback_context,
        questions=questions,
        answers=answers,
        scores=_scores_of_the_answers_kept(answers, scored),
        end_requested_at=end_requested_at,
        completion=completion,
        report=report,
        last_event_at=last_event_at,
        event_count=len(ordered),
        failures=tuple(failures.values()),
        reviews=reviews,
        verdict=verdict,
        candidate_token_hash=token_hash,
    )


def _unique(session_id: str, events: Iterable[Event]) -> dict[UUID, Event]:
    """One event per id; if two bodies share an id (a derived event made twice), the earliest wins."""
    unique: dict[UUID, Event] = {}
    for event in events:
        if event.session_id != session_id:
            continue
        kept = unique.get(event.event_id)
        if kept is None or earlier(event, kept):
            unique[event.event_id] = event
    return unique


def earlier(one: Event, other: Event) -> bool:
    """Of two bodies with one event id (a derived event made twice), the one every fold and store keeps:
    the earlier, then the smaller body (the SQLite store says the same in SQL)."""
    return (one.occurred_at, one.model_dump_json()) < (other.occurred_at, other.model_dump_json())


def _scores_of_the_answers_kept(
    answers: dict[int, AnswerSubmittedPayload], scored: dict[int, list[AnswerScoredPayload]]
) -> dict[int, AnswerScoredPayload]:
    """Two different answers to one question (racing replicas) are both scored; keep the score
    of the answer that was kept. Before its answer event arrives, a score stands on its own."""
    scores = {}
    for number, candidates in scored.items():
        kept = answers.get(number)
        matching = [c for c in candidates if kept is None or c.answer == kept.answer]
        if matching:
            scores[number] = matching[0]
    return scores
