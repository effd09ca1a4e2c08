"""Dead-letter queues: see what is in them, and send it back to be processed again.

    python -m shared.platform.dlq list [--show N]
    python -m shared.platform.dlq redrive SERVICE [--limit N]

A re-driven message goes to the one service whose DLQ held it (not to every subscriber of its
event type), as a fresh delivery with the full delivery limit ahead of it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage, AbstractQueue
from pydantic import ValidationError

from shared.contracts.events import InvalidEvent, parse_event
from shared.contracts.topology import SUBSCRIPTIONS, Names
from shared.platform.settings import ServiceSettings, what_is_wrong


class QueueMissing(RuntimeError):
    """A queue the command needs does not exist (under this BROKER_NAMESPACE)."""


async def depths(settings: ServiceSettings) -> dict[str, int | None]:
    """Messages waiting in each service's DLQ; None for a DLQ that does not exist."""
    names = Names(settings.broker_namespace)
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        result: dict[str, int | None] = {}
        for service in SUBSCRIPTIONS:
            try:
                queue = await channel.declare_queue(names.dead_letter_queue(service), passive=True)
                result[service] = queue.declaration_result.message_count
            except aio_pika.exceptions.ChannelNotFoundEntity:
                channel = await connection.channel()
                result[service] = None
        return result


async def peek(settings: ServiceSettings, service: str, count: int) -> list[str]:
    """Describe the first messages of a DLQ without removing them."""
    names = Names(settings.broker_namespace)
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(names.dead_letter_queue(service), passive=True)
        lines: list[str] = []

        async def look(message: AbstractIncomingMessage) -> bool | None:
            lines.append(describe(message.body, message.headers or {}))
            return None if len(lines) >= count else False

        if count > 0:
            await _sweep(queue, look)
        return lines


def describe(body: bytes, headers: Mapping[str, Any]) -> str:
    deaths = headers.get("x-death") or [{}]
    reason = deaths[0].get("reason", "?") if isinstance(deaths, list) and deaths else "?"
    try:
        event = parse_event(body)
        what = f"{event.type} session={event.session_id} event_id={event.event_id}"
    except InvalidEvent:
        what = f"not an event: {body[:80]!r}"
    return f"{what} (dead-lettered: {reason})"


def worth_retrying(headers: Mapping[str, Any], most: int) -> bool:
    """Dead-lettered by the broker after the delivery limit (the handler kept failing, as while the AI
    is down) and re-driven fewer than `most` times. Invalid events, events without a handler and
    permanent failures (a bad key, an exhausted quota) are "rejected": they wait for a person."""
    deaths = headers.get("x-death")
    latest = deaths[0] if isinstance(deaths, list) and deaths and isinstance(deaths[0], dict) else {}
    return latest.get("reason") == "delivery_limit" and _times_redriven(headers) < most


async def redrive(
    settings: ServiceSettings,
    service: str,
    limit: int | None = None,
    select: Callable[[Mapping[str, Any]], bool] | None = None,
) -> int:
    """Move messages from the service's DLQ back to its queue (only those whose headers `select`
    accepts, if given; the others stay, in their order); the number moved."""
    names = Names(settings.broker_namespace)
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
        source, target = names.dead_letter_queue(service), names.queue(service)
        try:
            dlq = await channel.declare_queue(source, passive=True)
        except aio_pika.exceptions.ChannelNotFoundEntity:
            raise QueueMissing(f"{source} does not exist; is BROKER_NAMESPACE right?") from None
        # only what is there now: a message that fails again comes back, and must not loop
        limit = _waiting(dlq) if limit is None else limit
        moved = 0

        async def move(message: AbstractIncomingMessage) -> bool | None:
            nonlocal moved
            if moved >= limit:
                return None
            if select is not None and not select(message.headers or {}):
                return False
            await _move(channel, message, source, target, moved)
            moved += 1
            return True

        await _sweep(dlq, move)
        return moved


async def _sweep(queue: AbstractQueue, take: Callable[[AbstractIncomingMessage], Awaitable[bool | None]]) -> None:
    """Each message waiting in `queue` now, once, in order: `take` returns True once it has dealt with it
    (settled it), False to leave it, None to leave it and stop. The messages left are held unacknowledged
    meanwhile (so the next get moves on), then returned to the queue in their order."""
    kept = []
    try:
        for _ in range(_waiting(queue)):
            message = await queue.get(fail=False, no_ack=False)
            if message is None:
                break
            taken = await take(message)
            if not taken:
                kept.append(message)
            if taken is None:
                break
    finally:
        for message in kept:
            await message.nack(requeue=True)


async def _move(
    channel: AbstractChannel, message: AbstractIncomingMessage, source: str, target: str, moved: int
) -> None:
    """A copy of the dead letter into the service's queue, confirmed; then the dead letter acknowledged."""
    headers = {k: v for k, v in (message.headers or {}).items() if not k.startswith("x-")}
    headers["redriven"] = _times_redriven(message.headers or {}) + 1
    copy = aio_pika.Message(
        body=message.body,
        headers=headers,
        content_type=message.content_type,
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        message_id=message.message_id,
        type=message.type,
        app_id=message.app_id,
        timestamp=message.timestamp,
    )
    try:  # mandatory: without the queue, the broker would confirm the copy and drop it
        await channel.default_exchange.publish(copy, routing_key=target, mandatory=True)
    except aio_pika.exceptions.DeliveryError as error:
        await message.nack(requeue=True)
        if isinstance(error, aio_pika.exceptions.PublishError):
            raise QueueMissing(
                f"{target} does not exist; is BROKER_NAMESPACE right? ({moved} re-driven before this; "
                f"the rest stay in {source})"
            ) from None
        raise
    await message.ack()  # only once the copy is confirmed: a crash in between duplicates, never loses


async def purge_session(settings: ServiceSettings, session_id: str) -> int:
    """Delete every dead letter of this session from every service's DLQ (an erasure leaves nothing
    of the candidate behind); the others stay, in their order. The number deleted."""
    names = Names(settings.broker_namespace)
    connection = await aio_pika.connect(settings.amqp_url)
    deleted = 0

    async def erase(message: AbstractIncomingMessage) -> bool:
        nonlocal deleted
        if _session_of(message.body) != session_id:
            return False
        await message.ack()
        deleted += 1
        return True

    async with connection:
        channel = await connection.channel()
        for service in SUBSCRIPTIONS:
            try:
                queue = await channel.declare_queue(names.dead_letter_queue(service), passive=True)
            except aio_pika.exceptions.ChannelNotFoundEntity:
                channel = await connection.channel()  # the failed declare closed it
                continue
            await _sweep(queue, erase)
    return deleted


def _session_of(body: bytes) -> str | None:
    try:
        return parse_event(body).session_id
    except InvalidEvent:
        try:
            found = json.loads(body)
        except ValueError:
            return None
        return found.get("session_id") if isinstance(found, dict) else None


def _waiting(queue: AbstractQueue) -> int:
    """The messages in the queue when it was declared (a broker's Declare-Ok always counts them)."""
    count = queue.declaration_result.message_count
    if count is None:
        raise RuntimeError(f"the broker did not say how many messages wait in {queue.name}")
    return count


def _times_redriven(headers: Mapping[str, Any]) -> int:
    """How often a message was re-driven before; a header that is not a count counts as never."""
    try:
        return max(0, int(headers.get("redriven", 0)))
    except (TypeError, ValueError, OverflowError):
        return 0


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m shared.platform.dlq", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="how many messages wait in each service's DLQ")
    listing.add_argument("--show", type=int, default=0, metavar="N", help="also describe the first N of each")
    again = commands.add_parser("redrive", help="send a service's dead letters back to its queue")
    again.add_argument("service", choices=sorted(SUBSCRIPTIONS))
    again.add_argument("--limit", type=int, default=None, help="at most this many")
    args = parser.parse_args()
    try:
        settings = ServiceSettings()
    except ValidationError as error:
        sys.exit(f"dlq: configuration error: {what_is_wrong(error)}")
    try:
        if args.command == "list":
            waiting = asyncio.run(depths(settings))
            for service, depth in waiting.items():
                print(f"{service:<12} {'missing' if depth is None else depth}")
                if depth and args.show:
                    for line in asyncio.run(peek(settings, service, args.show)):
                        print(f"    {line}")
            if None in waiting.values():
                hint = f"missing: no such queue in namespace {settings.broker_namespace!r}; is BROKER_NAMESPACE right?"
                print(hint, file=sys.stderr)
                if all(depth is None for depth in waiting.values()):
                    sys.exit(1)  # none at all: a wrong namespace (or nothing ever started), not "nothing waits"
        else:
            print(f"Re-drove {asyncio.run(redrive(settings, args.service, args.limit))} messages to {args.service}.")
    except QueueMissing as error:
        sys.exit(str(error))
    except (OSError, aio_pika.exceptions.AMQPException) as error:
        sys.exit(f"Cannot reach RabbitMQ at AMQP_URL: {error}")


if __name__ == "__main__":
    main()
