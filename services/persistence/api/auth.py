"""Who is asking (docs/recruiting.md, "Accounts and roles"). A request names its caller by one of:

- `Authorization: Bearer <token>`: ADMIN_TOKEN (the bootstrap admin of every deployment), INTERNAL_TOKEN (the
  other services: a recruiter's reads, never a change nor a sign-in, and `/internal`, which nothing else may
  read once users exist; the gateway refuses it from outside) or a user's personal API token (stored as its
  sha256 only);
- the dashboard's sign-in cookie (HttpOnly, SameSite=Strict); a write sent with it must also carry
  `X-Requested-With: interviewer`, which a page of another site cannot add without the server's consent
  (no CORS here), so the cookie alone can never make a change (CSRF);
- nothing at all, only while no ADMIN_TOKEN is set and no user exists yet, and only from the machine it runs on
  (`on_this_machine`): a fresh machine opens to its operator (`make run` binds to loopback; elsewhere the first
  admin is made with `create-admin`, or ADMIN_TOKEN is set), never to the network.

Roles: `admin` does everything (users, erasure, webhooks, the audit log); `recruiter` positions,
invitations, reading and reviews; `reviewer` reads and reviews the interviews of the positions assigned to
them, and nothing else.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import socket
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, HTTPException, Request, params

from services.persistence.recruiting import UserDocument
from services.persistence.store import Store
from shared.contracts.events import Role
from shared.platform.addresses import address_in
from shared.platform.http_errors import Refusal
from shared.platform.http_types import POSITION_ID_REGEX
from shared.platform.settings import GATEWAY_TOKEN_HEADER

SIGN_IN_COOKIE = "interviewer_session"
CSRF_HEADER = "x-requested-with"
OIDC_CREDENTIAL = "oidc"  # what a single sign-on's sign-in was made with (no token of ours)
USERS_CHECK_SECONDS = 1.0  # how long "are there users yet?" is remembered
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


@dataclass(frozen=True)
class Actor:
    id: str  # a user's id, "admin-token" or "local"
    name: str  # how reviews and the audit log name them
    role: Role
    positions: frozenset[str] = field(default=frozenset())  # a reviewer's

    def may_read_position(self, position_id: str | None) -> bool:
        return self.role != "reviewer" or (position_id is not None and position_id in self.positions)


ADMIN_TOKEN_ACTOR = Actor("admin-token", "administrator (ADMIN_TOKEN)", "admin")
SERVICE_ACTOR = Actor("internal-token", "the services (INTERNAL_TOKEN)", "recruiter")
LOCAL_ACTOR = Actor("local", "local user (no sign-in configured)", "admin")


def token_hash(token: str) -> str:
    """The only form in which tokens (API, invitation, sign-in, candidate) are stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def user_actor(user: UserDocument) -> Actor:
    return Actor(user.user_id, user.name or user.email, user.role, frozenset(user.positions))


async def find_user(store: Store, key: str, value: str) -> UserDocument | None:
    records = await store.find_records("user", key, value)
    return UserDocument.model_validate(records[0].document) if records else None


async def users_exist(request: Request, store: Store) -> bool:
    cached = getattr(request.app.state, "users_exist", None)
    if cached is not None and (cached[0] or time.monotonic() - cached[1] < USERS_CHECK_SECONDS):
        return bool(cached[0])  # once there are users there always are (a user is deactivated, not deleted)
    exists = bool(await store.list_records("user"))
    request.app.state.users_exist = (exists, time.monotonic())
    return exists


async def identify(request: Request) -> Actor | None:
    """The caller, or None if the request carries no valid credentials."""
    store: Store = request.app.state.store
    admin_token = request.app.state.settings.admin_token
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    given = given.strip()
    if scheme.lower() == "bearer" and given:
        if admin_token and hmac.compare_digest(given.encode(), admin_token.get_secret_value().encode()):
            return ADMIN_TOKEN_ACTOR
        internal_token = request.app.state.settings.internal_token
        if internal_token and hmac.compare_digest(given.encode(), internal_token.get_secret_value().encode()):
            # the services read (the exporter's export, a shadow run); they change nothing through this API
            return SERVICE_ACTOR if request.method in SAFE_METHODS else None
        user = await find_user(store, "token", token_hash(given))
        return active_actor(request, user)
    cookie = request.cookies.get(SIGN_IN_COOKIE)
    if cookie:
        sign_in = await store.get_sign_in(token_hash(cookie))
        if sign_in is None or datetime.fromisoformat(sign_in.expires_at) < datetime.now(UTC):
            return None
        if request.method not in SAFE_METHODS and request.headers.get(CSRF_HEADER) != "interviewer":
            raise HTTPException(
                403, "A change made with the sign-in cookie needs the header 'X-Requested-With: interviewer'."
            )
        if sign_in.user_id == ADMIN_TOKEN_ACTOR.id:  # signed in with ADMIN_TOKEN: the one set now
            current = token_hash(admin_token.get_secret_value()) if admin_token else ""
            return ADMIN_TOKEN_ACTOR if current and hmac.compare_digest(sign_in.credential, current) else None
        if sign_in.credential == OIDC_CREDENTIAL:
            user = await find_user_by_id(store, sign_in.user_id)
        else:  # signed in with an API token: it must still be live (found by its hash), and theirs
            user = await find_user(store, "token", sign_in.credential) if sign_in.credential else None
            user = user if user is not None and user.user_id == sign_in.user_id else None
        return active_actor(request, user)
    if not admin_token and not await users_exist(request, store):
        if on_this_machine(request):
            return LOCAL_ACTOR
        request.state.open_on_this_machine_only = True
    return None


def on_this_machine(request: Request) -> bool:
    """Whether the caller is on the machine the service runs on: the address that reached this service and every
    address in its X-Forwarded-For (the gateway's, or a proxy's) are loopback. A private address is not enough
    (found by a security retest): a load balancer, Docker's port forwarding or a TCP relay hands on the internet's
    requests from one. A header is believed here only to refuse: whoever could write one can only shut themselves
    out. The gateway forwards `unknown` for a client behind a proxy whose client it cannot tell."""
    forwarded = [part.strip() for part in request.headers.get("x-forwarded-for", "").split(",") if part.strip()]
    peer = request.client.host if request.client else None
    ip = address_in(peer) if peer is not None else None
    if ip is None:  # no address: in process (a test's), no browser's
        return all(is_loopback(address) for address in forwarded)
    return ip.is_loopback and all(is_loopback(address) for address in forwarded) and addressed_here(request)


def addressed_here(request: Request) -> bool:
    """Whether every name the request was sent to is this machine's (DNS rebinding, found by a security retest:
    a page of another site whose name it makes resolve to 127.0.0.1 reaches the service from this machine's
    browser as its own origin, and its address is loopback). The names are the Host, the gateway's
    X-Forwarded-Host (the Host it was sent) and the Origin of the page that sent it. Taken as this machine's: a
    loopback address, `localhost` and the names under it (which browsers resolve to loopback themselves), and this
    machine's own name. Not any name of one label (a review found it): on a network that resolves them through a
    search domain, or spoofable ones (LLMNR), another's page can be served under one. Believed only to refuse,
    like X-Forwarded-For."""
    hosts = [request.headers.get("host", ""), *request.headers.get("x-forwarded-host", "").split(",")]
    origin = request.headers.get("origin")  # "null" (a sandboxed frame, a file) names no machine: refused
    origin_here = origin is None or this_machines_name(urlsplit(origin).netloc if "://" in origin else "")
    return origin_here and all(this_machines_name(host.strip()) for host in hosts if host.strip())


def this_machines_name(host: str) -> bool:
    """`host` (with its port, if any) names this machine to a browser here: see `addressed_here`."""
    try:
        name = (urlsplit(f"//{host}").hostname or "").rstrip(".")
    except ValueError:  # a port that is not a number, an unclosed bracket
        return False
    ip = address_in(name)
    if ip is not None:
        return ip.is_loopback  # ::ffff:127.0.0.1 and [::ffff:7f00:1] unwrapped by address_in
    name = name.casefold()
    return name == "localhost" or name.endswith(".localhost") or name == socket.gethostname().casefold()


def is_loopback(address: str) -> bool:
    ip = address_in(address)
    return ip is not None and ip.is_loopback


DEACTIVATED = "This account is deactivated: ask an admin to reactivate it."
OPEN_ON_THIS_MACHINE_ONLY = (
    "This interviewer has no users yet and no ADMIN_TOKEN, so it opens without signing in only on the machine it "
    "runs on, and you are reaching it from elsewhere. Create the first admin there (python -m services.persistence "
    "create-admin --email you@example.com, in the persistence container under Docker) and sign in with the token "
    "it prints, or set ADMIN_TOKEN on the services and sign in with that."
)


def active_actor(request: Request, user: UserDocument | None) -> Actor | None:
    """The user's actor while they are active; a deactivated one is noted, so that the refusal says why."""
    if user is not None and not user.active:
        request.state.deactivated = True
    return user_actor(user) if user and user.active else None


async def find_user_by_id(store: Store, user_id: str) -> UserDocument | None:
    record = await store.get_record("user", user_id)
    return UserDocument.model_validate(record.document) if record else None


async def current_actor(request: Request) -> Actor:
    actor = await identify(request)
    if actor is None:
        if getattr(request.state, "deactivated", False):
            message, reason = DEACTIVATED, "deactivated"
        elif getattr(request.state, "open_on_this_machine_only", False):
            message, reason = OPEN_ON_THIS_MACHINE_ONLY, "open_on_this_machine_only"
        else:
            message, reason = "Sign in, or send 'Authorization: Bearer <token>' (your API token, or ADMIN_TOKEN).", ""
        raise Refusal(401, message, headers={"WWW-Authenticate": "Bearer"}, **({"reason": reason} if reason else {}))
    request.state.actor = actor
    return actor


ActorDep = Annotated[Actor, Depends(current_actor)]


def requires(*roles: Role) -> params.Depends:
    """A dependency: the caller must have one of these roles."""

    async def check(actor: ActorDep) -> Actor:
        if actor.role not in roles:
            raise HTTPException(403, f"This needs the role {' or '.join(roles)}; you are signed in as a {actor.role}.")
        return actor

    return params.Depends(check)


async def known_position(request: Request) -> None:
    """A `position_id` that names no position is a 404 (found by API tests: figures of zero for a mistyped one, the
    analyses' and the adverse-impact monitor's, where its export said 404)."""
    position_id = request.query_params.get("position_id")
    if (
        position_id
        and re.fullmatch(POSITION_ID_REGEX, position_id)
        and not await request.app.state.store.get_record("position", position_id)
    ):
        raise HTTPException(404, f"No position with position_id '{position_id}'")


async def reading(request: Request, actor: ActorDep) -> Actor:
    """Reading the data: admins and recruiters read everything; a reviewer reads one interview of an
    assigned position, or the listings and figures of one (`position_id`), nothing across positions."""
    position_id = request.query_params.get("position_id")
    if actor.role != "reviewer":
        await known_position(request)
        return actor
    session_id = request.path_params.get("session_id")
    if session_id is not None:
        interview = await request.app.state.store.get_interview(session_id)
        if interview is None or actor.may_read_position(interview.position_id):
            return actor  # an unknown interview is the route's 404
        raise HTTPException(403, "This interview belongs to a position not assigned to you.")
    if request.url.path not in REVIEWER_LISTINGS:
        raise HTTPException(403, NOT_FOR_REVIEWERS)
    if not position_id:
        raise HTTPException(
            403, "A reviewer reads the interviews of their own positions: add position_id=<one of yours> to a listing."
        )
    if not actor.may_read_position(position_id):
        raise HTTPException(403, f"The position '{position_id}' is not assigned to you.")
    return actor


NOT_FOR_REVIEWERS = (
    "Reviewers read the interviews of their own positions (GET /api/data/interviews?position_id=…, its statistics "
    "and analyses, and one interview at a time); this endpoint needs the role recruiter or admin."
)


REVIEWER_LISTINGS = {
    "/api/data/interviews", "/api/data/statistics", "/api/data/analysis/top-performers",
    "/api/data/analysis/score-by-experience", "/api/data/analysis/common-weaknesses",
    "/api/data/analysis/question-effectiveness", "/api/data/analysis/score-distribution",
    "/api/data/analysis/interviews-over-time",
}  # fmt: skip
AdminDep = Annotated[Actor, requires("admin")]
RecruiterDep = Annotated[Actor, requires("admin", "recruiter")]


def _services_token(request: Request, given: str) -> bool:
    """`given` is INTERNAL_TOKEN or ADMIN_TOKEN (False when neither is set)."""
    settings = request.app.state.settings
    accepted = [token.get_secret_value().encode() for token in (settings.internal_token, settings.admin_token) if token]
    return any(hmac.compare_digest(given.strip().encode(), token) for token in accepted)


def forwarded_by_the_gateway(request: Request) -> bool:
    """The request came through the gateway, which vouches for its X-Forwarded-For with the services' token
    (GATEWAY_TOKEN_HEADER): anyone else reaching persistence directly could write any address there."""
    return _services_token(request, request.headers.get(GATEWAY_TOKEN_HEADER, ""))


async def require_internal(request: Request) -> None:
    """The services' own reads (`/internal`: every event of an interview, the webhooks' signing secrets): with
    INTERNAL_TOKEN or ADMIN_TOKEN set, one of them as the bearer token; with neither, only while the machine
    is open (no user yet), as the rest of the API."""
    settings = request.app.state.settings
    if settings.internal_token or settings.admin_token:
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and _services_token(request, given):
            return
        raise HTTPException(
            401, "This is the services' own API: send 'Authorization: Bearer <INTERNAL_TOKEN>'.",
            headers={"WWW-Authenticate": "Bearer"},
        )  # fmt: skip
    if await users_exist(request, request.app.state.store):
        raise HTTPException(
            401,
            "This is the services' own API and this machine has users: set the same INTERNAL_TOKEN on every "
            "service (make run sets one for its run).",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not on_this_machine(request):
        raise Refusal(
            401, OPEN_ON_THIS_MACHINE_ONLY, headers={"WWW-Authenticate": "Bearer"},
            reason="open_on_this_machine_only",
        )  # fmt: skip
