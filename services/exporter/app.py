"""Wiring of the exporter. Sheets configured but refusing (bad credentials, spreadsheet not
shared) is said in one log line and a failing readiness check; the exporter then retries every
minute and starts consuming once Sheets answers, so events wait in its queue meanwhile."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from services.exporter import api
from services.exporter.exporter import SheetsExporter
from services.exporter.handlers import acknowledging_handlers, build_handlers
from services.exporter.settings import ExporterSettings
from shared.platform.bodylimit import BodyLimit
from shared.platform.http_errors import install_error_handlers
from shared.platform.messaging import Broker
from shared.platform.service import health_router

log = logging.getLogger(__name__)
RECONNECT_SECONDS = 60.0


def create_app(settings: ExporterSettings) -> FastAPI:
    broker = Broker(settings, "exporter")
    exporter = SheetsExporter(settings) if settings.sheets_configured else None

    async def connect_then_consume() -> None:
        """Until it consumes: whatever stops it (Sheets refusing, the broker down for longer than
        broker.start waits) is said in a log line and tried again, so it never silently stops."""
        while True:
            try:
                if await exporter.connect():
                    log.info("Google Sheets export is on", extra={"spreadsheet": settings.google_sheets_spreadsheet_id})
                    await broker.start(build_handlers(exporter))
                    return
                problem = exporter.problem
            except Exception as error:
                problem = f"{type(error).__name__}: {error}"
            log.error("Google Sheets export cannot start: %s. Retrying every %.0f s; events wait in the queue.",
                      problem, RECONNECT_SECONDS)  # fmt: skip
            await asyncio.sleep(RECONNECT_SECONDS)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        task = None
        if exporter is None:
            log.info("Google Sheets export is off (set GOOGLE_SHEETS_CREDENTIALS_FILE and "
                     "GOOGLE_SHEETS_SPREADSHEET_ID to turn it on); completed interviews are acknowledged")  # fmt: skip
            await broker.start(acknowledging_handlers())
        else:
            task = asyncio.create_task(connect_then_consume())
        yield
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await broker.close()
        if exporter is not None:
            await exporter.close()

    def sheets_ready() -> bool:
        return exporter is None or exporter.ready

    app = FastAPI(title="interviewer exporter", lifespan=lifespan)
    app.add_middleware(BodyLimit, default=16 * 1024)
    install_error_handlers(app)
    app.include_router(
        health_router("exporter", {"broker": lambda: broker.is_connected, "sheets": sheets_ready}, broker)
    )
    app.state.exporter = exporter
    app.state.settings = settings
    app.state.export_task = None
    app.state.last_export = None
    app.include_router(api.router)
    return app
