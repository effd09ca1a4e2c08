"""Wiring of the persistence service: store, broker consumer and read API in one process."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from services.persistence.api import include_routers
from services.persistence.handlers import build_handlers
from services.persistence.replay import replay
from services.persistence.settings import PersistenceSettings
from services.persistence.store import Store, open_store
from shared.platform import dlq
from shared.platform.bodylimit import BodyLimit
from shared.platform.http_errors import install_error_handlers
from shared.platform.messaging import Broker
from shared.platform.service import health_router

log = logging.getLogger(__name__)


def create_app(settings: PersistenceSettings, store: Store | None = None) -> FastAPI:
    store = store or open_store(settings)
    broker = Broker(settings, "persistence")

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await store.open()
        log.info("storing in %s", store.description)
        if not settings.admin_token and settings.bind_host not in ("127.0.0.1", "localhost", "::1"):
            log.warning("ADMIN_TOKEN is not set: /api/data is open to anyone who can reach %s", settings.bind_host)
        if store.needs_rebuild:
            log.warning("read models are from an older version: rebuilding them from the events")
            await replay(store)
        await broker.start(build_handlers(store, on_erased=lambda session_id: dlq.purge_session(settings, session_id)))
        yield
        await broker.close()
        await store.close()

    app = FastAPI(title="interviewer persistence", lifespan=lifespan)
    app.add_middleware(BodyLimit, default=64 * 1024)
    app.state.store = store
    app.state.broker = broker
    app.state.settings = settings
    install_error_handlers(app)
    app.include_router(
        health_router("persistence", {"broker": lambda: broker.is_connected, "store": store.ping}, broker)
    )
    include_routers(app)
    return app
