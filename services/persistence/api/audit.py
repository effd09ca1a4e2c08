"""The audit log (docs/recruiting.md, "Audit trail"): who read a candidate's interview, exported data,
reviewed, erased, changed a position, an invitation, a user or a webhook, or signed in: when, from where,
and what was answered (refusals too). Append-only; admins read it. It names people by id and the
interviews by session id, never a candidate's name or answers, so an erasure leaves it as it is."""

from __future__ import annotations

import time
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Query, Request
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.persistence.api.auth import Actor, AdminDep, forwarded_by_the_gateway
from services.persistence.api.dependencies import StoreDep, moment
from services.persistence.queries import AuditQuery, Page
from services.persistence.rows import AuditEntry
from shared.platform.addresses import address_in

router = APIRouter(tags=["audit"])
# (method, route) -> what the log calls it; the route's path parameter in braces is its target
AUDITED: dict[tuple[str, str], str] = {
    ("GET", "/api/data/interview/{session_id}"): "read interview",
    ("GET", "/api/data/interviews"): "list interviews",
    ("GET", "/api/data/answers"): "list answers",
    ("GET", "/api/data/export/{data_set}.json"): "export",
    ("GET", "/api/data/export/{data_set}.csv"): "export",
    ("GET", "/api/data/export/training.jsonl"): "export training data",
    ("GET", "/api/data/analysis/adverse-impact"): "read adverse impact",
    ("GET", "/api/data/analysis/adverse-impact.csv"): "export adverse impact",
    ("POST", "/api/data/interview/{session_id}/answers/{question_number}/review"): "review answer",
    ("POST", "/api/data/interview/{session_id}/review"): "review interview",
    ("POST", "/api/data/interview/{session_id}/requests/{request_id}/resolve"): "resolve candidate request",
    ("DELETE", "/api/data/interview/{session_id}"): "erase interview",
    ("POST", "/api/positions"): "create position",
    ("PATCH", "/api/positions/{position_id}"): "change position",
    ("GET", "/api/positions/{position_id}/candidates"): "read candidates",
    ("GET", "/api/positions/{position_id}/invitations"): "read invitations",
    ("GET", "/api/invitations"): "search candidates",
    ("POST", "/api/positions/{position_id}/invitations"): "invite candidates",
    ("POST", "/api/invitations/{invitation_id}/revoke"): "revoke invitation",
    ("POST", "/api/invitations/{invitation_id}/new-link"): "new invitation link",
    ("POST", "/api/data/interview/{session_id}/end"): "end interview",
    ("POST", "/api/users"): "create user",
    ("PATCH", "/api/users/{user_id}"): "change user",
    ("POST", "/api/users/{user_id}/tokens"): "issue token",
    ("DELETE", "/api/users/{user_id}/tokens/{token_id}"): "revoke token",
    ("POST", "/api/auth/sign-in"): "sign in",
    ("GET", "/api/auth/oidc/callback"): "sign in",
    ("POST", "/api/auth/sign-out"): "sign out",
    ("POST", "/api/webhooks"): "register webhook",
    ("DELETE", "/api/webhooks/{webhook_id}"): "remove webhook",
}
TARGETS = ("session_id", "position_id", "invitation_id", "user_id", "webhook_id")
ANONYMOUS = Actor("anonymous", "anonymous", "reviewer")
# The dashboard checks the section it shows for news every 20 s, with this header: such a read (one of POLLED, a
# GET answered 200, by someone signed in), the same person's of the same thing from the same address as one
# recorded within RECHECK_SECONDS, is not recorded again (a day's open tab would write thousands of entries, and
# bury who read what). The header hides no read: the first of every ten minutes is there; nor anything else (a
# review found that it hid failed sign-ins and repeated changes until it was held to these reads).
CHECK_HEADER = "x-interviewer-check"
POLLED = frozenset({"read interview", "list interviews", "read candidates"})
RECHECK_SECONDS = 600.0
REMEMBERED_READS = 10_000


def record_audited_requests(app: FastAPI) -> None:
    app.add_middleware(AuditMiddleware)


class AuditMiddleware:
    """Appends an entry once an audited route has answered (a plain ASGI middleware: every internal call of
    the services passes here too, and Starlette's BaseHTTPMiddleware would cost each of them a task)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status, created = 500, ""  # what the client gets if the app fails before it answers

        async def remember_status(message: Message) -> None:
            nonlocal status, created
            if message["type"] == "http.response.start":
                status = message["status"]
                created = Headers(raw=message.get("headers", [])).get("location", "").rpartition("/")[2]
            await send(message)

        try:
            await self.app(scope, receive, remember_status)
        finally:
            request = Request(scope)
            action, target = audited(request)
            if action is not None:  # a creation names what it made by its Location
                await record(request, action, target or created, status)


async def record(request: Request, action: str, target: str, status: int) -> None:
    actor: Actor = getattr(request.state, "actor", ANONYMOUS)  # set by the route's authentication
    forwarded = request.headers.get("x-forwarded-for", "").split(",")[0].strip()
    if not (forwarded_by_the_gateway(request) and address_in(forwarded) is not None):  # an address vouched for, or none
        forwarded = ""
    client = forwarded or (request.client.host if request.client else "")
    polled = request.method == "GET" and action in POLLED and status == 200 and actor is not ANONYMOUS
    if polled and recorded_lately(request, (actor.id, action, target, client, request.url.query)):
        return
    entry = AuditEntry(
        at=datetime.now(UTC).isoformat(), actor=actor.id, actor_name=actor.name, role=actor.role,
        action=action, target=target, client=client,
        status=status,
    )  # fmt: skip
    await request.app.state.store.append_audit(entry)


def recorded_lately(request: Request, entry: tuple[str, ...]) -> bool:
    """Whether this read is the dashboard's check for news repeating one recorded within RECHECK_SECONDS (by this
    process); every such read recorded is remembered for that."""
    lately: OrderedDict[tuple[str, ...], float] | None = getattr(request.app.state, "audited_lately", None)
    if lately is None:
        lately = request.app.state.audited_lately = OrderedDict()
    now = time.monotonic()
    if request.headers.get(CHECK_HEADER) == "news" and now - lately.get(entry, -RECHECK_SECONDS) < RECHECK_SECONDS:
        return True
    lately[entry] = now
    lately.move_to_end(entry)
    if len(lately) > REMEMBERED_READS:
        lately.popitem(last=False)
    return False


def audited(request: Request) -> tuple[str | None, str]:
    """What the log calls this request (once routed: its route is in the scope), and what it was done to
    ("" when it names nothing)."""
    route = request.scope.get("route")
    action = AUDITED.get((request.method, getattr(route, "path", "")))
    if action is None:
        return None, ""
    params: dict[str, Any] = request.scope.get("path_params", {})
    if "data_set" in params:
        action = f"{action} {params['data_set']}"
    return action, next((str(params[name]) for name in TARGETS if name in params), "")


@router.get("/api/audit")
async def read_audit(
    store: StoreDep,
    actor: AdminDep,
    who: Annotated[str | None, Query(alias="actor", max_length=100, description="A user's id")] = None,
    target: Annotated[str | None, Query(max_length=100, description="A session, position, user, ... id")] = None,
    action: Annotated[str | None, Query(max_length=100)] = None,
    since: Annotated[str | None, Query(max_length=40, description="ISO 8601")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    """The audit log, newest first."""
    earliest = moment("since", since)  # a mistyped date is refused, not read as "nothing since"
    query = AuditQuery(actor=who, target=target, action=action, since=earliest.isoformat() if earliest else None,
                       page=Page(limit, offset))  # fmt: skip
    total, entries = await store.list_audit(query)
    return {"total": total, "limit": limit, "offset": offset, "entries": entries}
