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
from shared.platform.messaging import Broker
from shared.platform.service import service_app

log = logging.getLogger(__name__)
RECONNECT_SECONDS = 60.0


def create_app(settings: ExporterSettings) -> FastAPI:
    exporter = SheetsExporter(settings) if settings.sheets_configured else None

    async def connect_then_consume(broker: Broker) -> None:
        """Until it consumes: whatever stops it (Sheets refusing, the broker down for longer than
        broker.start waits) is said in a log line and tried again, so it never silently stops."""
        assert exporter is not None
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
    async def sheets_first(broker: Broker) -> AsyncIterator[None]:
        """Consuming starts once Sheets answers (the broker then closes before the Sheets client)."""
        assert exporter is not None
        task = asyncio.create_task(connect_then_consume(broker))
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await exporter.close()

    def sheets_ready() -> bool:
        return exporter is None or exporter.ready

    if exporter is None:
        log.info("Google Sheets export is off (set GOOGLE_SHEETS_CREDENTIALS_FILE and "
                 "GOOGLE_SHEETS_SPREADSHEET_ID to turn it on); completed interviews are acknowledged")  # fmt: skip
    app = service_app(
        "exporter",
        settings,
        handlers=acknowledging_handlers() if exporter is None else None,
        resources=sheets_first if exporter is not None else None,
        checks={"sheets": sheets_ready},
        body_limit=16 * 1024,
    )
    app.state.exporter = exporter
    app.state.export_task = None
    app.state.last_export = None
    app.include_router(api.router)
    return app
