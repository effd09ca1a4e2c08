"""The gateway's writes: an event counts as accepted only once the broker confirmed it."""

from fastapi import HTTPException

from services.gateway.persistence_client import StoreUnavailable
from services.gateway.sessions import LiveSession, SessionRegistry
from shared.contracts.events import Event
from shared.platform.messaging import Broker, PublishFailed

NOT_CONFIRMED = (
    "The interview service could not record this because its message broker is unavailable. Please retry in a moment."
)


async def confirmed(broker: Broker, event: Event) -> None:
    try:
        await broker.publish(event)
    except PublishFailed:
        raise HTTPException(503, NOT_CONFIRMED) from None


async def publish(broker: Broker, sessions: SessionRegistry, event: Event) -> LiveSession:
    """Accept the event only once the broker confirmed it; then it is part of the session, whose events
    this replica hears from then on (what the event leads to: the first question, the score)."""
    try:
        await sessions.follow(event.session_id)
    except StoreUnavailable:
        raise HTTPException(503, NOT_CONFIRMED) from None
    await confirmed(broker, event)
    return await sessions.apply(event)
