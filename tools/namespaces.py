"""Fresh broker namespaces for tests and benchmarks, and their removal afterwards."""

import uuid

import aio_pika

from shared.contracts.topology import SUBSCRIPTIONS, Names


def fresh_namespace(prefix: str = "test") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


async def delete_namespace(namespace: str, amqp_url: str) -> None:
    """Remove every exchange and queue created under `namespace`."""
    names = Names(namespace)
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        for service in SUBSCRIPTIONS:
            for queue in (names.queue(service), names.dead_letter_queue(service)):
                await channel.queue_delete(queue)
        for exchange in (names.exchange, names.dead_letter_exchange):
            await channel.exchange_delete(exchange)
