"""Recruiters' reviews: a human score and note for an answer, a human verdict for an interview, an answer
to a candidate's request (docs/fairness.md). The reviewer is whoever is signed in (a reviewer only for
the positions assigned to them).

Each is an event like any other (stored, replayed, erased with the candidate). It is published for
the other services and recorded here at once, so the next read shows it.
"""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from services.persistence.api.auth import Actor, RecruiterDep, reading
from services.persistence.api.dependencies import BrokerDep, StoreDep
from services.persistence.api.writes import publish_and_record
from shared.contracts.events import (
    AnswerCorrected,
    AnswerCorrectedPayload,
    AnswerReviewed,
    AnswerReviewedPayload,
    CandidateRequestMadePayload,
    CandidateRequestResolved,
    CandidateRequestResolvedPayload,
    Event,
    HireRecommendation,
    InterviewEndRequested,
    InterviewEndRequestedPayload,
    InterviewReviewed,
    InterviewReviewedPayload,
    QuestionAnswer,
    RequestDecision,
    utc_now,
)
from shared.contracts.session_view import SessionView, fold_session
from shared.contracts.text_input import PlainText
from shared.platform.http_types import SessionIdPath
from shared.platform.messaging import Broker

router = APIRouter(prefix="/api/data/interview", tags=["reviews"])
ReviewerDep = Annotated[Actor, Depends(reading)]
QuestionNumber = Annotated[int, Path(ge=1, le=100, description="The answer's question number")]
RequestIdPath = Annotated[str, Path(pattern=r"^req-[a-z0-9]{12}$", description="The candidate request's id")]
Note = Annotated[str, Field(max_length=2000, description="Why this score (optional)"), PlainText]


class Review(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    note: Note = ""
    reviewer: str | None = Field(None, description="Not accepted: the reviewer is whoever is signed in")

    @field_validator("reviewer")
    @classmethod
    def signed_in_only(cls, value: str | None) -> None:
        if value is not None:
            raise ValueError("the reviewer is whoever is signed in: leave it out")


class AnswerReview(Review):
    score: int = Field(ge=0, le=10, strict=True, description="The human score, 0-10 like the AI's")


class InterviewVerdict(Review):
    verdict: HireRecommendation


class RequestResolution(Review):
    decision: RequestDecision = Field(
        description="upheld: the candidate is right (a corrected transcript is scored again); declined: not"
    )


@router.post("/{session_id}/answers/{question_number}/review")
async def review_answer(
    session_id: SessionIdPath,
    question_number: QuestionNumber,
    review: AnswerReview,
    store: StoreDep,
    broker: BrokerDep,
    response: Response,
    actor: ReviewerDep,
) -> dict[str, Any]:
    """Record a person's score for one scored answer; a later review of the same answer replaces it."""
    view = await _interview(store, session_id)
    if question_number not in view.scores:
        raise HTTPException(404, f"Interview '{session_id}' has no scored answer to question {question_number}")
    payload = AnswerReviewedPayload(question_number=question_number, human_score=review.score, note=review.note,
                                    reviewer=actor.name, reviewer_id=actor.id, reviewed_at=utc_now())  # fmt: skip
    event = AnswerReviewed.create(session_id=session_id, producer="persistence", payload=payload)
    await _record(event, store, broker, response)
    return {"session_id": session_id, "question_number": question_number, "human_score": payload.human_score,
            "note": payload.note, "reviewer": payload.reviewer, "reviewed_at": payload.reviewed_at.isoformat()}  # fmt: skip


@router.post("/{session_id}/review")
async def review_interview(
    session_id: SessionIdPath,
    verdict: InterviewVerdict,
    store: StoreDep,
    broker: BrokerDep,
    response: Response,
    actor: ReviewerDep,
) -> dict[str, Any]:
    """Record a person's hire verdict for the interview; a later verdict replaces it."""
    await _interview(store, session_id)
    payload = InterviewReviewedPayload(verdict=verdict.verdict, note=verdict.note, reviewer=actor.name,
                                       reviewer_id=actor.id, reviewed_at=utc_now())  # fmt: skip
    event = InterviewReviewed.create(session_id=session_id, producer="persistence", payload=payload)
    await _record(event, store, broker, response)
    return {"session_id": session_id, "human_verdict": payload.verdict, "note": payload.note,
            "reviewer": payload.reviewer, "reviewed_at": payload.reviewed_at.isoformat()}  # fmt: skip


@router.post("/{session_id}/requests/{request_id}/resolve")
async def resolve_request(
    session_id: SessionIdPath,
    request_id: RequestIdPath,
    resolution: RequestResolution,
    store: StoreDep,
    broker: BrokerDep,
    response: Response,
    actor: ReviewerDep,
) -> dict[str, Any]:
    """Answer a candidate's request once. Upholding a transcription replaces the answer's transcript with the
    candidate's text for scoring: the scoring service scores it again, and both scores stay on record."""
    view = await _interview(store, session_id)
    request = view.requests.get(request_id)
    if request is None:
        raise HTTPException(404, f"Interview '{session_id}' has no request '{request_id}'")
    if (earlier := view.resolutions.get(request_id)) is not None:
        raise HTTPException(409, f"This request was already answered ({earlier.decision} by {earlier.reviewer}).")
    rescoring = resolution.decision == "upheld" and request.kind == "transcription"
    if rescoring and any(c.request_id not in view.revisions for c in view.corrections.values()):
        raise HTTPException(409, "An earlier correction of this interview is still being scored; answer this one in a "
                            "moment, so that its report is written over both.")  # fmt: skip
    payload = CandidateRequestResolvedPayload(request_id=request_id, decision=resolution.decision, note=resolution.note,
                                              reviewer=actor.name, reviewer_id=actor.id, resolved_at=utc_now())  # fmt: skip
    events: list[Event] = [
        CandidateRequestResolved.derived(
            session_id=session_id, producer="persistence", payload=payload, key=(request_id,)
        )
    ]
    if rescoring:
        events.append(correction(view, request, payload.resolved_at))
    await publish_and_record(events, store, broker, response, "The answer to the request")
    stands = (await _interview(store, session_id)).resolutions[request_id]
    if (stands.reviewer_id, stands.resolved_at) != (payload.reviewer_id, payload.resolved_at):
        # another reviewer's answer was recorded first (the same event id): theirs stands, and the fold
        # ignores a correction of a request that was not upheld
        raise HTTPException(409, f"This request was already answered ({stands.decision} by {stands.reviewer}).")
    return {"session_id": session_id, "request_id": request_id, "status": payload.decision, "note": payload.note,
            "resolved_by": payload.reviewer, "resolved_at": payload.resolved_at.isoformat(),
            "rescoring": len(events) > 1}  # fmt: skip


def correction(view: SessionView, request: CandidateRequestMadePayload, at: datetime) -> AnswerCorrected:
    """The answer, corrected as the candidate asked, with what scoring needs (as AnswerSubmitted carries it)."""
    number = request.question_number
    assert number is not None and view.context is not None  # a transcription names an answer of an interview
    answered = view.answers[number] if number in view.answers else view.scores[number]
    transcript = tuple(QuestionAnswer(question_number=n, question=a.question, answer=a.answer)
                       for n, a in sorted(view.answers.items()) if n < number)  # fmt: skip
    report = view.revision or view.report  # written again from its latest revision, earlier corrections kept
    payload = AnswerCorrectedPayload(question_number=number, question=answered.question,
                                     answer=request.corrected_answer, request_id=request.request_id,
                                     original_answer=answered.answer, context=view.context, transcript=transcript,
                                     corrected_at=at, scored_transcript=report.transcript if report else (),
                                     reason=report.reason if report else None,
                                     ended_at=report.ended_at if report else None,
                                     ended_by=(view.completion.ended_by if view.completion else "")
                                     or view.end_requested_by)  # fmt: skip
    return AnswerCorrected.derived(session_id=view.session_id, producer="persistence", payload=payload,
                                   key=(request.request_id,))  # fmt: skip


@router.post("/{session_id}/end")
async def end_interview(
    session_id: SessionIdPath, store: StoreDep, broker: BrokerDep, response: Response, actor: RecruiterDep
) -> dict[str, Any]:
    """End an interview its candidate left unfinished: its report is written over the answers given, as when the
    candidate ends it (`ended_early`), and its link no longer takes answers. The same request as the candidate's
    end (one event per interview): whichever comes first stands."""
    view = await _interview(store, session_id)
    if view.is_closed:
        raise HTTPException(409, "This interview has ended already.")
    payload = InterviewEndRequestedPayload(requested_at=utc_now(), ended_by=actor.id)
    await _record(InterviewEndRequested.derived(session_id=session_id, producer="persistence", payload=payload),
                  store, broker, response)  # fmt: skip
    return {"session_id": session_id, "ending": True, "ended_by": actor.name,
            "last_active_at": view.last_event_at.isoformat() if view.last_event_at else None}  # fmt: skip


async def _interview(store: StoreDep, session_id: str) -> SessionView:
    view = fold_session(session_id, await store.session_events(session_id))
    if view.context is None or view.erased:
        raise HTTPException(404, f"No interview with session_id '{session_id}'")
    return view


async def _record(event: Event, store: StoreDep, broker: Broker, response: Response) -> None:
    await publish_and_record([event], store, broker, response, "The review")
