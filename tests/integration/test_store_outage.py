"""The persistence service while its database is out of reach, in-process on the real RabbitMQ: reads get a
503 to retry (not a 500), each logged in one line, and /readyz answers within its probe's timeout."""

import asyncio
import logging
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from pymongo.errors import ServerSelectionTimeoutError

from services.persistence.settings import PersistenceSettings
from tests.integration.test_recruiting_api import serving


@pytest.fixture
async def persistence(namespace, tmp_path) -> AsyncIterator[tuple[httpx.AsyncClient, object]]:
    async with serving(PersistenceSettings(broker_namespace=namespace, data_dir=tmp_path, admin_token=None)) as (
        client,
        app,
    ):
        yield client, app.state.store


async def test_a_database_out_of_reach_is_a_503_logged_once(persistence, monkeypatch, caplog):
    client, store = persistence

    async def unreachable(*_: object, **__: object) -> None:
        raise ServerSelectionTimeoutError("mongodb:27017: [Errno 111] Connection refused, Timeout: 5.0s")

    monkeypatch.setattr(store, "get_interview", unreachable)
    with caplog.at_level(logging.WARNING):
        response = await client.get("/api/data/interview/abcd1234")
    assert response.status_code == 503, response.text
    assert response.json()["error"] == "unavailable" and "retry" in response.json()["message"]
    assert response.headers["retry-after"] == "5"
    said = [r for r in caplog.records if "store is unavailable" in r.getMessage()]
    assert len(said) == 1 and said[0].exc_info is None  # one line, no traceback
    assert not any(r.exc_info for r in caplog.records)


async def test_readiness_answers_within_a_second_when_the_database_hangs(persistence, monkeypatch):
    client, store = persistence

    async def hanging(_: object) -> bool:
        await asyncio.sleep(30)
        return True

    monkeypatch.setattr(type(store), "ping", hanging)
    began = time.monotonic()
    response = await client.get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["store"] is False
    assert time.monotonic() - began < 3  # the probe's timeoutSeconds (deploy/k8s)
