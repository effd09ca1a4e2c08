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
from shared.platform.messaging import Broker
from shared.platform.service import service_app

log = logging.getLogger(__name__)


def create_app(settings: PersistenceSettings, store: Store | None = None) -> FastAPI:
    store = store or open_store(settings)

    @asynccontextmanager
    async def opened_store(_: Broker) -> AsyncIterator[None]:
        await store.open()
        log.info("storing in %s", store.description)
        if not settings.admin_token and settings.bind_host not in ("127.0.0.1", "localhost", "::1"):
            log.warning("ADMIN_TOKEN is not set: /api/data is open to anyone who can reach %s", settings.bind_host)
        if store.needs_rebuild:
            log.warning("read models are from an older version: rebuilding them from the events")
            await replay(store)
        yield
        await store.close()

    handlers = build_handlers(store, on_erased=lambda session_id: dlq.purge_session(settings, session_id))
    app = service_app("persistence", settings, handlers=handlers, resources=opened_store, checks={"store": store.ping})
    app.state.store = store
    include_routers(app)
    return app
