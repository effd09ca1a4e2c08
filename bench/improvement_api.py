"""The improvement analyses (calibration, question quality, job-description skills) and the training
export at 1k, 10k and 100k stored interviews (SQLite), beside computing them over every exported
document in Python, as they were first written.

    .venv/bin/python -m bench.improvement_api                  # 1k, 10k, 100k
    .venv/bin/python -m bench.improvement_api --sizes 10000    # one size

Ours: the persistence service as a real process over HTTP (uvicorn, one worker), its store filled with
N completed 5-question interviews (bench.read_api's rows, with their question facts and job-description
skills as the projection writes them, one answer in a hundred reviewed by a person). "Over every
document": the same store's export read whole into Python and given to improvement.py's document
functions, in this process (no HTTP, so the comparison flatters it). The training export streams the
whole file over HTTP in both columns' stead: it is an export, so it reads everything by design; the
figure to watch is the persistence process's peak memory.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import random
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

from bench.e2e_load import process_figures
from bench.read_api import make_rows, percentiles
from services.persistence import improvement
from services.persistence.projections import SessionRows, job_skill_rows
from services.persistence.queries import DataSet
from services.persistence.store.sqlite import SQLiteStore
from shared.platform.settings import ServiceSettings
from tools.namespaces import delete_namespace, fresh_namespace
from tools.stack import Stack, free_port

JOBS = [
    "Senior Python developer: Django, PostgreSQL and AWS; mentoring and stakeholder management.",
    "Backend engineer (Go) on Kubernetes with Kafka and Redis; observability and on-call.",
    "Frontend developer: React, TypeScript and GraphQL; accessibility and testing.",
    "Data engineer: Airflow, Spark and SQL on GCP; data modeling and ETL.",
]
ENDPOINTS = {
    "calibration": "/api/data/analysis/calibration",
    "question quality": "/api/data/analysis/question-quality",
    "job-description skills": "/api/data/analysis/job-description-skills",
}
REVIEWED_SHARE = 0.01


def enriched(rows: SessionRows, rng: random.Random) -> SessionRows:
    """bench.read_api's rows as the projection now writes them: question facts, some people's scores,
    the job description's skills."""
    job = rng.choice(JOBS)
    answers = []
    for answer in rows.answers:
        review = {}
        if rng.random() < REVIEWED_SHARE:
            review = {"human_score": max(0, min(10, answer.score + rng.randint(-2, 2))), "reviewed_by": "bench"}
        answers.append(answer.model_copy(update=improvement.question_facts(answer.question, answer.answer) | review))
    skills = job_skill_rows(job, rows.interview)
    return dataclasses.replace(
        rows,
        answers=answers,
        job_skills=skills,
        job_description=rows.job_description.model_copy(update={"job_description": job}),
    )


async def fill(path: Path, rows: list[SessionRows]) -> None:
    store = SQLiteStore(path)
    await store.open()
    await store._run(lambda db: db.execute("PRAGMA synchronous=OFF"))  # only to fill faster
    for row in rows:
        await store.save_projection(row)
    await store.close()


async def over_every_document(path: Path, repeats: int) -> dict[str, tuple[float, float]]:
    store = SQLiteStore(path)
    await store.open()

    async def everything(data_set: DataSet) -> list[Any]:
        return [document async for document in store.export(data_set)]

    async def calibration() -> object:
        return improvement.calibration(await everything("answers"))

    async def quality() -> object:
        return improvement.question_quality(await everything("answers"))

    async def skills() -> object:
        return improvement.job_description_skills(await everything("interviews"), await everything("job_descriptions"))

    analyses: dict[str, Callable[[], Awaitable[object]]] = {
        "calibration": calibration,
        "question quality": quality,
        "job-description skills": skills,
    }
    results = {}
    for name, analysis in analyses.items():
        samples = []
        for _ in range(repeats):
            began = time.perf_counter()
            await analysis()
            samples.append(time.perf_counter() - began)
        results[name] = percentiles(samples)
    await store.close()
    return results


def measure_ours(base_url: str, repeats: int) -> tuple[dict[str, tuple[float, float]], dict]:
    results, answers = {}, {}
    with httpx.Client(base_url=base_url, timeout=600) as client:
        for name, path in ENDPOINTS.items():
            samples = []
            for _ in range(repeats):
                began = time.perf_counter()
                response = client.get(path)
                samples.append(time.perf_counter() - began)
                assert response.status_code == 200, response.text
            results[name], answers[name] = percentiles(samples), response.json()
        samples, size = [], 0
        for _ in range(3):
            began = time.perf_counter()
            with client.stream("GET", "/api/data/export/training.jsonl") as response:
                size = sum(len(chunk) for chunk in response.iter_bytes())
            samples.append(time.perf_counter() - began)
        results["training.jsonl (whole file)"] = percentiles(samples)
        answers["training.jsonl bytes"] = size
    return results, answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    args = parser.parse_args()
    table = []
    for size in args.sizes:
        rng = random.Random(size)
        began = time.monotonic()
        rows = [enriched(make_rows(i, rng), rng) for i in range(size)]
        with tempfile.TemporaryDirectory() as scratch:
            path = Path(scratch) / "interviewer.sqlite3"
            asyncio.run(fill(path, rows))
            print(f"{size}: filled in {time.monotonic() - began:.0f} s", flush=True)
            namespace = fresh_namespace("bench")
            stack = Stack(env={"BROKER_NAMESPACE": namespace, "DATA_DIR": scratch, "LOG_LEVEL": "WARNING"},
                          ports={"persistence": free_port()})  # fmt: skip
            try:
                stack.start(("persistence",))
                stack.wait_ready(timeout=300)
                ours, answers = measure_ours(stack.url("persistence"), repeats=20)
                memory, _ = process_figures(stack.processes["persistence"].popen.pid)
            finally:
                stack.stop()
                asyncio.run(delete_namespace(namespace, ServiceSettings().amqp_url))
            before = asyncio.run(over_every_document(path, repeats=3 if size >= 100_000 else 10))
        reviewed = answers["calibration"]["reviewed_answers"]
        print(f"{size}: {reviewed} reviewed answers, {len(answers['question quality']['questions'])} questions, "
              f"training.jsonl {answers['training.jsonl bytes'] / 1e6:.1f} MB, persistence peak {memory:.0f} MiB")  # fmt: skip
        for name, mine in ours.items():
            table.append((size, name, mine, before.get(name), memory))
            print(f"{size:>7} {name:<28} ours p50 {mine[0]:9.2f} ms p99 {mine[1]:9.2f} ms", flush=True)

    print(
        "\n| interviews | query | ours p50 | ours p99 | over every document p50 | that / ours (p50) | persistence peak memory |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|")
    for size, name, mine, before, memory in table:
        then = f"{before[0]:,.1f} ms" if before else "(the same: an export)"
        ratio = f"{before[0] / mine[0]:,.0f}x" if before else ""
        print(f"| {size:,} | {name} | {mine[0]:,.2f} ms | {mine[1]:,.2f} ms | {then} | {ratio} | {memory:.0f} MiB |")


if __name__ == "__main__":
    main()
