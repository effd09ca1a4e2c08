"""Shadow scoring (docs/shadow-scoring.md) with the five services as real processes: reviewed interviews are
scored again by `python -m services.scoring shadow --provider offline`; the read API reports the old and the
new scores side by side against people's, the interviews' own scores and documents stay as they were, and
an erasure takes the erased interview's answers out of the run."""

import json
import os
import subprocess
import sys

import httpx
import pytest

from tests.e2e.conftest import eventually
from tests.e2e.test_fairness import client, finish
from tests.e2e.test_interview import START

pytestmark = pytest.mark.e2e
ADMIN = "e2e-shadow-admin"
STACK_ENV = {"ADMIN_TOKEN": ADMIN, "START_RATE_PER_MINUTE": "100000", "ANSWER_RATE_PER_MINUTE": "100000"}
HUMAN = {1: 7, 2: 2}  # people's scores of each interview's answers


def shadow(stack, *arguments: str, token: str = ADMIN) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI")} | stack.env
    command = [sys.executable, "-m", "services.scoring", "shadow", "--api", stack.url(), "--token", token, *arguments]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


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
    assert shadow(stack, "--provider", "offline", "--position", "pos-nosuchposition").returncode == 3
    bad_prompt = shadow(stack, "--provider", "openai", "--prompt", "/nonexistent/assess_answer.v9.md")
    assert bad_prompt.returncode == 2 and "Bad prompt file" in bad_prompt.stderr
    assert "Traceback" not in bad_prompt.stderr
    wrong_token = subprocess.run(
        [sys.executable, "-m", "services.scoring", "shadow", "--provider", "offline", "--api", stack.url(),
         "--token", "wrong"], env=os.environ | stack.env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert wrong_token.returncode == 1 and "token" in wrong_token.stderr
