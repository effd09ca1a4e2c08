"""The gateway restarting mid-interview, and the broker refusing messages."""

from contextlib import contextmanager

import httpx
import pytest

from tests.conftest import rabbitmqctl
from tests.e2e.conftest import eventually
from tests.e2e.test_interview import ANSWERS, answer, start

pytestmark = pytest.mark.e2e
STACK_ENV = {"PUBLISH_TIMEOUT_SECONDS": "2"}


def test_a_restarted_gateway_continues_the_interview(stack, gateway):
    session_id = start(gateway, num_questions=3)["session_id"]
    first = answer(gateway, session_id, ANSWERS[0]).json()
    assert first["next_question"]["question_number"] == 2

    assert stack.stop_service("gateway") in (0, -15)
    stack.start_service("gateway")
    stack.wait_ready()

    with httpx.Client(base_url=stack.url(), timeout=60) as fresh:
        state = fresh.get(f"/api/interview/{session_id}").json()
        assert state["current_question"] == first["next_question"]
        second = answer(fresh, session_id, ANSWERS[2], question_number=2)
        assert second.status_code == 200, second.text
        third = answer(fresh, session_id, ANSWERS[4], question_number=3)
        assert third.status_code == 200 and third.json()["completed"] is True
        report = third.json()["report"]
        assert report["individual_scores"] == [first["score"], second.json()["score"], third.json()["score"]]


@contextmanager
def memory_alarm():
    """The broker under a memory alarm blocks every publisher: a real fault, undone afterwards."""
    rabbitmqctl("set_vm_memory_high_watermark", "0")
    try:
        yield
    finally:
        rabbitmqctl("set_vm_memory_high_watermark", "0.4")


def test_when_the_broker_cannot_confirm_the_gateway_answers_503_and_a_retry_counts_once(gateway):
    session_id = start(gateway, num_questions=2)["session_id"]
    with memory_alarm():
        refused_answer = answer(gateway, session_id, ANSWERS[0], question_number=1)
        refused_start = gateway.post(
            "/api/start-interview",
            json={
                "job_description": "Backend engineer with Python and PostgreSQL",
                "candidate_name": "Blocked",
                "experience_years": 2,
            },
        )
    for refused in (refused_answer, refused_start):
        assert refused.status_code == 503, refused.text
        assert "message broker is unavailable" in refused.json()["message"]
        assert "Traceback" not in refused.text

    # A 503 means "not confirmed": the broker may still have taken the message. Retrying with
    # question_number is safe either way: the answer counts exactly once.
    retried = answer(gateway, session_id, ANSWERS[0], question_number=1)
    assert retried.status_code == 200, retried.text
    assert retried.json()["question_number"] == 1 and retried.json()["next_question"]["question_number"] == 2
    assert answer(gateway, session_id, ANSWERS[2], question_number=2).json()["completed"] is True
    stored = eventually(
        lambda: gateway.get(f"/api/data/interview/{session_id}").json(), lambda doc: doc.get("status") == "completed"
    )
    assert [qa["answer"] for qa in stored["questions_and_answers"]] == [ANSWERS[0], ANSWERS[2]]
