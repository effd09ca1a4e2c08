"""A real HTTP server that speaks enough of Google's OAuth token endpoint and the Sheets v4 API
for the real gspread client: spreadsheet metadata, values get/batchGet/update/clear, and
batchUpdate (addSheet, appendCells, updateCells, deleteDimension, insertDimension,
updateSheetProperties).
It can be scripted to answer 429 or 500, to refuse credentials, and to hold its reply to a write
(`write_delay`) after the write is done. Runs in a thread."""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any

import uvicorn
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tools.stack import free_port

TOKEN = "fake-access-token"
A1 = re.compile(r"^(?:'?(?P<title>.+?)'?!)?(?P<start>[A-Z]*\d*)(?::(?P<end>[A-Z]*\d*))?$")


def column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


class FakeSheets:
    def __init__(self, spreadsheet_id: str = "sheet-123") -> None:
        self.spreadsheet_id = spreadsheet_id
        self.sheets: dict[str, dict[str, Any]] = {"Sheet1": {"id": 0, "rows": []}}
        self.requests: list[tuple[str, str]] = []
        self.refuse_credentials = False
        self.write_delay = 0.0  # seconds a batchUpdate's reply waits after the write is done: a client can die between
        self.writes_unanswered = 0
        self._failures: deque[int] = deque()
        self._lock = threading.Lock()
        self.port = free_port()
        app = Starlette(routes=[
            Route("/token", self._token, methods=["POST"]),
            Route("/v4/spreadsheets/{rest:path}", self._sheets, methods=["GET", "POST", "PUT"]),
        ])  # fmt: skip
        self._server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakeSheets:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the fake Sheets server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(10)

    def credentials_file(self, folder: Path) -> Path:
        """A service-account file whose token endpoint is this server (a real RSA key: google-auth signs with it)."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        path = folder / "service-account.json"
        path.write_text(json.dumps({
            "type": "service_account", "project_id": "test", "private_key_id": "k1", "private_key": pem.decode(),
            "client_email": "exporter@test.iam.gserviceaccount.com", "client_id": "1", "token_uri": f"{self.url}/token",
        }))  # fmt: skip
        return path

    def fail_next(self, *statuses: int) -> None:
        self._failures.extend(statuses)

    def values(self, title: str) -> list[list[str]]:
        with self._lock:
            return [list(row) for row in self.sheets[title]["rows"]]

    async def _token(self, request: Request) -> JSONResponse:
        self.requests.append(("POST", "/token"))
        if self.refuse_credentials:
            return JSONResponse(
                {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}, status_code=400
            )
        return JSONResponse({"access_token": TOKEN, "token_type": "Bearer", "expires_in": 3600})

    async def _sheets(self, request: Request) -> JSONResponse:
        rest = request.path_params["rest"]
        self.requests.append((request.method, rest))
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return _error(401, "Request had invalid authentication credentials.")
        if self._failures:
            status = self._failures.popleft()
            return _error(status, "Quota exceeded" if status == 429 else "Internal error")
        spreadsheet_id, _, tail = rest.partition("/")
        spreadsheet_id, _, action = spreadsheet_id.partition(":")
        if spreadsheet_id != self.spreadsheet_id:
            return _error(404, "Requested entity was not found.")
        raw = await request.body()
        body = json.loads(raw) if raw else {}
        if action == "batchUpdate":
            with self._lock:
                replies = [self._apply(r) for r in body["requests"]]
            await self._hold_reply()
            return JSONResponse({"spreadsheetId": spreadsheet_id, "replies": replies})
        with self._lock:
            if not tail and request.method == "GET":
                return JSONResponse(self._metadata())
            if tail == "values:batchGet":
                ranges = request.query_params.getlist("ranges")
                return JSONResponse({"spreadsheetId": spreadsheet_id, "valueRanges": [self._get(r) for r in ranges]})
            if tail.startswith("values/"):
                range_name, verb = tail[len("values/") :], ""
                if range_name.endswith((":clear", ":append")):
                    range_name, _, verb = range_name.rpartition(":")
                if verb == "clear":
                    self._clear(range_name)
                    return JSONResponse({"clearedRange": range_name})
                if request.method == "GET":
                    return JSONResponse(self._get(range_name))
                if request.method == "PUT":
                    self._put(range_name, body["values"])
                    return JSONResponse({"updatedRange": range_name, "updatedRows": len(body["values"])})
        return _error(400, f"the fake does not implement {request.method} {rest}")

    async def _hold_reply(self) -> None:
        self.writes_unanswered += 1
        try:
            await asyncio.sleep(self.write_delay)
        finally:
            self.writes_unanswered -= 1

    def _metadata(self) -> dict:
        return {
            "spreadsheetId": self.spreadsheet_id,
            "properties": {"title": "Interviews export", "locale": "en_US", "timeZone": "Etc/GMT"},
            "sheets": [{"properties": self._properties(title)} for title in self.sheets],
        }

    def _properties(self, title: str) -> dict:
        sheet = self.sheets[title]
        return {"sheetId": sheet["id"], "title": title, "index": list(self.sheets).index(title), "sheetType": "GRID",
                "gridProperties": {"rowCount": max(1000, len(sheet["rows"])), "columnCount": 26}}  # fmt: skip

    def _by_id(self, sheet_id: int) -> list[list[str]]:
        return next(s["rows"] for s in self.sheets.values() if s["id"] == sheet_id)

    def _apply(self, request: dict) -> dict:
        ((kind, spec),) = request.items()
        if kind == "addSheet":
            title = spec["properties"]["title"]
            self.sheets[title] = {"id": max(s["id"] for s in self.sheets.values()) + 1, "rows": []}
            return {"addSheet": {"properties": self._properties(title)}}
        if kind == "appendCells":
            rows = self._by_id(spec["sheetId"])
            rows.extend(_plain(row) for row in spec["rows"])
        elif kind == "updateCells":
            rows = self._by_id(spec["start"]["sheetId"])
            for offset, row in enumerate(spec["rows"]):
                index = spec["start"]["rowIndex"] + offset
                rows.extend([] for _ in range(index + 1 - len(rows)))
                rows[index] = _plain(row)
        elif kind == "deleteDimension":
            span = spec["range"]
            del self._by_id(span["sheetId"])[span["startIndex"] : span["endIndex"]]
        elif kind == "insertDimension":
            span = spec["range"]
            rows = self._by_id(span["sheetId"])
            rows[span["startIndex"] : span["startIndex"]] = [[] for _ in range(span["endIndex"] - span["startIndex"])]
        elif kind != "updateSheetProperties":
            raise ValueError(f"the fake does not implement {kind}")
        return {}

    def _locate(self, range_name: str) -> tuple[list[list[str]], int, int, int | None, int | None]:
        if "!" not in range_name and not re.fullmatch(r"[A-Z]*\d*(:[A-Z]*\d*)?", range_name):
            range_name += "!A1:ZZ"  # a bare sheet title means the whole sheet
        match = A1.match(range_name)
        title = match.group("title") or "Sheet1"
        rows = self.sheets[title.strip("'")]["rows"]
        start, end = match.group("start") or "A", match.group("end") or match.group("start") or ""
        first_col = column_number(re.sub(r"\d", "", start) or "A") - 1
        first_row = int(re.sub(r"\D", "", start) or 1) - 1
        last_col = column_number(re.sub(r"\d", "", end)) if re.sub(r"\d", "", end) else None
        last_row = int(re.sub(r"\D", "", end)) if re.sub(r"\D", "", end) else None
        return rows, first_row, first_col, last_row, last_col

    def _get(self, range_name: str) -> dict:
        rows, first_row, first_col, last_row, last_col = self._locate(range_name)
        values = [row[first_col:last_col] for row in rows[first_row:last_row]]
        while values and not values[-1]:
            values.pop()
        return {"range": range_name, "majorDimension": "ROWS", "values": values}

    def _put(self, range_name: str, values: list[list[Any]]) -> None:
        rows, first_row, first_col, _, _ = self._locate(range_name)
        for offset, new in enumerate(values):
            index = first_row + offset
            rows.extend([] for _ in range(index + 1 - len(rows)))
            row = rows[index]
            row.extend("" for _ in range(first_col + len(new) - len(row)))
            row[first_col : first_col + len(new)] = [str(v) for v in new]

    def _clear(self, range_name: str) -> None:
        rows, *_ = self._locate(range_name)
        rows.clear()


def _plain(row: dict) -> list[str]:
    """What a cell shows: numbers as the API renders them by default."""
    cells = []
    for cell in row.get("values", []):
        value = cell.get("userEnteredValue", {})
        number = value.get("numberValue")
        cells.append(
            value.get("stringValue", "")
            if number is None
            else (str(int(number)) if number == int(number) else str(number))
        )
    return cells


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": status, "message": message, "status": "ERROR"}}, status_code=status)
