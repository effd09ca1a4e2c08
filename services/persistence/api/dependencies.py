import hmac
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request

from services.persistence.settings import PersistenceSettings
from services.persistence.store import Store
from shared.messaging import Broker

SessionIdPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$", description="The interview's session id")]


def get_store(request: Request) -> Store:
    return request.app.state.store


def get_broker(request: Request) -> Broker:
    return request.app.state.broker


def get_settings(request: Request) -> PersistenceSettings:
    return request.app.state.settings


StoreDep = Annotated[Store, Depends(get_store)]
BrokerDep = Annotated[Broker, Depends(get_broker)]


def require_admin(request: Request) -> None:
    """With ADMIN_TOKEN set, every /api/data request needs `Authorization: Bearer <token>`."""
    token = get_settings(request).admin_token
    if not token:
        return
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.get_secret_value().encode()):
        raise HTTPException(
            401,
            "This data needs an admin token: send 'Authorization: Bearer <ADMIN_TOKEN>'.",
            headers={"WWW-Authenticate": "Bearer"},
        )


def as_utc(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment.astimezone(UTC) if moment else None
    return moment.replace(tzinfo=UTC)


def check_range(name: str, low: float | datetime | None, high: float | datetime | None) -> None:
    if low is not None and high is not None and low > high:
        raise HTTPException(422, f"{name}: the lower bound ({low}) is above the upper bound ({high})")
