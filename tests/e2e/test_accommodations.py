"""Accommodations (docs/fairness.md): a position's time per answer and its candidates' accommodations, one
invitation's own (from JSON or a CSV's columns), given to the candidate's page and recorded with the
interview, through the five real services; wrong values are a clear 422 that invites no one."""

import httpx
import pytest

from tests.e2e.conftest import eventually
from tests.e2e.test_interview import ANSWERS, START

pytestmark = pytest.mark.e2e
TOKEN = "e2e-accommodations-token"
STACK_ENV = {"ADMIN_TOKEN": TOKEN}
POSITION = {"title": "Support engineer", "job_description": START["job_description"], "num_questions": 1,
            "answer_time_limit_seconds": 120, "accommodations": {"confirm_transcript": False}}  # fmt: skip
DEFAULT = {"text_only": False, "extra_time": 1.0, "confirm_transcript": True}


@pytest.fixture(scope="module")
def position(admin) -> dict:
    created = admin.post("/api/positions", json=POSITION)
    assert created.status_code == 201, created.text
    return created.json()


def start(gateway: httpx.Client, invitation: dict) -> dict:
    started = gateway.post(
        "/api/start-interview", json={"invitation": invitation["token"], "consent": True, "experience_years": 4}
    )
    assert started.status_code == 200, started.text
    return started.json()


def test_an_invitation_gives_its_candidate_their_own_and_the_interview_records_them(admin, gateway, position):
    assert (position["answer_time_limit_seconds"], position["accommodations"]) == (
        120, DEFAULT | {"confirm_transcript": False})  # fmt: skip
    own = {"text_only": True, "extra_time": 1.5}
    invited = admin.post(f"/api/positions/{position['position_id']}/invitations",
                         json={"candidates": [{"candidate_name": "Ada", "accommodations": own},
                                              {"candidate_name": "Alan"}]})  # fmt: skip
    assert invited.status_code == 201, invited.text
    ada, alan = invited.json()["invitations"]
    assert ada["accommodations"] == DEFAULT | own and alan["accommodations"] is None

    details = gateway.post("/api/invitation", json={"invitation": ada["token"]}).json()  # before the start
    assert (details["seconds_per_answer"], details["accommodations"]) == (180, DEFAULT | own)
    ada_started, alan_started = start(gateway, ada), start(gateway, alan)
    assert (ada_started["seconds_per_answer"], ada_started["accommodations"]) == (180, DEFAULT | own)
    assert (alan_started["seconds_per_answer"], alan_started["accommodations"]) == (
        120, DEFAULT | {"confirm_transcript": False})  # fmt: skip
    token = {"X-Candidate-Token": ada_started["candidate_token"]}
    page = gateway.get(f"/api/interview/{ada_started['session_id']}", headers=token).json()
    assert (page["seconds_per_answer"], page["accommodations"]) == (180, DEFAULT | own)
    assert 170 < page["current_question"]["seconds_left"] <= 180  # counted from when the question was asked
    alans = gateway.get(f"/api/interview/{alan_started['session_id']}",
                        headers={"X-Candidate-Token": alan_started["candidate_token"]}).json()  # fmt: skip
    assert 110 < alans["current_question"]["seconds_left"] <= 120  # no extra time

    body = {"session_id": ada_started["session_id"], "question_number": 1, "answer": ANSWERS[0]}
    assert gateway.post("/api/submit-answer", json=body, headers=token).status_code == 200
    recorded = eventually(lambda: admin.get(f"/api/data/interview/{ada_started['session_id']}").json(),
                          lambda i: i.get("status") == "completed")  # fmt: skip
    assert (recorded["seconds_per_answer"], recorded["accommodations"]) == (180, DEFAULT | own)
    answered = recorded["questions_and_answers"][0]
    assert 0 <= answered["seconds_taken"] < 60 and answered["over_time"] is False


def test_a_csv_names_accommodations_in_columns_of_its_own(admin, position):
    csv = b"name,email,text_only,extra_time\nGrace,grace@example.com,yes,2\nEdsger,,,\n"
    invited = admin.post(f"/api/positions/{position['position_id']}/invitations", content=csv,
                         headers={"content-type": "text/csv"})  # fmt: skip
    assert invited.status_code == 201, invited.text
    grace, edsger = invited.json()["invitations"]
    assert grace["accommodations"] == DEFAULT | {"text_only": True, "extra_time": 2.0}
    assert edsger["accommodations"] is None


def test_an_open_interview_is_untimed_with_no_accommodations(gateway):
    started = gateway.post("/api/start-interview", json=START | {"num_questions": 1}).json()
    assert (started["seconds_per_answer"], started["accommodations"]) == (0, DEFAULT)
    resumed = gateway.get(f"/api/interview/{started['session_id']}").json()
    assert resumed["current_question"]["seconds_left"] is None


@pytest.mark.parametrize(
    ("path", "body", "words"),
    [
        ("/api/positions", POSITION | {"answer_time_limit_seconds": 10}, "0 (untimed) or from 30"),
        ("/api/positions", POSITION | {"answer_time_limit_seconds": 4000}, "answer_time_limit_seconds"),
        ("/api/positions", POSITION | {"accommodations": {"extra_time": 5}}, "extra_time"),
        ("/api/positions", POSITION | {"accommodations": {"braille": True}}, "braille"),
    ],
)
def test_wrong_settings_are_a_clear_422(admin, path, body, words):
    response = admin.post(path, json=body)
    assert response.status_code == 422 and words in response.text, response.text


def test_a_wrong_csv_value_says_its_line_and_invites_no_one(admin, position):
    before = len(admin.get(f"/api/positions/{position['position_id']}/invitations").json()["invitations"])
    csv = b"name,extra_time\nGrace,2\nEdsger,ten\n"
    response = admin.post(f"/api/positions/{position['position_id']}/invitations", content=csv,
                          headers={"content-type": "text/csv"})  # fmt: skip
    assert response.status_code == 422 and "CSV line 3" in response.text and "extra_time" in response.text
    after = admin.get(f"/api/positions/{position['position_id']}/invitations").json()["invitations"]
    assert len(after) == before
