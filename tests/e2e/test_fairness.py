"""The adverse-impact monitor (docs/fairness.md) through the gateway, with the five services as real
processes: candidates answer the optional self-identification once their interview is finished; the
analysis counts them for admins and recruiters (never reviewers), as JSON and as the audit's CSV; nothing
of it shows in the interview's document; an erasure takes it away."""

import asyncio
import json
from pathlib import Path

import httpx
import pytest

from services.persistence.store.mongo import MongoStore
from services.persistence.store.sqlite import SQLiteStore
from tests.e2e.conftest import eventually
from tests.e2e.test_interview import ANSWERS, START
from tests.e2e.test_recruiting import POSITION

pytestmark = pytest.mark.e2e
ADMIN = "e2e-fairness-admin"
STACK_ENV = {"ADMIN_TOKEN": ADMIN, "START_RATE_PER_MINUTE": "100000", "ANSWER_RATE_PER_MINUTE": "100000"}
ANALYSIS = "/api/data/analysis/adverse-impact"
CSV_HEADER = ("table,category,number_of_applicants,number_selected,selection_rate,impact_ratio,four_fifths_flag,"
              "mean_score,scoring_rate,scoring_impact_ratio,scoring_flag,p_value,scoring_p_value,adjusted_p_value,"
              "scoring_adjusted_p_value")  # fmt: skip
# what each candidate says of themselves (Dan says nothing); Cleo is interviewed from an invitation
SAID = {
    "Ada": {"sex": "female", "race_ethnicity": "asian", "age_band": "30_39"},
    "Bea": {"sex": "female", "race_ethnicity": "asian", "age_band": "50_59"},
    "Cleo": {"sex": "male", "race_ethnicity": "white", "age_band": "60_and_over"},
}
FORGED = {"sex": "another", "race_ethnicity": "two_or_more_races", "age_band": "under_30"}  # with a wrong token
DEMOGRAPHIC_FIELDS = {"sex", "race_ethnicity", "age_band", "demographics", "provided"}


def client(stack, token: str | None = None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=stack.url(), timeout=60, headers=headers)


def self_identify(gateway: httpx.Client, session_id: str, token: str | None = None, **said) -> httpx.Response:
    body = {"session_id": session_id} | ({"candidate_token": token} if token else {}) | said
    return gateway.post("/api/self-identification", json=body)


def finish(gateway: httpx.Client, started: dict, answered: int = 0) -> None:
    headers = {"X-Candidate-Token": started["candidate_token"]}
    for number in range(answered + 1, started["total_questions"] + 1):
        reply = {"session_id": started["session_id"], "answer": ANSWERS[number], "question_number": number}
        response = gateway.post("/api/submit-answer", json=reply, headers=headers)
        assert response.status_code == 200, response.text
    assert response.json()["completed"] is True and response.json()["report"]


def analysis(admin: httpx.Client, **params) -> dict:
    response = admin.get(ANALYSIS, params={"min_group": 2} | params)
    assert response.status_code == 200, response.text
    return response.json()


def counted(report: dict, dimension: str) -> dict[str, int | None]:
    """A dimension's shown categories with their counts, how many are hidden (not named), and its unknown."""
    (found,) = [d for d in report["dimensions"] if d["dimension"] == dimension]
    return {c["category"]: c["interviews"] for c in found["categories"]} | {"hidden": found["hidden"],
                                                                             "unknown": found["unknown"]}  # fmt: skip


@pytest.fixture(scope="module")
def interviews(stack):
    """Ada and Bea in open mode (two questions, Ada's form tried halfway), Cleo from an invitation (one
    question), Dan in open mode (one question); none self-identified yet."""
    with client(stack, ADMIN) as admin, client(stack) as gateway:
        position = admin.post("/api/positions", json=POSITION | {"title": "Fairness", "num_questions": 1,
                                                                  "must_ask": []})  # fmt: skip
        assert position.status_code == 201, position.text
        position_id = position.json()["position_id"]
        invited = admin.post(f"/api/positions/{position_id}/invitations",
                             json={"candidates": [{"candidate_name": "Cleo"}]})  # fmt: skip
        assert invited.status_code == 201, invited.text
        started = {}
        for name in ("Ada", "Bea", "Dan"):
            response = gateway.post("/api/start-interview", json=START | {"candidate_name": name,
                                                                         "num_questions": 1 if name == "Dan" else 2})  # fmt: skip
            assert response.status_code == 200, response.text
            started[name] = response.json()
        response = gateway.post("/api/start-interview",
                                json={"invitation": invited.json()["invitations"][0]["token"], "consent": True, "experience_years": 4})  # fmt: skip
        assert response.status_code == 200, response.text
        started["Cleo"] = response.json()

        ada = started["Ada"]
        first = {"session_id": ada["session_id"], "answer": ANSWERS[0], "question_number": 1}
        assert gateway.post("/api/submit-answer", json=first).status_code == 200
        early = self_identify(gateway, ada["session_id"], **SAID["Ada"])
        assert early.status_code == 409, early.text
        assert "once the interview is finished" in early.json()["message"]
        finish(gateway, ada, answered=1)
        for name in ("Bea", "Cleo", "Dan"):
            finish(gateway, started[name])
        eventually(lambda: analysis(admin)["interviews"], lambda n: n == 4, timeout=30)
    return {"position_id": position_id} | started


def test_answers_are_refused_clearly_and_nothing_is_recorded(stack, gateway, interviews):
    dan, cleo = interviews["Dan"], interviews["Cleo"]
    bad = self_identify(gateway, dan["session_id"], sex="unicorn")
    assert bad.status_code == 422 and "sex" in bad.json()["message"], bad.text
    assert self_identify(gateway, dan["session_id"], name="Dan").status_code == 422  # nothing but the form
    unknown = self_identify(gateway, "zzzzzzzz", sex="female")
    assert unknown.status_code == 404 and "zzzzzzzz" in unknown.json()["message"]
    # Cleo's interview came from an invitation: her own token, and no other, is needed
    assert self_identify(gateway, cleo["session_id"], **FORGED).status_code == 403
    wrong = self_identify(gateway, cleo["session_id"], dan["candidate_token"], **FORGED)
    assert wrong.status_code == 403 and "candidate token" in wrong.json()["message"]
    wrong_header = gateway.post("/api/self-identification", json={"session_id": cleo["session_id"]} | FORGED,
                                headers={"X-Candidate-Token": interviews["Ada"]["candidate_token"]})  # fmt: skip
    assert wrong_header.status_code == 403
    # none of these is recorded: stored_types and the counts below, once later answers are in, say so


def stored_types(stack, session_id: str) -> list[str]:
    """The types of the session's stored events, read from the store itself (the persistence service's
    internal read for gateways leaves the self-identification out: that is checked too)."""
    response = httpx.get(f"{stack.url('persistence')}/internal/sessions/{session_id}/events",
                         headers={"Authorization": f"Bearer {ADMIN}"}, timeout=30)  # fmt: skip
    assert response.status_code == 200, response.text
    assert "DemographicsProvided" not in [json.loads(body)["type"] for body in response.json()["events"]]

    async def read() -> list[str]:
        env = stack.env
        store = (MongoStore.from_url(env["MONGODB_URL"], env["MONGODB_DATABASE"]) if env.get("MONGODB_URL")
                 else SQLiteStore(Path(env["DATA_DIR"]) / "interviewer.sqlite3"))  # fmt: skip
        await store.open()
        try:
            return [event.type for event in await store.session_events(session_id)]
        finally:
            await store.close()

    return asyncio.run(read())


def test_the_analysis_counts_what_candidates_say(stack, gateway, interviews):
    for name in ("Ada", "Bea"):
        answered = self_identify(gateway, interviews[name]["session_id"], **SAID[name])
        assert answered.status_code == 200, answered.text
        assert answered.json() == {"session_id": interviews[name]["session_id"], "recorded": True} | SAID[name]
    cleo = interviews["Cleo"]
    assert self_identify(gateway, cleo["session_id"], cleo["candidate_token"], sex="female").status_code == 200
    again = self_identify(gateway, cleo["session_id"], cleo["candidate_token"], **SAID["Cleo"])  # the latest counts
    assert again.status_code == 200, again.text

    with client(stack, ADMIN) as admin:
        report = eventually(lambda: analysis(admin), lambda r: r["self_identified"] == 3, timeout=30)
        # the refused answers were sent before every one counted here: none of them was stored
        assert "DemographicsProvided" not in stored_types(stack, interviews["Dan"]["session_id"])
        assert stored_types(stack, cleo["session_id"]).count("DemographicsProvided") == 2
        assert (report["interviews"], report["min_group"], report["position_id"]) == (4, 2, None)
        assert counted(report, "sex") == {"female": 2, "hidden": 1, "unknown": 1}  # one male: too few to show
        assert counted(report, "race_ethnicity") == {"asian": 2, "hidden": 1, "unknown": 1}
        assert counted(report, "age_40") == {"40_and_over": 2, "hidden": 1, "unknown": 1}
        (female,) = [c for d in report["dimensions"] if d["dimension"] == "sex" for c in d["categories"]
                     if c["category"] == "female"]  # fmt: skip
        assert female["impact_ratio"] in (None, 1.0)  # the only category shown
        named = {c["category"] for d in report["dimensions"] for c in d["categories"]}
        assert not any(name == "male" or name.startswith("male/") for name in named)  # hidden: not even named
        assert {p["position_id"]: p["interviews"] for p in report["positions"]} == {interviews["position_id"]: 1,
                                                                                     None: 3}  # fmt: skip
        by_default = analysis(admin, min_group=5)
        assert all(not d["categories"] for d in by_default["dimensions"])
        scoped = analysis(admin, position_id=interviews["position_id"])
        assert (scoped["interviews"], scoped["self_identified"], scoped["positions"]) == (1, 1, [])
        assert analysis(admin, since="2999-01-01")["interviews"] == 0
        assert admin.get(ANALYSIS, params={"min_group": 1}).status_code == 422


def test_the_interview_document_shows_nothing_of_it(stack, gateway, interviews):
    with client(stack, ADMIN) as admin:
        eventually(lambda: analysis(admin)["self_identified"], lambda n: n == 3, timeout=30)
        for name, said in SAID.items():
            session_id = interviews[name]["session_id"]
            document = admin.get(f"/api/data/interview/{session_id}")
            assert document.status_code == 200, document.text
            assert not DEMOGRAPHIC_FIELDS & keys_of(document.json()), name
            assert not [value for value in said.values() if value in document.text], name
            listed = admin.get("/api/data/interviews", params={"status": "all"}).text
            exported = admin.get("/api/data/export/interviews.json").text
            for text in (listed, exported):
                assert not any(f'"{field}"' in text for field in DEMOGRAPHIC_FIELDS)
                assert "60_and_over" not in text and "50_59" not in text
    mine = gateway.get(f"/api/interview/{interviews['Ada']['session_id']}")  # the candidate's own view
    assert mine.status_code == 200 and "asian" not in mine.text and "30_39" not in mine.text


def keys_of(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in keys_of(item)}
    if isinstance(value, list):
        return {key for item in value for key in keys_of(item)}
    return set()


def test_only_admins_and_recruiters_read_the_analysis(stack, interviews):
    with client(stack, ADMIN) as admin:
        made = {role: admin.post("/api/users", json={"email": f"{role}@fairness.example.com", "name": role.title(),
                                                     "role": role, "positions": [interviews["position_id"]]
                                                     if role == "reviewer" else []})
                for role in ("recruiter", "reviewer")}  # fmt: skip
        assert all(response.status_code == 201 for response in made.values()), [r.text for r in made.values()]
    with client(stack, made["reviewer"].json()["token"]) as reviewer:
        for path in (ANALYSIS, f"{ANALYSIS}.csv"):
            refused = reviewer.get(path, params={"position_id": interviews["position_id"]})
            assert refused.status_code == 403 and "admin or recruiter" in refused.json()["message"], path
    with client(stack, made["recruiter"].json()["token"]) as recruiter:
        assert recruiter.get(ANALYSIS, params={"min_group": 2}).json()["interviews"] == 4
        for path in (ANALYSIS, f"{ANALYSIS}.csv"):  # found by an API test: a mistyped position gave zeros
            unknown = recruiter.get(path, params={"position_id": "pos-zzzzzzzzzzzz"})
            assert unknown.status_code == 404 and "pos-zzzzzzzzzzzz" in unknown.json()["message"], path
    with client(stack) as anonymous:
        assert anonymous.get(ANALYSIS).status_code == 401
    with client(stack, ADMIN) as admin:  # who read it, or tried to, is in the audit log
        entries = admin.get("/api/audit", params={"limit": 1000}).json()["entries"]
    steps = {(e["actor_name"], e["action"], e["status"]) for e in entries}
    assert {("Reviewer", "read adverse impact", 403), ("Reviewer", "export adverse impact", 403),
            ("Recruiter", "read adverse impact", 200)} <= steps  # fmt: skip


def test_the_audits_csv(stack, interviews):
    with client(stack, ADMIN) as admin:
        eventually(lambda: analysis(admin)["self_identified"], lambda n: n == 3, timeout=30)
        response = admin.get(f"{ANALYSIS}.csv", params={"min_group": 2})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    lines = response.text.splitlines()
    assert lines[0] == CSV_HEADER
    assert "Sex,Female,2," in response.text and "Sex,Unknown (not included in the ratios),1," in response.text
    assert 'Sex,"1 category not shown (fewer than 2, under 2%, or to protect another)",' in response.text


def test_an_erasure_takes_the_interview_out_of_the_analysis(stack, gateway, interviews):
    with client(stack, ADMIN) as admin:
        before = eventually(lambda: analysis(admin), lambda r: r["self_identified"] == 3, timeout=30)
        bea = interviews["Bea"]["session_id"]
        erased = admin.delete(f"/api/data/interview/{bea}")
        assert erased.status_code == 200, erased.text
        after = eventually(lambda: analysis(admin), lambda r: r["interviews"] == before["interviews"] - 1, timeout=30)
        assert after["self_identified"] == before["self_identified"] - 1
        assert counted(after, "sex") == {"hidden": 2, "unknown": 1}  # one of each now: hidden
    # nothing of an erased candidate is recorded again
    eventually(lambda: self_identify(gateway, bea, sex="female").status_code, lambda status: status == 404)
