"""Dead-letter queues: see what is in them, and send it back to be processed again.

    python -m shared.dlq list [--show N]
    python -m shared.dlq redrive SERVICE [--limit N]

A re-driven message goes to the one service whose DLQ held it (not to every subscriber of its
event type), as a fresh delivery with the full delivery limit ahead of it.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

import aio_pika

from shared.events import InvalidEvent, parse_event
from shared.settings import ServiceSettings
from shared.topology import SUBSCRIPTIONS, Names


async def depths(settings: ServiceSettings) -> dict[str, int]:
    names = Names(settings.broker_namespace)
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        result = {}
        for service in SUBSCRIPTIONS:
            try:
                queue = await channel.declare_queue(names.dead_letter_queue(service), passive=True)
                result[service] = queue.declaration_result.message_count
            except aio_pika.exceptions.ChannelClosed:
                channel = await connection.channel()
                result[service] = 0
        return result


async def peek(settings: ServiceSettings, service: str, count: int) -> list[str]:
    """Describe the first messages of a DLQ without removing them."""
    names = Names(settings.broker_namespace)
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(names.dead_letter_queue(service), passive=True)
        lines, held = [], []
        for _ in range(count):
            message = await queue.get(fail=False, no_ack=False)
            if message is None:
                break
            held.append(message)
            lines.append(describe(message.body, message.headers or {}))
        for message in held:
            await message.nack(requeue=True)
        return lines


def describe(body: bytes, headers: dict) -> str:
    deaths = headers.get("x-death") or [{}]
    reason = deaths[0].get("reason", "?") if isinstance(deaths, list) and deaths else "?"
    try:
        event = parse_event(body)
        what = f"{event.type} session={event.session_id} event_id={event.event_id}"
    except InvalidEvent:
        what = f"not an event: {body[:80]!r}"
    return f"{what} (dead-lettered: {reason})"


async def redrive(settings: ServiceSettings, service: str, limit: int | None = None) -> int:
    """Move messages from the service's DLQ back to its queue; the number moved."""
    names = Names(settings.broker_namespace)
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        dlq = await channel.declare_queue(names.dead_letter_queue(service), passive=True)
        # only what is there now: a message that fails again comes back, and must not loop
        waiting = dlq.declaration_result.message_count
        limit = waiting if limit is None else min(limit, waiting)
        moved = 0
        while moved < limit:
            message = await dlq.get(fail=False, no_ack=False)
            if message is None:
                break
            headers = {k: v for k, v in (message.headers or {}).items() if not k.startswith("x-")}
            headers["redriven"] = int((message.headers or {}).get("redriven", 0)) + 1
            await channel.default_exchange.publish(
                aio_pika.Message(
                    body=message.body,
                    headers=headers,
                    content_type=message.content_type,
                    delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                    message_id=message.message_id,
                    type=message.type,
                    app_id=message.app_id,
                    timestamp=message.timestamp,
                ),
                routing_key=names.queue(service),
            )
            await message.ack()  # only once the copy is confirmed: a crash in between duplicates, never loses
            moved += 1
        return moved


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m shared.dlq", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="how many messages wait in each service's DLQ")
    listing.add_argument("--show", type=int, default=0, metavar="N", help="also describe the first N of each")
    again = commands.add_parser("redrive", help="send a service's dead letters back to its queue")
    again.add_argument("service", choices=sorted(SUBSCRIPTIONS))
    again.add_argument("--limit", type=int, default=None, help="at most this many")
    args = parser.parse_args()
    settings = ServiceSettings()
    try:
        if args.command == "list":
            for service, depth in asyncio.run(depths(settings)).items():
                print(f"{service:<12} {depth}")
                if depth and args.show:
                    for line in asyncio.run(peek(settings, service, args.show)):
                        print(f"    {line}")
        else:
            print(f"Re-drove {asyncio.run(redrive(settings, args.service, args.limit))} messages to {args.service}.")
    except (OSError, aio_pika.exceptions.AMQPException) as error:
        sys.exit(f"Cannot reach RabbitMQ at AMQP_URL: {error}")


if __name__ == "__main__":
    main()
