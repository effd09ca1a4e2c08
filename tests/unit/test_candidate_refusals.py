"""The refusals a candidate can meet carry a stable `reason` (and what fills its words) beside the English message
that stays as it was: the candidate page says them in the interview's language (words.js, `sayRefusal`)."""

import httpx
import pytest
from fastapi import FastAPI

from services.gateway.invitations import usable_invitation
from services.gateway.routes import SubmitAnswerRequest, _accept_answer, find_session, limited
from services.gateway.sessions import SessionRegistry
from shared.platform.http_errors import Refusal, install_error_handlers
from shared.platform.ratelimit import RateLimit
from tests.factories import interview_events


async def registry_with(*events_of: list) -> SessionRegistry:
    stored = {events[0].session_id: events for events in events_of}

    async def event_source(session_id: str) -> list:
        return stored.get(session_id, [])

    registry = SessionRegistry(event_source)
    for events in events_of:
        for event in events:
            await registry.apply(event)
    return registry


def answer(session_id: str, number: int, text: str = "Another answer altogether.") -> SubmitAnswerRequest:
    return SubmitAnswerRequest(session_id=session_id, answer=text, question_number=number)


async def refusal_of(registry: SessionRegistry, body: SubmitAnswerRequest) -> Refusal:
    session = await find_session(registry, body.session_id)
    with pytest.raises(Refusal) as refused:
        await _accept_answer(session, body, broker=None, sessions=registry)  # type: ignore[arg-type]
    return refused.value


async def test_an_answer_to_a_question_already_answered_says_which():
    registry = await registry_with(interview_events("s0000001", (8,), 3, complete=False))
    refused = await refusal_of(registry, answer("s0000001", 1))
    assert (refused.status_code, refused.detail) == (409, "Question 1 has already been answered")
    assert refused.fields == {"reason": "answered", "question_number": 1}


async def test_an_answer_to_an_ended_interview_is_refused_with_its_reason():
    registry = await registry_with(interview_events("s0000002", (8,), 3, end_early=True))
    refused = await refusal_of(registry, answer("s0000002", 2))
    assert (refused.status_code, refused.fields) == (409, {"reason": "ended"})
    assert refused.detail == "This interview has ended; no more answers are accepted"


async def test_an_answer_to_a_question_not_yet_open_names_the_open_one():
    started = interview_events("s0000003", (8,), 3, complete=False)[:2]  # question 1 asked, not answered
    registry = await registry_with(started)
    refused = await refusal_of(registry, answer("s0000003", 3))
    assert refused.status_code == 409
    assert refused.fields == {"reason": "not_open", "question_number": 3, "open_question": 1}


async def test_an_answer_while_the_next_question_is_prepared_asks_to_retry_with_a_reason():
    registry = await registry_with(interview_events("s0000004", (8,), 3, complete=False))  # question 2 not asked
    refused = await refusal_of(registry, SubmitAnswerRequest(session_id="s0000004", answer="x"))
    assert (refused.status_code, refused.fields, refused.headers) == (
        503,
        {"reason": "preparing"},
        {"Retry-After": "2"},
    )


def candidate_app(registry: SessionRegistry) -> FastAPI:
    """The error handlers, the answers' rate limit (one a minute) and the interview's lookup, as the gateway has them."""
    app = FastAPI()
    install_error_handlers(app)
    app.state.rate_limits = {"answer": RateLimit(1, "answers")}

    @app.post("/answer/{session_id}", dependencies=[limited("answer")])
    async def answer_to(session_id: str) -> dict[str, str]:
        await find_session(registry, session_id)
        return {}

    @app.get("/answered")
    async def answered() -> None:
        raise Refusal(409, "Question 1 has already been answered", reason="answered", question_number=1)

    return app


async def test_the_bodies_keep_their_message_and_detail_and_add_the_reason():
    app = candidate_app(await registry_with(interview_events("s0000005", (8,), 3, complete=False)))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        unknown = await client.post("/answer/s0009999")
        limited_ = await client.post("/answer/s0000005")
        answered = await client.get("/answered")
    assert unknown.status_code == 404
    assert unknown.json() == {"error": "not_found", "message": "No interview with session_id 's0009999'",
                              "detail": "No interview with session_id 's0009999'", "reason": "unknown_interview"}  # fmt: skip
    assert limited_.status_code == 429 and limited_.headers["Retry-After"] == "60"
    assert limited_.json()["reason"] == "rate_limited" and limited_.json()["error"] == "too_many_requests"
    assert limited_.json()["detail"].startswith("Too many answers from this address")
    assert answered.json() == {"error": "conflict", "message": "Question 1 has already been answered",
                               "detail": "Question 1 has already been answered", "reason": "answered",
                               "question_number": 1}  # fmt: skip


class NoInvitations:
    async def invitation(self, token_hash: str) -> None:
        return None


async def test_an_unknown_invitation_link_is_refused_with_a_reason_and_no_language():
    with pytest.raises(Refusal) as refused:
        await usable_invitation(NoInvitations(), "t" * 32)  # type: ignore[arg-type]
    assert refused.value.status_code == 404 and refused.value.fields == {"reason": "invalid"}
    assert str(refused.value.detail).startswith("This invitation link is not valid")
