"""Wiring of the persistence service: store, broker consumer and read API in one process."""

import logging
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pymongo.errors import ConnectionFailure

from services.persistence.api import include_routers
from services.persistence.handlers import build_handlers
from services.persistence.replay import replay
from services.persistence.settings import PersistenceSettings
from services.persistence.store import Store, open_store
from shared.platform import dlq
from shared.platform.bodylimit import RECRUITING_UPLOADS
from shared.platform.http_errors import error_body
from shared.platform.messaging import Broker
from shared.platform.service import service_app
from shared.platform.settings import ConfigurationError

log = logging.getLogger(__name__)
COMPOSE_DEFAULT_TOKEN = "compose-internal-token-change-me"  # docker-compose.yml's, for a first try only
# the examples' placeholders (deploy/k8s/base/secret.yaml): a deployment that kept one has an admin token anyone
# who read the repository knows
PLACEHOLDER_TOKENS = ("change-me", "change-me-too", "changeme")


def create_app(settings: PersistenceSettings, store: Store | None = None) -> FastAPI:
    for name, token in (("ADMIN_TOKEN", settings.admin_token), ("INTERNAL_TOKEN", settings.internal_token)):
        if token is not None and token.get_secret_value().strip().lower() in PLACEHOLDER_TOKENS:
            raise ConfigurationError(
                f"{name} is the example's placeholder, known to anyone who read it: set your own (openssl rand -hex 32)"
            )
    store = store or open_store(settings)

    @asynccontextmanager
    async def opened_store(_: Broker) -> AsyncIterator[None]:
        await store.open()
        log.info("storing in %s", store.description)
        if not settings.admin_token and settings.bind_host not in ("127.0.0.1", "localhost", "::1"):
            log.warning(
                "ADMIN_TOKEN is not set: until the first user exists /api/data is open to anyone on this machine "
                "(bound to %s); elsewhere, make the first admin with create-admin",
                settings.bind_host,
            )
        if settings.internal_token and settings.internal_token.get_secret_value() == COMPOSE_DEFAULT_TOKEN:
            log.warning("INTERNAL_TOKEN is docker-compose.yml's default, known to anyone: set your own in .env")
        if not settings.internal_credential() and await store.list_records("user"):
            log.error("neither INTERNAL_TOKEN nor ADMIN_TOKEN is set and there are users: the other services "
                      "cannot read the events they need; set the same INTERNAL_TOKEN on every service")  # fmt: skip
        if store.needs_rebuild:
            log.warning("read models are from an older version: rebuilding them from the events")
            await replay(store)
        yield
        await store.close()

    handlers = build_handlers(store, on_erased=lambda session_id: dlq.purge_session(settings, session_id))
    app = service_app(
        "persistence", settings, handlers=handlers, resources=opened_store, checks={"store": lambda: store.ping()},
        body_limits=RECRUITING_UPLOADS,
    )  # fmt: skip
    app.state.store = store
    include_routers(app)

    async def store_unavailable(request: Request, error: Exception) -> JSONResponse:
        """The database down (MongoDB out of reach, SQLite's file failing): a 503 to retry, logged in one line,
        not a 500 with its traceback twice per request."""
        log.warning("the store is unavailable: %s", str(error).splitlines()[0][:300], extra={"path": request.url.path})
        body = error_body(503, "The database cannot be reached right now; retry in a moment.")
        return JSONResponse(body, status_code=503, headers={"Retry-After": "5"})

    app.add_exception_handler(ConnectionFailure, store_unavailable)
    app.add_exception_handler(sqlite3.OperationalError, store_unavailable)
    return app
