"""Single sign-on for the dashboard with OpenID Connect (the authorization code flow), for companies whose
people sign in at their identity provider (docs/recruiting.md). Set OIDC_ISSUER, OIDC_CLIENT_ID and
OIDC_CLIENT_SECRET, and register `<PUBLIC_URL>/api/auth/oidc/callback` as the redirect URI at the provider.
A person signs in as the active user with their verified e-mail; nobody is created by signing in."""

from __future__ import annotations

import secrets
import time
from typing import Annotated, Any
from urllib.parse import urlencode

import httpx
import jwt
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import RedirectResponse

from services.persistence.api.auth import OIDC_CREDENTIAL, find_user, user_actor
from services.persistence.api.dependencies import StoreDep
from services.persistence.api.users import start_sign_in

router = APIRouter(prefix="/api/auth/oidc", tags=["accounts"])
STATE_COOKIE = "interviewer_oidc"
STATE_SECONDS = 600
DISCOVERY_SECONDS = 3600


class Provider:
    """The identity provider's endpoints and keys, from its discovery document (kept an hour)."""

    def __init__(self, issuer: str) -> None:
        self.issuer = issuer.rstrip("/")
        self._configuration: dict[str, Any] | None = None
        self._fetched = 0.0

    async def configuration(self) -> dict[str, Any]:
        if self._configuration is None or time.monotonic() - self._fetched > DISCOVERY_SECONDS:
            self._configuration = await fetch_json(f"{self.issuer}/.well-known/openid-configuration")
            self._fetched = time.monotonic()
        return self._configuration

    async def signing_key(self, kid: str | None) -> Any:
        keys = (await fetch_json((await self.configuration())["jwks_uri"]))["keys"]
        for key in keys:
            if kid is None or key.get("kid") == kid:
                return jwt.PyJWK(key).key
        raise HTTPException(401, "The identity provider's token is signed with a key it does not publish.")


async def fetch_json(url: str, **post: Any) -> dict[str, Any]:
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            response = await (client.post(url, data=post) if post else client.get(url))
    except httpx.HTTPError as error:
        raise HTTPException(503, f"The identity provider is not reachable: {type(error).__name__}.") from None
    if response.status_code != 200:
        raise HTTPException(502, f"The identity provider answered {response.status_code}.")
    found: dict[str, Any] = response.json()
    return found


def provider_of(request: Request) -> Provider:
    settings = request.app.state.settings
    if not settings.oidc_configured:
        raise HTTPException(404, "Single sign-on is not configured here: sign in with your API token.")
    provider: Provider | None = getattr(request.app.state, "oidc_provider", None)
    if provider is None or provider.issuer != settings.oidc_issuer.rstrip("/"):
        provider = request.app.state.oidc_provider = Provider(settings.oidc_issuer)
    return provider


def callback_url(request: Request) -> str:
    public_url: str = request.app.state.settings.public_url
    return public_url.rstrip("/") + "/api/auth/oidc/callback"


@router.get("/start")
async def start(request: Request) -> RedirectResponse:
    """To the identity provider's sign-in page; it sends the browser back to the callback."""
    provider = provider_of(request)
    configuration = await provider.configuration()
    state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    query = urlencode({"response_type": "code", "client_id": request.app.state.settings.oidc_client_id,
                       "redirect_uri": callback_url(request), "scope": "openid email profile", "state": state,
                       "nonce": nonce})  # fmt: skip
    response = RedirectResponse(f"{configuration['authorization_endpoint']}?{query}", status_code=302)
    # Lax, not Strict: the provider's redirect back is a navigation from its site
    response.set_cookie(STATE_COOKIE, f"{state}.{nonce}", max_age=STATE_SECONDS, httponly=True, samesite="lax",
                        path="/api/auth/oidc")  # fmt: skip
    return response


@router.get("/callback")
async def callback(
    request: Request,
    store: StoreDep,
    code: Annotated[str | None, Query(max_length=2000)] = None,
    state: Annotated[str | None, Query(max_length=200)] = None,
    error: Annotated[str | None, Query(max_length=200)] = None,
) -> RedirectResponse:
    """The provider sends the browser here with a code: exchanged for an ID token, whose signature, issuer,
    audience, expiry and nonce are checked; its verified e-mail names the user, who is signed in."""
    provider = provider_of(request)
    settings = request.app.state.settings
    expected_state, _, nonce = (request.cookies.get(STATE_COOKIE) or "").partition(".")
    if error is not None:
        return to_dashboard(f"The identity provider refused the sign-in ({error}).")
    if not code or not state or not expected_state or not secrets.compare_digest(state, expected_state):
        raise HTTPException(400, "This sign-in link is stale or was not started here: start the sign-in again.")
    configuration = await provider.configuration()
    tokens = await fetch_json(configuration["token_endpoint"], grant_type="authorization_code", code=code,
                              redirect_uri=callback_url(request), client_id=settings.oidc_client_id,
                              client_secret=settings.oidc_client_secret.get_secret_value())  # fmt: skip
    id_token = str(tokens.get("id_token", ""))
    try:
        header = jwt.get_unverified_header(id_token)
        claims = jwt.decode(id_token, await provider.signing_key(header.get("kid")), algorithms=["RS256", "ES256"],
                            audience=settings.oidc_client_id, issuer=provider.issuer,
                            options={"require": ["exp", "iat", "iss", "aud", "sub"]})  # fmt: skip
    except jwt.PyJWTError as failure:
        raise HTTPException(401, f"The identity provider's token does not hold: {failure}.") from None
    if not nonce or not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
        raise HTTPException(401, "The identity provider's token was not issued for this sign-in.")
    email = str(claims.get("email", ""))
    if not email or claims.get("email_verified") not in (True, "true"):  # a claim left out proves nothing
        return to_dashboard("The identity provider did not give a verified e-mail address.")
    user = await find_user(store, "email", email.casefold())
    if user is None or not user.active:
        return to_dashboard(f"No active user has the e-mail {email} here: ask an admin to add you.")
    response = to_dashboard(None)
    await start_sign_in(store, response, user.user_id, credential=OIDC_CREDENTIAL)
    response.delete_cookie(STATE_COOKIE, path="/api/auth/oidc")
    request.state.actor = user_actor(user)
    return response


def to_dashboard(problem: str | None) -> RedirectResponse:
    return RedirectResponse("/dashboard" + (f"?sign_in_error={urlencode({'m': problem})[2:]}" if problem else ""), 302)
