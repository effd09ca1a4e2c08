"""Not part of the public API (the gateway does not pass it through)."""

from typing import Any

from fastapi import APIRouter, HTTPException

from services.persistence.api.dependencies import SessionIdPath, StoreDep
from shared.events import encode_event

router = APIRouter(prefix="/internal", tags=["internal"])


@router.get("/sessions/{session_id}/events")
async def session_events(store: StoreDep, session_id: SessionIdPath) -> dict[str, Any]:
    """Every stored event of one session: how a gateway rebuilds a session."""
    events = await store.session_events(session_id)
    if not events:
        raise HTTPException(404, f"No events for session_id '{session_id}'")
    return {"session_id": session_id, "events": [encode_event(e).decode() for e in events]}


@router.get("/sessions/{session_id}/erased")
async def session_erased(store: StoreDep, session_id: SessionIdPath) -> dict[str, bool]:
    """Whether the session was erased: the exporter asks before exporting a report."""
    return {"erased": await store.is_erased(session_id)}
