"""Shadow scoring (docs/shadow-scoring.md) with the five services as real processes: reviewed interviews are
scored again by `python -m services.scoring shadow --provider offline`; the read API reports the old and the
new scores side by side against people's, the interviews' own scores and documents stay as they were, and
an erasure takes the erased interview's answers out of the run. With the OpenAI provider (a fake server): the
scorer gets the rubric the interview was scored with, and an AI that fails ends the run with one line."""

import json
import os
import re
import subprocess
import sys

import httpx
import pytest

from tests.e2e.conftest import eventually
from tests.e2e.test_fairness import client, finish
from tests.e2e.test_interview import START
from tests.fakes.openai_server import FakeOpenAI
from tools.stack import free_port

pytestmark = pytest.mark.e2e
ADMIN = "e2e-shadow-admin"
STACK_ENV = {"ADMIN_TOKEN": ADMIN, "START_RATE_PER_MINUTE": "100000", "ANSWER_RATE_PER_MINUTE": "100000"}
HUMAN = {1: 7, 2: 2}  # people's scores of each interview's answers


RUBRIC_THEN = "Weigh measured results over buzzwords; PostgreSQL depth matters most."
RUBRIC_NOW = "Kubernetes operations matter most now."


def shadow(
    stack,
    *arguments: str,
    token: str = ADMIN,
    api: str | None = None,
    openai: str | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """The command, against the gateway (or `api`), with the OpenAI provider at `openai` if given."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI")} | stack.env | (env or {})
    if openai:
        environment |= {"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": openai, "OPENAI_MODEL": "gpt-fake",
                        "OPENAI_MAX_RETRIES": "0"}  # fmt: skip
    command = [sys.executable, "-m", "services.scoring", "shadow", "--api", api or stack.url(), "--token", token,
               *arguments]  # fmt: skip
    return subprocess.run(command, env=environment, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def reviewed(stack):
    return seed_reviewed(stack, ADMIN)


def seed_reviewed(stack, token: str) -> list[str]:
    """Two completed interviews of two answers, each answer scored by a person."""
    with client(stack, token) as admin, client(stack) as gateway:
        sessions = []
        for name in ("Ada", "Bea"):
            started = gateway.post("/api/start-interview", json=START | {"candidate_name": name, "num_questions": 2})
            assert started.status_code == 200, started.text
            finish(gateway, started.json())
            sessions.append(started.json()["session_id"])
        for session_id in sessions:
            for number, score in HUMAN.items():
                response = admin.post(
                    f"/api/data/interview/{session_id}/answers/{number}/review", json={"score": score}
                )
                assert response.status_code == 200, response.text
        eventually(lambda: admin.get("/api/data/analysis/calibration", params={"minimum": 2}).json()["reviewed_answers"],
                   lambda n: n == 4, timeout=30)  # fmt: skip
    return sessions


def documents(admin: httpx.Client, sessions: list[str]) -> list[dict]:
    return [admin.get(f"/api/data/interview/{session_id}").json() for session_id in sessions]


def test_a_shadow_run_reports_old_and_new_and_leaves_the_interviews_alone(stack, reviewed):
    with client(stack, ADMIN) as admin:
        before = documents(admin, reviewed)
        answers_before = admin.get("/api/data/answers").json()
        done = shadow(stack, "--provider", "offline", "--label", "offline check", "--json")
        assert done.returncode == 0, done.stderr
        printed = json.loads(done.stdout)
        run_id = printed["run_id"]
        assert run_id.startswith("shadow-") and printed["status"] == "completed" and printed["answers"] == 4
        assert printed["calibration"]["reviewed"] == 4
        assert set(printed["calibration"]) == {"reviewed", "old", "new"}
        for side in ("old", "new"):
            assert printed["calibration"][side]["n"] == 4
            assert printed["calibration"][side]["mean_absolute_error"] is not None

        report = admin.get(f"/api/data/analysis/shadow/{run_id}").json()
        assert report["label"] == "offline check" and report["provider"] == "offline"
        assert {(p["session_id"], p["question_number"], p["human_score"]) for p in report["pairs"]} == {
            (s, n, HUMAN[n]) for s in reviewed for n in HUMAN
        }
        originals = {(d["session_id"], qa["question_number"]): qa["score"] for d in before
                     for qa in d["questions_and_answers"]}  # fmt: skip
        assert all(p["original_score"] == originals[p["session_id"], p["question_number"]] for p in report["pairs"])
        listed = admin.get("/api/data/analysis/shadow").json()["runs"]
        assert [(r["run_id"], r["answers"]) for r in listed] == [(run_id, 4)]
        assert "pairs" not in listed[0]

        # the interviews' own scores and documents are as they were
        assert documents(admin, reviewed) == before
        assert admin.get("/api/data/answers").json() == answers_before
        assert admin.get("/api/data/analysis/shadow/shadow-nosuchrun").status_code == 404

        # an erased interview's answers leave the run
        assert admin.delete(f"/api/data/interview/{reviewed[0]}").status_code == 200
        report = eventually(lambda: admin.get(f"/api/data/analysis/shadow/{run_id}").json(),
                            lambda r: r["answers"] == 2, timeout=30)  # fmt: skip
        assert {p["session_id"] for p in report["pairs"]} == {reviewed[1]}


def test_the_command_says_clearly_what_is_wrong(stack):
    unknown = shadow(stack, "--provider", "offline", "--position", "pos-nosuchposition")
    assert unknown.returncode == 2 and "No position with position_id 'pos-nosuchposition'" in unknown.stderr
    bad_prompt = shadow(stack, "--provider", "openai", "--prompt", "/nonexistent/assess_answer.v9.md")
    assert bad_prompt.returncode == 2 and "Bad prompt file" in bad_prompt.stderr
    assert "Traceback" not in bad_prompt.stderr
    wrong_token = subprocess.run(
        [sys.executable, "-m", "services.scoring", "shadow", "--provider", "offline", "--api", stack.url(),
         "--token", "wrong"], env=os.environ | stack.env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert wrong_token.returncode == 1 and "token" in wrong_token.stderr


def invited_and_reviewed(admin: httpx.Client, gateway: httpx.Client, rubric: str) -> tuple[str, str]:
    """A position with a rubric and one candidate interviewed from its invitation, both answers reviewed."""
    created = admin.post("/api/positions", json={"title": "Data Engineer", "job_description": START["job_description"],
                                                 "num_questions": 2, "rubric": rubric})  # fmt: skip
    assert created.status_code == 201, created.text
    position_id = created.json()["position_id"]
    invited = admin.post(f"/api/positions/{position_id}/invitations", json={"candidates": [{"candidate_name": "Cy"}]})
    assert invited.status_code == 201, invited.text
    started = gateway.post("/api/start-interview", json={"invitation": invited.json()["invitations"][0]["token"],
                                                         "consent": True, "experience_years": 4})  # fmt: skip
    assert started.status_code == 200, started.text
    finish(gateway, started.json())
    session_id = started.json()["session_id"]
    for number, score in HUMAN.items():
        response = admin.post(f"/api/data/interview/{session_id}/answers/{number}/review", json={"score": score})
        assert response.status_code == 200, response.text
    return position_id, session_id


def rubrics_asked(fake: FakeOpenAI) -> set[str]:
    users = [r["body"]["messages"][-1]["content"] for r in fake.chat_requests()]
    return {rubric for rubric in (RUBRIC_THEN, RUBRIC_NOW) for user in users if rubric in user}


def test_the_scorer_gets_the_rubric_the_interview_was_scored_with(stack, fake_openai):
    with client(stack, ADMIN) as admin, client(stack) as gateway:
        position_id, _ = invited_and_reviewed(admin, gateway, RUBRIC_THEN)
        fake_openai.clear()
        same = shadow(stack, "--provider", "openai", "--position", position_id, openai=fake_openai.base_url)
        assert same.returncode == 0, same.stderr
        assert len(fake_openai.chat_requests()) == 2 and rubrics_asked(fake_openai) == {RUBRIC_THEN}

        # the position's rubric changes after the interview: the one its start recorded is still the one
        changed = admin.patch(f"/api/positions/{position_id}", json={"rubric": RUBRIC_NOW})
        assert changed.status_code == 200, changed.text
        fake_openai.clear()
        recorded = shadow(stack, "--provider", "openai", "--position", position_id, api=stack.url("persistence"),
                          openai=fake_openai.base_url)  # fmt: skip
        assert recorded.returncode == 0, recorded.stderr
        assert rubrics_asked(fake_openai) == {RUBRIC_THEN} and "position last changed" not in recorded.stderr

        # through the gateway the recorded one cannot be read: the position's as it is now, and it says so
        fake_openai.clear()
        guessed = shadow(stack, "--provider", "openai", "--position", position_id, openai=fake_openai.base_url)
        assert guessed.returncode == 0, guessed.stderr
        assert rubrics_asked(fake_openai) == {RUBRIC_NOW}
        assert "1 interview started before their position last changed" in guessed.stderr


@pytest.mark.parametrize("failure", ["unavailable", "misconfigured"])
def test_an_ai_that_fails_ends_the_run_with_one_line_and_records_nothing(stack, reviewed, fake_openai, failure):
    if failure == "unavailable":  # nothing listens there
        openai = f"http://127.0.0.1:{free_port()}/v1"
    else:  # a key OpenAI rejects
        fake_openai.clear()
        fake_openai.always({"status": 401, "error": {"message": "Incorrect API key", "type": "invalid_request_error",
                                                     "code": "invalid_api_key"}})  # fmt: skip
        openai = fake_openai.base_url
    try:
        failed = shadow(stack, "--provider", "openai", "--limit", "2", openai=openai)
    finally:
        fake_openai.clear()
    assert failed.returncode == 1, failed.stderr
    assert "Traceback" not in failed.stderr
    *progress, error = failed.stderr.strip().split("\n")  # "Scoring 2 reviewed answers again as shadow-…", then why
    assert error.startswith("shadow: The AI ") and not any(line.startswith("shadow:") for line in progress)
    run_id = re.search(r"nothing of run (shadow-\w+)", error).group(1)
    assert f"again as {run_id}" in progress[-1]
    with client(stack, ADMIN) as admin:
        assert admin.get(f"/api/data/analysis/shadow/{run_id}").status_code == 404
        assert run_id not in {r["run_id"] for r in admin.get("/api/data/analysis/shadow").json()["runs"]}
