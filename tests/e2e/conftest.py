"""The five services as real processes on a real RabbitMQ, under a fresh broker namespace
and a fresh data folder. Logs go to test-output/e2e/<module>/."""

import asyncio
import signal
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import AMQP_URL
from tests.mongodb import mongodb_url, stacks_use_mongodb
from tools.namespaces import delete_namespace, fresh_namespace
from tools.stack import SERVICES, Stack, free_port

OUTPUT = Path(__file__).resolve().parents[2] / "test-output" / "e2e"


def start_stack(name: str, tmp_path: Path, start_replicas: dict[str, int] | None = None, **env: str) -> Stack:
    namespace = fresh_namespace("e2e")
    log_dir = OUTPUT / name
    log_dir.mkdir(parents=True, exist_ok=True)
    for old in log_dir.glob("*.log"):
        old.unlink()
    own = {"BROKER_NAMESPACE": namespace, "DATA_DIR": str(tmp_path / "interview_data"), "LOG_LEVEL": "INFO"}
    if stacks_use_mongodb():  # MongoDB as the store (tests/mongodb.py): a database of its own
        own |= {"MONGODB_URL": mongodb_url(), "MONGODB_DATABASE": namespace.replace("-", "_")}
    stack = Stack(
        env=own | env,
        ports={service: free_port() for service in SERVICES},
        log_dir=log_dir,
    )
    stack.namespace = namespace
    stack.start(replicas=start_replicas)
    try:
        seconds = stack.wait_ready()
    except BaseException:
        stop_stack(stack)
        raise
    print(f"\n[{name}] five services ready in {seconds:.2f}s (logs: {log_dir})")
    return stack


def stop_stack(stack: Stack) -> dict:
    codes = stack.stop()
    if stack.env.get("MONGODB_URL") and stack.env.get("MONGODB_DATABASE", "").startswith("e2e_"):
        from pymongo import MongoClient

        with MongoClient(stack.env["MONGODB_URL"], serverSelectionTimeoutMS=5000) as client:
            client.drop_database(stack.env["MONGODB_DATABASE"])
    # in a thread of its own: callers (Playwright's sync API) may already run an event loop here
    cleanup = threading.Thread(target=asyncio.run, args=(delete_namespace(stack.namespace, AMQP_URL),))
    cleanup.start()
    cleanup.join(30)
    return codes


@pytest.fixture(scope="module")
def stack(request, tmp_path_factory):
    stack = start_stack(
        request.module.__name__.rsplit(".", 1)[-1],
        tmp_path_factory.mktemp("stack"),
        **getattr(request.module, "STACK_ENV", {}),
    )
    yield stack
    assert_clean_shutdown(stack, stop_stack(stack))


def assert_clean_shutdown(stack: Stack, codes: dict) -> None:
    """SIGTERM ran each service's shutdown (uvicorn then exits by the same signal)."""
    for name, process in stack.processes.items():
        assert codes[name] in (0, -signal.SIGTERM), f"{name} exited with {codes[name]}"
        assert any("Application shutdown complete" in line for line in process.lines), f"{name} did not shut down"


@pytest.fixture
def gateway(stack):
    with httpx.Client(base_url=stack.url(), timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def admin(stack, request):
    """The gateway as a recruiter: with the module's STACK_ENV ADMIN_TOKEN."""
    token = request.module.STACK_ENV["ADMIN_TOKEN"]
    with httpx.Client(base_url=stack.url(), timeout=60, headers={"Authorization": f"Bearer {token}"}) as client:
        yield client


def eventually(read, check, timeout: float = 10.0, interval: float = 0.05):
    """Poll `read()` until `check(value)` holds and return that value; fail the test if it never does."""
    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if check(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still not so after {timeout} s; last value: {value!r}"[:3000])
        time.sleep(interval)
