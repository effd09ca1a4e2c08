"""Wiring of the exporter. Sheets configured but refusing (bad credentials, spreadsheet not
shared) is said in one log line and a failing readiness check; the exporter then retries every
minute and starts consuming once Sheets answers, so events wait in its queue meanwhile."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from services.exporter import api, webhooks
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
    async def sheets_and_webhooks(broker: Broker) -> AsyncIterator[None]:
        """The webhooks' consumer, on a queue of its own; the Sheets export's, once Sheets answers (each
        broker closes, its messages in hand finished, before the clients they use)."""
        webhooks_broker.on_reconnect.append(deliverer.endpoints.forget)
        await webhooks_broker.start(
            webhooks.build_handlers(deliverer),
            listener=deliverer.endpoints.changed,
            listen_to=webhooks.ENDPOINT_CHANGES,
        )
        task = asyncio.create_task(connect_then_consume(broker)) if exporter is not None else None
        yield
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await webhooks_broker.close()
        await deliverer.close()
        if exporter is not None:
            await exporter.close()

    def sheets_ready() -> bool:
        return exporter is None or exporter.ready

    if exporter is None:
        log.info("Google Sheets export is off (set GOOGLE_SHEETS_CREDENTIALS_FILE and "
                 "GOOGLE_SHEETS_SPREADSHEET_ID to turn it on); completed interviews are acknowledged")  # fmt: skip
    deliverer = webhooks.WebhookDeliverer(
        settings.persistence_url,
        settings.internal_headers(),
        settings.webhook_timeout_seconds,
        settings.webhook_retry_seconds,
        settings.webhooks_allowed_networks,
    )
    webhooks_broker = deliverer.broker = Broker(settings, "webhooks")
    app = service_app(
        "exporter",
        settings,
        handlers=acknowledging_handlers() if exporter is None else None,
        resources=sheets_and_webhooks,
        checks={"sheets": sheets_ready, "webhooks": lambda: webhooks_broker.is_connected},
        more_brokers=(webhooks_broker,),  # its dead letters on /metrics too
        body_limit=16 * 1024,
    )
    app.state.exporter = exporter
    app.state.export_task = None
    app.state.last_export = None
    app.include_router(api.router)
    return app
