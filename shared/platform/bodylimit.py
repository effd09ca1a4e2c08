"""Request body size limits that answer like every other error: a JSON 413 with a message."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.platform.http_errors import error_body


@dataclass(frozen=True)
class Cap:
    """A larger limit for the paths of one kind of upload, and what to do with a file over it."""

    size: int
    advice: str = ""  # said after the limit in the 413's message


# a position's invitations as a CSV file: 500 candidates (MAX_INVITATIONS) with an applicant-tracking system's
# many columns; the same on the gateway, which passes them on, and on persistence, which reads them
RECRUITING_UPLOADS = {
    "/api/positions/": Cap(
        4 * 1024 * 1024,
        "A file of invitations needs only the name and e-mail columns (and any accommodations): remove the "
        "others, or split the file.",
    )
}


class BodyLimit:
    """ASGI middleware: at most `default` bytes per request body, or the limit of the longest
    matching path prefix in `limits`."""

    def __init__(self, app: ASGIApp, default: int, limits: Mapping[str, int | Cap] | None = None) -> None:
        self.app = app
        self.default = Cap(default)
        caps = {prefix: limit if isinstance(limit, Cap) else Cap(limit) for prefix, limit in (limits or {}).items()}
        self.limits = sorted(caps.items(), key=lambda item: -len(item[0]))

    def limit_for(self, path: str) -> Cap:
        return next((limit for prefix, limit in self.limits if path.startswith(prefix)), self.default)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cap = self.limit_for(scope["path"])
        limit = cap.size
        declared = dict(scope.get("headers", ())).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(send, cap)
            return
        received = 0
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:  # a body sent without Content-Length, or longer than it said
                    if started:  # too late for a 413 (e.g. a stream watching for disconnects): end it
                        return {"type": "http.disconnect"}
                    raise HTTPException(413, _message(cap))
            return message

        await self.app(scope, counted, tracked)


def _message(cap: Cap) -> str:
    size = f"{cap.size // (1024 * 1024)} MB" if cap.size >= 1024 * 1024 else f"{cap.size // 1024} KB"
    return f"The request body is too large: at most {size} here." + (f" {cap.advice}" if cap.advice else "")


async def _too_large(send: Send, cap: Cap) -> None:
    body = json.dumps(error_body(413, _message(cap))).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
