"""Google Sheets through gspread: upserts by session id, removal, and whole-sheet exports.

Every request passes through `PacedHTTPClient`, which keeps within Sheets' quota (reads and
writes per minute), retries 429 and 5xx with exponential backoff and jitter for up to
`GOOGLE_SHEETS_RETRY_SECONDS`, and then raises SheetsUnavailable (the broker retries the
event later). One interview costs one read and one write request.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections import deque
from collections.abc import Sequence
from typing import Any

import gspread
from gspread.exceptions import APIError
from gspread.utils import ValueInputOption
from requests import Response
from requests.exceptions import RequestException

from services.exporter.rows import ANSWER_HEADER, ANSWERS, INTERVIEW_HEADER, INTERVIEWS, Cell, InterviewRows

log = logging.getLogger(__name__)
GOOGLE_API = "https://sheets.googleapis.com"
SCOPES = ["https://www.googleapis.com/auth/spreadsheets"]
CHUNK_ROWS = 1000  # rows per request in a whole-sheet export


class SheetsUnavailable(RuntimeError):
    """Google kept answering 429 or 5xx (or could not be reached): try again later."""


class PacedHTTPClient(gspread.HTTPClient):
    """Configured per exporter by `paced_client_class`."""

    base_url = GOOGLE_API
    requests_per_minute = 60
    retry_seconds = 120.0
    backoff_base = 1.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._recent: dict[bool, deque[float]] = {True: deque(), False: deque()}  # write? -> request times
        self._lock = threading.Lock()

    def request(self, method: str, endpoint: str, *args: Any, **kwargs: Any) -> Response:
        if endpoint.startswith(GOOGLE_API):
            endpoint = self.base_url.rstrip("/") + endpoint[len(GOOGLE_API) :]
        deadline = time.monotonic() + self.retry_seconds
        attempt = 0
        while True:
            self._pace(write=method.lower() != "get")
            try:
                return super().request(method, endpoint, *args, **kwargs)
            except APIError as error:
                status = error.response.status_code
                if status != 429 and status != 408 and status < 500:
                    raise
                problem: Exception = error
            except RequestException as error:
                status, problem = None, error
            wait = min(64.0, self.backoff_base * 2**attempt) * (0.5 + random.random())
            if time.monotonic() + wait > deadline:
                raise SheetsUnavailable(
                    f"Google Sheets kept failing ({status or problem!r}); giving up for now"
                ) from problem
            log.warning("Google Sheets answered %s; retrying in %.1fs", status or repr(problem), wait)
            time.sleep(wait)
            attempt += 1

    def _pace(self, write: bool) -> None:
        """Wait until one more request of this kind fits in the last minute's quota."""
        with self._lock:
            recent = self._recent[write]
            while True:
                now = time.monotonic()
                while recent and now - recent[0] >= 60:
                    recent.popleft()
                if len(recent) < self.requests_per_minute:
                    recent.append(now)
                    return
                time.sleep(60 - (now - recent[0]) + 0.01)


def paced_client_class(base_url: str, requests_per_minute: int, retry_seconds: float) -> type[PacedHTTPClient]:
    return type(
        "ConfiguredPacedHTTPClient",
        (PacedHTTPClient,),
        {"base_url": base_url, "requests_per_minute": requests_per_minute, "retry_seconds": retry_seconds},
    )


class Sheets:
    """Blocking: call it from a worker thread."""

    def __init__(self, credentials_file: str, spreadsheet_id: str, client_class: type[PacedHTTPClient]) -> None:
        client = gspread.service_account(filename=credentials_file, scopes=SCOPES, http_client=client_class)
        self.spreadsheet = client.open_by_key(spreadsheet_id)
        self._sheet_ids: dict[str, int] = {}

    def ensure_layout(self) -> None:
        """The Interviews and Answers worksheets, with their header rows: a header of another version
        (its first cell is the same) is rewritten; rows without a header get one inserted above them."""
        for title, header in ((INTERVIEWS, INTERVIEW_HEADER), (ANSWERS, ANSWER_HEADER)):
            worksheet = self._worksheet(title, len(header))
            first_row = (self.spreadsheet.values_get(f"'{title}'!1:1").get("values") or [[]])[0]
            if first_row == header:
                continue
            if first_row and first_row[0] != header[0]:  # a data row: keep it, below the header
                self.spreadsheet.batch_update({"requests": [{"insertDimension": {
                    "range": {"sheetId": worksheet.id, "dimension": "ROWS", "startIndex": 0, "endIndex": 1},
                    "inheritFromBefore": False,
                }}]})  # fmt: skip
            worksheet.update([header], "A1", value_input_option=ValueInputOption.raw)

    def upsert(self, rows: InterviewRows) -> None:
        """Write the interview's rows in place of any it already has: one read, one write."""
        interview_ids, answer_keys = self._read_keys()
        requests: list[dict[str, Any]] = []
        self._place(requests, INTERVIEWS, [rows.interview], [_row_index(interview_ids, (rows.session_id,))])
        existing = [_row_index(answer_keys, (rows.session_id, str(a[1]))) for a in rows.answers]
        self._place(requests, ANSWERS, rows.answers, existing)
        self.spreadsheet.batch_update({"requests": requests})

    def remove(self, session_id: str) -> int:
        """Delete every row of the session: one read, at most one write. The rows removed."""
        interview_ids, answer_keys = self._read_keys()
        requests: list[dict[str, Any]] = []
        for title, keys in ((INTERVIEWS, interview_ids), (ANSWERS, answer_keys)):
            indexes = [i for i, key in enumerate(keys) if key and key[0] == session_id]
            for index in sorted(indexes, reverse=True):  # bottom up, so earlier indexes stay valid
                requests.append({"deleteDimension": {"range": {
                    "sheetId": self._sheet_ids[title], "dimension": "ROWS", "startIndex": index, "endIndex": index + 1,
                }}})  # fmt: skip
        if requests:
            self.spreadsheet.batch_update({"requests": requests})
        return len(requests)

    def replace_worksheet(self, title: str, header: list[str], rows: list[list[Cell]]) -> None:
        """Make the worksheet exactly the header and these rows, in chunked writes."""
        worksheet = self._worksheet(title, len(header))
        worksheet.resize(rows=len(rows) + 1, cols=len(header))
        worksheet.clear()
        table: list[Sequence[Cell]] = [header, *rows]
        for start in range(0, len(table), CHUNK_ROWS):
            worksheet.update(
                table[start : start + CHUNK_ROWS], f"A{start + 1}", value_input_option=ValueInputOption.raw
            )

    def _worksheet(self, title: str, columns: int) -> gspread.Worksheet:
        try:
            worksheet = self.spreadsheet.worksheet(title)
        except gspread.WorksheetNotFound:
            worksheet = self.spreadsheet.add_worksheet(title, rows=100, cols=columns)
        self._sheet_ids[title] = worksheet.id
        return worksheet

    def _read_keys(self) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
        if not self._sheet_ids:
            self.ensure_layout()
        ranges = self.spreadsheet.values_batch_get([f"'{INTERVIEWS}'!A:A", f"'{ANSWERS}'!A:B"])["valueRanges"]
        interviews, answers = ([tuple(map(str, row)) for row in r.get("values", [])] for r in ranges)
        return interviews, answers

    def _place(
        self, requests: list[dict[str, Any]], title: str, rows: list[list[Cell]], indexes: list[int | None]
    ) -> None:
        sheet_id = self._sheet_ids[title]
        new = [row for row, index in zip(rows, indexes, strict=True) if index is None]
        for row, index in zip(rows, indexes, strict=True):
            if index is not None:
                requests.append({"updateCells": {
                    "start": {"sheetId": sheet_id, "rowIndex": index, "columnIndex": 0},
                    "rows": [_cells(row)], "fields": "userEnteredValue",
                }})  # fmt: skip
        if new:
            requests.append(
                {"appendCells": {"sheetId": sheet_id, "rows": [_cells(r) for r in new], "fields": "userEnteredValue"}}
            )


def _row_index(keys: list[tuple[str, ...]], key: tuple[str, ...]) -> int | None:
    for index, row in enumerate(keys):
        if index > 0 and row[: len(key)] == key:  # index 0 is the header
            return index
    return None


def _cells(row: list[Cell]) -> dict[str, Any]:
    """Numbers stay numbers; text is stored as text (never evaluated as a formula)."""
    values: list[dict[str, Any]] = []
    for value in row:
        if isinstance(value, bool) or not isinstance(value, int | float):
            values.append({"userEnteredValue": {"stringValue": str(value)}})
        else:
            values.append({"userEnteredValue": {"numberValue": value}})
    return {"values": values}
