"""The admin token: with ADMIN_TOKEN set, recruiter endpoints need `Authorization: Bearer <token>`."""

import hmac

from fastapi import HTTPException, Request
from pydantic import SecretStr


async def require_admin(request: Request) -> None:
    """A dependency; the app keeps its settings (with `admin_token`) in `app.state.settings`."""
    token: SecretStr | None = request.app.state.settings.admin_token
    if not token:
        return
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.get_secret_value().encode()):
        raise HTTPException(
            401,
            "This data needs an admin token: send 'Authorization: Bearer <ADMIN_TOKEN>'.",
            headers={"WWW-Authenticate": "Bearer"},
        )
