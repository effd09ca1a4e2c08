"""The MongoDB the tests use, a real server in every case, started the first time a test asks and stopped
when the test run ends:
1. the server at MONGODB_URL when it is set (.github/workflows/ci.yml runs a `mongod` service container);
2. else `mongod` in a Docker container (testcontainers), where a Docker engine runs;
3. else SecantusDB (tools/secantus.py): MongoDB's wire protocol on WiredTiger, MongoDB's storage engine, as a
   process on a free port with its data in a temporary folder (the machines here have no Docker engine).

`TEST_STORE=mongodb` (make test-mongo) runs the end-to-end stacks on it too (tests/e2e/conftest.py)."""

from __future__ import annotations

import atexit
import functools
import importlib.util
import os
import shutil
import subprocess

from tools import secantus


@functools.cache
def _docker_available() -> bool:
    if not (shutil.which("docker") and importlib.util.find_spec("testcontainers.mongodb")):
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=15).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def server_name() -> str:
    """What the MongoDB tests run against, for the test report's header and messages."""
    if os.environ.get("MONGODB_URL"):
        return "the MongoDB server at MONGODB_URL"
    return "mongod 7 in Docker (testcontainers)" if _docker_available() else "SecantusDB, started by the test run"


@functools.cache
def mongodb_url() -> str:
    if url := os.environ.get("MONGODB_URL"):
        return url
    if _docker_available():
        from testcontainers.mongodb import MongoDbContainer

        container = MongoDbContainer("mongo:7").start()
        atexit.register(container.stop)
        return str(container.get_connection_url())
    server = secantus.start()
    atexit.register(server.stop)
    return server.url


def stacks_use_mongodb() -> bool:
    """Whether the end-to-end stacks keep their data in MongoDB rather than SQLite."""
    return bool(os.environ.get("MONGODB_URL")) or os.environ.get("TEST_STORE") == "mongodb"
