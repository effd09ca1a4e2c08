"""The exporter's HTTP side for the dashboard: is Sheets export on, and push everything now."""

import asyncio
import logging
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field, field_validator

from services.exporter.manual import export_all, reserved_sheet_problem
from shared.contracts.events import utc_now

log = logging.getLogger(__name__)
CSRF_HEADER = "x-requested-with"
# who asks, and from where (the gateway's X-Forwarded-For and -Host, the page's Origin: a machine with no users yet
# opens only to itself, services/persistence/api/auth.py)
PASSED_ON = ("authorization", "cookie", CSRF_HEADER, "x-forwarded-for", "x-forwarded-host", "origin")


async def recruiter(request: Request) -> None:
    """Accounts live in the persistence service: it says who the request's credentials name (an admin or
    a recruiter may push to Sheets)."""
    headers = {k: v for k, v in request.headers.items() if k.lower() in PASSED_ON}
    cookie_only = "cookie" in headers and "authorization" not in headers
    if request.method not in ("GET", "HEAD", "OPTIONS") and cookie_only and headers.get(CSRF_HEADER) != "interviewer":
        # the same rule as persistence's (it is only asked GET /api/auth/me here, a read, which skips it)
        raise HTTPException(
            403, "A change made with the sign-in cookie needs the header 'X-Requested-With: interviewer'."
        )
    try:
        async with httpx.AsyncClient(base_url=request.app.state.settings.persistence_url, timeout=5) as client:
            response = await client.get("/api/auth/me", headers=headers)
    except httpx.HTTPError:
        raise HTTPException(503, "Accounts cannot be checked right now (the data service is not reachable).") from None
    if response.status_code == 401:
        raise HTTPException(
            401, response.json().get("message", "Sign in first."), headers={"WWW-Authenticate": "Bearer"}
        )
    if response.status_code != 200:
        raise HTTPException(503, "Accounts cannot be checked right now.")
    if response.json()["role"] not in ("admin", "recruiter"):
        raise HTTPException(403, "Pushing to Google Sheets needs the role admin or recruiter.")


router = APIRouter(prefix="/api/sheets", tags=["sheets"], dependencies=[Depends(recruiter)])


class ExportRequest(BaseModel):
    sheet_name: Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[^'\[\]:*?/\\]+$")] = "Interview Data"

    @field_validator("sheet_name")
    @classmethod
    def not_an_automatic_worksheet(cls, sheet_name: str) -> str:
        if problem := reserved_sheet_problem(sheet_name):
            raise ValueError(problem)
        return sheet_name


@router.get("/status")
async def status(request: Request) -> dict[str, Any]:
    exporter = request.app.state.exporter
    return {
        "configured": exporter is not None,
        "ready": bool(exporter and exporter.ready),
        "problem": exporter.problem if exporter else None,
        "last_export": request.app.state.last_export,
    }


@router.post("/export", status_code=202)
async def export(body: ExportRequest, request: Request) -> dict[str, Any]:
    """Write every stored interview to the named worksheet (replacing it), in the background."""
    state = request.app.state
    if state.exporter is None:
        raise HTTPException(501, "Google Sheets export is not configured (see the README's Google Sheets section).")
    if state.export_task is not None and not state.export_task.done():
        raise HTTPException(409, "An export is already running; wait for it to finish.")

    async def run() -> None:
        state.last_export = {"sheet_name": body.sheet_name, "started_at": utc_now().isoformat(), "status": "running"}
        try:
            count = await export_all(state.settings, body.sheet_name, state.exporter)
            state.last_export |= {"status": "done", "interviews": count, "finished_at": utc_now().isoformat()}
        except Exception as error:  # reported to the dashboard, not raised into the void
            log.exception("manual export failed")
            state.last_export |= {"status": "failed", "message": str(error)[:300]}

    state.export_task = asyncio.create_task(run())
    return {"status": "started", "sheet_name": body.sheet_name}
