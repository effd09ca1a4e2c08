"""Candidates who keep going: each runs a whole interview over HTTP, retrying as a patient client
would (503, 429, lost connections; pending answers are followed until their outcome shows), and
the check that afterwards nothing was lost and nothing was counted twice."""

from __future__ import annotations

import asyncio
import random
import threading
import time
import uuid
from dataclasses import dataclass, field
from statistics import fmean

import httpx
import pytest

from tests.e2e.test_interview import ANSWERS, START

RETRYABLE = {429, 502, 503, 504}


@dataclass
class Call:
    """One request as the candidate saw it: first sent, finally answered, after how many attempts."""

    method: str
    path: str
    session_id: str | None
    sent: float
    done: float | None = None
    attempts: int = 0
    status: int | None = None


@dataclass
class Outcome:
    sessions: list[str] = field(default_factory=list)
    retries: int = 0
    pending: int = 0
    errors: list[str] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    scores: dict[str, list[int]] = field(default_factory=dict)  # each interview's, as its candidate saw them at the end
    finished_at: float = 0.0

    def in_flight(self, method: str, path: str) -> list[Call]:
        return [c for c in list(self.calls) if c.done is None and c.method == method and c.path == path]

    @property
    def answers_accepted(self) -> int:
        return sum(c.path == "/api/submit-answer" and c.status in (200, 202) for c in self.calls)


async def _call(client: httpx.AsyncClient, outcome: Outcome, method: str, path: str, **kwargs) -> httpx.Response:
    return (await _tracked(client, outcome, method, path, **kwargs))[0]


async def _tracked(
    client: httpx.AsyncClient, outcome: Outcome, method: str, path: str, session_id: str | None = None, **kwargs
) -> tuple[httpx.Response, Call]:
    call = Call(method, path, session_id, time.monotonic())
    outcome.calls.append(call)
    for attempt in range(200):
        call.attempts += 1
        try:
            response = await client.request(method, path, **kwargs)
            if response.status_code not in RETRYABLE:
                call.done, call.status = time.monotonic(), response.status_code
                return response, call
        except httpx.HTTPError:
            pass
        outcome.retries += 1
        await asyncio.sleep(min(0.1 * 2**attempt, 2.0))
    raise RuntimeError(f"{method} {path} never succeeded")


async def _state(client: httpx.AsyncClient, outcome: Outcome, session_id: str) -> dict:
    return (await _call(client, outcome, "GET", f"/api/interview/{session_id}", session_id=session_id)).json()


async def _until(client, outcome, session_id, ready, timeout: float = 120.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = await _state(client, outcome, session_id)
        if ready(state):
            return state
        await asyncio.sleep(0.2)
    raise TimeoutError(f"session {session_id} did not get there: {state}")


async def candidate(
    client: httpx.AsyncClient, outcome: Outcome, number: int, questions: int, think: float = 0.0
) -> None:
    body = START | {"candidate_name": f"Candidate {number:02d}", "experience_years": number % 12,
                    "num_questions": questions,  # each its own opening, so no two candidates send the AI one prompt
                    "job_description": f"{START['job_description']} Opening {number:02d}.",
                    "request_id": uuid.uuid4().hex}  # a retried start finds the interview, as the web app's does  # fmt: skip
    response, call = await _tracked(client, outcome, "POST", "/api/start-interview", json=body)
    session_id = call.session_id = response.json()["session_id"]
    outcome.sessions.append(session_id)
    for question in range(1, questions + 1):
        await _until(client, outcome, session_id, lambda s, q=question: (s["current_question"] or {}).get("question_number") == q
                     or any(a["question_number"] == q for a in s["answers"]))  # fmt: skip
        await asyncio.sleep(think * (0.5 + random.random()))  # a candidate takes a moment to answer
        reply = {
            "session_id": session_id,
            "answer": ANSWERS[(number + question) % len(ANSWERS)],
            "question_number": question,
        }
        response = await _call(client, outcome, "POST", "/api/submit-answer", session_id=session_id, json=reply)
        if response.status_code == 202:
            outcome.pending += 1
        elif response.status_code != 200:
            outcome.errors.append(f"{session_id} q{question}: {response.status_code} {response.text[:200]}")
    final = await _until(client, outcome, session_id, lambda s: s["status"] == "completed")
    outcome.scores[session_id] = [a["score"] for a in sorted(final["answers"], key=lambda a: a["question_number"])]


async def run_candidates(
    base_url: str, count: int, questions: int, think: float = 0.0, outcome: Outcome | None = None
) -> Outcome:
    outcome = outcome or Outcome()
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        await asyncio.gather(*(candidate(client, outcome, n, questions, think) for n in range(count)))
    outcome.finished_at = time.monotonic()
    return outcome


class Workload(threading.Thread):
    """The candidates, in a thread of their own, while the test injects faults (and watches
    `outcome` fill in)."""

    def __init__(self, base_url: str, count: int = 20, questions: int = 3, think: float = 0.0) -> None:
        super().__init__(daemon=True)
        self.args = (base_url, count, questions, think)
        self.outcome = Outcome()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            asyncio.run(run_candidates(*self.args, outcome=self.outcome))
        except BaseException as error:  # reported by result()
            self.error = error

    def result(self, timeout: float = 300.0) -> Outcome:
        self.join(timeout)
        if self.is_alive():
            raise TimeoutError("the candidates did not finish")
        if self.error is not None:
            raise self.error
        return self.outcome


def verify(read_api: str, outcome: Outcome, questions: int) -> dict:
    """Every interview completed with each answer exactly once and the scores its candidate saw, and
    the statistics agree with what the candidates did and saw."""
    expected = {"total_interviews": len(outcome.sessions), "total_answers": outcome.answers_accepted,
                "interviews_in_progress": 0}  # fmt: skip
    average = fmean(round(fmean(scores), 2) for scores in outcome.scores.values())  # the seed's average_score
    with httpx.Client(base_url=read_api, timeout=60) as client:
        for _ in range(300):  # persistence may still be applying the last events
            statistics = client.get("/api/data/statistics").json()
            if {name: statistics[name] for name in expected} == expected:
                break
            time.sleep(0.1)
        lost, duplicated, rescored = [], [], []
        for session_id in outcome.sessions:
            interview = client.get(f"/api/data/interview/{session_id}").json()
            answers = client.get("/api/data/answers", params={"session_id": session_id, "limit": 100}).json()
            numbers = [qa["question_number"] for qa in interview.get("questions_and_answers", [])]
            if interview.get("status") != "completed" or sorted(set(numbers)) != list(range(1, questions + 1)):
                lost.append(session_id)
            if len(numbers) != len(set(numbers)) or answers["total"] != questions:
                duplicated.append(session_id)
            if interview.get("individual_scores") != outcome.scores.get(session_id):
                rescored.append(session_id)
        figures = {
            "interviews": len(outcome.sessions), "answers": outcome.answers_accepted,
            "lost": len(lost), "duplicated": len(duplicated), "client_retries": outcome.retries,
            "pending_answers": outcome.pending, "statistics": statistics,
        }  # fmt: skip
    assert not outcome.errors, outcome.errors
    assert outcome.answers_accepted == len(outcome.sessions) * questions == len(outcome.scores) * questions, figures
    assert not lost and not duplicated, figures | {"lost_sessions": lost, "duplicated_sessions": duplicated}
    assert not rescored, figures | {"scores_unlike_the_candidates": rescored}
    assert {name: statistics[name] for name in expected} == expected, figures
    assert statistics["average_score"] == pytest.approx(average, abs=0.005), figures | {"observed_average": average}
    return figures
