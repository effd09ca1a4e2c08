"""Recruiters' reviews through the gateway, with ADMIN_TOKEN set: human scores and verdicts are stored
as events, shown in the read API (never to the candidate), drive the calibration statistics and the
training export, and go with an erased candidate."""

import json

import httpx
import pytest

from tests.e2e.conftest import eventually
from tests.e2e.test_interview import ANSWERS, START

pytestmark = pytest.mark.e2e
TOKEN = "e2e-review-token"
STACK_ENV = {"ADMIN_TOKEN": TOKEN}
CANDIDATES = [("Ada Lovelace", [0, 2, 4]), ("Alan Turing", [1, 1, 1]), ("Grace Hopper", [0, 3, 4])]


@pytest.fixture(scope="module")
def interviews(stack, admin):
    sessions = {}
    with httpx.Client(base_url=stack.url(), timeout=60) as candidate:
        for name, answer_indexes in CANDIDATES:
            started = candidate.post("/api/start-interview", json=START | {"candidate_name": name, "num_questions": 3})
            session_id = started.json()["session_id"]
            for number, index in enumerate(answer_indexes, start=1):
                response = candidate.post(
                    "/api/submit-answer",
                    # Grace names herself: the training export must be able to hide that
                    json={
                        "session_id": session_id,
                        "question_number": number,
                        "answer": ("I'm Grace Hopper. " if name == "Grace Hopper" else "") + ANSWERS[index],
                    },
                )
                assert response.status_code == 200, response.text
            sessions[name] = session_id
    eventually(lambda: admin.get("/api/data/statistics").json(), lambda s: s["total_interviews"] == len(CANDIDATES))
    return sessions


ADMIN_NAME = "administrator (ADMIN_TOKEN)"  # who reviews with ADMIN_TOKEN (accounts: tests/e2e/test_accounts.py)


def review(admin, session_id, number, score, **more):
    return admin.post(f"/api/data/interview/{session_id}/answers/{number}/review", json={"score": score} | more)


def test_a_review_is_shown_to_recruiters_and_the_latest_counts(admin, gateway, interviews):
    ada = interviews["Ada Lovelace"]
    first = review(admin, ada, 2, 3, note="vague")
    assert first.status_code == 200, first.text
    assert first.json() | {"reviewed_at": None} == {"session_id": ada, "question_number": 2, "human_score": 3,
                                                    "note": "vague", "reviewer": ADMIN_NAME, "reviewed_at": None}  # fmt: skip
    assert review(admin, ada, 2, 4, note="  on reflection, fair  ").status_code == 200
    verdict = admin.post(f"/api/data/interview/{ada}/review", json={"verdict": "maybe", "note": "one more round"})
    assert verdict.status_code == 200 and verdict.json()["human_verdict"] == "maybe"

    interview = admin.get(f"/api/data/interview/{ada}").json()
    second = interview["questions_and_answers"][1]
    assert (second["human_score"], second["human_note"], second["reviewed_by"]) == (
        4,
        "on reflection, fair",
        ADMIN_NAME,
    )
    assert interview["questions_and_answers"][0]["human_score"] is None
    assert (interview["human_verdict"], interview["human_verdict_note"]) == ("maybe", "one more round")
    rows = sorted(admin.get("/api/data/answers", params={"session_id": ada}).json()["answers"],
                  key=lambda r: r["question_number"])  # fmt: skip
    assert [r["human_score"] for r in rows] == [None, 4, None]
    assert rows[0]["provenance"]["provider"] == "offline"

    mine = gateway.get(f"/api/interview/{ada}").json()  # the candidate's own view: no recruiters' data
    assert "human" not in json.dumps(mine) and "one more round" not in json.dumps(mine)


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/api/data/interview/nosuchid/answers/1/review", {"score": 5}, 404),
        ("/api/data/interview/{ada}/answers/9/review", {"score": 5}, 404),
        ("/api/data/interview/{ada}/answers/1/review", {"score": 11}, 422),
        ("/api/data/interview/{ada}/answers/1/review", {"score": True}, 422),  # was taken for a 1
        ("/api/data/interview/{ada}/answers/1/review", {"score": 5, "note": "x" * 2001}, 422),
        ("/api/data/interview/{ada}/answers/1/review", {"score": 5, "grade": "A"}, 422),
        ("/api/data/interview/{ada}/answers/0/review", {"score": 5}, 422),
        ("/api/data/interview/{ada}/review", {"verdict": "definitely"}, 422),
        ("/api/data/interview/{ada}/review", {"verdict": "yes", "note": "fine\u0000"}, 422),
        ("/api/data/interview/{ada}/answers/1/review", {"score": 5, "reviewer": "R\u0008"}, 422),
        ("/api/data/interview/nosuchid/review", {"verdict": "yes"}, 404),
    ],
)
def test_bad_reviews_are_refused_clearly(admin, gateway, interviews, path, body, status):
    response = admin.post(path.format(ada=interviews["Ada Lovelace"]), json=body)
    assert response.status_code == status, response.text
    assert response.json()["message"]
    assert gateway.post(path.format(ada=interviews["Ada Lovelace"]), json=body).status_code == 401  # no token


def test_calibration_follows_the_reviews(admin, interviews):
    before = admin.get("/api/data/analysis/calibration", params={"minimum": 6}).json()
    assert before["overall"]["enough_data"] is False and before["overall"]["mean_absolute_error"] is None
    # every answer of Alan and Grace reviewed one point below the AI: the AI over-scores by exactly 1
    ai_scores = []
    for name in ("Alan Turing", "Grace Hopper"):
        session_id = interviews[name]
        for answer in admin.get(f"/api/data/interview/{session_id}").json()["questions_and_answers"]:
            human = max(0, answer["score"] - 1)
            ai_scores.append((answer["score"], human))
            assert review(admin, session_id, answer["question_number"], human).status_code == 200
    calibration = admin.get("/api/data/analysis/calibration", params={"minimum": 6}).json()
    overall = calibration["overall"]
    reviewed = ai_scores + [(admin.get(f"/api/data/interview/{interviews['Ada Lovelace']}").json()
                             ["questions_and_answers"][1]["score"], 4)]  # fmt: skip
    assert overall["n"] == calibration["reviewed_answers"] == len(reviewed) == 7
    assert overall["enough_data"] is True
    assert overall["mean_absolute_error"] == pytest.approx(sum(abs(a - h) for a, h in reviewed) / 7, abs=1e-4)
    assert overall["mean_bias"] == pytest.approx(sum(a - h for a, h in reviewed) / 7, abs=1e-4)
    assert overall["exact_agreement"] == pytest.approx(sum(a == h for a, h in reviewed) / 7, abs=1e-4)
    assert len(calibration["pairs"]) == 7
    assert {g["key"] for g in calibration["by_provider"]} == {"offline"}


def test_the_training_export_prefers_human_scores_and_can_hide_names(admin, interviews):
    grace = interviews["Grace Hopper"]
    first = admin.get(f"/api/data/interview/{grace}").json()["questions_and_answers"][0]
    human = 0 if first["score"] >= 5 else 10  # unlike the AI's
    assert review(admin, grace, 1, human).status_code == 200
    lines = admin.get("/api/data/export/training.jsonl").text.splitlines()
    examples = [json.loads(line) for line in lines]
    answers = admin.get("/api/data/statistics").json()["total_answers"]
    assert len(examples) == answers and all(set(e) == {"messages"} for e in examples)
    assert not any("Grace" in line or "Hopper" in line for line in lines)  # anonymised by default
    named = admin.get("/api/data/export/training.jsonl", params={"anonymise": "false"}).text
    assert "I'm Grace Hopper." in named
    (hers,) = [json.loads(line) for line in named.splitlines() if json.dumps(first["answer"])[1:-1] in line]
    assert json.loads(hers["messages"][-1]["content"])["score"] == human  # the person's score, not the AI's
    assert json.loads(hers["messages"][-1]["content"])["evidence"] == []  # the AI's spans argued for its own score
    replies = [(json.loads(e["messages"][-1]["content"]), e["messages"][1]["content"]) for e in examples]
    quoted = [(item, asked) for reply, asked in replies for item in reply["evidence"]]
    assert quoted, "no example carries the spans that earned or cost points"
    for item, asked in quoted:  # as the OpenAI provider is asked to reply: quotes of the answer, with a reason
        assert item["effect"] in ("earned", "cost") and item["reason"] and item["quote"] in asked


def test_erasure_takes_the_reviews_with_the_candidate(admin, interviews):
    before = admin.get("/api/data/analysis/calibration").json()["reviewed_answers"]
    grace = interviews["Grace Hopper"]
    reviewed_of_grace = sum(
        a["human_score"] is not None for a in admin.get(f"/api/data/interview/{grace}").json()["questions_and_answers"]
    )
    assert reviewed_of_grace > 0
    assert admin.delete(f"/api/data/interview/{grace}").status_code == 200
    assert admin.get("/api/data/analysis/calibration").json()["reviewed_answers"] == before - reviewed_of_grace
    assert review(admin, grace, 1, 5).status_code == 404
