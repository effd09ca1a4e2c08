"""The gateway's HTTP client for the persistence service."""

from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any

import httpx

from shared.contracts.consistency import ConsistencyToken
from shared.contracts.events import Event, parse_event


class StoreUnavailable(RuntimeError):
    """The event store could not be asked about a session."""


def no_cookies() -> CookieJar:
    """A cookie jar that keeps nothing. The gateway passes its clients' cookies through, one request at a
    time: a jar would keep one person's sign-in cookie and send it with everyone's requests. (A jar, not
    httpx.Cookies, which a client would copy into a jar of its own that keeps everything.)"""
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))


class PersistenceClient:
    def __init__(self, base_url: str, internal_headers: dict[str, str] | None = None, timeout: float = 10.0) -> None:
        self.http = httpx.AsyncClient(base_url=base_url, timeout=timeout, cookies=no_cookies())
        self._internal_headers = internal_headers or {}

    async def session_events(self, session_id: str) -> list[Event] | None:
        response = await self.http.get(f"/internal/sessions/{session_id}/events", headers=self._internal_headers)
        if response.status_code == 404:
            return None
        response.raise_for_status()
        return [parse_event(raw) for raw in response.json()["events"]]

    async def is_completed(self, session_id: str) -> bool:
        response = await self.http.get(f"/internal/sessions/{session_id}/completed", headers=self._internal_headers)
        response.raise_for_status()
        return bool(response.json()["completed"])

    async def invitation(self, token_hash: str) -> dict[str, Any] | None:
        """The invitation whose token hashes to this, with its position; None if there is none."""
        try:
            response = await self.http.get(f"/internal/invitations/{token_hash}", headers=self._internal_headers)
        except httpx.HTTPError as error:
            raise StoreUnavailable(f"cannot ask about an invitation: {error!r}") from error
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise StoreUnavailable(f"asking about an invitation answered {response.status_code}")
        found: dict[str, Any] = response.json()
        return found

    async def reflected(self, tokens: list[ConsistencyToken], wait_seconds: float) -> set[str]:
        """The sessions of `tokens` whose read models reflect their token, once all do or after `wait_seconds`."""
        response = await self.http.post(
            "/internal/consistency",
            json={"tokens": [token.encode() for token in tokens], "wait_seconds": wait_seconds},
            headers=self._internal_headers,
            timeout=wait_seconds + 5.0,
        )
        response.raise_for_status()
        return set(response.json()["reflected"])

    async def is_ready(self) -> bool:
        try:
            return (await self.http.get("/healthz", timeout=2.0)).status_code == 200
        except httpx.HTTPError:
            return False

    async def close(self) -> None:
        await self.http.aclose()
