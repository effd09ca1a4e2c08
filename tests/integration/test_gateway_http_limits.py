"""The gateway's body and rate limits under a real uvicorn (its ASGI spec, its proxy headers), with a
real HTTP stand-in for the persistence service. No broker: the app runs without its lifespan."""

import asyncio
import contextlib
import logging
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.responses import JSONResponse, StreamingResponse
from starlette.routing import Route

from services.gateway.app import create_app
from services.gateway.routes import MAX_JSON_BYTES
from services.gateway.settings import GatewaySettings
from shared.contracts.events import encode_event
from tests.factories import interview_events
from tools.stack import free_port

SESSION_ID = "s0000001"
SLOW_EXPORT_SECONDS = 5.0


@contextmanager
def served(app) -> Iterator[int]:  # noqa: ANN001 (any ASGI app)
    """The app under uvicorn in a thread, configured like shared.platform.service.serve; yields its port."""
    port = free_port()
    config = uvicorn.Config(app, port=port, log_config=None, lifespan="off", proxy_headers=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.01)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(10)


async def slow_export(_request) -> StreamingResponse:  # noqa: ANN001
    async def rows():
        for n in range(50):
            yield f'{{"row": {n}}}\n'.encode()
            await asyncio.sleep(SLOW_EXPORT_SECONDS / 50)

    return StreamingResponse(rows(), media_type="application/x-ndjson")


async def session_events(_request) -> JSONResponse:  # noqa: ANN001
    started = interview_events(SESSION_ID, scores=(), complete=False)[0]  # no report: the live stream stays open
    return JSONResponse({"session_id": SESSION_ID, "events": [encode_event(started).decode()]})


SEEN: list[dict[str, str]] = []  # what the stand-in persistence was asked: path, X-Forwarded-For, body size


async def who_asks(request) -> JSONResponse:  # noqa: ANN001
    """/api/auth/me: a caller with the bearer token "recruiter" is known, anyone else is not."""
    SEEN.append({"path": request.url.path, "for": request.headers.get("x-forwarded-for", "")})
    if request.headers.get("authorization") == "Bearer recruiter":
        return JSONResponse({"id": "usr-1", "role": "recruiter"})
    return JSONResponse({"error": "unauthorized", "message": "Sign in."}, status_code=401,
                        headers={"WWW-Authenticate": "Bearer"})  # fmt: skip


async def invitations(request) -> JSONResponse:  # noqa: ANN001
    body = await request.body()
    SEEN.append({"path": request.url.path, "for": request.headers.get("x-forwarded-for", ""), "size": str(len(body))})
    return JSONResponse({"received": len(body)}, status_code=201)


@pytest.fixture(scope="module")
def persistence() -> Iterator[str]:
    app = Starlette(
        routes=[
            Route("/api/data/export/slow.json", slow_export),
            Route(f"/internal/sessions/{SESSION_ID}/events", session_events),
            Route("/api/auth/me", who_asks),
            Route("/api/positions/pos-1/invitations", invitations, methods=["POST"]),
        ]
    )
    with served(app) as port:
        yield f"http://127.0.0.1:{port}"


@contextmanager
def gateway(persistence: str, **settings) -> Iterator[int]:  # noqa: ANN003
    with served(create_app(GatewaySettings(persistence_url=persistence, **settings))) as port:
        yield port


def oversized_body_while_streaming(port: int, path: str) -> tuple[bytes, bytes]:
    """GET `path` with a chunked body: the head first, then, once the response has started,
    more than the limit. The response head and whatever followed it until the server closed."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(f"GET {path} HTTP/1.1\r\nHost: gateway\r\nTransfer-Encoding: chunked\r\n\r\n".encode())
        received = b""
        while b"\r\n\r\n" not in received:
            received += connection.recv(65536)
        head, _, rest = received.partition(b"\r\n\r\n")
        chunk = b"x" * 16 * 1024
        with contextlib.suppress(ConnectionError):  # the server may close (and reset) before it read it all
            for _ in range(MAX_JSON_BYTES // len(chunk) + 2):
                connection.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            connection.sendall(b"0\r\n\r\n")
            while data := connection.recv(65536):
                rest += data
    return head, rest


@pytest.mark.parametrize(
    "path", ["/api/data/export/slow.json", f"/api/interview/{SESSION_ID}/events"], ids=["passthrough", "sse"]
)
def test_an_oversized_body_sent_to_a_running_stream_ends_the_stream_without_an_error(persistence, path, caplog):
    with gateway(persistence) as port, caplog.at_level(logging.ERROR):
        began = time.monotonic()
        head, rest = oversized_body_while_streaming(port, path)
        seconds = time.monotonic() - began
    assert head.startswith(b"HTTP/1.1 200")
    assert not rest.endswith(b"0\r\n\r\n") and seconds < SLOW_EXPORT_SECONDS  # cut short, not completed
    tracebacks = [record for record in caplog.records if record.exc_info]
    assert not tracebacks, [record.getMessage() for record in tracebacks]


def test_an_oversized_chunked_body_before_the_response_is_a_json_413(persistence):
    def body():
        for _ in range(MAX_JSON_BYTES // 1024 + 1):
            yield b" " * 1024

    with gateway(persistence) as port:
        response = httpx.post(f"http://127.0.0.1:{port}/api/submit-answer", content=body(), timeout=10)
    assert response.status_code == 413 and "too large" in response.json()["message"]


def start(port: int, forwarded_for: str | None = None) -> int:
    """A start whose body is refused (422) once the rate limit let it through: no broker needed."""
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return httpx.post(f"http://127.0.0.1:{port}/api/start-interview", json={}, headers=headers, timeout=10).status_code


def test_x_forwarded_for_is_ignored_unless_the_proxy_is_trusted(persistence):
    with gateway(persistence, start_rate_per_minute=1) as port:
        assert start(port, "203.0.113.1") == 422
        assert start(port, "203.0.113.2") == 429  # a made-up address is no fresh bucket


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_bucket(persistence):
    with gateway(persistence, start_rate_per_minute=1, trusted_proxies="127.0.0.0/8, ::1") as port:
        assert start(port, "203.0.113.1") == 422
        assert start(port, "203.0.113.1") == 429
        assert start(port, "203.0.113.2") == 422
        assert start(port, "198.51.100.7, 203.0.113.1") == 429  # the proxy's view of the client counts
        assert start(port, "2001:db8:1:2::1") == 422
        assert start(port, "2001:db8:1:2:ffff::9") == 429  # the same /64


def test_trusted_proxies_must_be_addresses_or_networks():
    with pytest.raises(ValueError, match="not an IP address or network"):
        GatewaySettings(trusted_proxies="10.0.0.0/8, proxy.internal")


def asked_for(port: int, headers: dict[str, str]) -> str:
    """The X-Forwarded-For persistence is given for a request with these headers."""
    SEEN.clear()
    httpx.get(f"http://127.0.0.1:{port}/api/auth/me", headers=headers, timeout=10)
    return SEEN[-1]["for"]


def test_persistence_is_told_unknown_for_a_client_behind_a_proxy_whose_client_is_not_known(persistence):
    """Found by a security retest: behind a proxy in TRUSTED_PROXIES that names its client in X-Real-IP (or
    Forwarded), the address passed on was the proxy's own, a private one, and a fresh machine opened to the
    internet. Only X-Forwarded-For is read; any other way of naming a client makes it unknown."""
    with gateway(persistence, trusted_proxies="127.0.0.0/8") as port:
        assert asked_for(port, {}) == "127.0.0.1"  # no proxy: the address it came from
        assert asked_for(port, {"X-Forwarded-For": "203.0.113.9"}) == "203.0.113.9"  # read from a trusted proxy
        for header in ("X-Real-IP", "Forwarded", "CF-Connecting-IP", "True-Client-IP"):
            assert asked_for(port, {header: "203.0.113.9"}) == "unknown", header
    with gateway(persistence) as port:  # no TRUSTED_PROXIES: any proxy's client is unknown
        for header in ("X-Forwarded-For", "X-Real-IP", "Forwarded", "CF-Connecting-IP"):
            assert asked_for(port, {header: "127.0.0.1"}) == "unknown", header
        assert asked_for(port, {}) == "127.0.0.1"


def test_a_large_body_is_read_only_for_a_caller_persistence_knows(persistence):
    """Found by a security retest: 400 unauthenticated 4 MB uploads at once took the gateway from 100 MB to 2 GB.
    A body over 64 KB (or of unknown size) is read only once persistence knows who sends it."""
    large = b"candidate_name,email\n" + b"x,x@example.org\n" * 20_000
    path = "/api/positions/pos-1/invitations"
    with gateway(persistence) as port:
        SEEN.clear()
        refused = httpx.post(f"http://127.0.0.1:{port}{path}", content=large, headers={"content-type": "text/csv"},
                             timeout=10)  # fmt: skip
        assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
        assert [seen["path"] for seen in SEEN] == ["/api/auth/me"]  # never passed on
        SEEN.clear()
        known = {"content-type": "text/csv", "authorization": "Bearer recruiter"}
        taken = httpx.post(f"http://127.0.0.1:{port}{path}", content=large, headers=known, timeout=10)
        assert taken.status_code == 201 and taken.json() == {"received": len(large)}
        assert [seen["path"] for seen in SEEN] == ["/api/auth/me", path]
        SEEN.clear()
        small = httpx.post(f"http://127.0.0.1:{port}{path}", content=b"candidate_name\nAda\n", timeout=10)
        assert small.status_code == 201 and [seen["path"] for seen in SEEN] == [path]  # no extra round trip
