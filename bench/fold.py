"""The gateway's fold per event: folding the whole session again for each event (as before) against
SessionFold.add (one step per event in order), for interviews of 3, 10 and 30 questions; CPU time per
event, median of the repeats.

    .venv/bin/python -m bench.fold
"""

from __future__ import annotations

import argparse
import statistics
import time

from shared.contracts.session_view import SessionFold, fold_session
from tests.factories import interview_events


def per_event(events: list, incremental: bool) -> float:
    """Microseconds of CPU per event to keep the view current as the events arrive in order."""
    started = time.process_time()
    if incremental:
        fold = SessionFold(events[0].session_id)
        for event in events:
            fold.add(event)
            _ = fold.view
    else:
        seen = []
        for event in events:
            seen.append(event)
            _ = fold_session(event.session_id, seen)
    return (time.process_time() - started) / len(events) * 1e6


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args(argv)
    print("| questions | events | whole fold per event (µs) | incremental (µs) | ratio |")
    print("|---|---|---|---|---|")
    for questions in (3, 10, 30):
        events = interview_events("s0000001", scores=tuple(i % 11 for i in range(questions)), total=questions)
        events.sort(key=lambda e: (e.occurred_at, str(e.event_id)))
        whole = statistics.median(per_event(events, False) for _ in range(args.repeats))
        step = statistics.median(per_event(events, True) for _ in range(args.repeats))
        print(f"| {questions} | {len(events)} | {whole:.0f} | {step:.0f} | {whole / step:.1f}x |")


if __name__ == "__main__":
    main()
