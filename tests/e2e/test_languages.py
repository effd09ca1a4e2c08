"""Interviews in the language the start or the position names (en, de, es, fr), through the five services:
the questions in it, the candidate's page told it, the interview document recording it; any other a 422."""

import httpx
import pytest

from tests.e2e.conftest import eventually
from tests.e2e.test_interview import START

pytestmark = pytest.mark.e2e
STACK_ENV = {"START_RATE_PER_MINUTE": "100000", "ANSWER_RATE_PER_MINUTE": "100000"}
GERMAN_ANSWERS = [
    "In meinem letzten Projekt habe ich eine Django-API auf PostgreSQL gebaut und die Latenz um 80 % gesenkt.",
    "Ich habe zwei Entwickler betreut und mit dem Vertrieb einen Wartungsplan vereinbart; der Kunde blieb.",
]


def completed(gateway: httpx.Client, session_id: str) -> dict:
    return eventually(
        lambda: gateway.get(f"/api/data/interview/{session_id}").json(), lambda doc: doc.get("status") == "completed"
    )


def test_an_interview_started_in_german_is_held_and_recorded_in_german(gateway):
    started = gateway.post("/api/start-interview", json=START | {"language": "de", "num_questions": 2})
    assert started.status_code == 200, started.text
    first = started.json()
    assert first["language"] == "de" and "Sie" in first["question"].split()
    session_id = first["session_id"]
    assert gateway.get(f"/api/interview/{session_id}").json()["language"] == "de"
    for number, text in enumerate(GERMAN_ANSWERS, start=1):
        answered = gateway.post("/api/submit-answer",
                                json={"session_id": session_id, "answer": text, "question_number": number})  # fmt: skip
        assert answered.status_code == 200, answered.text
    assert answered.json()["completed"] is True
    assert completed(gateway, session_id)["language"] == "de"


def test_without_a_language_the_job_descriptions_is_recorded(gateway):
    started = gateway.post("/api/start-interview", json=START | {"num_questions": 1})
    assert started.status_code == 200, started.text
    assert started.json()["language"] == "en"
    session_id = started.json()["session_id"]
    gateway.post("/api/submit-answer", json={"session_id": session_id, "answer": "Django and PostgreSQL, 5 years."})
    assert completed(gateway, session_id)["language"] == "en"  # explicit, not left to guess later


@pytest.mark.parametrize("language", ["it", "german", "", 7])
def test_any_other_language_is_a_clear_422(gateway, language):
    refused = gateway.post("/api/start-interview", json=START | {"language": language})
    assert refused.status_code == 422, refused.text
    assert "language" in refused.text and "'de'" in refused.text


def test_a_positions_language_is_its_invited_interviews(gateway):
    position = gateway.post("/api/positions", json={
        "title": "Desarrollador Python", "num_questions": 1, "language": "es",
        "job_description": "Senior Python Developer: Django, PostgreSQL and AWS; you will mentor two engineers.",
    })  # fmt: skip
    assert position.status_code == 201, position.text
    position_id = position.json()["position_id"]
    assert position.json()["language"] == "es"
    assert gateway.post("/api/positions", json={"title": "X", "job_description": "x" * 30, "language": "it"}
                        ).status_code == 422  # fmt: skip
    invited = gateway.post(
        f"/api/positions/{position_id}/invitations", json={"candidates": [{"candidate_name": "Ana"}]}
    )
    assert invited.status_code == 201, invited.text
    token = invited.json()["invitations"][0]["token"]
    assert gateway.post("/api/invitation", json={"invitation": token}).json()["language"] == "es"
    started = gateway.post("/api/start-interview", json={"invitation": token, "consent": True, "experience_years": 4})
    assert started.status_code == 200, started.text
    assert started.json()["language"] == "es" and "su" in started.json()["question"].split()

    changed = gateway.patch(f"/api/positions/{position_id}", json={"language": "fr"})
    assert changed.status_code == 200 and changed.json()["language"] == "fr"
    invited = gateway.post(f"/api/positions/{position_id}/invitations", json={"candidates": [{"candidate_name": "Jo"}]})
    token = invited.json()["invitations"][0]["token"]
    started = gateway.post(
        "/api/start-interview", json={"invitation": token, "consent": True, "experience_years": 4, "language": "de"}
    )
    assert started.json()["language"] == "fr"  # the hiring team's choice: every candidate scored alike
