"""Reading your writes: a read through the gateway made after a write returned shows it, with the
write's consistency token and without it; while persistence is down and catching up, such a read
waits or answers 503 with Retry-After, never a 200 without the write."""

import asyncio
import signal
import threading
from collections import Counter
from dataclasses import dataclass, field

import httpx
import pytest

from shared.contracts.consistency import HEADER
from tests.e2e.test_interview import ANSWERS, START

pytestmark = pytest.mark.e2e
STACK_ENV = {"START_RATE_PER_MINUTE": "100000", "ANSWER_RATE_PER_MINUTE": "100000"}
CANDIDATES, QUESTIONS = 10, 20  # 200 submit-then-read cycles


@dataclass
class Reads:
    cycles: int = 0
    unavailable: Counter = field(default_factory=Counter)  # 503s by what answered them
    stale: list[str] = field(default_factory=list)


async def patiently(client: httpx.AsyncClient, reads: Reads, method: str, path: str, **kwargs) -> httpx.Response:
    """A request retried, as the Retry-After of a 503 asks, while a service is down."""
    for _ in range(300):
        try:
            response = await client.request(method, path, **kwargs)
        except httpx.TransportError:
            reads.unavailable["gateway unreachable"] += 1
            await asyncio.sleep(0.1)
            continue
        if response.status_code != 503:
            return response
        assert response.headers.get("retry-after"), f"a 503 without Retry-After: {response.text}"
        reads.unavailable[response.json()["message"].split(";")[0]] += 1
        await asyncio.sleep(0.1)
    raise AssertionError(f"{method} {path} kept answering 503")


async def candidate(client: httpx.AsyncClient, number: int, reads: Reads) -> None:
    body = START | {"candidate_name": f"Reader {number}", "num_questions": QUESTIONS}
    started = await patiently(client, reads, "POST", "/api/start-interview", json=body)
    assert started.status_code == 200 and started.headers[HEADER], started.text
    session_id = started.json()["session_id"]
    for question in range(1, QUESTIONS + 1):
        reply = {"session_id": session_id, "question_number": question, "answer": ANSWERS[question % len(ANSWERS)]}
        submitted = await patiently(client, reads, "POST", "/api/submit-answer", json=reply)
        assert submitted.status_code == 200, submitted.text
        token, score = submitted.headers[HEADER], submitted.json()["score"]
        with_token = await patiently(client, reads, "GET", f"/api/data/interview/{session_id}", headers={HEADER: token})
        without = await patiently(client, reads, "GET", "/api/data/answers", params={"session_id": session_id})
        shown = {qa["question_number"]: qa["score"] for qa in with_token.json()["questions_and_answers"]}
        if shown.get(question) != score:
            reads.stale.append(f"{session_id} q{question} with its token: {shown}")
        if without.json()["total"] != question:
            reads.stale.append(f"{session_id} q{question} without a token: {without.json()['total']} answers")
        reads.cycles += 1


def run_candidates(url: str, reads: Reads) -> None:
    async def everyone() -> None:
        async with httpx.AsyncClient(base_url=url, timeout=60) as client:
            await asyncio.gather(*(candidate(client, n, reads) for n in range(CANDIDATES)))

    asyncio.run(everyone())


def test_every_read_after_a_write_shows_it(stack):
    reads = Reads()
    run_candidates(stack.url(), reads)
    assert reads.cycles == CANDIDATES * QUESTIONS
    assert reads.stale == []
    assert not reads.unavailable, reads.unavailable


def test_with_persistence_killed_and_restarted_reads_wait_or_say_503_never_stale(stack):
    reads = Reads()
    candidates = threading.Thread(target=run_candidates, args=(stack.url(), reads))
    candidates.start()
    while reads.cycles < CANDIDATES * QUESTIONS // 3:
        candidates.join(0.02)
        assert candidates.is_alive(), "the candidates finished before the kill"
    assert stack.stop_service("persistence", signal.SIGKILL) == -signal.SIGKILL
    candidates.join(1.0)  # the candidates go on answering while the read models cannot follow
    stack.start_service("persistence")
    stack.wait_ready()
    candidates.join(300)
    assert not candidates.is_alive()
    assert reads.cycles == CANDIDATES * QUESTIONS
    assert reads.stale == []
    assert sum(reads.unavailable.values()) > 0, "no read met the outage"
    print(f"\n503s and refused connections while persistence was away: {dict(reads.unavailable)}")


def test_a_malformed_token_is_a_clear_400(stack, gateway):
    response = gateway.get("/api/data/statistics", headers={HEADER: "not a token"})
    assert response.status_code == 400
    assert HEADER in response.json()["message"]
