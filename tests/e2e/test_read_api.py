"""The complete read API through the gateway, with ADMIN_TOKEN set: access control, filters,
analyses, exports (the seed's scripts run on the downloaded files) and erasure."""

import asyncio
import csv
import io
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import eventually
from tests.e2e.test_interview import ANSWERS, START
from tests.faults.probes import dead_letter_depths, publish_raw
from tests.integration.test_seed_analyses import SNIPPETS
from tests.seed_contract import assert_interview_shape

pytestmark = pytest.mark.e2e
TOKEN = "e2e-secret-token"
STACK_ENV = {"ADMIN_TOKEN": TOKEN}
CANDIDATES = [
    ("Ada Lovelace", 5, "advanced", [0, 2, 4]),
    ("Alan Turing", 2, "beginner", [1, 1, 1]),
    ("Grace Hopper", 5, "intermediate", [0, 3, 4]),
    ("Edsger Dijkstra", 10, "intermediate", [2, 1, 0]),
    ("Barbara Liskov", 1, "beginner", [3, 4, 2]),
]


@pytest.fixture(scope="module")
def interviews(stack, admin):
    """Five whole interviews through the candidate API; their session ids by name."""
    sessions = {}
    with httpx.Client(base_url=stack.url(), timeout=60) as candidate:
        for name, years, difficulty, answer_indexes in CANDIDATES:
            started = candidate.post(
                "/api/start-interview",
                json=START | {"candidate_name": name, "experience_years": years, "difficulty": difficulty,
                              "num_questions": len(answer_indexes)},
            )  # fmt: skip
            session_id = started.json()["session_id"]
            for number, index in enumerate(answer_indexes, start=1):
                response = candidate.post(
                    "/api/submit-answer",
                    json={"session_id": session_id, "answer": ANSWERS[index], "question_number": number},
                )
                assert response.status_code == 200, response.text
            sessions[name] = session_id
    # until persistence has applied every answer (meanwhile a read may answer 503 "retry in a moment")
    eventually(lambda: admin.get("/api/data/statistics").json(), lambda s: s.get("total_interviews") == len(CANDIDATES))
    return sessions


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/api/data/interviews"), ("GET", "/api/data/statistics"), ("GET", "/api/data/interview/abc"),
     ("GET", "/api/data/answers"), ("GET", "/api/data/export/interviews.json"),
     ("GET", "/api/data/analysis/top-performers"), ("DELETE", "/api/data/interview/abc")],
)  # fmt: skip
def test_the_read_api_needs_the_admin_token(gateway, method, path):
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
        response = gateway.request(method, path, headers=headers)
        assert response.status_code == 401, (path, headers)
        assert response.headers["www-authenticate"] == "Bearer"
        assert "ADMIN_TOKEN" in response.json()["message"]


def test_the_candidate_api_does_not_need_it_and_the_gateway_reads_the_store_with_it(gateway):
    assert gateway.post("/api/start-interview", json=START).status_code == 200
    # an unknown session is looked up in the event store with the gateway's token: 404, not 503
    assert gateway.get("/api/interview/nosuchid").status_code == 404


def test_filters_sorting_and_paging(admin, interviews):
    everything = admin.get("/api/data/interviews", params={"limit": 1000}).json()
    assert everything["total"] == len(CANDIDATES)
    for interview in everything["interviews"]:
        assert_interview_shape(interview)

    def names(**params) -> list[str]:
        response = admin.get("/api/data/interviews", params=params)
        assert response.status_code == 200, response.text
        return [i["candidate_name"] for i in response.json()["interviews"]]

    assert sorted(names(min_experience=5, max_experience=5)) == ["Ada Lovelace", "Grace Hopper"]
    assert sorted(names(difficulty="beginner")) == ["Alan Turing", "Barbara Liskov"]
    assert names(name="LOVE") == ["Ada Lovelace"]
    by_score = sorted(everything["interviews"], key=lambda i: (-i["average_score"], i["session_id"]))
    ranked = admin.get("/api/data/interviews", params={"sort": "average_score", "order": "desc"}).json()
    assert [i["average_score"] for i in ranked["interviews"]] == [i["average_score"] for i in by_score]
    low, high = by_score[-1]["average_score"], by_score[0]["average_score"]
    assert len(names(min_score=low, max_score=high)) == len(CANDIDATES)
    verdicts = {i["hire_recommendation"] for i in everything["interviews"]}
    for verdict in verdicts:
        assert len(names(hire_recommendation=verdict)) == sum(
            i["hire_recommendation"] == verdict for i in everything["interviews"])  # fmt: skip
    page = admin.get("/api/data/interviews", params={"limit": 2, "offset": 2, "sort": "started_at", "order": "asc"})
    assert page.json()["total"] == len(CANDIDATES) and [i["candidate_name"] for i in page.json()["interviews"]] == [
        "Grace Hopper", "Edsger Dijkstra"]  # fmt: skip
    first = everything["interviews"][-1]["started_at"]
    assert names(started_to=first) == [everything["interviews"][-1]["candidate_name"]]
    today = first[:10]  # a date alone as the upper bound includes that whole day
    assert len(names(started_from=today, started_to=today)) == len(CANDIDATES)

    answers = admin.get("/api/data/answers", params={"session_id": interviews["Ada Lovelace"]}).json()
    assert answers["total"] == 3 and {a["question_number"] for a in answers["answers"]} == {1, 2, 3}
    jobs = admin.get("/api/data/job-descriptions", params={"contains": "django", "limit": 2}).json()
    assert jobs["total"] >= len(CANDIDATES) and len(jobs["job_descriptions"]) == 2


@pytest.mark.parametrize(
    ("params", "fragment"),
    [({"min_score": 8, "max_score": 2}, "score"), ({"sort": "salary"}, "sort"), ({"limit": 5000}, "limit"),
     ({"hire_recommendation": "perhaps"}, "hire_recommendation"), ({"started_from": "yesterday"}, "started_from"),
     ({"order": "sideways"}, "order"), ({"name": "a\x00b"}, "name"), ({"offset": 10**20}, "offset"),
     ({"started_from": "9999-12-31T23:59:59-05:00"}, "started_from"), ({"started_to": "0001-01-01T00:00:00+05:00"}, "started_to"),
     # found by an API test: NaN was told "must be at most 10.0"
     ({"min_score": "NaN"}, "min_score: must be a number"), ({"max_score": "inf"}, "max_score: must be a number")],
)  # fmt: skip
def test_bad_filters_get_a_clear_422(admin, params, fragment):
    response = admin.get("/api/data/interviews", params=params)
    assert response.status_code == 422 and fragment in response.json()["message"]


def test_the_analyses_agree_with_the_data(admin, interviews):
    completed = admin.get("/api/data/interviews", params={"limit": 1000}).json()["interviews"]
    top = admin.get("/api/data/analysis/top-performers", params={"limit": 3}).json()["top_performers"]
    assert [t["average_score"] for t in top] == sorted((i["average_score"] for i in completed), reverse=True)[:3]
    by_experience = admin.get("/api/data/analysis/score-by-experience").json()["by_experience"]
    assert {row["candidate_experience"]: row["interviews"] for row in by_experience} == {1: 1, 2: 1, 5: 2, 10: 1}
    weaknesses = admin.get("/api/data/analysis/common-weaknesses", params={"limit": 100}).json()["weaknesses"]
    assert sum(w["count"] for w in weaknesses) == sum(len(i["weaknesses"]) for i in completed)
    questions = admin.get("/api/data/analysis/question-effectiveness").json()["questions"]
    assert sum(q["answers"] for q in questions) == admin.get("/api/data/statistics").json()["total_answers"]


def test_the_seeds_scripts_run_on_the_downloaded_files(admin, interviews, tmp_path: Path):
    folder = tmp_path / "backend" / "interview_data"
    folder.mkdir(parents=True)
    for name in ("interviews", "answers", "job_descriptions"):
        download = admin.get(f"/api/data/export/{name}.json")
        assert download.status_code == 200 and download.headers["content-type"].startswith("application/json")
        (folder / f"{name}.json").write_bytes(download.content)
    by_experience = admin.get("/api/data/analysis/score-by-experience").json()["by_experience"]
    run = subprocess.run([sys.executable, str(SNIPPETS / "example2_by_experience.py")], cwd=tmp_path,
                         capture_output=True, text=True, timeout=60)  # fmt: skip
    assert run.stdout.splitlines() == [
        f"{r['candidate_experience']} years exp: {r['average_score']:.2f} avg score ({r['interviews']} candidates)"
        for r in by_experience
    ]
    run = subprocess.run([sys.executable, str(SNIPPETS / "example1_top_performers.py")], cwd=tmp_path,
                         capture_output=True, text=True, timeout=60)  # fmt: skip
    top = admin.get("/api/data/analysis/top-performers").json()["top_performers"]
    assert sorted(run.stdout.splitlines()[1:]) == sorted(f"{t['candidate_name']}: {t['average_score']}/10" for t in top)


def test_csv_exports(admin, interviews):
    download = admin.get("/api/data/export/answers.csv")
    assert download.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert len(rows) == admin.get("/api/data/statistics").json()["total_answers"]
    assert {"session_id", "question_number", "question", "answer", "score", "feedback.strengths"} <= set(rows[0])
    interviews_csv = list(csv.DictReader(io.StringIO(admin.get("/api/data/export/interviews.csv").text)))
    assert {r["candidate_name"] for r in interviews_csv} == {name for name, *_ in CANDIDATES}
    listed = {i["session_id"]: i for i in admin.get("/api/data/interviews", params={"limit": 100}).json()["interviews"]}
    for row in interviews_csv:  # beyond the seed's columns: the position (none here: open interviews), the verdict
        interview = listed[row["session_id"]]
        assert row["position_id"] == (interview["position_id"] or "") and row["human_verdict"] == (
            interview["human_verdict"] or "")  # fmt: skip
        # and how it ended, how much was answered, everyone's verdict (a recruiter's test asked for them)
        assert row["completion_reason"] == interview["completion_reason"]
        assert row["questions_answered"] == str(len(interview["individual_scores"]))
        assert row["human_verdicts"] == " | ".join(
            f"{v['verdict']} by {v['reviewer']}" for v in interview["human_verdicts"]
        )
    assert {"position_id", "human_score"} <= set(rows[0])


def test_erasure_removes_the_candidate_everywhere(stack, gateway, admin, interviews):
    session_id = interviews["Barbara Liskov"]
    before = admin.get("/api/data/statistics").json()
    assert gateway.get(f"/api/interview/{session_id}").status_code == 200
    # one of her answers waits in scoring's DLQ (as if the AI had been down for minutes)
    events = httpx.get(f"{stack.url('persistence')}/internal/sessions/{session_id}/events",
                       headers={"Authorization": f"Bearer {TOKEN}"}).json()["events"]  # fmt: skip
    submitted = next(raw for raw in events if '"AnswerSubmitted"' in raw)
    asyncio.run(
        publish_raw(stack.namespace, [("AnswerSubmitted", submitted.encode())], only_to="scoring", dead_lettered=True)
    )
    assert dead_letter_depths(stack.namespace)["scoring"] == 1

    erased = admin.delete(f"/api/data/interview/{session_id}")
    assert erased.status_code == 200 and erased.json() == {"session_id": session_id, "erased": True}
    assert admin.get(f"/api/data/interview/{session_id}").status_code == 404
    after = admin.get("/api/data/statistics").json()
    assert after["total_interviews"] == before["total_interviews"] - 1
    assert after["total_answers"] == before["total_answers"] - 3
    for name in ("interviews", "answers", "job_descriptions"):
        assert "Barbara Liskov" not in admin.get(f"/api/data/export/{name}.json").text
    assert admin.get("/api/data/answers", params={"session_id": session_id}).json()["total"] == 0
    assert eventually(lambda: dead_letter_depths(stack.namespace)["scoring"], lambda depth: depth == 0) == 0
    # the gateway forgets it too, and a repeated erasure is harmless
    assert eventually(lambda: gateway.get(f"/api/interview/{session_id}").status_code, lambda code: code == 404) == 404
    assert admin.delete(f"/api/data/interview/{session_id}").status_code == 200
    assert admin.delete("/api/data/interview/nosuchid").status_code == 404
