"""Where one submit's time goes, one candidate at a time: the five services as processes, each answer's
path read back from the events' own clocks (issue 16: submit p50 in broker round trips).

    .venv/bin/python -m bench.submit_path --interviews 12

For every answer but an interview's last: from the request to the gateway's AnswerSubmitted (its
`occurred_at`, set before it is published), from there to the scoring service's AnswerScored and to the
interview service's next QuestionGenerated (each `occurred_at`: set when the service has done its work),
and from the later of those two to the answer reaching the client. The services' CPU per answer is read
from /proc over the same answers. The broker round trip is measured beside it (bench.e2e_load's).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from bench.e2e_load import CLOCK_TICKS, answer_text, idle_round_trips
from bench.interview_roundtrip import JOB, percentile, services_running
from shared.contracts.events import AnswerScored, AnswerSubmitted, Event, QuestionGenerated
from shared.platform.settings import ServiceSettings
from tools.stack import SERVICES

STEPS = ("request to AnswerSubmitted", "AnswerSubmitted to AnswerScored", "AnswerSubmitted to next question",
         "the later of the two to the answer", "the whole submit")  # fmt: skip


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def occurred(events: list[dict[str, Any]], kind: type[Event], number: int) -> float | None:
    found = [e for e in events if e["type"] == kind.type_name() and e["payload"].get("question_number") == number]
    return datetime.fromisoformat(found[0]["occurred_at"]).timestamp() if found else None


def recorded(store: httpx.Client, session_id: str, questions: int) -> list[dict[str, Any]]:
    """The interview's events once persistence has recorded its last score (it lags the answers a little)."""
    deadline = time.monotonic() + 30
    while True:
        answer = store.get(f"/internal/sessions/{session_id}/events")
        events = [json.loads(body) for body in answer.json()["events"]] if answer.status_code == 200 else []
        if occurred(events, AnswerScored, questions) is not None or time.monotonic() > deadline:
            return events
        time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=12)
    parser.add_argument("--questions", type=int, default=5)
    args = parser.parse_args()
    submits: list[tuple[str, int, float, float]] = []
    events: dict[str, list[dict[str, Any]]] = {}
    with services_running() as (stack, _):
        round_trips = asyncio.run(idle_round_trips(ServiceSettings().amqp_url, 3.0))
        pids = {name: stack.processes[name].popen.pid for name in SERVICES}
        before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        with httpx.Client(base_url=stack.url(), timeout=60) as client:
            for n in range(args.interviews):
                started = client.post("/api/start-interview", json={
                    "job_description": JOB, "candidate_name": f"Bench {n}", "experience_years": n % 12,
                    "difficulty": "intermediate", "num_questions": args.questions}).json()  # fmt: skip
                for number in range(1, args.questions + 1):
                    sent = time.time()
                    client.post("/api/submit-answer", json={"session_id": started["session_id"],
                                                            "answer": answer_text(), "question_number": number})  # fmt: skip
                    submits.append((started["session_id"], number, sent, time.time()))
        answers = len(submits)
        cpu = {name: (cpu_seconds(pid) - before[name]) / answers * 1000 for name, pid in pids.items()}
        with httpx.Client(base_url=stack.url("persistence"), timeout=60, headers=stack.internal_headers()) as store:
            for session_id in {s for s, *_ in submits}:
                events[session_id] = recorded(store, session_id, args.questions)

    steps: dict[str, list[float]] = {step: [] for step in STEPS}
    for session_id, number, sent, answered in submits:
        if number == args.questions:
            continue  # the last answer waits for the report instead of a question
        submitted = occurred(events[session_id], AnswerSubmitted, number)
        scored = occurred(events[session_id], AnswerScored, number)
        asked = occurred(events[session_id], QuestionGenerated, number + 1)
        if submitted is None or scored is None or asked is None:
            continue
        for step, seconds in zip(STEPS, (submitted - sent, scored - submitted, asked - submitted,
                                         answered - max(scored, asked), answered - sent), strict=True):  # fmt: skip
            steps[step].append(seconds * 1000)
    rtt = statistics.median(round_trips) * 1000
    print(f"{len(steps[STEPS[0]])} submits, one candidate at a time; broker round trip p50 {rtt:.2f} ms")
    for step, values in steps.items():
        print(f"  {step:38s} median {statistics.median(values):6.1f} ms  p90 {percentile(values, 0.9):6.1f} ms")
    whole = statistics.median(steps[STEPS[-1]])
    print(f"  the whole submit is {whole / rtt:.1f} broker round trips")
    print("  CPU per answer (ms): " + ", ".join(f"{name} {ms:.1f}" for name, ms in cpu.items()))


if __name__ == "__main__":
    main()
