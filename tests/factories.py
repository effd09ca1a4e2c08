"""Event streams of whole interviews, for tests of folds, projections and stores."""

import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta

from shared.contracts.events import (
    AnswerCorrected,
    AnswerCorrectedPayload,
    AnswerRescored,
    AnswerRescoredPayload,
    AnswerScored,
    AnswerScoredPayload,
    AnswerSubmitted,
    AnswerSubmittedPayload,
    CandidateRequestMade,
    CandidateRequestMadePayload,
    CandidateRequestResolved,
    CandidateRequestResolvedPayload,
    Event,
    Feedback,
    InterviewCompleted,
    InterviewCompletedPayload,
    InterviewContext,
    InterviewEndRequested,
    InterviewEndRequestedPayload,
    InterviewStarted,
    InterviewStartedPayload,
    QuestionAnswer,
    QuestionGenerated,
    QuestionGeneratedPayload,
    ReportGenerated,
    ReportGeneratedPayload,
    ReportRevised,
    ReportRevisedPayload,
    ScoredAnswer,
    derived_event_id,
)
from shared.contracts.session_view import average_score
from shared.platform.handlers import Handlers

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def interview_events(
    session_id: str = "s0000001",
    scores: tuple[int, ...] = (8, 7, 9),
    total: int = 3,
    *,
    name: str = "Ada Lovelace",
    experience: int = 5,
    difficulty: str = "intermediate",
    end_early: bool = False,
    complete: bool = True,
    start: datetime = T0,
    weaknesses: tuple[str, ...] | None = None,
    questions: tuple[str, ...] | None = None,
    answers: tuple[str, ...] | None = None,
    job_description: str = "Python developer with Django and PostgreSQL experience.",
) -> list[Event]:
    """The events of one interview in the order the services would publish them."""
    clock = iter(start + timedelta(seconds=i) for i in range(1000))
    context = InterviewContext(
        candidate_name=name,
        candidate_experience=experience,
        job_description=job_description,
        difficulty=difficulty,
        total_questions=total,
        started_at=start,
    )

    def make(cls, payload, *key, producer="test", random_id=False):
        moment = next(clock)
        event_id = None if random_id else derived_event_id(session_id, cls.model_fields["type"].default, *key)
        return cls(
            event_id=event_id or uuid.uuid4(),
            session_id=session_id,
            occurred_at=moment,
            producer=producer,
            payload=payload,
        ), moment

    events: list[Event] = []
    started, _ = make(InterviewStarted, InterviewStartedPayload(**context.model_dump()), random_id=True)
    events.append(started)
    transcript: list[QuestionAnswer] = []
    scored: list[ScoredAnswer] = []
    for number, score in enumerate(scores, start=1):
        question = questions[number - 1] if questions else f"Question {number} about Django?"
        answer = answers[number - 1] if answers else f"Answer {number} with PostgreSQL details."
        events.append(
            make(QuestionGenerated, QuestionGeneratedPayload(question_number=number, question=question), number)[0]
        )
        moment = next(clock)
        events.append(
            AnswerSubmitted(
                event_id=derived_event_id(session_id, "AnswerSubmitted", number),
                session_id=session_id,
                occurred_at=moment,
                producer="gateway",
                payload=AnswerSubmittedPayload(
                    question_number=number,
                    question=question,
                    answer=answer,
                    submitted_at=moment,
                    context=context,
                    transcript=tuple(transcript),
                    spoken=number % 2 == 0,  # typed and spoken answers in turn
                ),
            )
        )
        feedback = Feedback(strengths=(f"strength {score}",), improvements=(f"improve {number % 2}",))
        moment = next(clock)
        events.append(
            AnswerScored(
                event_id=derived_event_id(session_id, "AnswerScored", number),
                session_id=session_id,
                occurred_at=moment,
                producer="scoring",
                payload=AnswerScoredPayload(
                    question_number=number,
                    question=question,
                    answer=answer,
                    score=score,
                    feedback=feedback,
                    scored_at=moment,
                    total_questions=total,
                ),
            )
        )
        transcript.append(QuestionAnswer(question_number=number, question=question, answer=answer))
        scored.append(
            ScoredAnswer(question_number=number, question=question, answer=answer, score=score, feedback=feedback)
        )
    if not complete:
        return events
    if end_early:
        events.append(make(InterviewEndRequested, InterviewEndRequestedPayload(requested_at=next(clock)))[0])
    reason = "ended_early" if len(scores) < total else "all_answered"
    ended_at = next(clock)
    events.append(
        make(
            InterviewCompleted,
            InterviewCompletedPayload(reason=reason, ended_at=ended_at, context=context, transcript=tuple(scored)),
        )[0]
    )
    average = average_score(scores)
    events.append(
        make(
            ReportGenerated,
            ReportGeneratedPayload(
                overall_score=round(average, 1),
                summary=f"{name} did fine.",
                strengths=("Python",),
                weaknesses=weaknesses if weaknesses is not None else ("Cloud",) if average < 8 else (),
                recommendations=("Study AWS",),
                hire_recommendation="yes" if average >= 6.5 else "no",
                average_score=average,
                individual_scores=scores,
                reason=reason,
                ended_at=ended_at,
                context=context,
                transcript=tuple(scored),
            ),
        )[0]
    )
    return events


def handler_table(entries: dict[type[Event], Callable[[Event], Awaitable[Sequence[Event]]]]) -> Handlers:
    """A handler table from plain test functions (each wrapped in one that says it takes any Event)."""
    handlers = Handlers()
    for event_type, function in entries.items():

        async def handler(
            event: Event, function: Callable[[Event], Awaitable[Sequence[Event]]] = function
        ) -> Sequence[Event]:
            return await function(event)

        handlers.on(event_type)(handler)
    return handlers


def candidate_request_events(session_id, request_id, decision, resolved_at, question_number=1, score=9):
    """A transcription contested, answered, corrected, scored again and its report revised: what two
    reviewers racing to answer one request can leave stored, whatever the decision that stands."""
    base = interview_events(session_id, scores=(3, 4), total=2)
    report = next(e for e in base if e.type == "ReportGenerated")
    started = next(e for e in base if e.type == "InterviewStarted")
    at = report.occurred_at + timedelta(minutes=1)
    made = CandidateRequestMadePayload(request_id=request_id, kind="transcription", question_number=question_number,
                                       corrected_answer="what I said", requested_at=at)  # fmt: skip
    resolved = CandidateRequestResolvedPayload(request_id=request_id, decision=decision, resolved_at=resolved_at)
    corrected = AnswerCorrectedPayload(question_number=question_number, question="q", answer="what I said",
                                       request_id=request_id, original_answer="a", context=started.payload,
                                       corrected_at=resolved_at)  # fmt: skip
    rescored = AnswerRescoredPayload(question_number=question_number, question="q", answer="what I said", score=score,
                                     feedback=Feedback(), request_id=request_id, scored_at=resolved_at)  # fmt: skip
    revised = ReportRevisedPayload(**report.payload.model_dump() | {"overall_score": float(score)},
                                   request_id=request_id, revised_at=resolved_at)  # fmt: skip
    return base, [
        cls.create(session_id=session_id, producer="test", payload=payload)
        for cls, payload in ((CandidateRequestMade, made), (CandidateRequestResolved, resolved),
                             (AnswerCorrected, corrected), (AnswerRescored, rescored), (ReportRevised, revised))
    ]  # fmt: skip
