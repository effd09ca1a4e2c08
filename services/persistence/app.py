"""Wiring of the persistence service: store, broker consumer and read API in one process."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from services.persistence.api import data, internal
from services.persistence.handlers import build_handlers
from services.persistence.settings import PersistenceSettings
from services.persistence.store import open_store
from shared.http_errors import install_error_handlers
from shared.messaging import Broker
from shared.service import health_router


def create_app(settings: PersistenceSettings) -> FastAPI:
    store = open_store(settings)
    broker = Broker(settings, "persistence")

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await store.open()
        await broker.start(build_handlers(store))
        yield
        await broker.close()
        await store.close()

    app = FastAPI(title="interviewer persistence", lifespan=lifespan)
    app.state.store = store
    install_error_handlers(app)
    app.include_router(health_router("persistence", {"broker": lambda: broker.is_connected, "store": store.ping}))
    app.include_router(data)
    app.include_router(internal)
    return app
