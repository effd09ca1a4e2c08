"""Starting an interview: in open mode from the seed's body (safe to retry with a request_id), or from a
recruiter's invitation, with the position's settings (docs/recruiting.md)."""

from __future__ import annotations

import hashlib

from services.gateway.invitations import Invitation, candidate_token, invited_language, token_hash, used_refusal
from services.gateway.persistence_client import StoreUnavailable
from services.gateway.publishing import confirmed, publish
from services.gateway.schemas import StartInterviewRequest
from services.gateway.sessions import LiveSession, SessionRegistry
from shared.ai.language import interview_language, job_language
from shared.contracts.events import (
    CandidateReport,
    InterviewContext,
    InterviewStarted,
    InterviewStartedPayload,
    InvitationAccepted,
    InvitationAcceptedPayload,
    utc_now,
)
from shared.contracts.session_ids import invitation_session_id, session_id_for
from shared.platform.http_errors import Refusal
from shared.platform.messaging import Broker

PRODUCER = "gateway"


async def start_open(
    body: StartInterviewRequest, broker: Broker, sessions: SessionRegistry, candidate_report: CandidateReport = "full"
) -> tuple[LiveSession, str]:
    """The seed's start: the interview and the candidate's token."""
    assert body.job_description is not None and body.candidate_name is not None and body.experience_years is not None
    token = candidate_token(body.request_id)
    payload = InterviewStartedPayload(
        candidate_name=body.candidate_name,
        candidate_experience=body.experience_years,
        job_description=body.job_description,
        difficulty=body.difficulty,
        total_questions=body.num_questions,
        started_at=utc_now(),
        candidate_token_hash=token_hash(token),
        candidate_report=candidate_report,
        language=body.language or job_language(body.job_description),
    )
    if body.request_id is None:
        session_id = await sessions.new_session_id()
        started = InterviewStarted.create(session_id=session_id, producer=PRODUCER, payload=payload)
        return await publish(broker, sessions, started), token
    return await start_once(body.request_id, payload, broker, sessions), token


async def start_once(
    request_id: str, payload: InterviewStartedPayload, broker: Broker, sessions: SessionRegistry
) -> LiveSession:
    """A start that may be a retry: the request id fixes the session id and the event id, so a second
    request finds the interview the first one began (or, racing it, publishes the same event, which
    every consumer takes once)."""
    session_id = session_id_for(request_id)
    existing = await existing_session(sessions, session_id)
    if existing is not None and existing.view.erased:
        raise Refusal(409, "This request_id belongs to an erased interview; make a new one for each start.",
                      reason="request_erased")  # fmt: skip
    if existing is not None and existing.view.context is not None:
        moment = {"started_at"}  # everything else the retry asks for must match
        asked = InterviewContext.model_validate(payload, from_attributes=True)
        began = existing.view.context  # started before interviews recorded their language: the one it had
        began = began.model_copy(update={"language": interview_language(began)})
        if asked.model_dump(exclude=moment) != began.model_dump(exclude=moment):
            raise Refusal(409, "This request_id belongs to another interview; make a new one for each start.",
                          reason="request_reused")  # fmt: skip
        return existing
    started = InterviewStarted.derived(session_id=session_id, producer=PRODUCER, payload=payload)
    return await publish(broker, sessions, started)


EXPERIENCE_MISSING = (
    "experience_years is required: the candidate's years of experience (0 to 60), which the questions are pitched to "
    "and the report states"
)


async def start_invited(
    body: StartInterviewRequest, invitation: Invitation, broker: Broker, sessions: SessionRegistry
) -> tuple[LiveSession, str]:
    """One interview per invitation: its session and event ids come from the invitation (the first of its line,
    for a new link), so two starts at once (two browsers, a retry, or the old link and its new one) publish the
    same events and start one interview."""
    assert body.invitation is not None
    name = invitation.candidate_name or body.candidate_name
    if not name:
        raise Refusal(422, "candidate_name: your name is needed (the invitation does not give it)",
                      reason="name_missing")  # fmt: skip
    token = candidate_token(f"{body.invitation}/{body.request_id}" if body.request_id else None)
    session_id = invitation_session_id(invitation.first_invitation_id)  # a new link's: its line's
    async with sessions.starting(session_id):
        session = await existing_session(sessions, session_id)
        if session is None or session.view.context is None:
            if body.experience_years is None:  # found by a newcomer's test: left out, the report said "0 years"
                raise Refusal(422, EXPERIENCE_MISSING, reason="experience_missing",
                              language=invited_language(None, invitation.position))  # fmt: skip
            position = invitation.position
            payload = InterviewStartedPayload(
                candidate_name=name, candidate_experience=body.experience_years,
                job_description=position["job_description"], difficulty=position["difficulty"],
                total_questions=position["num_questions"], started_at=utc_now(), position_id=invitation.position_id,
                invitation_id=invitation.invitation_id, must_ask=tuple(position["must_ask"]), rubric=position["rubric"],
                candidate_report=position.get("candidate_report", "full"), candidate_token_hash=token_hash(token),
                answer_time_limit_seconds=position.get("answer_time_limit_seconds", 0),
                accommodations=invitation.accommodations, language=invited_language(body.language, position),
            )  # fmt: skip
            started = InterviewStarted.derived(session_id=session_id, producer=PRODUCER, payload=payload)
            session = await publish(broker, sessions, started)
        if session.view.candidate_token_hash != token_hash(token):  # another start of this link came first
            raise used_refusal(invitation.position)
        accepted = InvitationAcceptedPayload(
            interview_session_id=session_id, accepted_at=utc_now(), request_hash=request_hash(body.request_id)
        )
        await confirmed(broker, InvitationAccepted.derived(session_id=invitation.invitation_id, producer=PRODUCER,
                                                           payload=accepted))  # fmt: skip
    return session, token


def request_hash(request_id: str | None) -> str:
    """What the invitation keeps of the start that used it: its retry (same request_id) finds the
    interview again, any other start is told the invitation was used."""
    return hashlib.sha256(f"start/{request_id}".encode()).hexdigest() if request_id else ""


async def existing_session(sessions: SessionRegistry, session_id: str) -> LiveSession | None:
    try:
        return await sessions.get(session_id)
    except StoreUnavailable:
        return None  # publishing again is safe: the same event id
