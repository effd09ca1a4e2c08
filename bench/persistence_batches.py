"""Persistence's cost per event, in process: 16 interviews' events interleaved as 16 candidates make them,
recorded by the service's handler (SQLite in a temporary folder on this disk, or MongoDB: the tests' server,
SecantusDB unless MONGODB_URL is set), N deliveries at a time. Prints the process's CPU and the wall time per
event (with MongoDB much of the work is the server's, another process: the wall time tells it).

    .venv/bin/python -m bench.persistence_batches            # batches of 1, 8 and 32
    .venv/bin/python -m bench.persistence_batches --sizes 32
    .venv/bin/python -m bench.persistence_batches --store mongodb --interviews 40
    .venv/bin/python -m bench.persistence_batches --store mongodb --latency-ms 0.25   # a database 0.5 ms away
"""

import argparse
import asyncio
import contextlib
import itertools
import statistics
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import uvloop
from pymongo import AsyncMongoClient, monitoring

from bench.latency import delayed
from services.persistence.handlers import build_handlers
from services.persistence.store import Store
from services.persistence.store.mongo import MongoStore
from services.persistence.store.sqlite import SQLiteStore
from shared.contracts.events import Event, InterviewStarted
from tests.factories import interview_events
from tests.mongodb import mongodb_url


def interleaved(interviews: int, at_once: int = 16) -> list[Event]:
    each = [interview_events(f"s{i:07d}", (7, 8, 6, 9, 5), 5) for i in range(interviews)]
    events = []
    for group in range(0, interviews, at_once):
        rounds = itertools.zip_longest(*each[group : group + at_once])
        events += [event for events_of_round in rounds for event in events_of_round if event is not None]
    return events


class Commands(monitoring.CommandListener):
    """The commands a MongoDB client sends, by name: each one a round trip to the server."""

    def __init__(self) -> None:
        self.counted: Counter[str] = Counter()
        self.measured: Counter[str] = Counter()  # while the events were recorded

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        self.counted[event.command_name] += 1

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


async def cost_per_event(
    events: list[Event], size: int, kind: str, url: str = "", commands: Commands | None = None
) -> tuple[float, float]:
    """Milliseconds per event: of CPU (the process's: the event loop's and SQLite's thread together), and
    of wall time. MongoDB's commands counted in `commands` (from the first event on)."""
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as folder:
        store: Store
        if kind == "mongodb":
            listeners = [commands] if commands is not None else []
            client: AsyncMongoClient[Any] = AsyncMongoClient(
                url, tz_aware=True, serverSelectionTimeoutMS=5000, event_listeners=listeners
            )
            store = MongoStore(client, f"bench_{uuid.uuid4().hex[:8]}")
        else:
            store = SQLiteStore(Path(folder) / "bench.sqlite3")
        await store.open()
        try:
            record = build_handlers(store)[InterviewStarted]
            if commands is not None:
                commands.counted.clear()
            cpu, wall = time.process_time(), time.perf_counter()
            for start in range(0, len(events), size):
                await asyncio.gather(*(record(event) for event in events[start : start + size]))
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            if commands is not None:
                commands.measured = commands.counted.copy()
            return cpu * 1000 / len(events), wall * 1000 / len(events)
        finally:
            if isinstance(store, MongoStore):
                await store.client.drop_database(store.database)
            await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,8,32", help="deliveries handled at once, comma-separated")
    parser.add_argument("--interviews", type=int, default=160)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--store", choices=("sqlite", "mongodb"), default="sqlite")
    parser.add_argument(
        "--latency-ms", type=float, default=0.0,
        help="mongodb: reach the server through a relay that delays each direction this long (bench/latency.py)",
    )  # fmt: skip
    args = parser.parse_args()
    if args.latency_ms and args.store != "mongodb":
        parser.error("--latency-ms delays the way to a MongoDB server: use it with --store mongodb")
    events = interleaved(args.interviews)
    with contextlib.ExitStack() as stack:
        url = mongodb_url() if args.store == "mongodb" else ""
        if url and args.latency_ms:
            url = stack.enter_context(delayed(url, args.latency_ms))
        where = f"{args.store}, {2 * args.latency_ms:g} ms added per round trip" if args.latency_ms else args.store
        for size in (int(n) for n in args.sizes.split(",")):
            commands = Commands()
            runs = [uvloop.run(cost_per_event(events, size, args.store, url, commands)) for _ in range(args.runs)]
            cpu, wall = (statistics.median(run[i] for run in runs) for i in (0, 1))
            print(f"{size:>3} at a time: {cpu:.3f} ms of CPU, {wall:.3f} ms of wall time per event ({where}, median"
                  f" of {args.runs}, {len(events)} events)")  # fmt: skip
            if commands.measured:  # of the last run
                each = ", ".join(f"{name} {n / len(events):.2f}" for name, n in commands.measured.most_common())
                print(f"      {commands.measured.total() / len(events):.2f} database commands per event: {each}")


if __name__ == "__main__":
    main()
