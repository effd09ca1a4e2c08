import asyncio
import uuid

import aio_pika
import pytest

from shared.settings import ServiceSettings
from shared.topology import SUBSCRIPTIONS, Names

AMQP_URL = ServiceSettings().amqp_url


def fresh_namespace(prefix: str = "test") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


async def delete_namespace(namespace: str, amqp_url: str = AMQP_URL) -> None:
    """Remove every exchange and queue a test created under its namespace."""
    names = Names(namespace)
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        for service in SUBSCRIPTIONS:
            for queue in (names.queue(service), names.dead_letter_queue(service)):
                await channel.queue_delete(queue)
        for exchange in (names.exchange, names.dead_letter_exchange):
            await channel.exchange_delete(exchange)


@pytest.fixture
def namespace():
    name = fresh_namespace()
    yield name
    asyncio.run(delete_namespace(name))
