"""The stores under test: SQLite always; MongoDB against a real server when MONGODB_URL is set,
otherwise against the in-process fake (tests/fakes/mongo.py), since no MongoDB server can run
on this machine. The test ids say which: sqlite, mongodb-real or mongodb-fake."""

import os
import tempfile
import uuid
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from services.persistence.store.mongo import MongoStore
from services.persistence.store.sqlite import SQLiteStore
from tests.fakes.mongo import FakeAsyncMongoClient

MONGODB_URL = os.environ.get("MONGODB_URL")
MONGODB_KIND = "mongodb-real" if MONGODB_URL else "mongodb-fake"
STORE_KINDS = [pytest.param("sqlite", id="sqlite"), pytest.param(MONGODB_KIND, id=MONGODB_KIND)]


@asynccontextmanager
async def open_store(kind: str, folder: Path | None = None):
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as scratch:
            store = SQLiteStore(Path(folder or scratch) / "interviewer.sqlite3")
            await store.open()
            try:
                yield store
            finally:
                await store.close()
        return
    database = f"interviewer_test_{uuid.uuid4().hex[:8]}"
    if kind == "mongodb-real":
        store = MongoStore.from_url(MONGODB_URL, database)
    else:
        store = MongoStore(FakeAsyncMongoClient(), database)
    await store.open()
    try:
        yield store
    finally:
        if kind == "mongodb-real":
            await store.client.drop_database(database)
        await store.close()
