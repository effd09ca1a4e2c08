"""Erasure (GDPR Art. 17): everything of one candidate goes, everywhere."""

from typing import Any

from fastapi import APIRouter, HTTPException, Response

from services.persistence.api.auth import AdminDep
from services.persistence.api.dependencies import BrokerDep, StoreDep
from services.persistence.handlers import record_event
from services.persistence.recruiting import kind_of
from shared.contracts.consistency import HEADER, ConsistencyToken
from shared.contracts.events import InterviewErased, InterviewErasedPayload, utc_now
from shared.platform.http_types import SessionIdPath
from shared.platform.messaging import PublishFailed

router = APIRouter(prefix="/api/data", tags=["erasure"])


@router.delete("/interview/{session_id}")
async def erase_interview(
    session_id: SessionIdPath, store: StoreDep, broker: BrokerDep, response: Response, actor: AdminDep
) -> dict[str, Any]:
    """Delete the interview's events and every read-model row, and tell the other services
    (the exporter removes its Sheets rows). Repeating it is harmless and finishes an erasure that
    was interrupted."""
    if kind_of(session_id) is not None or not await store.session_events(session_id):  # a position, a user ...
        raise HTTPException(404, f"No interview with session_id '{session_id}'")
    erased = InterviewErased.derived(
        session_id=session_id, producer="persistence", payload=InterviewErasedPayload(requested_at=utc_now())
    )
    try:
        await broker.publish(erased)
    except PublishFailed:
        raise HTTPException(
            503, "The erasure could not be recorded (message broker unavailable); nothing was deleted. Retry shortly."
        ) from None
    await record_event(store, erased)
    response.headers[HEADER] = ConsistencyToken.of(session_id, [erased.event_id]).encode()
    return {"session_id": session_id, "erased": True}
