from datetime import UTC, date, datetime, time
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Query, Request

from services.persistence.store import Store
from shared.messaging import Broker

SearchText = Annotated[str, Query(max_length=500, pattern=r"^[^\x00]*$", description="Contains (any case)")]
SessionIdPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$", description="The interview's session id")]


async def get_store(request: Request) -> Store:
    return request.app.state.store


async def get_broker(request: Request) -> Broker:
    return request.app.state.broker


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


def check_range(name: str, low: float | datetime | None, high: float | datetime | None) -> None:
    if low is not None and high is not None and low > high:
        raise HTTPException(422, f"{name}: the lower bound ({low}) is above the upper bound ({high})")
