"""Persistence's CPU per event, in process: 16 interviews' events interleaved as 16 candidates make them,
recorded by the service's handler (SQLite in a temporary folder on this disk), N deliveries at a time.

    .venv/bin/python -m bench.persistence_batches            # batches of 1, 8 and 32
    .venv/bin/python -m bench.persistence_batches --sizes 32
"""

import argparse
import asyncio
import itertools
import statistics
import tempfile
import time
from pathlib import Path

import uvloop

from services.persistence.handlers import build_handlers
from services.persistence.store.sqlite import SQLiteStore
from shared.contracts.events import Event, InterviewStarted
from tests.factories import interview_events


def interleaved(interviews: int, at_once: int = 16) -> list[Event]:
    each = [interview_events(f"s{i:07d}", (7, 8, 6, 9, 5), 5) for i in range(interviews)]
    events = []
    for group in range(0, interviews, at_once):
        rounds = itertools.zip_longest(*each[group : group + at_once])
        events += [event for events_of_round in rounds for event in events_of_round if event is not None]
    return events


async def cpu_per_event(events: list[Event], size: int) -> float:
    """CPU milliseconds per event (the process's: the event loop's and SQLite's thread together)."""
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as folder:
        store = SQLiteStore(Path(folder) / "bench.sqlite3")
        await store.open()
        try:
            record = build_handlers(store)[InterviewStarted]
            started = time.process_time()
            for start in range(0, len(events), size):
                await asyncio.gather(*(record(event) for event in events[start : start + size]))
            return (time.process_time() - started) * 1000 / len(events)
        finally:
            await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,8,32", help="deliveries handled at once, comma-separated")
    parser.add_argument("--interviews", type=int, default=160)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    events = interleaved(args.interviews)
    for size in (int(n) for n in args.sizes.split(",")):
        runs = [uvloop.run(cpu_per_event(events, size)) for _ in range(args.runs)]
        print(f"{size:>3} at a time: {statistics.median(runs):.3f} ms of CPU per event (median of {args.runs},"
              f" {len(events)} events)")  # fmt: skip


if __name__ == "__main__":
    main()
