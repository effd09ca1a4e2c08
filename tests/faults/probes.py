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

from shared.topology import SUBSCRIPTIONS, Names
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


async def _ready(namespace: str) -> dict[str, tuple[int, int]]:
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        found = {}
        for service in SUBSCRIPTIONS:
            declared = (await channel.declare_queue(Names(namespace).queue(service), passive=True)).declaration_result
            found[service] = (declared.message_count, declared.consumer_count)
        return found


def queue_depths(namespace: str) -> dict[str, Depth]:
    ready, unacked = asyncio.run(_ready(namespace)), held(namespace)
    return {service: Depth(ready[service][0], unacked[service], ready[service][1]) for service in SUBSCRIPTIONS}


def wait_for_depth(namespace: str, service: str, check, timeout: float = 60.0) -> Depth:
    """Poll the service's queue until `check(depth)` holds."""
    deadline = time.monotonic() + timeout
    while not check(depth := queue_depths(namespace)[service]):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{service}'s queue never got there: {depth}")
        time.sleep(0.05)
    return depth


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


def events_handled(url: str, outcome: str | None = "ok") -> dict[str, float]:
    """Events one service process finished with, by type (since that process started)."""
    handled: dict[str, float] = {}
    for family in text_string_to_metric_families(httpx.get(f"{url}/metrics", timeout=10).text):
        for sample in family.samples:
            if sample.name == "interviewer_events_total" and outcome in (None, sample.labels["outcome"]):
                event_type = sample.labels["event_type"]
                handled[event_type] = handled.get(event_type, 0) + sample.value
    return handled


async def publish_raw(namespace: str, messages: list[tuple[str, bytes]]) -> None:
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(Names(namespace).exchange)
        for routing_key, body in messages:
            await exchange.publish(aio_pika.Message(body, delivery_mode=aio_pika.DeliveryMode.PERSISTENT), routing_key)


def republished(events: list[tuple[str, bytes]]) -> dict[str, int]:
    """How many of these events each consuming service receives."""
    return {service: sum(event_type in types for event_type, _ in events) for service, types in SUBSCRIPTIONS.items()}
