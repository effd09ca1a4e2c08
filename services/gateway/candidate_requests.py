"""The candidate's requests after the interview (docs/fairness.md, "Candidate requests"): a person to review
the interview (GDPR Art. 22's human intervention), or an answer's transcript corrected ("that is not what I
said"). Each is a CandidateRequestMade event that reviewers see flagged until one of them answers it; the
candidate sees the answer on their interview page (GET /api/interview/{id}, `requests`)."""

from typing import Annotated

from fastapi import APIRouter, HTTPException
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from services.gateway.publishing import publish
from services.gateway.routes import (
    PRODUCER,
    BrokerDep,
    PresentedTokenDep,
    RecentWritesDep,
    SessionsDep,
    SettingsDep,
    acknowledged,
    check_candidate,
    find_session,
    limited,
)
from services.gateway.schemas import CandidateToken
from shared.contracts.events import CandidateRequestMade, CandidateRequestMadePayload, RequestKind, new_id, utc_now
from shared.contracts.text_input import PlainText
from shared.platform.http_errors import Refusal
from shared.platform.http_types import SessionIdPath

router = APIRouter(prefix="/api", tags=["interview"])
MAX_REQUESTS = 20  # per interview: more is not a request but a flood


class CandidateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    kind: RequestKind
    question_number: int | None = Field(
        None, ge=1, le=100, strict=True, description="transcription: the answer to correct"
    )
    corrected_answer: Annotated[str, StringConstraints(max_length=10_000), PlainText] = Field(
        "", description="transcription: what you said"
    )
    note: Annotated[str, StringConstraints(max_length=2000), PlainText] = ""
    candidate_token: CandidateToken | None = None


@router.post("/interview/{session_id}/requests", dependencies=[limited("answer")])
async def make_request(
    session_id: SessionIdPath,
    body: CandidateRequest,
    broker: BrokerDep,
    sessions: SessionsDep,
    settings: SettingsDep,
    recent_writes: RecentWritesDep,
    token: PresentedTokenDep,
) -> JSONResponse:
    """Ask for a person to review the interview, or for an answer's transcript to be corrected."""
    session = await find_session(sessions, session_id)
    check_candidate(session.view, body.candidate_token or token, settings)
    async with session.lock:  # the checks and the event together (found by a security retest: ten at once made five)
        view = session.view
        if view.report is None:
            raise Refusal(
                409, "Requests open once the interview is finished and its report is ready.", reason="not_finished"
            )
        if body.kind == "transcription":
            number = body.question_number
            if number is None or number not in view.answers:
                raise Refusal(422, "Name the answer to correct: question_number of one of your answers.",
                              reason="no_such_answer")  # fmt: skip
            if (
                view.answers[number].spoken is not True
            ):  # typed, or sent without saying (an API client's): no transcript
                raise Refusal(
                    409,
                    f"Your answer to question {number} was typed, not transcribed: there is no transcript to "
                    "correct. Ask a person to review your interview instead. (An answer speech recognition wrote is "
                    'sent with "spoken": true.)',
                    reason="typed_answer",
                    question_number=number,
                )
            if not body.corrected_answer:
                raise Refusal(422, "Give the text you said in corrected_answer.", reason="correction_missing")
            if body.corrected_answer == view.answers[number].answer:
                raise Refusal(422, "corrected_answer is the same as the transcript: change what is wrong.",
                              reason="correction_unchanged")  # fmt: skip
        elif body.question_number is not None or body.corrected_answer:
            raise HTTPException(
                422, "A human review is of the whole interview: leave out question_number and corrected_answer."
            )
        waiting = [r for r in view.open_requests if (r.kind, r.question_number) == (body.kind, body.question_number)]
        if waiting:
            raise Refusal(409, "You asked this already; a reviewer will answer it (see your interview page).",
                          reason="asked_already")  # fmt: skip
        if len(view.requests) >= MAX_REQUESTS:
            raise Refusal(
                409, f"An interview takes at most {MAX_REQUESTS} requests.", reason="request_limit", limit=MAX_REQUESTS
            )
        payload = CandidateRequestMadePayload(
            request_id=new_id("req"), kind=body.kind,
            question_number=body.question_number, corrected_answer=body.corrected_answer, note=body.note,
            requested_at=utc_now(),
        )  # fmt: skip
        await publish(broker, sessions, CandidateRequestMade.create(session_id=session_id, producer=PRODUCER,
                                                                    payload=payload))  # fmt: skip
    answer = {"session_id": session_id, "request_id": payload.request_id, "kind": payload.kind,
              "question_number": payload.question_number, "status": "open"}  # fmt: skip
    return acknowledged(JSONResponse(answer), session, recent_writes)
