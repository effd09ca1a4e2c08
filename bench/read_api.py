"""Read-API latency at 1k, 10k and 100k stored interviews (SQLite or MongoDB), beside the seed's approach.

    .venv/bin/python -m bench.read_api                 # 1k, 10k, 100k
    .venv/bin/python -m bench.read_api --sizes 1000    # one size
    .venv/bin/python -m bench.read_api --sizes 10000 --stores sqlite,mongodb --seconds-per-query 60 \
        --mongodb-fill bulk                            # both stores side by side (docs/benchmarks.md)

Ours: the persistence service as a real process over HTTP (uvicorn, one worker), its store filled
with N completed 5-question interviews (read models only; no events, which the read API never
touches) through the store's own `save_projection`, one interview after another. The store is
SQLite by default, with the original output; with `--stores ...,mongodb` also the MongoDB store, on
the server at `--mongodb-url` (a database of its own, dropped afterwards) or, without it, on a
SecantusDB the bench starts and stops (tools/secantus.py: a development server, its data under
/dev/shm; its numbers are not MongoDB's), filled one interview after another or, with
`--mongodb-fill bulk`, with the same writes sent in bulk (`BulkFill`). The seed's
approach, measured in the same run: one interviews.json and one answers.json, read whole and
computed in Python for every query (no HTTP), and rewritten whole for every save. "save one
interview" is, for ours, the persistence handler's time per event (append, fold, write, fsync or
write concern majority), and for the seed one rewrite of interviews.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import secrets
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from pymongo import ReplaceOne, UpdateOne
from pymongo.results import DeleteResult

from services.persistence.documents import AnswerRecord, JobDescriptionRecord
from services.persistence.handlers import record_event
from services.persistence.projections import SessionRows
from services.persistence.store import Store
from services.persistence.store.mongo import READ_MODELS, MongoStore
from services.persistence.store.sqlite import SQLiteStore
from shared.contracts.events import Feedback
from shared.contracts.interview_document import InterviewDocument, QuestionAndAnswer
from shared.platform.settings import ServiceSettings
from tests.factories import interview_events
from tools.namespaces import delete_namespace, fresh_namespace
from tools.stack import Stack, free_port

WEAKNESSES = ["Limited cloud experience", "Vague answers", "No testing practice", "Weak system design",
              "Few measurable results", "Unclear communication", "No security awareness", "Shallow SQL"]  # fmt: skip
QUESTIONS = [f"Describe a problem you solved with skill {n}. What did you choose and why?" for n in range(40)]
ENDPOINTS = {
    "statistics": "/api/data/statistics",
    "one interview": "/api/data/interview/{session_id}",
    "page of 50": "/api/data/interviews?limit=50",
    "top performers": "/api/data/analysis/top-performers",
    "score by experience": "/api/data/analysis/score-by-experience",
    "common weaknesses": "/api/data/analysis/common-weaknesses",
    "question effectiveness": "/api/data/analysis/question-effectiveness",
}
MIN_REQUESTS = 20  # per query, when a query's time is limited (--seconds-per-query)


def make_rows(index: int, rng: random.Random) -> SessionRows:
    session_id = f"b{index:07d}"
    scores = [rng.randint(2, 10) for _ in range(5)]
    started = f"2026-{1 + index % 12:02d}-{1 + index % 28:02d}T10:{index % 60:02d}:00+00:00"
    feedback = Feedback(strengths=("Relevant technologies named",), improvements=("Add measurable results",))
    answers = [
        QuestionAndAnswer(question_number=n + 1, question=rng.choice(QUESTIONS), answer="I built it with Python " * 8,
                          score=score, feedback=feedback)
        for n, score in enumerate(scores)
    ]  # fmt: skip
    average = round(sum(scores) / 5, 2)
    interview = InterviewDocument(
        session_id=session_id, timestamp=started, candidate_name=f"Candidate {index}",
        candidate_experience=rng.randint(0, 20), job_description="Senior Python developer, Django, AWS. " * 10,
        difficulty=rng.choice(["beginner", "intermediate", "advanced"]), started_at=started, ended_at=started,
        total_questions=5, average_score=average, individual_scores=scores, questions_and_answers=answers,
        overall_score=average, summary="A candidate. " * 10, strengths=["Python"], weaknesses=rng.sample(WEAKNESSES, 2),
        recommendations=["Practise system design"], hire_recommendation="yes" if average >= 6.5 else "no",
        status="completed", completion_reason="all_answered",
    )  # fmt: skip
    return SessionRows(
        session_id=session_id,
        version=17,
        interview=interview,
        answers=[
            AnswerRecord(
                session_id=session_id,
                question_number=a.question_number,
                question=a.question,
                answer=a.answer,
                score=a.score,
                feedback=a.feedback,
                timestamp=started,
                candidate_name=interview.candidate_name,
                difficulty=interview.difficulty,
            )
            for a in answers
        ],  # fmt: skip
        job_description=JobDescriptionRecord(
            session_id=session_id,
            job_description=interview.job_description,
            candidate_name=interview.candidate_name,
            candidate_experience=1,
            difficulty=interview.difficulty,
            timestamp=started,
        ),  # fmt: skip
    )


async def fill(path: Path, rows: list[SessionRows]) -> tuple[float, list[float]]:
    """Fill the store; the seconds that took, then the seconds the persistence handler takes per
    event (append, fold, save, durable) for a few more interviews, as the service would record them."""
    store = SQLiteStore(path)
    await store.open()
    began = time.perf_counter()
    await store._run(lambda db: db.execute("PRAGMA synchronous=OFF"))  # only to fill faster
    for row in rows:
        await store.save_projection(row)
    await store._run(lambda db: db.execute("PRAGMA synchronous=FULL"))
    seeded = time.perf_counter() - began
    samples = await record_writes(store)
    await store.close()
    return seeded, samples


async def fill_mongodb(url: str, database: str, rows: list[SessionRows], bulk: bool) -> tuple[float, list[float]]:
    """The same for the MongoDB store, in a new database: through `save_projection`, one interview
    after another (about fifteen round trips each, every write with write concern majority; a few at
    a time was slower on SecantusDB, which shares the two cores), or with `bulk` the same writes sent
    500 interviews at a time, one bulk write per collection (`BulkFill`)."""
    store = MongoStore.from_url(url, database)
    await store.open()
    began = time.perf_counter()
    if bulk:
        await BulkFill(store).save(rows)
    else:
        for row in rows:
            await store.save_projection(row)
    seeded = time.perf_counter() - began
    samples = await record_writes(store)
    await store.close()
    return seeded, samples


class BulkFill:
    """`MongoStore.save_projection` for many interviews on a new, empty database, its writes sent in
    bulk: while it runs, each collection is stood in for by a recorder that answers its reads as the
    empty database would (nothing stored: no erasure, no earlier version, no older document to
    delete) and keeps its upserts, which then go to the server as they are, `BATCH` interviews at a
    time. So the documents stored are the ones `save_projection` writes (`check` compares them, for a
    few interviews saved both ways, before the bench relies on it)."""

    BATCH = 500

    def __init__(self, store: MongoStore) -> None:
        self.store = store

    async def save(self, rows: list[SessionRows]) -> None:
        collections = self.store._c
        for start in range(0, len(rows), self.BATCH):
            recorders = {name: _Recorder() for name in collections}
            self.store._c = recorders
            try:
                for row in rows[start : start + self.BATCH]:
                    if not await self.store.save_projection(row):
                        raise RuntimeError(f"save_projection refused {row.session_id} on a new database")
            finally:
                self.store._c = collections
            for name, recorder in recorders.items():
                if recorder.operations:
                    await collections[name].bulk_write(recorder.operations, ordered=False)

    @staticmethod
    async def check(url: str, rows: list[SessionRows]) -> None:
        """The same interviews saved one by one and in bulk, into two new databases: the same documents."""
        names = [f"bench_read_api_check_{secrets.token_hex(3)}" for _ in range(2)]
        stores = [MongoStore.from_url(url, name) for name in names]
        try:
            for store in stores:
                await store.open()
            for row in rows:
                await stores[0].save_projection(row)
            await BulkFill(stores[1]).save(rows)
            for name in (*READ_MODELS, "projection_versions"):
                one_by_one, in_bulk = [[d async for d in store._c[name].find().sort("_id")] for store in stores]
                if one_by_one != in_bulk or (name == "interviews" and len(in_bulk) != len(rows)):
                    raise RuntimeError(f"bulk filling stores other documents in {name} than save_projection")
        finally:
            for store, name in zip(stores, names, strict=True):
                await store.client.drop_database(name)
                await store.close()


class _Recorder:
    """One collection, as `BulkFill` stands in for it."""

    def __init__(self) -> None:
        self.operations: list[ReplaceOne[dict[str, Any]] | UpdateOne] = []

    async def find_one(self, *_: object, **__: object) -> None:
        return None

    async def delete_many(self, *_: object, **__: object) -> DeleteResult:
        return DeleteResult({"n": 0}, acknowledged=True)

    async def replace_one(self, where: dict[str, Any], document: dict[str, Any], upsert: bool = False) -> None:
        self.operations.append(ReplaceOne(where, document, upsert=upsert))

    async def update_one(self, where: dict[str, Any], update: dict[str, Any], upsert: bool = False) -> None:
        self.operations.append(UpdateOne(where, update, upsert=upsert))


async def drop_database(url: str, database: str) -> None:
    store = MongoStore.from_url(url, database)
    try:
        await store.client.drop_database(database)
    finally:
        await store.close()


async def record_writes(store: Store) -> list[float]:
    samples = []
    for n in range(5):
        for event in interview_events(f"w{n:07d}", scores=(7, 8, 6, 9, 5), total=5):
            began = time.perf_counter()
            await record_event(store, event)
            samples.append(time.perf_counter() - began)
    return samples


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))] * 1000


def measure_ours(
    base_url: str,
    session_ids: list[str],
    repeats: int,
    seconds: float | None = None,
    counts: dict[str, int] | None = None,
) -> dict[str, tuple[float, float]]:
    """`repeats` requests per query, or fewer (at least MIN_REQUESTS) once a query has taken `seconds`;
    how many in `counts`."""
    results = {}
    with httpx.Client(base_url=base_url, timeout=120) as client:
        for name, path in ENDPOINTS.items():
            samples: list[float] = []
            deadline = time.perf_counter() + seconds if seconds is not None else None
            for _ in range(repeats):
                if deadline is not None and len(samples) >= MIN_REQUESTS and time.perf_counter() > deadline:
                    break
                url = path.format(session_id=random.choice(session_ids))
                began = time.perf_counter()
                response = client.get(url)
                samples.append(time.perf_counter() - began)
                assert response.status_code == 200, response.text
            results[name] = percentiles(samples)
            if counts is not None:
                counts[name] = len(samples)
    return results


def responses(base_url: str, session_id: str) -> dict[str, Any]:
    """Each endpoint's answer once (one interview: `session_id`), to compare the stores."""
    with httpx.Client(base_url=base_url, timeout=120) as client:
        return {name: client.get(path.format(session_id=session_id)).json() for name, path in ENDPOINTS.items()}


def measure_seed(folder: Path, rows: list[SessionRows], repeats: int) -> dict[str, tuple[float, float]]:
    interviews_file, answers_file = folder / "interviews.json", folder / "answers.json"
    interviews_file.write_text(json.dumps([r.interview.model_dump(mode="json") for r in rows]))
    answers_file.write_text(json.dumps([a.model_dump(mode="json") for r in rows for a in r.answers]))

    def load(file: Path) -> list[dict]:
        return json.loads(file.read_text())

    def by_experience() -> dict:
        groups = defaultdict(list)
        for interview in load(interviews_file):
            groups[interview["candidate_experience"]].append(interview["average_score"])
        return {k: sum(v) / len(v) for k, v in groups.items()}

    def question_effectiveness() -> list:
        groups = defaultdict(list)
        for answer in load(answers_file):
            groups[answer["question"]].append(answer["score"])
        return sorted(groups.items(), key=lambda kv: sum(kv[1]) / len(kv[1]), reverse=True)

    def save() -> None:
        interviews = load(interviews_file)
        interviews.append(rows[0].interview.model_dump(mode="json"))
        interviews_file.write_text(json.dumps(interviews))

    target = rows[len(rows) // 2].session_id
    queries: dict[str, Callable[[], object]] = {
        "statistics": lambda: (
            (items := load(interviews_file)),
            sum(i["average_score"] for i in items) / len(items),
            len(load(answers_file)),
        ),
        "one interview": lambda: next(i for i in load(interviews_file) if i["session_id"] == target),
        "page of 50": lambda: sorted(load(interviews_file), key=lambda i: i["timestamp"], reverse=True)[:50],
        "top performers": lambda: sorted(load(interviews_file), key=lambda i: i["average_score"], reverse=True)[:5],
        "score by experience": by_experience,
        "common weaknesses": lambda: Counter(w for i in load(interviews_file) for w in i["weaknesses"]).most_common(5),
        "question effectiveness": question_effectiveness,
        "save one interview": save,
    }
    results = {}
    for name, query in queries.items():
        samples = []
        for _ in range(repeats):
            began = time.perf_counter()
            query()
            samples.append(time.perf_counter() - began)
        results[name] = percentiles(samples)
    return results


@dataclass
class Measured:
    seeded: float  # seconds the store took to fill (save_projection for every interview)
    latencies: dict[str, tuple[float, float]]  # p50 and p99 per query, in ms
    requests: dict[str, int]  # per query, how many requests (or saves) measured
    answers: dict[str, Any]  # per query, one answer


def run_persistence(env: dict[str, str], rows: list[SessionRows], seconds: float | None = None) -> Measured:
    """The persistence service on the store `env` names: each query's latencies, and its answers."""
    namespace = fresh_namespace("bench")
    port = free_port()
    stack = Stack(env={"BROKER_NAMESPACE": namespace, "LOG_LEVEL": "WARNING"} | env, ports={"persistence": port})
    try:
        stack.start(("persistence",))
        stack.wait_ready(timeout=300)
        requests: dict[str, int] = {}
        session_ids = [r.session_id for r in rows]
        latencies = measure_ours(stack.url("persistence"), session_ids, repeats=200, seconds=seconds, counts=requests)
        answers = responses(stack.url("persistence"), rows[len(rows) // 2].session_id)
        return Measured(0.0, latencies, requests, answers)
    finally:
        stack.stop()
        asyncio.run(delete_namespace(namespace, ServiceSettings().amqp_url))


def measure_sqlite(folder: Path, rows: list[SessionRows], seconds: float | None) -> Measured:
    seeded, writes = asyncio.run(fill(folder / "interviewer.sqlite3", rows))
    print(f"{len(rows)}: SQLite filled in {seeded:.0f} s", flush=True)
    measured = run_persistence({"DATA_DIR": str(folder), "MONGODB_URL": ""}, rows, seconds)
    return with_writes(measured, seeded, writes)


def measure_mongodb(
    url: str, label: str, folder: Path, rows: list[SessionRows], seconds: float | None, bulk: bool
) -> Measured:
    database = f"bench_read_api_{len(rows)}_{secrets.token_hex(3)}"
    data_dir = folder / "mongodb"
    data_dir.mkdir()
    if bulk:
        asyncio.run(BulkFill.check(url, rows[:20]))
    try:
        seeded, writes = asyncio.run(fill_mongodb(url, database, rows, bulk))
        print(f"{len(rows)}: {label} filled in {seeded:.0f} s", flush=True)
        env = {"DATA_DIR": str(data_dir), "MONGODB_URL": url, "MONGODB_DATABASE": database}
        measured = run_persistence(env, rows, seconds)
    finally:
        asyncio.run(drop_database(url, database))
    return with_writes(measured, seeded, writes)


def with_writes(measured: Measured, seeded: float, writes: list[float]) -> Measured:
    measured.seeded = seeded
    measured.latencies["save one interview"] = percentiles(writes)
    measured.requests["save one interview"] = len(writes)
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument(
        "--stores", default="sqlite", help="sqlite, mongodb, or both: sqlite,mongodb (default: sqlite, as before)"
    )
    parser.add_argument(
        "--mongodb-url", help="the MongoDB server (default: a SecantusDB started and stopped by the run)"
    )
    parser.add_argument(
        "--seconds-per-query",
        type=float,
        help=f"stop measuring a query after this long, once it had {MIN_REQUESTS} requests (default: 200 each)",
    )
    parser.add_argument(
        "--mongodb-fill",
        choices=["each", "bulk"],
        default="each",
        help="each: save_projection per interview (default); bulk: its writes sent 500 interviews at a time",
    )
    args = parser.parse_args()
    stores = [name.strip() for name in args.stores.split(",") if name.strip()]
    if not stores or set(stores) - {"sqlite", "mongodb"} or len(set(stores)) < len(stores):
        parser.error("--stores: sqlite, mongodb, or both separated by a comma")
    if args.mongodb_url and "mongodb" not in stores:
        parser.error("--mongodb-url needs mongodb in --stores")
    if stores == ["sqlite"] and args.seconds_per_query is None:
        sqlite_only(args.sizes)  # as before the other stores
        return
    server = None
    url, label = args.mongodb_url, "MongoDB"
    if "mongodb" in stores and not url:
        from tools import secantus

        server = secantus.start()
        url, label = server.url, "MongoDB (SecantusDB)"
        print(f"{label} on port {server.port}, its data in {server.storage}", flush=True)
    labels = {"sqlite": "SQLite", "mongodb": label}
    try:
        compare(args.sizes, stores, labels, url, args.seconds_per_query, args.mongodb_fill == "bulk")
    finally:
        if server is not None:
            server.stop()


def compare(
    sizes: list[int],
    stores: list[str],
    labels: dict[str, str],
    url: str | None,
    seconds: float | None,
    bulk: bool,
) -> None:
    """Each store in turn on the same interviews, then the seed's approach; a table of them side by side."""
    table, seeding = [], []
    for size in sizes:
        rng = random.Random(size)
        began = time.monotonic()
        rows = [make_rows(i, rng) for i in range(size)]
        print(f"{size}: {size:,} interviews made in {time.monotonic() - began:.0f} s", flush=True)
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            measured = {}
            for store in stores:
                if store == "sqlite":
                    measured[store] = measure_sqlite(folder, rows, seconds)
                else:
                    measured[store] = measure_mongodb(str(url), labels[store], folder, rows, seconds, bulk)
            seed = measure_seed(folder, rows, repeats=max(3, 30_000 // size))
        if len(stores) > 1:
            first = measured[stores[0]].answers
            differ = [name for name in ENDPOINTS if any(m.answers[name] != first[name] for m in measured.values())]
            print(f"{size}: the stores' answers " + (f"differ: {', '.join(differ)}" if differ else "are the same"))
        for name in [*ENDPOINTS, "save one interview"]:
            for store in stores:
                p50, p99 = measured[store].latencies[name]
                n = measured[store].requests[name]
                print(f"{size:>7} {name:<24} {labels[store]:<22} p50 {p50:8.2f} ms p99 {p99:8.2f} ms ({n})", flush=True)
            table.append((size, name, [measured[store].latencies[name] for store in stores], seed[name]))
        how = {"sqlite": "save_projection each", "mongodb": "in bulk" if bulk else "save_projection each"}
        seeding += [(size, labels[store], how[store], measured[store].seeded) for store in stores]

    heads = [f"{labels[store]} {p}" for store in stores for p in ("p50", "p99")]
    if len(stores) > 1:
        heads.append(f"{labels[stores[-1]]} / {labels[stores[0]]} (p50)")
    print("\n| interviews | query | " + " | ".join(heads) + " | seed's JSON files p50 |")
    print("|---:|---|" + "---:|" * (len(heads) + 1))
    for size, name, latencies, seeds in table:
        cells = [f"{ms:,.2f} ms" for p50_p99 in latencies for ms in p50_p99]
        if len(stores) > 1:
            cells.append(f"{latencies[-1][0] / latencies[0][0]:,.1f}x")
        print(f"| {size:,} | {name} | " + " | ".join(cells) + f" | {seeds[0]:,.1f} ms |")
    print("\n| interviews | store | filled | in | per interview |\n|---:|---|---|---:|---:|")
    for size, label, how_, seeded in seeding:
        print(f"| {size:,} | {label} | {how_} | {seeded:,.1f} s | {seeded / size * 1000:.2f} ms |")


def sqlite_only(sizes: list[int]) -> None:
    """The SQLite store alone, with the seed's approach beside it (the bench's original output)."""
    table = []
    for size in sizes:
        rng = random.Random(size)
        began = time.monotonic()
        rows = [make_rows(i, rng) for i in range(size)]
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            _, writes = asyncio.run(fill(folder / "interviewer.sqlite3", rows))
            print(f"{size}: filled in {time.monotonic() - began:.0f} s", flush=True)
            ours = run_persistence({"DATA_DIR": scratch, "MONGODB_URL": ""}, rows).latencies
            ours["save one interview"] = percentiles(writes)
            seed = measure_seed(folder, rows, repeats=max(3, 30_000 // size))
        for name in [*ENDPOINTS, "save one interview"]:
            mine = ours[name]
            table.append((size, name, mine, seed[name]))
            print(f"{size:>7} {name:<24} ours p50 {mine[0]:8.2f} ms p99 {mine[1]:8.2f} ms | "
                  f"seed p50 {seed[name][0]:9.1f} ms p99 {seed[name][1]:9.1f} ms", flush=True)  # fmt: skip

    print("\n| interviews | query | ours p50 | ours p99 | seed's JSON files p50 | seed p99 | seed / ours (p50) |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for size, name, mine, seed in table:
        ratio = f"{seed[0] / mine[0]:,.0f}x"
        ours_p50, ours_p99 = f"{mine[0]:.2f} ms", f"{mine[1]:.2f} ms"
        print(f"| {size:,} | {name} | {ours_p50} | {ours_p99} | {seed[0]:,.1f} ms | {seed[1]:,.1f} ms | {ratio} |")


if __name__ == "__main__":
    main()
