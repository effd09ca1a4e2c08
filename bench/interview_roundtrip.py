"""Startup time of the five services and the latency of whole interviews over HTTP.

    .venv/bin/python -m bench.interview_roundtrip --interviews 30

Runs the services as real processes on the local RabbitMQ under a fresh namespace and a
temporary data folder, one candidate at a time (no concurrency: this is the latency a
single candidate sees, not throughput).
"""

import argparse
import asyncio
import contextlib
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from shared.platform.settings import ServiceSettings
from tools.namespaces import delete_namespace, fresh_namespace
from tools.stack import SERVICES, Stack, free_port

JOB = "Senior Python Developer with Django, REST APIs, PostgreSQL and AWS experience; mentoring and communication."
ANSWER = (
    "At my last company I built a Django REST API on PostgreSQL serving 2 million requests a day; I added "
    "indexes and caching, which reduced p99 latency from 800 ms to 120 ms."
)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


@contextlib.contextmanager
def services_running() -> Iterator[tuple[Stack, float]]:
    """The five services as processes on the local RabbitMQ, under a fresh namespace and a temporary data
    folder, stopped and their namespace deleted afterwards: the stack and the seconds it took to be ready."""
    namespace = fresh_namespace("bench")
    with tempfile.TemporaryDirectory() as data:
        stack = Stack(env={"BROKER_NAMESPACE": namespace, "DATA_DIR": data, "LOG_LEVEL": "WARNING"},
                      ports={s: free_port() for s in SERVICES}, log_dir=Path(data))  # fmt: skip
        try:
            stack.start()
            yield stack, stack.wait_ready()
        finally:
            stack.stop()
            asyncio.run(delete_namespace(namespace, ServiceSettings().amqp_url))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=20)
    parser.add_argument("--questions", type=int, default=5)
    args = parser.parse_args()

    starts, submits, wholes = [], [], []
    with services_running() as (stack, ready):
        with httpx.Client(base_url=stack.url(), timeout=60) as client:
            for n in range(args.interviews):
                t0 = time.perf_counter()
                started = client.post(
                    "/api/start-interview",
                    json={
                        "job_description": JOB,
                        "candidate_name": f"Bench {n}",
                        "experience_years": n % 12,
                        "difficulty": "intermediate",
                        "num_questions": args.questions,
                    },
                ).json()
                starts.append(time.perf_counter() - t0)
                for q in range(1, args.questions + 1):
                    t1 = time.perf_counter()
                    result = client.post(
                        "/api/submit-answer",
                        json={"session_id": started["session_id"], "answer": ANSWER, "question_number": q},
                    ).json()
                    submits.append(time.perf_counter() - t1)
                assert result["completed"] and result["report"], result
                wholes.append(time.perf_counter() - t0)

    ms = lambda seconds: f"{seconds * 1000:.1f} ms"  # noqa: E731
    print(f"five services started and ready after {ready:.2f} s")
    print(f"{args.interviews} interviews of {args.questions} questions, one candidate at a time:")
    print(
        f"  start-interview (first question back): median {ms(statistics.median(starts))}, "
        f"p99 {ms(percentile(starts, 0.99))}"
    )
    print(
        f"  submit-answer (score + next question or report back): median {ms(statistics.median(submits))}, "
        f"p99 {ms(percentile(submits, 0.99))}"
    )
    print(f"  whole interview: median {ms(statistics.median(wholes))}, p99 {ms(percentile(wholes, 0.99))}")


if __name__ == "__main__":
    main()
