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
