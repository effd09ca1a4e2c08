import asyncio
import os
import shlex
import subprocess

import pytest

from shared.platform.settings import ServiceSettings
from tools.namespaces import delete_namespace, fresh_namespace

AMQP_URL = ServiceSettings().amqp_url
# how the tests that stop the broker or block its publishers reach it: the local broker by default;
# .github/workflows/ci.yml runs it in a service container (RABBITMQCTL="docker exec <id> rabbitmqctl")
RABBITMQCTL = shlex.split(os.environ.get("RABBITMQCTL", "rabbitmqctl"))


def rabbitmqctl(*args: str, timeout: float = 120) -> None:
    subprocess.run([*RABBITMQCTL, *args], check=True, capture_output=True, timeout=timeout)


@pytest.fixture
def namespace():
    name = fresh_namespace()
    yield name
    asyncio.run(delete_namespace(name, AMQP_URL))


def pytest_report_header(config) -> str:
    from tests.mongodb import server_name

    return f"MongoDB store cases run against {server_name()}"


@pytest.fixture
def fresh_embedder():
    """The embedding model's switch read afresh for the test (tests/embedding_switch.py)."""
    from shared.ai.offline import embedding

    embedding.reset()
    yield
    embedding.reset()


@pytest.fixture
def switched_off(monkeypatch):
    """The offline scorer without its embedding model: the rules score alone."""
    from shared.ai.offline import embedding

    monkeypatch.setenv(embedding.SWITCH, "0")
    embedding.reset()
    yield
    monkeypatch.delenv(embedding.SWITCH)
    embedding.reset()


@pytest.fixture(scope="module")
def fake_openai():
    """A real local HTTP server standing in for OpenAI (tests/fakes/openai_server.py), one per test module."""
    from tests.fakes.openai_server import FakeOpenAI

    server = FakeOpenAI().start()
    yield server
    server.stop()
