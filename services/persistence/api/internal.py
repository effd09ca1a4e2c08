"""Not part of the public API (the gateway does not pass it through)."""

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from services.persistence.api.dependencies import StoreDep
from services.persistence.consistency import not_yet_reflected
from services.persistence.recruiting import InvitationDocument
from shared.contracts.consistency import MAX_TOKENS, InvalidToken, parse_tokens
from shared.contracts.events import DemographicsProvided, encode_event
from shared.platform.http_types import SessionIdPath

router = APIRouter(prefix="/internal", tags=["internal"])


@router.get("/sessions/{session_id}/events")
async def session_events(store: StoreDep, session_id: SessionIdPath) -> dict[str, Any]:
    """Every stored event of one session: how a gateway rebuilds a session. But the candidate's
    self-identification, which no one but the adverse-impact analysis reads (docs/fairness.md)."""
    events = await store.session_events(session_id)
    if not events:
        raise HTTPException(404, f"No events for session_id '{session_id}'")
    shown = [e for e in events if not isinstance(e, DemographicsProvided)]
    return {"session_id": session_id, "events": [encode_event(e).decode() for e in shown]}


@router.get("/sessions/{session_id}/erased")
async def session_erased(store: StoreDep, session_id: SessionIdPath) -> dict[str, bool]:
    """Whether the session was erased: the exporter asks before exporting a report."""
    return {"erased": await store.is_erased(session_id)}


@router.get("/sessions/{session_id}/completed")
async def session_completed(store: StoreDep, session_id: SessionIdPath) -> dict[str, bool]:
    """Whether the session's InterviewCompleted is stored: how a gateway replica that does not serve an
    interview learns, in one small query, that the replica serving it completed it."""
    return {"completed": await store.is_completed(session_id)}


@router.get("/invitations/{token_hash}")
async def invitation_by_token(store: StoreDep, token_hash: str) -> dict[str, Any]:
    """The invitation whose token hashes to `token_hash`, with its position: how a gateway starts an
    interview from an invitation link."""
    records = await store.find_records("invitation", "token", token_hash)
    if not records:
        raise HTTPException(404, "No invitation with this token")
    invitation = InvitationDocument.model_validate(records[0].document)
    position = await store.get_record("position", invitation.position_id)
    if position is None:
        raise HTTPException(404, "The invitation's position is not known here")
    return {"invitation": invitation.model_dump(mode="json"), "position": position.document}


class ConsistencyCheck(BaseModel):
    tokens: Annotated[list[str], Field(max_length=MAX_TOKENS)]
    wait_seconds: Annotated[float, Field(ge=0, le=5)] = 0.0


@router.post("/consistency")
async def consistency(store: StoreDep, check: ConsistencyCheck) -> dict[str, list[str]]:
    """Which of these consistency tokens the read models reflect, after waiting up to `wait_seconds`
    for all of them: how a gateway learns that the writes it answered can be read."""
    try:
        tokens = parse_tokens(",".join(check.tokens))
    except InvalidToken as error:
        raise HTTPException(422, f"tokens: {error}") from None
    waiting = {token.session_id for token in await not_yet_reflected(store, tokens, check.wait_seconds)}
    return {
        "reflected": [t.session_id for t in tokens if t.session_id not in waiting],
        "waiting": sorted(waiting),
    }
