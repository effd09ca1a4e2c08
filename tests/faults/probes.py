"""What the broker and the services say about work in flight, all of it fresh: a queue's ready
messages and consumers over AMQP, the messages its consumers hold from their channels (rabbitmqctl;
a quorum queue's own unacknowledged count is refreshed only every few seconds), events handled from
a service's /metrics; and raw publishing."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import aio_pika
import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from shared.contracts.topology import SUBSCRIPTIONS, Names
from tests.conftest import AMQP_URL, RABBITMQCTL


@dataclass(frozen=True)
class Depth:
    ready: int
    unacked: int
    consumers: int


def require_broker_control() -> None:
    """rabbitmqctl must reach the broker the services use, not some other one on this machine."""
    host = urlsplit(AMQP_URL).hostname or "localhost"
    if not os.environ.get("RABBITMQCTL") and host not in ("localhost", "127.0.0.1", "::1"):
        pytest.fail(
            f"AMQP_URL points at {host}, but rabbitmqctl would inspect and stop the broker on this machine: "
            f"set RABBITMQCTL to a command that reaches {host}'s broker (e.g. 'docker exec <container> rabbitmqctl')"
        )


def _listing(command: str, *columns: str) -> list[list[str]]:
    require_broker_control()
    vhost = ("-p", unquote(urlsplit(AMQP_URL).path[1:]) or "/") if command != "list_channels" else ()
    listing = subprocess.run([*RABBITMQCTL, command, "-q", "--no-table-headers", *vhost, *columns],
                             check=True, capture_output=True, text=True, timeout=60)  # fmt: skip
    return [line.split("\t") for line in listing.stdout.splitlines() if line.strip()]


def held(namespace: str) -> dict[str, int]:
    """Messages delivered to each service queue's consumers and not acknowledged yet."""
    queues = {Names(namespace).queue(service): service for service in SUBSCRIPTIONS}
    channels = {row[1]: queues[row[0]] for row in _listing("list_consumers", "queue_name", "channel_pid")
                if row[0] in queues}  # fmt: skip
    counts = dict.fromkeys(SUBSCRIPTIONS, 0)
    for pid, unacked in _listing("list_channels", "pid", "messages_unacknowledged"):
        if pid in channels:
            counts[channels[pid]] += int(unacked)
    return counts


async def _ready(queues: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Ready messages and consumers of each queue, by service."""
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        found = {}
        for service, queue in queues.items():
            declared = (await channel.declare_queue(queue, passive=True)).declaration_result
            found[service] = (declared.message_count, declared.consumer_count)
        return found


def queue_depths(namespace: str) -> dict[str, Depth]:
    ready = asyncio.run(_ready({service: Names(namespace).queue(service) for service in SUBSCRIPTIONS}))
    unacked = held(namespace)
    return {service: Depth(ready[service][0], unacked[service], ready[service][1]) for service in SUBSCRIPTIONS}


def wait_for_depth(namespace: str, service: str, check, timeout: float = 60.0) -> Depth:
    """Poll the service's queue until `check(depth)` holds."""
    deadline = time.monotonic() + timeout
    while not check(depth := queue_depths(namespace)[service]):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{service}'s queue never got there: {depth}")
        time.sleep(0.05)
    return depth


def dead_letter_depths(namespace: str) -> dict[str, int]:
    queues = {service: Names(namespace).dead_letter_queue(service) for service in SUBSCRIPTIONS}
    return {service: ready for service, (ready, _) in asyncio.run(_ready(queues)).items()}


def peek(namespace: str, service: str, count: int) -> list[bytes]:
    """The first `count` messages of a service's queue, left in it (each look counts as a delivery
    towards the queue's delivery limit)."""
    return asyncio.run(_peek(Names(namespace).queue(service), count))


async def _peek(queue_name: str, count: int) -> list[bytes]:
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        queue = await (await connection.channel()).declare_queue(queue_name, passive=True)
        taken = []
        while len(taken) < count and (message := await queue.get(no_ack=False, fail=False)) is not None:
            taken.append(message)  # unacknowledged, so the next get moves on
        for message in taken:
            await message.nack(requeue=True)
        return [message.body for message in taken]


def wait_until_settled(namespace: str, timeout: float = 60.0) -> None:
    """No message ready or held in any service queue, twice in a row (a handler that just finished
    may have published on to a queue already read)."""
    deadline, quiet = time.monotonic() + timeout, 0
    while quiet < 2:
        depths = queue_depths(namespace)
        quiet = quiet + 1 if not any(d.ready or d.unacked for d in depths.values()) else 0
        if time.monotonic() > deadline:
            raise TimeoutError(f"the queues did not drain: {depths}")
        time.sleep(0.2)


# Queues consumed inside another service's process (whose /metrics reports them, labelled by queue).
HOSTED_BY = {"webhooks": "exporter"}


def process_url(stack, consumer: str) -> str:
    """The URL of the process that consumes this queue (`consumer`, a key of SUBSCRIPTIONS)."""
    return stack.url(HOSTED_BY.get(consumer, consumer))


def events_handled(url: str, outcome: str | None = "ok", consumer: str | None = None) -> dict[str, float]:
    """Events one service process finished with, by type (since that process started); with `consumer`,
    only those of that queue's consumer (the exporter process also consumes `webhooks`)."""
    return _events_counted(url, "event_type", outcome, consumer)


def outcomes(url: str, consumer: str | None = None) -> dict[str, float]:
    """Events one service process finished with, by outcome: ok, retried, dead_lettered, invalid."""
    return _events_counted(url, "outcome", None, consumer)


def redelivered(url: str) -> float:
    """Messages the broker delivered to this process again (since it started)."""
    return sum(sample.value for sample in _samples(url, "interviewer_redelivered_total"))


def _events_counted(url: str, by: str, outcome: str | None, consumer: str | None) -> dict[str, float]:
    counted: dict[str, float] = {}
    for sample in _samples(url, "interviewer_events_total"):
        if outcome in (None, sample.labels["outcome"]) and consumer in (None, sample.labels["service"]):
            counted[sample.labels[by]] = counted.get(sample.labels[by], 0) + sample.value
    return counted


def _samples(url: str, name: str) -> list:
    metrics = text_string_to_metric_families(httpx.get(f"{url}/metrics", timeout=10).text)
    return [sample for family in metrics for sample in family.samples if sample.name == name]


async def publish_raw(
    namespace: str, messages: list[tuple[str, bytes]], only_to: str | None = None, dead_lettered: bool = False
) -> None:
    """Publish to the exchange (by routing key), or with `only_to` straight into that service's queue
    (its DLQ with `dead_lettered`, as if the broker had dead-lettered it), as if no other service were bound."""
    names = Names(namespace)
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = channel.default_exchange if only_to else await channel.get_exchange(names.exchange)
        if only_to:
            queue = names.dead_letter_queue(only_to) if dead_lettered else names.queue(only_to)
        for routing_key, body in messages:
            message = aio_pika.Message(body, delivery_mode=aio_pika.DeliveryMode.PERSISTENT)
            await exchange.publish(message, queue if only_to else routing_key)


def republished(events: list[tuple[str, bytes]]) -> dict[str, int]:
    """How many of these events each consuming service receives."""
    return {service: sum(event_type in types for event_type, _ in events) for service, types in SUBSCRIPTIONS.items()}
