"""The read API (`/api/data`, the seed's endpoints) and the internal event read used by
the gateway to rebuild a session."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from pydantic import BaseModel

from services.persistence.store import StatusFilter, Store
from shared.events import encode_event
from shared.interview_document import InterviewDocument

SessionIdPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$", description="The interview's session id")]


def get_store(request: Request) -> Store:
    return request.app.state.store


StoreDep = Annotated[Store, Depends(get_store)]


class InterviewPage(BaseModel):
    total: int
    limit: int
    offset: int
    interviews: list[InterviewDocument]


class Statistics(BaseModel):
    total_interviews: int
    average_score: float
    total_questions: int
    total_answers: int
    interviews_in_progress: int


data = APIRouter(prefix="/api/data", tags=["data"])


@data.get("/interviews", response_model=InterviewPage)
async def list_interviews(
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=1000, description="Page size")] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
    status: Annotated[
        StatusFilter, Query(description="Completed interviews (the seed's data set) by default")
    ] = "completed",
) -> dict[str, Any]:
    total, interviews = await store.list_interviews(status, limit, offset)
    return {"total": total, "limit": limit, "offset": offset, "interviews": interviews}


@data.get("/statistics", response_model=Statistics)
async def statistics(store: StoreDep) -> dict[str, Any]:
    return await store.statistics()


@data.get("/interview/{session_id}", response_model=InterviewDocument)
async def get_interview(store: StoreDep, session_id: SessionIdPath) -> dict[str, Any]:
    interview = await store.get_interview(session_id)
    if interview is None:
        raise HTTPException(404, f"No interview with session_id '{session_id}'")
    return interview


internal = APIRouter(prefix="/internal", tags=["internal"])


@internal.get("/sessions/{session_id}/events")
async def session_events(store: StoreDep, session_id: SessionIdPath) -> dict[str, Any]:
    """Every stored event of one session, oldest first: how a gateway rebuilds a session."""
    events = await store.session_events(session_id)
    if not events:
        raise HTTPException(404, f"No events for session_id '{session_id}'")
    return {"session_id": session_id, "events": [encode_event(e).decode() for e in events]}
