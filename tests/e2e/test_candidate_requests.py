"""A candidate's requests after the interview, through the five real services: a transcription contested
("that is not what I said") and upheld is scored again by the scoring service, both scores kept; a human
review asked for and declined; reviewers find the interviews with open requests; each request is answered
once; the candidate sees the answers; nothing of it before the report."""

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.e2e.conftest import eventually
from tests.e2e.test_interview import ANSWERS, START

pytestmark = pytest.mark.e2e
TOKEN = "e2e-requests-token"
STACK_ENV = {"ADMIN_TOKEN": TOKEN}
GARBLED = "I have done a lot of things with it, stuff like that."  # ANSWERS[1]: what the recognition heard
SAID = ANSWERS[0]  # what the candidate says they said: specific, measured


def finished_interview(gateway: httpx.Client, answers: list[str], spoken: list[bool | None] | None = None) -> str:
    """An interview of these answers, spoken (as the web app sends a transcript) unless `spoken` says otherwise
    (None: the answer does not say, as the seed's body)."""
    started = gateway.post("/api/start-interview", json=START | {"num_questions": len(answers)})
    session_id = started.json()["session_id"]
    for number, answer in enumerate(answers, start=1):
        body = {"session_id": session_id, "question_number": number, "answer": answer}
        said = True if spoken is None else spoken[number - 1]
        if said is not None:
            body["spoken"] = said
        assert gateway.post("/api/submit-answer", json=body).status_code == 200
    eventually(lambda: gateway.get(f"/api/interview/{session_id}").json(), lambda s: s["status"] == "completed")
    return session_id


def ask(gateway: httpx.Client, session_id: str, **body) -> httpx.Response:
    return gateway.post(f"/api/interview/{session_id}/requests", json=body)


def test_an_upheld_transcription_is_scored_again_and_both_scores_stay(gateway, admin):
    session_id = finished_interview(gateway, [GARBLED, ANSWERS[2]])
    first = admin.get(f"/api/data/interview/{session_id}").json()["questions_and_answers"][0]["score"]

    made = ask(gateway, session_id, kind="transcription", question_number=1, corrected_answer=SAID,
               note="The recognition lost most of it.")  # fmt: skip
    assert made.status_code == 200, made.text
    request_id = made.json()["request_id"]
    assert made.json() | {"request_id": None} == {"session_id": session_id, "request_id": None,
                                                  "kind": "transcription", "question_number": 1, "status": "open"}  # fmt: skip
    again = ask(gateway, session_id, kind="transcription", question_number=1, corrected_answer=SAID + " Really.")
    assert again.status_code == 409 and "already" in again.json()["detail"]

    flagged = eventually(lambda: admin.get("/api/data/interviews", params={"open_requests": "true"}).json(),
                         lambda page: page["total"] == 1)  # fmt: skip
    interview = flagged["interviews"][0]
    assert (interview["session_id"], interview["open_requests"]) == (session_id, 1)
    assert interview["candidate_requests"][0] | {"requested_at": None} == {
        "request_id": request_id, "kind": "transcription", "question_number": 1, "corrected_answer": SAID,
        "note": "The recognition lost most of it.", "requested_at": None, "status": "open", "resolution_note": None,
        "resolved_by": None, "resolved_at": None}  # fmt: skip

    resolved = admin.post(f"/api/data/interview/{session_id}/requests/{request_id}/resolve",
                          json={"decision": "upheld", "note": "The recording says so."})  # fmt: skip
    assert resolved.status_code == 200, resolved.text
    assert (resolved.json()["status"], resolved.json()["rescoring"]) == ("upheld", True)
    twice = admin.post(f"/api/data/interview/{session_id}/requests/{request_id}/resolve", json={"decision": "declined"})
    assert twice.status_code == 409 and "already answered (upheld" in twice.json()["detail"]

    answer = eventually(
        lambda: admin.get(f"/api/data/interview/{session_id}").json()["questions_and_answers"][0],
        lambda a: a["rescored_score"] is not None,
    )
    assert (answer["answer"], answer["score"]) == (GARBLED, first)  # the record keeps what was transcribed
    assert answer["corrected_answer"] == SAID and answer["rescored_score"] > first  # the scoring service's
    assert answer["rescored_feedback"]["strengths"]
    rows = admin.get("/api/data/answers", params={"session_id": session_id}).json()["answers"]
    assert [r["rescored_score"] for r in sorted(rows, key=lambda r: r["question_number"])] == [
        answer["rescored_score"], None]  # fmt: skip
    assert admin.get("/api/data/interviews", params={"open_requests": "true"}).json()["total"] == 0

    mine = eventually(lambda: gateway.get(f"/api/interview/{session_id}").json(),
                      lambda s: s["requests"] and s["requests"][0]["rescored_score"] is not None)  # fmt: skip
    assert mine["requests"] == [{"request_id": request_id, "kind": "transcription", "question_number": 1,
                                 "status": "upheld", "note": "The recording says so.",
                                 "rescored_score": answer["rescored_score"]}]  # fmt: skip

    # the report is written again over the corrected transcript: the outcome from then on
    interview = eventually(lambda: admin.get(f"/api/data/interview/{session_id}").json(),
                           lambda i: i["report_revision"] is not None)  # fmt: skip
    revision, second = interview["report_revision"], interview["questions_and_answers"][1]["score"]
    assert revision["request_id"] == request_id and revision["individual_scores"] == [answer["rescored_score"], second]
    assert revision["overall_score"] > interview["overall_score"]  # the first report stays beside it
    assert interview["individual_scores"] == [first, second]
    revised = eventually(lambda: gateway.get(f"/api/interview/{session_id}").json(),
                         lambda s: s["revised_report"] is not None)["revised_report"]  # fmt: skip
    assert revised["individual_scores"] == revision["individual_scores"]
    assert revised["overall_score"] == revision["overall_score"] and revised["summary"] == revision["summary"]
    assert revised["questions_and_answers"][0]["answer"] == SAID


def test_a_typed_answer_has_no_transcript_to_contest(gateway, admin):
    """Found by a recruiter's test: a candidate who typed every answer rewrote one after seeing its score, as a
    "transcript correction", and had it scored again. Then by an API test: an answer sent with the seed's body
    (which does not say `spoken`) could be rewritten so too."""
    session_id = finished_interview(gateway, [GARBLED, GARBLED, ANSWERS[2]], spoken=[False, True, None])
    state = gateway.get(f"/api/interview/{session_id}").json()
    assert [a["spoken"] for a in state["answers"]] == [False, True, None]
    typed = ask(gateway, session_id, kind="transcription", question_number=1, corrected_answer=SAID)
    assert typed.status_code == 409 and "was typed, not transcribed" in typed.json()["message"], typed.text
    assert ask(gateway, session_id, kind="transcription", question_number=2, corrected_answer=SAID).status_code == 200
    unsaid = ask(gateway, session_id, kind="transcription", question_number=3, corrected_answer=SAID)
    assert unsaid.status_code == 409 and unsaid.json()["reason"] == "typed_answer", unsaid.text
    stored = eventually(lambda: admin.get(f"/api/data/interview/{session_id}").json(),
                        lambda doc: doc.get("open_requests") == 1)  # fmt: skip
    assert [qa["spoken"] for qa in stored["questions_and_answers"]] == [False, True, None]  # the reviewer sees how


def test_a_human_review_is_asked_for_and_answered(gateway, admin):
    session_id = finished_interview(gateway, [ANSWERS[1]])
    made = ask(gateway, session_id, kind="human_review", note="Please have a person look at my answer.")
    assert made.status_code == 200, made.text
    request_id = made.json()["request_id"]
    eventually(lambda: admin.get(f"/api/data/interview/{session_id}").json(), lambda i: i["open_requests"] == 1)
    resolved = admin.post(f"/api/data/interview/{session_id}/requests/{request_id}/resolve",
                          json={"decision": "declined", "note": "Reviewed: the score stands."})  # fmt: skip
    assert resolved.status_code == 200 and resolved.json()["rescoring"] is False
    mine = eventually(lambda: gateway.get(f"/api/interview/{session_id}").json(),
                      lambda s: s["requests"] and s["requests"][0]["status"] != "open")  # fmt: skip
    assert mine["requests"][0] | {"request_id": None} == {"request_id": None, "kind": "human_review",
                                                          "question_number": None, "status": "declined",
                                                          "note": "Reviewed: the score stands.", "rescored_score": None}  # fmt: skip
    interview = admin.get(f"/api/data/interview/{session_id}").json()
    assert interview["open_requests"] == 0 and interview["candidate_requests"][0]["resolved_by"]
    assert interview["questions_and_answers"][0]["corrected_answer"] is None


def test_the_same_request_sent_ten_times_at_once_is_made_once(gateway, admin):
    """Found by a security retest: ten at once each passed the "asked already" check, five were stored."""
    session_id = finished_interview(gateway, [ANSWERS[1]])
    with ThreadPoolExecutor(10) as pool:
        made = list(pool.map(lambda _: ask(gateway, session_id, kind="human_review"), range(10)))
    assert sorted(r.status_code for r in made) == [200] + [409] * 9, [r.text for r in made]
    assert {r.json()["reason"] for r in made if r.status_code == 409} == {"asked_already"}
    eventually(lambda: admin.get(f"/api/data/interview/{session_id}").json(), lambda i: i["open_requests"] == 1)
    assert len(admin.get(f"/api/data/interview/{session_id}").json()["candidate_requests"]) == 1


def test_requests_wait_for_the_report_and_say_what_is_wrong(gateway, admin):
    started = gateway.post("/api/start-interview", json=START | {"num_questions": 2}).json()
    session_id = started["session_id"]
    early = ask(gateway, session_id, kind="human_review")
    assert early.status_code == 409 and "finished" in early.json()["detail"]
    for number, answer in ((1, ANSWERS[0]), (2, ANSWERS[2])):
        body = {"session_id": session_id, "question_number": number, "answer": answer, "spoken": True}
        gateway.post("/api/submit-answer", json=body)
    eventually(lambda: gateway.get(f"/api/interview/{session_id}").json(), lambda s: s["status"] == "completed")
    cases = [
        ({"kind": "transcription", "corrected_answer": "x"}, 422, "question_number"),
        ({"kind": "transcription", "question_number": 5, "corrected_answer": "x"}, 422, "question_number"),
        ({"kind": "transcription", "question_number": 1}, 422, "corrected_answer"),
        ({"kind": "transcription", "question_number": 1, "corrected_answer": ANSWERS[0]}, 422, "same"),
        ({"kind": "human_review", "question_number": 1}, 422, "whole interview"),
        ({"kind": "appeal"}, 422, "kind"),
        ({"kind": "human_review", "note": "bad\x07bell"}, 422, "control character"),
    ]
    for body, status, words in cases:
        response = ask(gateway, session_id, **body)
        assert response.status_code == status and words in response.text, (body, response.text)
    assert ask(gateway, "nosuchsession", kind="human_review").status_code == 404
    unknown = admin.post(
        f"/api/data/interview/{session_id}/requests/req-000000000000/resolve", json={"decision": "upheld"}
    )
    assert unknown.status_code == 404
    assert admin.get(f"/api/data/interview/{session_id}").json()["candidate_requests"] == []


@pytest.mark.parametrize("shown", ["scores", "nothing"])
def test_a_position_decides_what_its_candidates_see_and_they_are_told_how_they_were_assessed(gateway, admin, shown):
    position = {"title": "Backend engineer", "job_description": START["job_description"], "num_questions": 1,
                "rubric": "Measured results matter most.", "candidate_report": shown}  # fmt: skip
    created = admin.post("/api/positions", json=position)
    assert created.status_code == 201 and created.json()["candidate_report"] == shown, created.text
    [invitation] = admin.post(f"/api/positions/{created.json()['position_id']}/invitations",
                              json={"candidates": [{"candidate_name": "Ada"}]}).json()["invitations"]  # fmt: skip
    started = gateway.post(
        "/api/start-interview", json={"invitation": invitation["token"], "consent": True, "experience_years": 4}
    ).json()
    token = {"X-Candidate-Token": started["candidate_token"]}
    answered = gateway.post("/api/submit-answer", headers=token,
                            json={"session_id": started["session_id"], "question_number": 1, "answer": ANSWERS[0]})  # fmt: skip
    assert answered.status_code == 200, answered.text
    result = answered.json()
    assert result["candidate_report"] == shown and result["feedback"] is None and result["completed"] is True
    mine = eventually(lambda: gateway.get(f"/api/interview/{started['session_id']}", headers=token).json(),
                      lambda s: s["status"] == "completed")  # fmt: skip
    if shown == "scores":
        assert isinstance(result["score"], int) and mine["answers"][0]["score"] == result["score"]
        report = mine["report"]
        assert report["overall_score"] is not None and report["individual_scores"] == [result["score"]]
        assert (report["summary"], report["strengths"], report["hire_recommendation"]) == ("", [], None)
        assert report["questions_and_answers"][0]["feedback"] == {"strengths": [], "improvements": []}
    else:
        assert result["score"] is None and result["report"] is None
        assert mine["report"] is None and mine["answers"][0]["score"] is None
    assert mine["answers"][0]["feedback"] is None
    told = " ".join(mine["how_assessed"])
    assert "scored from 0 to 10 by rules that run on our own server" in told
    assert "hiring team's criteria" in told and "ask for a person to review" in told
    assert ("not the written feedback" if shown == "scores" else "does not share scores") in told
    recruiters = admin.get(f"/api/data/interview/{started['session_id']}").json()  # recruiters see everything
    assert recruiters["hire_recommendation"] and recruiters["questions_and_answers"][0]["feedback"]["strengths"]


def test_a_positions_candidates_list_shows_the_revised_outcome_after_an_upheld_correction(gateway, admin):
    position = {"title": "Data engineer", "job_description": START["job_description"], "num_questions": 2}
    position_id = admin.post("/api/positions", json=position).json()["position_id"]
    [invitation] = admin.post(f"/api/positions/{position_id}/invitations",
                              json={"candidates": [{"candidate_name": "Grace"}]}).json()["invitations"]  # fmt: skip
    started = gateway.post(
        "/api/start-interview", json={"invitation": invitation["token"], "consent": True, "experience_years": 4}
    ).json()
    session_id, token = started["session_id"], {"X-Candidate-Token": started["candidate_token"]}
    for number, answer in enumerate([GARBLED, ANSWERS[2]], start=1):
        body = {"session_id": session_id, "question_number": number, "answer": answer, "spoken": True}
        assert gateway.post("/api/submit-answer", headers=token, json=body).status_code == 200
    eventually(lambda: gateway.get(f"/api/interview/{session_id}", headers=token).json(),
               lambda s: s["status"] == "completed")  # fmt: skip
    made = gateway.post(f"/api/interview/{session_id}/requests", headers=token,
                        json={"kind": "transcription", "question_number": 1, "corrected_answer": SAID})  # fmt: skip
    assert made.status_code == 200, made.text
    eventually(lambda: admin.get(f"/api/data/interview/{session_id}").json(), lambda i: i["open_requests"] == 1)
    resolved = admin.post(f"/api/data/interview/{session_id}/requests/{made.json()['request_id']}/resolve",
                          json={"decision": "upheld"})  # fmt: skip
    assert resolved.status_code == 200, resolved.text
    interview = eventually(lambda: admin.get(f"/api/data/interview/{session_id}").json(),
                           lambda i: i["report_revision"] is not None)  # fmt: skip
    revision = interview["report_revision"]
    assert revision["average_score"] != interview["average_score"]  # the correction changed the outcome
    [row] = admin.get(f"/api/positions/{position_id}/candidates").json()["candidates"]
    assert (row["average_score"], row["overall_score"], row["hire_recommendation"]) == (
        revision["average_score"], revision["overall_score"], revision["hire_recommendation"])  # fmt: skip
