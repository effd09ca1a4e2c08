"""Accounts (docs/recruiting.md, "Accounts and roles"): admins create users and give them a role; each
user has personal API tokens (shown once, stored as sha256) and signs in to the dashboard with one, which
sets an HttpOnly, SameSite=Strict session cookie. Users, roles and tokens are events like the rest."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from services.persistence.api.auth import (
    DEACTIVATED,
    LOCAL_ACTOR,
    SIGN_IN_COOKIE,
    ActorDep,
    AdminDep,
    find_user,
    find_user_by_id,
    identify,
    token_hash,
)
from services.persistence.api.dependencies import BrokerDep, StoreDep
from services.persistence.api.writes import one_at_a_time, publish_and_record
from services.persistence.recruiting import UserDocument
from services.persistence.rows import SignIn
from services.persistence.settings import PersistenceSettings
from services.persistence.store import Store
from shared.contracts.events import (
    ApiTokenIssued,
    ApiTokenIssuedPayload,
    ApiTokenRevoked,
    ApiTokenRevokedPayload,
    Event,
    Role,
    UserCreated,
    UserCreatedPayload,
    UserUpdated,
    UserUpdatedPayload,
    new_id,
    utc_now,
)
from shared.contracts.text_input import EmailAddress, OptionalName, PlainText

router = APIRouter(tags=["accounts"])
PRODUCER = "persistence"
SIGN_IN_HOURS = 12
Label = Annotated[str, StringConstraints(max_length=100), PlainText]
Positions = Annotated[list[Annotated[str, StringConstraints(pattern=r"^pos-[a-z0-9]{1,40}$")]], Field(max_length=500)]
FIRST_USER_IS_AN_ADMIN = (
    "The first user must be an admin: open access ends with the first user and from then on everyone signs in, "
    "so without an admin nobody could manage users any more. Create an admin first (role admin), then the others."
)


class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    email: EmailAddress
    name: OptionalName = ""  # shown as a reviewer's, on one line
    role: Role
    positions: Positions = Field(default_factory=list, description="A reviewer's positions")


class UserPatch(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: OptionalName | None = None
    role: Role | None = None
    positions: Positions | None = None
    active: bool | None = Field(None, strict=True)


class TokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    label: Label = ""


class SignInBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    token: Annotated[str, StringConstraints(min_length=1, max_length=200)]


def new_token() -> tuple[str, str]:
    """A personal API token (256 bits) and its id; the store keeps its sha256 only."""
    return f"itk_{secrets.token_urlsafe(32)}", new_id("tok")


async def user_of(store: Store, user_id: str) -> UserDocument:
    user = await find_user_by_id(store, user_id) if user_id.startswith("usr-") else None
    if user is None:
        raise HTTPException(404, f"No user with user_id '{user_id}'")
    return user


async def check_positions(store: Store, positions: list[str]) -> None:
    for position_id in positions:
        if await store.get_record("position", position_id) is None:
            raise HTTPException(422, f"positions: no position with position_id '{position_id}'")


def create_user_events(body: UserIn, created_by: str) -> tuple[list[Event], str]:
    """A new user and their first API token (returned: shown once)."""
    user_id, now = new_id("usr"), utc_now()
    token, token_id = new_token()
    created = UserCreatedPayload(user_id=user_id, created_by=created_by, created_at=now, **body.model_dump())
    issued = ApiTokenIssuedPayload(token_id=token_id, token_hash=token_hash(token), label="first token", issued_at=now)
    return [
        UserCreated.create(session_id=user_id, producer=PRODUCER, payload=created),
        ApiTokenIssued.create(session_id=user_id, producer=PRODUCER, payload=issued),
    ], token


@router.get("/api/users")
async def list_users(store: StoreDep, actor: AdminDep) -> dict[str, list[UserDocument]]:
    users = [UserDocument.model_validate(record.document) for record in await store.list_records("user")]
    return {"users": sorted(users, key=lambda u: (u.email.casefold(), u.user_id))}


@router.post("/api/users", status_code=status.HTTP_201_CREATED)
async def create_user(
    body: UserIn, store: StoreDep, broker: BrokerDep, actor: AdminDep, response: Response, request: Request
) -> dict[str, Any]:
    """A new user with a first API token, shown here once: give it to them (they sign in with it)."""
    if actor.id == LOCAL_ACTOR.id and body.role != "admin":  # open access: nobody has signed in yet
        raise HTTPException(409, FIRST_USER_IS_AN_ADMIN)
    async with one_at_a_time(request, USERS, ANOTHER_CHANGE):  # two at once: one user per e-mail all the same
        if await find_user(store, "email", body.email.casefold()) is not None:
            raise HTTPException(409, f"A user with the e-mail {body.email} exists already.")
        await check_positions(store, body.positions)
        events, token = create_user_events(body, actor.id)
        await publish_and_record(events, store, broker, response, "The user")
    request.app.state.users_exist = None  # there are users now: credentials are needed from here on
    response.headers["Location"] = f"/api/users/{events[0].session_id}"
    return {"user": await user_of(store, events[0].session_id), "token": token}


@router.get("/api/users/{user_id}")
async def get_user(user_id: str, store: StoreDep, actor: AdminDep) -> UserDocument:
    return await user_of(store, user_id)


@router.patch("/api/users/{user_id}")
async def update_user(
    user_id: str, body: UserPatch, store: StoreDep, broker: BrokerDep, actor: AdminDep, response: Response,
    request: Request,
) -> UserDocument:  # fmt: skip
    """Change a user's name, role or positions, or deactivate them (their tokens and sign-ins stop working)."""
    await user_of(store, user_id)
    if user_id == actor.id and (body.role not in (None, "admin") or body.active is False):
        raise HTTPException(409, "You cannot take your own admin role or deactivate yourself: ask another admin.")
    if body.positions:
        await check_positions(store, body.positions)
    changes = body.model_dump(exclude_none=True)
    if changes:
        async with one_at_a_time(request, USERS, ANOTHER_CHANGE):
            user = await user_of(store, user_id)  # as it is now
            removes_admin = user.role == "admin" and (body.role not in (None, "admin") or body.active is False)
            if removes_admin and not await way_in_left(store, request.app.state.settings, user.user_id):
                raise HTTPException(409, NO_ADMIN_LEFT)
            payload = UserUpdatedPayload(updated_by=actor.id, updated_at=utc_now(), **changes)
            event = UserUpdated.create(session_id=user_id, producer=PRODUCER, payload=payload)
            await publish_and_record([event], store, broker, response, "The change")
    return await user_of(store, user_id)


def may_manage_tokens(actor_id: str, actor_role: str, user_id: str) -> None:
    if actor_role != "admin" and actor_id != user_id:
        raise HTTPException(403, "Only an admin, or the user themself, manages a user's tokens.")


@router.post("/api/users/{user_id}/tokens", status_code=status.HTTP_201_CREATED)
async def issue_token(
    user_id: str, body: TokenIn, store: StoreDep, broker: BrokerDep, actor: ActorDep, response: Response
) -> dict[str, Any]:
    """A new personal API token, shown here once."""
    may_manage_tokens(actor.id, actor.role, user_id)
    await user_of(store, user_id)
    token, token_id = new_token()
    payload = ApiTokenIssuedPayload(token_id=token_id, token_hash=token_hash(token), label=body.label,
                                    issued_at=utc_now())  # fmt: skip
    await publish_and_record([ApiTokenIssued.create(session_id=user_id, producer=PRODUCER, payload=payload)],
                             store, broker, response, "The token")  # fmt: skip
    return {"token_id": token_id, "label": body.label, "token": token}


@router.delete("/api/users/{user_id}/tokens/{token_id}")
async def revoke_token(
    user_id: str, token_id: str, store: StoreDep, broker: BrokerDep, actor: ActorDep, response: Response,
    request: Request,
) -> dict[str, Any]:  # fmt: skip
    may_manage_tokens(actor.id, actor.role, user_id)
    async with one_at_a_time(request, USERS, ANOTHER_CHANGE):  # the last two tokens revoked at once: one is kept
        user = await user_of(store, user_id)
        if token_id not in {t.token_id for t in user.tokens}:
            raise HTTPException(404, f"No token '{token_id}' of this user")
        ends_a_way_in = user.role == "admin" and user.active
        if ends_a_way_in and not await way_in_left(store, request.app.state.settings, user_id, token_id):
            raise HTTPException(409, LAST_WAY_IN)
        payload = ApiTokenRevokedPayload(token_id=token_id, revoked_at=utc_now())
        await publish_and_record([ApiTokenRevoked.create(session_id=user_id, producer=PRODUCER, payload=payload)],
                                 store, broker, response, "The revocation")  # fmt: skip
    return {"token_id": token_id, "revoked": True}


LAST_WAY_IN = (
    "This is the last API token of the last admin, and without it nobody could sign in as an admin (no ADMIN_TOKEN, "
    "no single sign-on): issue another token first, then revoke this one."
)


NO_ADMIN_LEFT = (
    "This is the last admin who can sign in (no ADMIN_TOKEN, no single sign-on), and without them nobody could "
    "manage users any more: make another admin first."
)
USERS = "users"  # the lease of every change that could leave nobody able to sign in as an admin
ANOTHER_CHANGE = "Another change of users"


async def way_in_left(store: Store, settings: PersistenceSettings, user_id: str, token_id: str | None = None) -> bool:
    """Whether someone can still sign in as an admin once user `user_id` is no admin (or, given `token_id`, once
    that token of theirs is revoked): ADMIN_TOKEN, single sign-on, or an active admin with a live token (else only
    `python -m services.persistence create-admin`). Asked within the users' lease (`one_at_a_time`): two admins
    demoting each other at once, or the last two tokens revoked at once, leave one (found by a security retest)."""
    if settings.admin_token is not None or settings.oidc_configured:
        return True
    users = [UserDocument.model_validate(record.document) for record in await store.list_records("user")]
    return any(
        user.role == "admin" and user.active
        and any(t.revoked_at is None and t.token_id != token_id for t in user.tokens)
        for user in users if token_id is not None or user.user_id != user_id
    )  # fmt: skip


@router.get("/api/auth/me")
async def me(actor: ActorDep) -> dict[str, Any]:
    """Who the credentials name (401 when they name nobody: the dashboard then asks to sign in)."""
    return {"id": actor.id, "name": actor.name, "role": actor.role, "positions": sorted(actor.positions)}


@router.get("/api/auth/methods")
async def methods(request: Request) -> dict[str, Any]:
    """How one can sign in here: with a token, and with single sign-on when OIDC is configured."""
    settings = request.app.state.settings
    return {"token": True, "oidc": settings.oidc_configured, "oidc_name": settings.oidc_name}


@router.post("/api/auth/sign-in")
async def sign_in(body: SignInBody, request: Request, response: Response, store: StoreDep) -> dict[str, Any]:
    """Sign in to the dashboard with a personal API token (or ADMIN_TOKEN): a session cookie for 12 hours."""
    request_with_token = _with_bearer(request, body.token)
    actor = await identify(request_with_token)
    if actor is None and getattr(request_with_token.state, "deactivated", False):
        raise HTTPException(401, DEACTIVATED)
    if actor is None or actor.id in ("local", "internal-token"):  # the services' token signs nobody in
        raise HTTPException(401, "That token was refused: check it, or ask an admin for a new one.")
    await start_sign_in(store, response, actor.id, credential=token_hash(body.token))
    request.state.actor = actor
    return {"id": actor.id, "name": actor.name, "role": actor.role, "positions": sorted(actor.positions)}


async def start_sign_in(store: Store, response: Response, user_id: str, credential: str) -> None:
    """`credential`: the hash of the token signed in with (the sign-in ends when it is revoked), or "oidc"."""
    cookie = secrets.token_urlsafe(32)
    expires = datetime.now(UTC) + timedelta(hours=SIGN_IN_HOURS)
    sign_in = SignIn(user_id=user_id, expires_at=expires.isoformat(), credential=credential)
    await store.save_sign_in(token_hash(cookie), sign_in)
    response.set_cookie(SIGN_IN_COOKIE, cookie, max_age=SIGN_IN_HOURS * 3600, httponly=True, samesite="strict",
                        path="/")  # fmt: skip


@router.post("/api/auth/sign-out")
async def sign_out(request: Request, response: Response, store: StoreDep) -> dict[str, bool]:
    cookie = request.cookies.get(SIGN_IN_COOKIE)
    if cookie:
        await store.delete_sign_in(token_hash(cookie))
    response.delete_cookie(SIGN_IN_COOKIE, path="/", httponly=True, samesite="strict")
    return {"signed_out": True}


def _with_bearer(request: Request, token: str) -> Request:
    """The request as if it carried the token in its Authorization header (and no cookie)."""
    headers = [(k, v) for k, v in request.scope["headers"] if k not in (b"authorization", b"cookie")]
    scope = dict(request.scope) | {"headers": [*headers, (b"authorization", f"Bearer {token}".encode())]}
    return Request(scope, request.receive)
