"""Read-API latency at 1k, 10k and 100k stored interviews (SQLite), beside the seed's approach.

    .venv/bin/python -m bench.read_api                 # 1k, 10k, 100k
    .venv/bin/python -m bench.read_api --sizes 1000    # one size

Ours: the persistence service as a real process over HTTP (uvicorn, one worker), its SQLite
store filled with N completed 5-question interviews (read models only; no events, which the
read API never touches). The seed's approach, measured in the same run: one interviews.json
and one answers.json, read whole and computed in Python for every query (no HTTP), and
rewritten whole for every save. "save one interview" is, for ours, the persistence handler's
time per event (append, fold, write, fsync), and for the seed one rewrite of interviews.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

import httpx

from services.persistence.documents import AnswerRecord, JobDescriptionRecord
from services.persistence.handlers import record_event
from services.persistence.projections import SessionRows
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


async def fill(path: Path, rows: list[SessionRows]) -> list[float]:
    """Fill the store; then the seconds the persistence handler takes per event (append, fold,
    save, durable) for a few more interviews, as the service would record them."""
    store = SQLiteStore(path)
    await store.open()
    await store._run(lambda db: db.execute("PRAGMA synchronous=OFF"))  # only to fill faster
    for row in rows:
        await store.save_projection(row)
    await store._run(lambda db: db.execute("PRAGMA synchronous=FULL"))
    samples = []
    for n in range(5):
        for event in interview_events(f"w{n:07d}", scores=(7, 8, 6, 9, 5), total=5):
            began = time.perf_counter()
            await record_event(store, event)
            samples.append(time.perf_counter() - began)
    await store.close()
    return samples


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))] * 1000


def measure_ours(base_url: str, session_ids: list[str], repeats: int) -> dict[str, tuple[float, float]]:
    results = {}
    with httpx.Client(base_url=base_url, timeout=120) as client:
        for name, path in ENDPOINTS.items():
            samples = []
            for _ in range(repeats):
                url = path.format(session_id=random.choice(session_ids))
                began = time.perf_counter()
                response = client.get(url)
                samples.append(time.perf_counter() - began)
                assert response.status_code == 200, response.text
            results[name] = percentiles(samples)
    return results


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    args = parser.parse_args()
    table = []
    for size in args.sizes:
        rng = random.Random(size)
        began = time.monotonic()
        rows = [make_rows(i, rng) for i in range(size)]
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            writes = asyncio.run(fill(folder / "interviewer.sqlite3", rows))
            print(f"{size}: filled in {time.monotonic() - began:.0f} s", flush=True)
            namespace = fresh_namespace("bench")
            port = free_port()
            stack = Stack(env={"BROKER_NAMESPACE": namespace, "DATA_DIR": scratch, "LOG_LEVEL": "WARNING"},
                          ports={"persistence": port})  # fmt: skip
            try:
                stack.start(("persistence",))
                stack.wait_ready(timeout=300)
                ours = measure_ours(stack.url("persistence"), [r.session_id for r in rows], repeats=200)
                ours["save one interview"] = percentiles(writes)
            finally:
                stack.stop()
                asyncio.run(delete_namespace(namespace, ServiceSettings().amqp_url))
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
