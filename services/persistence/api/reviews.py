"""Recruiters' reviews: a human score and note for an answer, a human verdict for an interview. The
reviewer is whoever is signed in (a reviewer only for the positions assigned to them).

Each is an event like any other (stored, replayed, erased with the candidate). It is published for
the other services and recorded here at once, so the next read shows it.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from services.persistence.api.auth import Actor, reading
from services.persistence.api.dependencies import BrokerDep, StoreDep
from services.persistence.api.writes import publish_and_record
from shared.contracts.events import (
    AnswerReviewed,
    AnswerReviewedPayload,
    Event,
    HireRecommendation,
    InterviewReviewed,
    InterviewReviewedPayload,
    utc_now,
)
from shared.contracts.session_view import SessionView, fold_session
from shared.contracts.text_input import PlainText
from shared.platform.http_types import SessionIdPath
from shared.platform.messaging import Broker

router = APIRouter(prefix="/api/data/interview", tags=["reviews"])
ReviewerDep = Annotated[Actor, Depends(reading)]
QuestionNumber = Annotated[int, Path(ge=1, le=100, description="The answer's question number")]
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
    score: int = Field(ge=0, le=10, description="The human score, 0-10 like the AI's")


class InterviewVerdict(Review):
    verdict: HireRecommendation


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


async def _interview(store: StoreDep, session_id: str) -> SessionView:
    view = fold_session(session_id, await store.session_events(session_id))
    if view.context is None or view.erased:
        raise HTTPException(404, f"No interview with session_id '{session_id}'")
    return view


async def _record(event: Event, store: StoreDep, broker: Broker, response: Response) -> None:
    await publish_and_record([event], store, broker, response, "The review")
