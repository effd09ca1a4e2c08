from datetime import UTC, date, datetime, time
from typing import Annotated, TypeVar

from fastapi import Depends, Header, HTTPException, Query, Request

from services.persistence.consistency import not_yet_reflected
from services.persistence.store import Store
from shared.contracts.consistency import HEADER, InvalidToken, parse_tokens
from shared.platform.messaging import Broker

Bound = TypeVar("Bound", float, datetime)
SearchText = Annotated[str, Query(max_length=500, pattern=r"^[^\x00]*$", description="Contains (any case)")]


async def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


async def get_broker(request: Request) -> Broker:
    broker: Broker = request.app.state.broker
    return broker


StoreDep = Annotated[Store, Depends(get_store)]
BrokerDep = Annotated[Broker, Depends(get_broker)]


def moment(name: str, value: str | None, *, end_of_day: bool = False) -> datetime | None:
    """An ISO 8601 date or datetime from a query parameter, in UTC (UTC if it names no offset).
    A date alone means the start of that day, or its end for an upper bound."""
    if value is None:
        return None
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            clock = time.max if end_of_day else time.min
            return datetime.combine(day, clock, tzinfo=UTC)
        parsed = datetime.fromisoformat(value)
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)
    except (ValueError, OverflowError):
        raise HTTPException(422, f"{name}: '{value}' is not an ISO 8601 date or date-time (e.g. 2026-11-25)") from None


def check_range(name: str, low: Bound | None, high: Bound | None) -> None:
    if low is not None and high is not None and low > high:
        raise HTTPException(422, f"{name}: the lower bound ({low}) is above the upper bound ({high})")


async def consistent_read(
    request: Request,
    store: StoreDep,
    token: Annotated[
        str | None,
        Header(
            alias=HEADER,
            description="The X-Consistency-Token of your write's response (several, comma-separated): the "
            "read waits until it shows those writes",
        ),
    ] = None,
) -> None:
    """A read that names the writes it must show waits for them (bounded), then says 503 and Retry-After
    rather than answer without them."""
    if not token:
        return
    try:
        tokens = parse_tokens(token)
    except InvalidToken as error:
        raise HTTPException(400, f"{HEADER}: {error}") from None
    waiting = await not_yet_reflected(store, tokens, request.app.state.settings.consistency_wait_seconds)
    if waiting:
        raise HTTPException(
            503,
            "The data service has not applied your latest change yet (interview "
            f"{', '.join(t.session_id for t in waiting[:5])}); retry in a moment.",
            headers={"Retry-After": "1"},
        )
