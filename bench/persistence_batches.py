"""Persistence's cost per event, in process: 16 interviews' events interleaved as 16 candidates make them,
recorded by the service's handler (SQLite in a temporary folder on this disk, or MongoDB: the tests' server,
SecantusDB unless MONGODB_URL is set), N deliveries at a time. Prints the process's CPU and the wall time per
event (with MongoDB much of the work is the server's, another process: the wall time tells it).

    .venv/bin/python -m bench.persistence_batches            # batches of 1, 8 and 32
    .venv/bin/python -m bench.persistence_batches --sizes 32
    .venv/bin/python -m bench.persistence_batches --store mongodb --interviews 40
"""

import argparse
import asyncio
import itertools
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import uvloop

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


async def cost_per_event(events: list[Event], size: int, kind: str) -> tuple[float, float]:
    """Milliseconds per event: of CPU (the process's: the event loop's and SQLite's thread together), and
    of wall time."""
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as folder:
        store: Store
        if kind == "mongodb":
            store = MongoStore.from_url(mongodb_url(), f"bench_{uuid.uuid4().hex[:8]}")
        else:
            store = SQLiteStore(Path(folder) / "bench.sqlite3")
        await store.open()
        try:
            record = build_handlers(store)[InterviewStarted]
            cpu, wall = time.process_time(), time.perf_counter()
            for start in range(0, len(events), size):
                await asyncio.gather(*(record(event) for event in events[start : start + size]))
            return (time.process_time() - cpu) * 1000 / len(events), (time.perf_counter() - wall) * 1000 / len(events)
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
    args = parser.parse_args()
    events = interleaved(args.interviews)
    for size in (int(n) for n in args.sizes.split(",")):
        runs = [uvloop.run(cost_per_event(events, size, args.store)) for _ in range(args.runs)]
        cpu, wall = (statistics.median(run[i] for run in runs) for i in (0, 1))
        print(f"{size:>3} at a time: {cpu:.3f} ms of CPU, {wall:.3f} ms of wall time per event ({args.store}, median"
              f" of {args.runs}, {len(events)} events)")  # fmt: skip


if __name__ == "__main__":
    main()
