"""The candidate API: start (open, or from an invitation), answer, end, follow live, resume."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request, params, status
from fastapi.responses import JSONResponse
from fastapi.sse import EventSourceResponse, ServerSentEvent

from services.gateway.consistency import RecentWrites
from services.gateway.disclosure import (
    feedback_shown,
    how_assessed,
    level,
    report_shown,
    revised_report_shown,
    score_shown,
)
from services.gateway.invitations import holds, invited_language, usable_invitation
from services.gateway.persistence_client import PersistenceClient, StoreUnavailable
from services.gateway.publishing import publish
from services.gateway.schemas import (
    AnsweredQuestion,
    CandidateRequestState,
    CandidateSession,
    CandidateToken,
    EndInterviewRequest,
    EndInterviewResponse,
    InvitationDetails,
    InvitationLookup,
    NextQuestion,
    StartInterviewRequest,
    StartInterviewResponse,
    SubmitAnswerRequest,
    SubmitAnswerResponse,
)
from services.gateway.sessions import LiveSession, SessionRegistry
from services.gateway.settings import GatewaySettings
from services.gateway.starts import request_hash, start_invited, start_open
from shared.ai.language import interview_language
from shared.contracts.consistency import HEADER, ConsistencyToken
from shared.contracts.events import (
    AnswerScored,
    AnswerSubmitted,
    AnswerSubmittedPayload,
    CandidateRequestMadePayload,
    Event,
    InterviewCompleted,
    InterviewEndRequested,
    InterviewEndRequestedPayload,
    ProcessingFailed,
    QuestionAnswer,
    QuestionGenerated,
    ReportGenerated,
    answer_key,
    time_per_answer,
    utc_now,
)
from shared.contracts.session_view import SessionView
from shared.platform.http_errors import Refusal
from shared.platform.http_types import SessionIdPath
from shared.platform.messaging import Broker

PRODUCER = "gateway"
MAX_JSON_BYTES = 64 * 1024
router = APIRouter(prefix="/api", tags=["interview"])


def limited(kind: str) -> params.Depends:
    """The per-client rate limit of one kind of AI work (start, answer, voice)."""

    async def check(request: Request) -> None:
        try:
            request.app.state.rate_limits[kind](request)
        except HTTPException as limited:  # the same 429, with a reason the candidate page says in its words
            raise Refusal(
                429, str(limited.detail), headers=dict(limited.headers or {}), reason="rate_limited"
            ) from None

    return params.Depends(check)


async def get_broker(request: Request) -> Broker:
    broker: Broker = request.app.state.broker
    return broker


async def get_sessions(request: Request) -> SessionRegistry:
    sessions: SessionRegistry = request.app.state.sessions
    return sessions


async def get_settings(request: Request) -> GatewaySettings:
    settings: GatewaySettings = request.app.state.settings
    return settings


async def get_recent_writes(request: Request) -> RecentWrites:
    recent_writes: RecentWrites = request.app.state.recent_writes
    return recent_writes


async def get_persistence(request: Request) -> PersistenceClient:
    persistence: PersistenceClient = request.app.state.persistence
    return persistence


async def presented_token(
    header: Annotated[CandidateToken | None, Header(alias="X-Candidate-Token")] = None,
    query: Annotated[CandidateToken | None, Query(alias="candidate_token")] = None,
) -> str | None:
    """The candidate's token, from the header (or the query: an EventSource cannot send headers)."""
    return header or query


BrokerDep = Annotated[Broker, Depends(get_broker)]
SessionsDep = Annotated[SessionRegistry, Depends(get_sessions)]
SettingsDep = Annotated[GatewaySettings, Depends(get_settings)]
RecentWritesDep = Annotated[RecentWrites, Depends(get_recent_writes)]
PersistenceDep = Annotated[PersistenceClient, Depends(get_persistence)]
PresentedTokenDep = Annotated[str | None, Depends(presented_token)]


def check_candidate(view: SessionView, token: str | None, settings: GatewaySettings) -> None:
    """The candidate's capability: needed by the interviews CANDIDATE_TOKEN_REQUIRED names (by default,
    those started from an invitation); a wrong token is refused everywhere. Interviews started before
    tokens existed have none to check."""
    if view.candidate_token_hash is None:
        return
    required = settings.candidate_token_required == "always" or (
        settings.candidate_token_required == "invitations" and view.context is not None
        and view.context.invitation_id is not None
    )  # fmt: skip
    if token is None and not required:
        return
    if not holds(token, view.candidate_token_hash):
        raise Refusal(
            403,
            "This interview needs the candidate token it started with (X-Candidate-Token); "
            "continue in the browser where the interview began.",
            reason="not_the_candidate",
        )


async def find_session(sessions: SessionRegistry, session_id: str) -> LiveSession:
    try:
        session = await sessions.get(session_id)
    except StoreUnavailable:
        raise Refusal(503, "Interview data is temporarily unavailable; please retry in a moment.",
                      reason="unavailable") from None  # fmt: skip
    if session is None or session.view.context is None:
        raise Refusal(404, f"No interview with session_id '{session_id}'", reason="unknown_interview")
    return session


async def session_from_path(sessions: SessionsDep, session_id: SessionIdPath) -> LiveSession:
    return await find_session(sessions, session_id)


SessionDep = Annotated[LiveSession, Depends(session_from_path)]


async def candidate_session_from_path(
    session: SessionDep, settings: SettingsDep, token: PresentedTokenDep
) -> LiveSession:
    check_candidate(session.view, token, settings)
    return session


CandidateSessionDep = Annotated[LiveSession, Depends(candidate_session_from_path)]


def acknowledged(response: JSONResponse, session: LiveSession, recent_writes: RecentWrites) -> JSONResponse:
    """A write's answer, with the consistency token of every event of the session it reflects: a read
    that sends it back (or any read through this gateway) shows them."""
    token = ConsistencyToken.of(session.session_id, session.fold.events)
    recent_writes.note(token)
    response.headers[HEADER] = token.encode()
    return response


@router.post(
    "/start-interview",
    dependencies=[limited("start")],
    response_model=StartInterviewResponse,
    responses={202: {"model": StartInterviewResponse, "description": "Started; the first question is still coming"}},
)
async def start_interview(
    body: StartInterviewRequest,
    broker: BrokerDep,
    sessions: SessionsDep,
    settings: SettingsDep,
    recent_writes: RecentWritesDep,
    persistence: PersistenceDep,
) -> JSONResponse:
    """The seed's body starts an interview on any job description (open mode); `{"invitation": <token>,
    "consent": true}` starts the one a recruiter invited the candidate to, with the position's settings."""
    title = None
    if body.invitation is not None:
        invitation = await usable_invitation(persistence, body.invitation, request_hash(body.request_id))
        session, token = await start_invited(body, invitation, broker, sessions)
        title = invitation.position_title
    elif not settings.open_interviews:
        raise Refusal(403, "Interviews here start from an invitation: open the link the hiring team sent you.",
                      reason="invitation_only")  # fmt: skip
    else:
        session, token = await start_open(body, broker, sessions, settings.candidate_report)
    await session.wait_until(
        lambda v: 1 in v.questions or v.failure_before_question is not None, settings.start_wait_seconds
    )
    view = session.view
    if 1 in view.questions:
        response = StartInterviewResponse(
            session_id=view.session_id, status="in_progress", question_number=1, total_questions=view.total_questions,
            question=view.questions[1], candidate_token=token, position_title=title, **pace(view),
        )  # fmt: skip
        return acknowledged(JSONResponse(response.model_dump(mode="json")), session, recent_writes)
    failure = view.failure_before_question
    pending = StartInterviewResponse(
        session_id=view.session_id,
        status="failed" if failure else "pending",
        total_questions=view.total_questions,
        message=failure.message if failure else "The first question is still being prepared; follow the live stream.",
        candidate_token=token,
        position_title=title,
        **pace(view),
    )
    return acknowledged(
        JSONResponse(pending.model_dump(mode="json", exclude_none=True), status_code=status.HTTP_202_ACCEPTED),
        session,
        recent_writes,
    )


@router.post("/invitation", dependencies=[limited("start")], response_model=InvitationDetails)
async def invitation_details(body: InvitationLookup, persistence: PersistenceDep) -> InvitationDetails:
    """What the candidate page shows for an invitation link before the interview starts; a clear 4xx
    for a link that is not valid, used, withdrawn, expired or for a closed position."""
    invitation = await usable_invitation(persistence, body.invitation)
    seconds = time_per_answer(invitation.position.get("answer_time_limit_seconds", 0), invitation.accommodations)
    return InvitationDetails(position_title=invitation.position_title, candidate_name=invitation.candidate_name,
                             total_questions=invitation.position["num_questions"],
                             expires_at=invitation.expires_at.isoformat(), seconds_per_answer=seconds,
                             accommodations=invitation.accommodations,
                             language=invited_language(None, invitation.position))  # fmt: skip


@router.post(
    "/submit-answer",
    dependencies=[limited("answer")],
    response_model=SubmitAnswerResponse,
    responses={
        202: {"description": "Accepted; the score is still coming (follow the live stream)"},
        404: {"description": "Unknown session"},
        409: {"description": "The interview has ended, or the question is not the open one"},
    },
)
async def submit_answer(
    body: SubmitAnswerRequest,
    broker: BrokerDep,
    sessions: SessionsDep,
    settings: SettingsDep,
    recent_writes: RecentWritesDep,
    token: PresentedTokenDep,
) -> JSONResponse:
    session = await find_session(sessions, body.session_id)
    check_candidate(session.view, body.candidate_token or token, settings)
    if body.question_number is None:
        body = body.model_copy(update={"question_number": addressed_question(session.view, body.answer)})
    # wait (outside the lock) until the question is asked, if it is still being prepared
    await session.wait_until(
        lambda v: (
            v.open_question_number is not None
            or v.is_closed
            or body.question_number in v.answers
            or v.failure_before_question is not None
        ),
        settings.start_wait_seconds,
    )
    async with session.lock:
        number = await _accept_answer(session, body, broker, sessions)
    total = session.view.total_questions

    def outcome_known(view: SessionView) -> bool:
        if view.failure_for_answer(number) is not None:
            return True
        if number not in view.scores:
            return False
        if number >= total or view.is_closed:
            return view.report is not None
        return number + 1 in view.questions

    await session.wait_until(outcome_known, settings.answer_wait_seconds)
    view = session.view
    scored = view.scores.get(number)
    failure = view.failure_for_answer(number)
    next_number = number + 1
    response = SubmitAnswerResponse(
        session_id=view.session_id,
        question_number=number,
        status="scored" if scored else "failed" if failure else "pending",
        message=failure.message if failure else None,
        score=score_shown(view, scored.score) if scored else None,
        feedback=feedback_shown(view, scored.feedback) if scored else None,
        completed=number >= total or view.is_closed,
        next_question=(
            NextQuestion(question_number=next_number, question=view.questions[next_number])
            if next_number in view.questions and next_number <= total and not view.is_closed
            else None
        ),
        report=report_shown(view),
        candidate_report=level(view),
    )
    status_code = 200 if scored else 202
    return acknowledged(JSONResponse(response.model_dump(mode="json"), status_code=status_code), session, recent_writes)


def addressed_question(view: SessionView, answer: str) -> int | None:
    """The question a submit without `question_number` (the seed's body) answers: the one open when it
    arrived; with none open, the last one answered if this is the same answer again (a request sent twice);
    else None: the next question, once it is asked. Never a question asked after it arrived, so the same
    request sent twice is not recorded as the answer to a question its sender never saw."""
    if view.open_question_number is not None:
        return view.open_question_number
    last = max(view.answers, default=None)
    return last if last is not None and view.answers[last].answer == answer else None


async def _accept_answer(
    session: LiveSession,
    body: SubmitAnswerRequest,
    broker: Broker,
    sessions: SessionRegistry,
) -> int:
    """Publish the answer to the open question; the number of the question answered."""
    view = session.view
    if body.question_number is not None and body.question_number in view.answers:
        if view.answers[body.question_number].answer != body.answer:
            raise Refusal(409, f"Question {body.question_number} has already been answered", reason="answered",
                          question_number=body.question_number)  # fmt: skip
        return body.question_number  # a retried request: report on the answer already accepted
    if view.is_closed:
        raise Refusal(409, "This interview has ended; no more answers are accepted", reason="ended")
    number = view.open_question_number
    if number is None:
        failure = view.failure_before_question  # its message is the failing service's own: no reason to word
        message = failure.message if failure else "The next question is still being prepared; please retry in a moment."
        raise Refusal(503, message, headers={"Retry-After": "2"}, **({} if failure else {"reason": "preparing"}))
    if body.question_number is not None and body.question_number != number:
        raise Refusal(409, f"Question {body.question_number} is not open; the open question is {number}",
                      reason="not_open", question_number=body.question_number, open_question=number)  # fmt: skip
    submitted = AnswerSubmitted.derived(
        session_id=view.session_id,
        producer=PRODUCER,
        key=answer_key(number, body.answer),
        payload=AnswerSubmittedPayload(
            question_number=number,
            question=view.questions[number],
            answer=body.answer,
            spoken=body.spoken,
            submitted_at=utc_now(),
            context=view.context,
            transcript=tuple(
                QuestionAnswer(question_number=n, question=view.questions.get(n, answer.question), answer=answer.answer)
                for n, answer in sorted(view.answers.items())
            ),
        ),
    )
    await publish(broker, sessions, submitted)
    return number


@router.post("/end-interview", dependencies=[limited("answer")], response_model=EndInterviewResponse)
async def end_interview(
    body: EndInterviewRequest,
    broker: BrokerDep,
    sessions: SessionsDep,
    settings: SettingsDep,
    recent_writes: RecentWritesDep,
    token: PresentedTokenDep,
) -> JSONResponse:
    session = await find_session(sessions, body.session_id)
    check_candidate(session.view, body.candidate_token or token, settings)
    async with session.lock:
        if not session.view.is_closed:
            requested = InterviewEndRequested.derived(
                session_id=body.session_id,
                producer=PRODUCER,
                payload=InterviewEndRequestedPayload(requested_at=utc_now()),
            )
            await publish(broker, sessions, requested)
    await session.wait_until(lambda v: v.report is not None or v.open_failure is not None, settings.answer_wait_seconds)
    view = session.view
    failure = view.open_failure
    response = EndInterviewResponse(
        session_id=view.session_id,
        status="completed" if view.report else "ending",
        completed=view.report is not None,
        report=report_shown(view),
        candidate_report=level(view),
        message=failure.message if failure and not view.report else None,
    )
    return acknowledged(JSONResponse(response.model_dump(mode="json")), session, recent_writes)


@router.get("/interview/{session_id}", response_model=CandidateSession)
async def candidate_session(session: CandidateSessionDep) -> CandidateSession:
    """The candidate's own interview so far: enough to resume after a reload."""
    return candidate_state(session.view)


def candidate_state(view: SessionView) -> CandidateSession:
    assert view.context is not None  # find_session answers 404 for a session without it
    open_number = view.open_question_number
    return CandidateSession(
        session_id=view.session_id,
        status="completed" if view.report else "ending" if view.is_closed else "in_progress",
        candidate_name=view.context.candidate_name,
        total_questions=view.total_questions,
        current_question=NextQuestion(
            question_number=open_number,
            question=view.questions[open_number],
            seconds_left=seconds_left(view, open_number),
        )
        if open_number
        else None,  # fmt: skip
        answers=[
            AnsweredQuestion(
                question_number=n,
                question=answer.question,
                answer=answer.answer,
                score=score_shown(view, view.scores[n].score) if n in view.scores else None,
                feedback=feedback_shown(view, view.scores[n].feedback) if n in view.scores else None,
                spoken=answer.spoken,
            )
            for n, answer in sorted(view.answers.items())
        ],
        report=report_shown(view),
        problem=view.open_failure.message if view.open_failure else None,
        candidate_report=level(view),
        how_assessed=how_assessed(view),
        revised_report=revised_report_shown(view),
        **pace(view),
        requests=[request_state(view, request) for request in view.requests.values()],
    )


def seconds_left(view: SessionView, number: int) -> int | None:
    """The open question's time left, counted from when it was asked (so a reload does not give it more)."""
    allowed = view.context.seconds_per_answer if view.context else 0
    asked = view.asked_at.get(number)
    if not allowed or asked is None:
        return None
    return max(0, round(allowed - (utc_now() - asked).total_seconds()))


def pace(view: SessionView) -> dict[str, Any]:
    """The candidate's time per answer, accommodations and language, for their page."""
    if view.context is None:
        return {}
    context = view.context
    return {"seconds_per_answer": context.seconds_per_answer, "accommodations": context.accommodations,
            "language": interview_language(context)}  # fmt: skip


def request_state(view: SessionView, request: CandidateRequestMadePayload) -> CandidateRequestState:
    resolution = view.resolutions.get(request.request_id)
    rescore = view.rescores.get(request.request_id)
    return CandidateRequestState(request_id=request.request_id, kind=request.kind,
                                 question_number=request.question_number,
                                 status=resolution.decision if resolution else "open",
                                 note=resolution.note if resolution else "",
                                 rescored_score=score_shown(view, rescore.score) if rescore else None)  # fmt: skip


CANDIDATE_EVENTS = (QuestionGenerated, AnswerScored, InterviewCompleted, ReportGenerated, ProcessingFailed)
STALE_CHECK_SECONDS = 5.0


@router.get("/interview/{session_id}/events", response_class=EventSourceResponse)
async def live_events(session: CandidateSessionDep, sessions: SessionsDep) -> AsyncIterator[ServerSentEvent]:
    """Server-Sent Events. First a `snapshot` (the same body as GET /api/interview/{id}),
    then each question, score and the report as they happen; the stream ends after the
    report. A reconnecting client gets a fresh snapshot, so nothing is missed whatever the
    replica or the order in which the services' events arrived."""
    queue = session.subscribe()  # subscribe and snapshot with no await between: no gap, no overlap
    try:
        yield ServerSentEvent(event="snapshot", data=candidate_state(session.view).model_dump(mode="json"))
        while session.view.report is None and not session.view.erased:
            try:
                event = await asyncio.wait_for(queue.get(), timeout=STALE_CHECK_SECONDS)
            except TimeoutError:
                if session.stale:  # the live queue may have missed events (broker reconnect)
                    with contextlib.suppress(StoreUnavailable):
                        await sessions.get(session.session_id)
                continue
            if isinstance(event, CANDIDATE_EVENTS):
                yield candidate_event(event, session.view)
        while not queue.empty():
            event = queue.get_nowait()
            if isinstance(event, CANDIDATE_EVENTS):
                yield candidate_event(event, session.view)
    finally:
        session.unsubscribe(queue)


def candidate_event(event: Event, view: SessionView) -> ServerSentEvent:
    data: dict[str, object]
    match event:
        case QuestionGenerated(payload=asked):
            data = {"question_number": asked.question_number, "question": asked.question,
                    "total_questions": view.total_questions}  # fmt: skip
        case AnswerScored(payload=scored):
            feedback = feedback_shown(view, scored.feedback)
            data = {"question_number": scored.question_number, "score": score_shown(view, scored.score),
                    "feedback": feedback.model_dump(mode="json") if feedback else None}  # fmt: skip
        case InterviewCompleted(payload=completed):
            data = {"reason": completed.reason, "ended_at": completed.ended_at.isoformat()}
        case ProcessingFailed(payload=failure):
            data = {"question_number": failure.question_number, "message": failure.message}
        case _:
            document = report_shown(view)
            data = {"report": document.model_dump(mode="json") if document else None, "candidate_report": level(view)}
    return ServerSentEvent(event=event.type, id=str(event.event_id), data={"session_id": event.session_id} | data)
