"""The stores under test: SQLite always; MongoDB against a real server when MONGODB_URL is set,
otherwise against the in-process fake (tests/fakes/mongo.py), since no MongoDB server can run
on this machine. The test ids say which: sqlite, mongodb-real or mongodb-fake."""

import atexit
import importlib.util
import os
import shutil
import subprocess
import tempfile
import uuid
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from services.persistence.store.mongo import MongoStore
from services.persistence.store.sqlite import SQLiteStore
from tests.fakes.mongo import FakeAsyncMongoClient


def _docker_available() -> bool:
    if not (shutil.which("docker") and importlib.util.find_spec("testcontainers.community")):
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=15).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


MONGODB_URL = os.environ.get("MONGODB_URL")
MONGODB_KIND = "mongodb-real" if MONGODB_URL or _docker_available() else "mongodb-fake"
MONGODB_SOURCE = (
    "a real server at MONGODB_URL" if MONGODB_URL
    else "a real server in a Docker container (testcontainers)" if MONGODB_KIND == "mongodb-real"
    else "the in-process fake (no MONGODB_URL, no Docker engine)"
)  # fmt: skip
STORE_KINDS = [pytest.param("sqlite", id="sqlite"), pytest.param(MONGODB_KIND, id=MONGODB_KIND)]
_container = None


def _real_mongodb_url() -> str:
    global _container
    if MONGODB_URL:
        return MONGODB_URL
    if _container is None:
        from testcontainers.community.mongodb import MongoDbContainer

        _container = MongoDbContainer("mongo:7").start()
        atexit.register(_container.stop)
    return _container.get_connection_url()


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
        store = MongoStore.from_url(_real_mongodb_url(), database)
    else:
        store = MongoStore(FakeAsyncMongoClient(), database)
    await store.open()
    try:
        yield store
    finally:
        if kind == "mongodb-real":
            await store.client.drop_database(database)
        await store.close()
