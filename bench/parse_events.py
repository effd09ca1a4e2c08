"""Parsing an event from the broker's bytes: straight from JSON to the event (what parse_event does) against
JSON to a dict and then the dict to the event (what it did before); CPU time per event over one interview's
events, median of the repeats.

    .venv/bin/python -m bench.parse_events
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

from pydantic import TypeAdapter

from shared.contracts.events import _any_event, parse_event
from tests.factories import interview_events

_json_object: TypeAdapter[dict[str, Any]] = TypeAdapter(dict[str, Any])


def per_event(parse: Callable[[bytes], object], raws: list[bytes], rounds: int) -> float:
    """Microseconds of CPU per event."""
    started = time.process_time()
    for _ in range(rounds):
        for raw in raws:
            parse(raw)
    return (time.process_time() - started) / (rounds * len(raws)) * 1e6


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args(argv)
    events = interview_events("s0000001", scores=(5, 6, 7, 8, 9), total=5)
    raws = [event.model_dump_json().encode() for event in events]
    ways: dict[str, Callable[[bytes], object]] = {
        "JSON -> dict -> event (before)": lambda raw: _any_event.validate_python(_json_object.validate_json(raw)),
        "JSON -> event (parse_event)": parse_event,
    }
    print(f"{len(raws)} events of a 5-question interview, {sum(map(len, raws)) / len(raws):.0f} bytes on average")
    for name, parse in ways.items():
        median = statistics.median(per_event(parse, raws, args.rounds) for _ in range(args.repeats))
        print(f"{name:32} {median:6.1f} µs per event")


if __name__ == "__main__":
    main()
