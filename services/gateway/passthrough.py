"""The recruiters' APIs through the gateway, so the browser and the seed's curl lines use one
origin: `/api/data/*` is the persistence service's read API and the recruiters' own (positions,
invitations, users, webhooks, the audit log, sign-in) are the persistence service's too; `/api/sheets/*`
is the exporter's. Responses are streamed through (an export of any size never sits whole in the gateway)."""

import hmac
import re
from typing import Annotated

import httpx
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from httpx import USE_CLIENT_DEFAULT
from starlette.background import BackgroundTask

from services.gateway.consistency import RecentWrites
from services.gateway.persistence_client import PersistenceClient
from shared.contracts.events import SESSION_ID_CHARS
from shared.platform.addresses import address_in
from shared.platform.http_errors import error_body

FORWARDED_REQUEST_HEADERS = (
    "authorization", "accept", "if-none-match", "content-type", "x-consistency-token", "cookie", "x-requested-with",
    "origin", "x-interviewer-check",
)  # fmt: skip
FORWARDED_RESPONSE_HEADERS = (
    "content-type", "content-encoding", "content-disposition", "etag", "cache-control", "www-authenticate",
    "retry-after", "x-consistency-token", "set-cookie", "location",
)  # fmt: skip
LARGE_BODY = 64 * 1024  # a body above this is read only for a caller persistence knows
LARGE_BODY_SECONDS = 60.0  # its answer is waited for this long (500 invitations), others the client's 10 s
# what a reverse proxy or a CDN adds to name its client
PROXY_HEADERS = ("x-forwarded-for", "forwarded", "x-real-ip", "cf-connecting-ip", "true-client-ip", "x-client-ip",
                 "fastly-client-ip", "x-cluster-client-ip")  # fmt: skip
# the recruiters' areas of the persistence service, forwarded as they are
RECRUITING_AREAS = ("positions", "invitations", "users", "webhooks", "audit", "auth")
HEADER_VALUE = re.compile(r"([\x21-\x7e]([\x21-\x7e \t]*[\x21-\x7e])?)?")
SESSION_PATH = re.compile(f"interview/({SESSION_ID_CHARS})(/.*)?")
SAFE_PATH = re.compile(r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*")

router = APIRouter(tags=["data"])


async def get_persistence(request: Request) -> PersistenceClient:
    persistence: PersistenceClient = request.app.state.persistence
    return persistence


async def get_exporter(request: Request) -> httpx.AsyncClient:
    exporter: httpx.AsyncClient = request.app.state.exporter_http
    return exporter


async def get_recent_writes(request: Request) -> RecentWrites:
    recent_writes: RecentWrites = request.app.state.recent_writes
    return recent_writes


@router.api_route("/api/data/{path:path}", methods=["GET", "POST", "DELETE"], include_in_schema=False)
async def forward_to_persistence(
    path: str,
    request: Request,
    persistence: Annotated[PersistenceClient, Depends(get_persistence)],
    recent_writes: Annotated[RecentWrites, Depends(get_recent_writes)],
) -> Response:
    if request.method == "GET":
        try:
            caught_up = await recent_writes.wait(session_of(path, request))
        except httpx.HTTPError:
            return unreachable("The data service")
        if not caught_up:
            message = "The data service has not applied the latest answers yet; retry in a moment."
            return JSONResponse(error_body(503, message), status_code=503, headers={"Retry-After": "1"})
    return await forward(persistence.http, f"/api/data/{path}", path, request, "The data service")


async def forward_recruiting(
    request: Request,
    persistence: Annotated[PersistenceClient, Depends(get_persistence)],
    recent_writes: Annotated[RecentWrites, Depends(get_recent_writes)],
) -> Response:
    """A position's candidates, and the invited candidates found across positions, are read from the
    interviews' read models: those reads wait for the writes this gateway answered, as reads of /api/data do."""
    path = request.url.path.removeprefix("/api/")
    if request.method == "GET" and (path.startswith("positions/") or path == "invitations"):
        try:
            caught_up = await recent_writes.wait(None)
        except httpx.HTTPError:
            return unreachable("The data service")
        if not caught_up:
            message = "The data service has not applied the latest answers yet; retry in a moment."
            return JSONResponse(error_body(503, message), status_code=503, headers={"Retry-After": "1"})
    return await forward(persistence.http, f"/api/{path}", path, request, "The data service")


for area in RECRUITING_AREAS:
    for route in (f"/api/{area}", f"/api/{area}/{{path:path}}"):
        router.add_api_route(route, forward_recruiting, methods=["GET", "POST", "PATCH", "DELETE"],
                             include_in_schema=False)  # fmt: skip


def presents_internal_token(request: Request) -> bool:
    """The request carries the services' INTERNAL_TOKEN (set apart from ADMIN_TOKEN): it reads everything
    behind the gateway, so it never comes in through it."""
    internal = request.app.state.settings.internal_token
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return (
        bool(internal)
        and scheme.lower() == "bearer"
        and hmac.compare_digest(given.strip().encode(), internal.get_secret_value().encode())
    )


def client_address(request: Request, peer: str) -> str:
    """Who is asking, as persistence is told: the address the request came from (with TRUSTED_PROXIES, the one
    they forward), or `unknown` when it came through a proxy whose client is not known here: one not in
    TRUSTED_PROXIES, or one in it that named its client in a header other than X-Forwarded-For (the only one
    read), so that the address is still the proxy's own. A proxy's address says nothing of its client, who may be
    anywhere (persistence opens a fresh machine only to the machine it runs on)."""
    if not any(name in request.headers for name in PROXY_HEADERS):
        return peer
    trusted = request.app.state.settings.trusted_proxies
    ip = address_in(peer)
    return peer if trusted and not (ip and any(ip in network for network in trusted)) else "unknown"


def session_of(path: str, request: Request) -> str | None:
    """The one interview a read is about (its path or its session_id filter), or None: any."""
    if match := SESSION_PATH.fullmatch(path):
        return match.group(1)
    return request.query_params.get("session_id")


@router.api_route("/api/sheets/{path:path}", methods=["GET", "POST"], include_in_schema=False)
async def forward_to_exporter(
    path: str, request: Request, exporter: Annotated[httpx.AsyncClient, Depends(get_exporter)]
) -> Response:
    return await forward(exporter, f"/api/sheets/{path}", path, request, "The Sheets exporter")


async def forward(client: httpx.AsyncClient, target: str, path: str, request: Request, who: str) -> Response:
    if ".." in path.split("/") or not SAFE_PATH.fullmatch(path):
        return JSONResponse(error_body(404, f"Nothing at {request.url.path}"), status_code=404)
    for name in FORWARDED_REQUEST_HEADERS:  # one each: the value checked here is the value passed on
        if name != "accept" and len(request.headers.getlist(name)) > 1:
            return JSONResponse(error_body(400, f"Send one {name.title()} header, not several."), status_code=400)
    if presents_internal_token(request):
        message = "INTERNAL_TOKEN is the services' own and is not accepted from outside: use your API token."
        return JSONResponse(error_body(401, message), status_code=401, headers={"WWW-Authenticate": "Bearer"})
    headers = {}
    for name, value in request.headers.items():
        if name.lower() in FORWARDED_REQUEST_HEADERS:
            value = value.strip(" \t")  # whitespace around a value is not part of it (RFC 9110, 5.5)
            if not HEADER_VALUE.fullmatch(value):
                message = f"The {name.title()} header cannot be passed on: use printable ASCII characters only."
                return JSONResponse(error_body(400, message), status_code=400)
            headers[name] = value
    host = request.headers.get("host", "").strip()
    if host:  # the name it was sent to: persistence asks whether it is this machine's (DNS rebinding)
        headers["x-forwarded-host"] = host if HEADER_VALUE.fullmatch(host) else "unprintable.invalid"
    if request.client is not None:  # the audit log says where a request came from (TRUSTED_PROXIES applied)
        headers |= request.app.state.settings.forwarding_headers(client_address(request, request.client.host))
    to_persistence = client is request.app.state.persistence.http  # which knows who asks (the exporter takes 16 KB)
    signing_in = target.startswith("/api/auth/")  # the one area open to callers not known yet
    if request.method in ("POST", "PATCH", "PUT") and large(request) and to_persistence and not signing_in:
        # a file of invitations may be 4 MB: read only once the sender is known (found by a security retest: 400
        # such bodies sent at once without credentials took the gateway from 100 MB to 2 GB)
        try:
            known = await client.get("/api/auth/me", headers=headers)
        except httpx.HTTPError:
            return unreachable(who)
        if known.status_code != 200:
            passed = {k: v for k, v in known.headers.items() if k.lower() in ("content-type", "www-authenticate")}
            return Response(known.content, status_code=known.status_code, headers=passed)
    body = await request.body() if request.method in ("POST", "PATCH", "PUT") else None
    upstream_request = client.build_request(
        request.method, target, params=list(request.query_params.multi_items()), headers=headers, content=body,
        timeout=LARGE_BODY_SECONDS if body is not None and len(body) > LARGE_BODY else USE_CLIENT_DEFAULT,
    )  # fmt: skip
    try:
        upstream = await client.send(upstream_request, stream=True)
    except httpx.HTTPError:
        return unreachable(who)
    response = StreamingResponse(
        upstream.aiter_raw(),
        status_code=upstream.status_code,
        headers={k: v for k, v in upstream.headers.items() if k.lower() in FORWARDED_RESPONSE_HEADERS},
        background=BackgroundTask(upstream.aclose),
    )
    cookies = upstream.headers.get_list("set-cookie")  # there may be several: a dict keeps only one
    response.raw_headers = [(k, v) for k, v in response.raw_headers if k != b"set-cookie"]
    response.raw_headers += [(b"set-cookie", cookie.encode("latin-1")) for cookie in cookies]
    return response


def large(request: Request) -> bool:
    """The body is, or may be, larger than a request's usual (a chunked one says nothing of its size)."""
    declared = request.headers.get("content-length")
    return declared is None or not declared.isdigit() or int(declared) > LARGE_BODY


def unreachable(who: str) -> JSONResponse:
    return JSONResponse(
        error_body(503, f"{who} is not reachable right now; please retry in a moment."),
        status_code=503,
        headers={"Retry-After": "1"},
    )
