"""The DLQ command (shared/platform/dlq.py) when things are not as they should be, against the real local
RabbitMQ: a missing queue, a garbled header. The happy path is in test_messaging.py."""

import os
import subprocess
import sys

import aio_pika
import pytest

from shared.contracts.events import encode_event
from shared.contracts.topology import SUBSCRIPTIONS, Names
from shared.platform import dlq
from shared.platform.messaging import Broker
from tests.conftest import AMQP_URL
from tests.factories import interview_events
from tests.faults.probes import publish_raw
from tests.integration.test_messaging import answer_event, queue_depth, settings_for


async def declared_names(namespace: str) -> Names:
    """Declare the whole topology under `namespace`, as any service does when it connects."""
    broker = Broker(settings_for(namespace), "scoring")
    await broker.connect()
    await broker.close()
    return broker.names


async def dead_letter(queue: str, headers: dict) -> None:
    """Put an event straight into a DLQ, as if the broker had dead-lettered it."""
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        message = aio_pika.Message(encode_event(answer_event()), headers=headers, type="AnswerSubmitted")
        await channel.default_exchange.publish(message, routing_key=queue)


async def delete_queue(name: str) -> None:
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        await channel.queue_delete(name)


async def test_redriving_into_a_missing_queue_keeps_the_dead_letters(namespace):
    names = await declared_names(namespace)
    await dead_letter(names.dead_letter_queue("scoring"), {})
    await delete_queue(names.queue("scoring"))
    with pytest.raises(dlq.QueueMissing, match=names.queue("scoring")):
        await dlq.redrive(settings_for(namespace), "scoring")
    assert await queue_depth(names.dead_letter_queue("scoring")) == 1


async def test_a_garbled_redriven_header_counts_as_never_redriven(namespace):
    names = await declared_names(namespace)
    await dead_letter(names.dead_letter_queue("scoring"), {"redriven": "twice"})
    assert await dlq.redrive(settings_for(namespace), "scoring") == 1
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(names.queue("scoring"), passive=True)
        message = await queue.get(timeout=5)
        assert message.headers["redriven"] == 1
        await message.ack()


async def test_a_missing_dlq_is_listed_as_missing_not_as_empty(namespace):
    names = await declared_names(namespace)
    await delete_queue(names.dead_letter_queue("exporter"))
    assert await dlq.depths(settings_for(namespace)) == {s: None if s == "exporter" else 0 for s in SUBSCRIPTIONS}
    listing = subprocess.run(
        [sys.executable, "-m", "shared.platform.dlq", "list"],
        env=os.environ | {"BROKER_NAMESPACE": namespace},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert listing.returncode == 0, listing.stderr
    depths = dict(line.split() for line in listing.stdout.splitlines())
    assert depths == {s: "missing" if s == "exporter" else "0" for s in SUBSCRIPTIONS}
    assert "BROKER_NAMESPACE" in listing.stderr  # the likeliest cause, named


def test_a_namespace_without_any_queue_is_an_error_not_an_empty_listing():
    listing = subprocess.run([sys.executable, "-m", "shared.platform.dlq", "list"],
                             env=os.environ | {"BROKER_NAMESPACE": "no-such-namespace-at-all"},
                             capture_output=True, text=True, timeout=60)  # fmt: skip
    assert listing.returncode == 1 and "is BROKER_NAMESPACE right?" in listing.stderr
    wrong = subprocess.run([sys.executable, "-m", "shared.platform.dlq", "list"], env=os.environ | {"DELIVERY_LIMIT": "-1"},
                           capture_output=True, text=True, timeout=60)  # fmt: skip
    assert wrong.returncode == 1 and wrong.stderr.startswith("dlq: configuration error: DELIVERY_LIMIT")
    assert "Traceback" not in wrong.stderr


async def test_an_erasure_purges_the_sessions_dead_letters_and_only_those(namespace):
    names = await declared_names(namespace)
    erased, other = answer_event(), interview_events("other01")[0]
    for service, body in (
        ("scoring", encode_event(erased)),
        ("scoring", encode_event(other)),
        ("interview", encode_event(erased)),
        ("scoring", b"{not json"),
    ):
        await publish_raw(namespace, [("", body)], only_to=service, dead_lettered=True)
    assert await dlq.purge_session(settings_for(namespace), erased.session_id) == 2
    assert await queue_depth(names.dead_letter_queue("interview")) == 0
    assert await queue_depth(names.dead_letter_queue("scoring")) == 2  # the other session's, and the poison
    lines = await dlq.peek(settings_for(namespace), "scoring", 5)
    assert any("session=other01" in line for line in lines) and any("not an event" in line for line in lines)
    assert await dlq.purge_session(settings_for(namespace), erased.session_id) == 0  # again: nothing left
