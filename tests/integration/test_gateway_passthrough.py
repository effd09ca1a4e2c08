"""The gateway's pass-through to the read API under a real uvicorn, with a real HTTP stand-in for the
persistence service that echoes what reached it: header values are normalised or refused with a 400
that names the header, and 503 is kept for a service that really is down."""

import socket
from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.integration.test_gateway_http_limits import gateway, served
from tools.stack import free_port


async def echo(request) -> JSONResponse:  # noqa: ANN001
    return JSONResponse({"authorization": request.headers.get("authorization")})


@pytest.fixture(scope="module")
def persistence() -> Iterator[str]:
    with served(Starlette(routes=[Route("/api/data/statistics", echo)])) as port:
        yield f"http://127.0.0.1:{port}"


def raw_get(port: int, path: str, header: bytes) -> tuple[str, bytes]:
    """GET with one header line exactly as given (HTTP clients refuse to send some of these)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(
            b"GET %s HTTP/1.1\r\nHost: gateway\r\n%s\r\nConnection: close\r\n\r\n" % (path.encode(), header)
        )
        received = b""
        while data := connection.recv(65536):
            received += data
    head, _, body = received.partition(b"\r\n\r\n")
    return head.split(b"\r\n")[0].decode(), body


@pytest.mark.parametrize("value", [b"Bearer abc ", b" Bearer abc", b"Bearer abc\t"])
def test_whitespace_around_a_header_value_is_not_part_of_it(persistence, value):
    with gateway(persistence) as port:
        status, body = raw_get(port, "/api/data/statistics", b"Authorization: " + value)
    assert status == "HTTP/1.1 200 OK"
    assert b'{"authorization":"Bearer abc"}' in body


def test_a_header_value_that_cannot_be_passed_on_is_a_400_naming_it(persistence):
    with gateway(persistence) as port:
        status, body = raw_get(port, "/api/data/statistics", "Authorization: Bearer café".encode("latin-1"))
    assert status == "HTTP/1.1 400 Bad Request"
    assert b"The Authorization header cannot be passed on" in body


def test_a_data_service_that_is_down_is_a_503_with_retry_after(persistence):
    with gateway(f"http://127.0.0.1:{free_port()}") as port:  # nothing listens there
        status, body = raw_get(port, "/api/data/statistics", b"Authorization: Bearer abc")
    assert status == "HTTP/1.1 503 Service Unavailable"
    assert b"The data service is not reachable right now" in body
