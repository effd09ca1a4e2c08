"""The stores under test: SQLite, and MongoDB on a real server (tests/mongodb.py: SecantusDB started by the
test run, or the `mongod` at MONGODB_URL), each case in a database of its own, dropped afterwards."""

import tempfile
import uuid
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from services.persistence.store.mongo import MongoStore
from services.persistence.store.sqlite import SQLiteStore
from tests.mongodb import mongodb_url

MONGODB_KIND = "mongodb"
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
    store = MongoStore.from_url(mongodb_url(), database)
    await store.open()
    try:
        yield store
    finally:
        await store.client.drop_database(database)
        await store.close()
