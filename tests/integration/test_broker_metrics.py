"""What a service's /metrics says about the broker, against the real local RabbitMQ: the DLQ
depth is asked for passively and briefly, and a poison message cannot invent metric labels."""

import asyncio
import math
import uuid

import aio_pika
import httpx
import pytest
from fastapi import FastAPI
from prometheus_client import REGISTRY
from yarl import URL

from shared.contracts.events import AnswerSubmitted, InterviewStarted
from shared.platform.messaging import Broker
from shared.platform.service import health_router
from tests.conftest import AMQP_URL
from tests.factories import handler_table
from tests.integration.test_messaging import queue_depth, settings_for, started_event, wait_for_depth


class Relay:
    """A TCP relay to the real broker that can freeze: the broker stops answering as a service
    sees it (a network partition, a stalled node) while the shared broker itself runs on."""

    def __init__(self) -> None:
        self.upstream = URL(AMQP_URL)
        self.flowing = asyncio.Event()
        self.flowing.set()
        self.streams: list[asyncio.StreamWriter] = []
        self.server: asyncio.Server | None = None

    async def __aenter__(self) -> str:
        self.server = await asyncio.start_server(self._relay, "127.0.0.1", 0)
        port = self.server.sockets[0].getsockname()[1]
        return str(self.upstream.with_host("127.0.0.1").with_port(port))

    async def __aexit__(self, *_: object) -> None:
        self.server.close()
        for writer in self.streams:
            writer.close()
        self.thaw()
        await self.server.wait_closed()

    def freeze(self) -> None:
        self.flowing.clear()

    def thaw(self) -> None:
        self.flowing.set()

    async def _relay(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        broker_reader, broker_writer = await asyncio.open_connection(self.upstream.host, self.upstream.port)
        self.streams += [client_writer, broker_writer]
        await asyncio.gather(self._pipe(client_reader, broker_writer), self._pipe(broker_reader, client_writer))

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                await self.flowing.wait()
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()


async def scrape_dlq_depth(app: FastAPI, service: str) -> float | None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service") as client:
        assert (await client.get("/metrics")).status_code == 200
    return REGISTRY.get_sample_value("interviewer_dlq_messages", {"service": service})


async def replace_dlq(broker: Broker, **declaration) -> str:
    """Delete the service's DLQ; declare it again with `declaration` (unless empty)."""
    name = broker.names.dead_letter_queue(broker.service)
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        await channel.queue_delete(name)
        if declaration:
            await channel.declare_queue(name, **declaration)
            await channel.default_exchange.publish(aio_pika.Message(b"left behind"), routing_key=name)
    return name


async def test_a_broker_that_stops_answering_neither_hangs_the_scrape_nor_leaves_a_stale_depth(namespace):
    relay = Relay()
    async with relay as url:
        broker = Broker(settings_for(namespace, amqp_url=url), "interview")
        await broker.connect()
        app = FastAPI()
        app.include_router(health_router("interview", {}, broker))
        try:
            assert await scrape_dlq_depth(app, "interview") == 0
            relay.freeze()
            async with asyncio.timeout(3):  # without a bound of its own, the scrape waits for the heartbeat
                depth = await scrape_dlq_depth(app, "interview")
            assert math.isnan(depth)  # unknown, not the last value seen
        finally:
            relay.thaw()
            await broker.close()


async def test_the_dlq_depth_is_asked_passively_so_a_missing_dlq_is_not_recreated(namespace):
    broker = Broker(settings_for(namespace), "interview")
    await broker.connect()
    try:
        name = await replace_dlq(broker)
        assert await broker.dead_letters() is None
        with pytest.raises(aio_pika.exceptions.ChannelNotFoundEntity):
            await queue_depth(name)
        await replace_dlq(broker, durable=True)
        assert await broker.dead_letters() == 1  # the next scrape asks again on a fresh channel
    finally:
        await broker.close()


async def test_a_dlq_declared_differently_is_still_counted_and_the_consuming_channel_survives(namespace):
    broker = Broker(settings_for(namespace), "interview")
    await broker.connect()
    try:
        await replace_dlq(broker, durable=True)  # a classic queue: another declaration than ours
        assert await broker.dead_letters() == 1
        assert broker.is_connected
        await broker.publish(started_event())
        assert await wait_for_depth(broker.names.queue("interview"), 1) == 1
    finally:
        await broker.close()


async def test_a_poison_messages_made_up_type_does_not_become_a_metric_label(namespace):
    broker = Broker(settings_for(namespace), "interview")
    await broker.connect()
    made_up = f"Made-up {uuid.uuid4().hex}"

    def counted(event_type: str) -> float | None:
        labels = {"service": "interview", "event_type": event_type, "outcome": "invalid"}
        return REGISTRY.get_sample_value("interviewer_events_total", labels)

    before = {label: counted(label) or 0.0 for label in ("invalid", "InterviewStarted")}

    async def never(event) -> list:
        return []

    try:
        await broker.consume(handler_table({InterviewStarted: never, AnswerSubmitted: never}))
        connection = await aio_pika.connect(AMQP_URL)
        async with connection:
            channel = await connection.channel()
            exchange = await channel.get_exchange(broker.names.exchange)
            for message_type in (made_up, "InterviewStarted"):
                await exchange.publish(
                    aio_pika.Message(b"{not json", type=message_type), routing_key="InterviewStarted"
                )
        assert await wait_for_depth(broker.names.dead_letter_queue("interview"), 2) == 2
        assert counted(made_up) is None
        assert counted("invalid") == before["invalid"] + 1
        assert counted("InterviewStarted") == before["InterviewStarted"] + 1  # a known type keeps its label
    finally:
        await broker.close()
