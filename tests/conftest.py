import asyncio

import pytest

from shared.settings import ServiceSettings
from tools.namespaces import delete_namespace, fresh_namespace

AMQP_URL = ServiceSettings().amqp_url


@pytest.fixture
def namespace():
    name = fresh_namespace()
    yield name
    asyncio.run(delete_namespace(name, AMQP_URL))


def pytest_report_header(config) -> str:
    from tests.integration.stores import MONGODB_SOURCE

    return f"MongoDB store cases run against {MONGODB_SOURCE}"
