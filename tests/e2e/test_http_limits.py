"""What protects the services: rate limits on AI work, body size limits, Prometheus metrics."""

import re

import httpx
import pytest

from tests.e2e.conftest import eventually
from tests.e2e.test_interview import ANSWERS, START, answer, start

pytestmark = pytest.mark.e2e
STACK_ENV = {"START_RATE_PER_MINUTE": "3"}


def test_starting_interviews_is_rate_limited_per_client(gateway):
    session_ids = [start(gateway, num_questions=1)["session_id"] for _ in range(3)]
    refused = gateway.post("/api/start-interview", json=START)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "Too many interviews started" in refused.json()["message"]
    assert answer(gateway, session_ids[0], ANSWERS[0]).status_code == 200  # answering has its own budget


def test_oversized_bodies_are_refused_with_a_clear_413(gateway):
    huge = {"session_id": "abcdefgh", "answer": "x" * 200_000}
    response = gateway.post("/api/submit-answer", json=huge)
    assert response.status_code == 413 and "too large" in response.json()["message"]


def test_every_service_exposes_prometheus_metrics(stack, gateway):
    text = gateway.get("/metrics").text
    assert re.search(r'interviewer_published_total\{event_type="InterviewStarted",service="gateway"\} [1-9]', text)
    for service in ("persistence", "interview", "scoring", "exporter"):
        metrics = httpx.get(f"{stack.url(service)}/metrics", timeout=10).text
        assert f'interviewer_dlq_messages{{service="{service}"}} 0.0' in metrics, service
    # the score of the answer given in the first test (the start budget of 3 is spent there)
    scored = r'interviewer_events_total\{event_type="AnswerScored",outcome="ok",service="persistence"\} [1-9]'
    persistence = eventually(lambda: httpx.get(f"{stack.url('persistence')}/metrics", timeout=10).text,
                             lambda text: re.search(scored, text))  # fmt: skip
    assert (
        'interviewer_handler_seconds_bucket{event_type="InterviewStarted",le="0.1",service="persistence"}'
        in persistence
    )


def test_a_made_up_x_forwarded_for_gets_no_fresh_budget(gateway):
    """No TRUSTED_PROXIES here: the header is the client's word, so every request counts against 127.0.0.1."""
    statuses = [
        gateway.post("/api/start-interview", json={}, headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code
        for n in range(4)
    ]
    assert 429 in statuses and set(statuses) <= {422, 429}
