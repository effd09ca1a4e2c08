"""A small HTTP/1.1 client for the load generator: one kept-alive connection, one request at a time,
JSON in and out. httpx cost the load generator about 2 ms of CPU per request, on the same two cores as
the services it measures; this costs a fraction of that (docs/benchmarks.md)."""

import asyncio
import json
from typing import Any
from urllib.parse import urlsplit


class Response:
    def __init__(self, status_code: int, body: bytes) -> None:
        self.status_code = status_code
        self.content = body

    @property
    def text(self) -> str:
        return self.content.decode(errors="replace")

    def json(self) -> Any:
        return json.loads(self.content)


class Connection:
    def __init__(self, base_url: str, timeout: float = 60.0) -> None:
        url = urlsplit(base_url)
        self.host, self.port = url.hostname or "127.0.0.1", url.port or 80
        self.timeout = timeout
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def post(self, path: str, json_body: Any) -> Response:
        return await self.request("POST", path, json.dumps(json_body).encode())

    async def get(self, path: str) -> Response:
        return await self.request("GET", path, b"")

    async def request(self, method: str, path: str, body: bytes) -> Response:
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        async with asyncio.timeout(self.timeout):
            for attempt in (1, 2):  # a kept-alive connection the server closed meanwhile: once more, anew
                if self._streams is None:
                    self._streams = await asyncio.open_connection(self.host, self.port)
                reader, writer = self._streams
                try:
                    writer.write(head + body)
                    return await self._response(reader)
                except (ConnectionError, asyncio.IncompleteReadError):
                    await self.close()
                    if attempt == 2:
                        raise
        raise AssertionError("unreachable")

    async def _response(self, reader: asyncio.StreamReader) -> Response:
        lines = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while size := int((await reader.readuntil(b"\r\n")).strip(), 16):
                chunks.append(await reader.readexactly(size))
                await reader.readexactly(2)
            await reader.readuntil(b"\r\n")
            body = b"".join(chunks)
        else:
            body = await reader.read()
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return Response(status, body)

    async def close(self) -> None:
        if self._streams is not None:
            _, writer = self._streams
            self._streams = None
            writer.close()
            try:
                await writer.wait_closed()
            except ConnectionError:
                pass
