"""The exporter's state: its Google Sheets connection, or why there is none."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar, TypeVarTuple

import httpx
from google.auth.exceptions import GoogleAuthError
from gspread.exceptions import GSpreadException

from services.exporter.rows import Cell, outcome, rows_of_report
from services.exporter.settings import ExporterSettings
from services.exporter.sheets import Sheets, SheetsUnavailable, paced_client_class
from shared.contracts.events import Event, ReportGenerated, ReportRevised, parse_event

log = logging.getLogger(__name__)
T = TypeVar("T")
Ts = TypeVarTuple("Ts")


class SheetsExporter:
    def __init__(self, settings: ExporterSettings) -> None:
        self.settings = settings
        self.sheets: Sheets | None = None
        self.problem: str | None = None
        # one worker thread: sheet operations never interleave (two upserts of one session would both append)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sheets")
        self._persistence = httpx.AsyncClient(
            base_url=settings.persistence_url, timeout=10, headers=settings.internal_headers()
        )

    @property
    def ready(self) -> bool:
        return self.sheets is not None

    async def _run(self, work: Callable[[*Ts], T], *args: *Ts) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, work, *args)

    async def connect(self) -> bool:
        """Open the spreadsheet and make sure both worksheets have their header; False (and
        `problem` says why) if the credentials, the spreadsheet or Google refuse."""
        settings = self.settings
        credentials_file = settings.google_sheets_credentials_file
        spreadsheet_id = settings.google_sheets_spreadsheet_id
        if credentials_file is None or not spreadsheet_id:  # the callers check sheets_configured first
            self.problem = "set GOOGLE_SHEETS_CREDENTIALS_FILE and GOOGLE_SHEETS_SPREADSHEET_ID"
            return False
        client_class = paced_client_class(
            settings.google_sheets_api_url,
            settings.google_sheets_requests_per_minute,
            settings.google_sheets_retry_seconds,
        )
        try:
            sheets = await self._run(Sheets, str(credentials_file), spreadsheet_id, client_class)
            await self._run(sheets.ensure_layout)
        except (
            OSError,
            ValueError,
            json.JSONDecodeError,
            GoogleAuthError,
            GSpreadException,
            SheetsUnavailable,
            AttributeError,  # a credentials file holding JSON of another shape ([], a string)
            KeyError,
            TypeError,
        ) as error:
            self.problem = describe(error)
            return False
        self.sheets, self.problem = sheets, None
        return True

    async def export(self, event: ReportGenerated | ReportRevised) -> None:
        """The interview's rows as its outcome stands: the report, or its latest revision after an upheld
        correction, whichever of the two events comes (a report retried late must not undo a revision)."""
        if await self._erased(event.session_id):
            log.info("not exported: the interview was erased", extra={"session_id": event.session_id})
            return
        report = outcome(event, await self._stored(event.session_id))
        await self._run(self._connected().upsert, rows_of_report(report))

    async def replace_worksheet(self, title: str, header: list[str], rows: list[list[Cell]]) -> None:
        await self._run(self._connected().replace_worksheet, title, header, rows)

    async def remove(self, session_id: str) -> int:
        return await self._run(self._connected().remove, session_id)

    def _connected(self) -> Sheets:
        """The Sheets connection: handlers and manual exports run only once `connect` succeeded."""
        if self.sheets is None:
            raise SheetsUnavailable("not connected to Google Sheets")
        return self.sheets

    async def _stored(self, session_id: str) -> list[Event]:
        """The session's events as the system of record has them (none yet: an empty list)."""
        response = await self._persistence.get(f"/internal/sessions/{session_id}/events")
        if response.status_code == 404:
            return []
        response.raise_for_status()
        return [parse_event(raw) for raw in response.json()["events"]]

    async def _erased(self, session_id: str) -> bool:
        """Asked of the system of record, so a report re-driven after an erasure is not exported again."""
        response = await self._persistence.get(f"/internal/sessions/{session_id}/erased")
        response.raise_for_status()
        return bool(response.json()["erased"])

    async def close(self) -> None:
        await self._persistence.aclose()
        self._executor.shutdown(wait=True)


def describe(error: BaseException) -> str:
    """One line an operator can act on."""
    text = str(error).strip().splitlines()[0][:300] if str(error).strip() else type(error).__name__
    if isinstance(error, FileNotFoundError):
        return f"the credentials file does not exist ({error.filename}); check GOOGLE_SHEETS_CREDENTIALS_FILE"
    if isinstance(error, OSError) and error.filename:  # the key file itself cannot be read
        return (f"the credentials file cannot be read ({error.strerror}: {error.filename}); make it readable by "
                "the exporter's user (uid 10001 in the image)")  # fmt: skip
    invalid = (json.JSONDecodeError, ValueError, AttributeError, KeyError, TypeError)
    if isinstance(error, invalid) and not isinstance(error, GSpreadException):
        return f"the credentials file is not a service-account key ({text}); check GOOGLE_SHEETS_CREDENTIALS_FILE"
    if isinstance(error, GoogleAuthError):
        return f"Google refused the service account's credentials ({text}); check the key, or create a new one"
    if isinstance(error, PermissionError) or "PERMISSION_DENIED" in text or "403" in text:
        return "the service account may not open the spreadsheet: share it with the account's e-mail as an editor"
    if "404" in text or "not found" in text.lower():
        return "no spreadsheet with that id; check GOOGLE_SHEETS_SPREADSHEET_ID"
    return f"Google Sheets could not be opened ({type(error).__name__}: {text})"
