"""A whole interview over HTTP through the five services, and the seed's read API after it."""

import json
import signal
import threading
import time
import uuid

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from shared.contracts.topology import PUBLISHERS
from tests.e2e.conftest import eventually
from tests.faults.probes import dead_letter_depths, events_handled
from tests.seed_contract import assert_interview_list_shape, assert_interview_shape, assert_statistics_shape

pytestmark = pytest.mark.e2e
# this module starts more interviews a minute from one address than a candidate may (tests/e2e/test_http_limits.py)
STACK_ENV = {"START_RATE_PER_MINUTE": "100000", "ANSWER_RATE_PER_MINUTE": "100000"}

START = {
    "job_description": "Senior Python Developer with 5+ years experience in Django, REST APIs, PostgreSQL and AWS. "
    "You will mentor others and talk to stakeholders.",
    "candidate_name": "John Doe",
    "experience_years": 5,
    "difficulty": "intermediate",
}
ANSWERS = [
    "At my last company I built a Django REST API on PostgreSQL serving 2 million requests a day. I profiled slow "
    "queries and added indexes, which reduced p99 latency from 800 ms to 120 ms.",
    "I have done a lot of things with it, stuff like that.",
    "When our team moved to AWS I designed the Docker images and set up ECS deployments; as a result releases went "
    "from one hour to ten minutes and we cut hosting cost by 30%.",
    "I would split the service, add caching with Redis and a queue, and measure p95 latency under 10x load tests.",
    "I explained a database outage to our sales director with a simple timeline; as a result we agreed on a "
    "maintenance window and the customer renewed.",
]


def start(gateway: httpx.Client, **overrides) -> dict:
    response = gateway.post("/api/start-interview", json=START | overrides)
    assert response.status_code == 200, response.text
    return response.json()


def answer(gateway: httpx.Client, session_id: str, text: str, **extra) -> httpx.Response:
    return gateway.post("/api/submit-answer", json={"session_id": session_id, "answer": text} | extra)


def test_a_whole_interview_over_http_and_the_seeds_read_api(stack, gateway):
    began = time.monotonic()
    started = start(gateway)
    assert set(started) >= {"session_id", "status", "question_number", "total_questions", "question"}
    assert started["status"] == "in_progress" and started["question_number"] == 1
    assert started["total_questions"] == 5 and len(started["session_id"]) == 8 and started["question"]
    session_id, question = started["session_id"], started["question"]

    asked = [question]
    for number, text in enumerate(ANSWERS, start=1):
        response = answer(gateway, session_id, text)
        assert response.status_code == 200, response.text
        result = response.json()
        assert result["session_id"] == session_id and result["question_number"] == number
        assert isinstance(result["score"], int) and 0 <= result["score"] <= 10
        assert set(result["feedback"]) == {"strengths", "improvements"}
        last = number == len(ANSWERS)
        assert result["completed"] is last
        if last:
            assert result["next_question"] is None
            assert_interview_shape(result["report"])
        else:
            assert result["next_question"]["question_number"] == number + 1
            assert result["report"] is None
            asked.append(result["next_question"]["question"])
        # each answer is in the read API as soon as it is scored (persistence consumes in parallel)
        stored = eventually(
            lambda: gateway.get(f"/api/data/interview/{session_id}").json(),
            lambda doc, n=number: len(doc.get("questions_and_answers", [])) >= n,
        )
        assert stored["questions_and_answers"][number - 1]["score"] == result["score"]
        assert stored["questions_and_answers"][number - 1]["answer"] == text
    elapsed = time.monotonic() - began
    print(f"\nwhole 5-question interview over HTTP: {elapsed * 1000:.0f} ms")
    assert len(set(asked)) == 5, "a question was repeated"

    interview = eventually(
        lambda: gateway.get(f"/api/data/interview/{session_id}").json(), lambda doc: doc.get("status") == "completed"
    )
    assert_interview_shape(interview)
    assert interview["session_id"] == session_id
    assert interview["candidate_name"] == "John Doe"
    assert interview["candidate_experience"] == 5
    assert interview["job_description"] == START["job_description"]
    assert interview["difficulty"] == "intermediate"
    assert interview["total_questions"] == 5
    assert [qa["question"] for qa in interview["questions_and_answers"]] == asked
    assert [qa["answer"] for qa in interview["questions_and_answers"]] == ANSWERS
    assert interview["average_score"] == pytest.approx(sum(interview["individual_scores"]) / 5, abs=0.005)
    assert interview["individual_scores"][1] < interview["individual_scores"][0]  # the vague answer scored lower
    assert interview["ended_at"] >= interview["started_at"]
    # the read API adds what recruiters record (human reviews); the candidate's report never carries them
    assert without_reviews(interview) == result["report"] | {"timestamp": interview["timestamp"]}

    # each event came from the service shared/contracts/topology.py says publishes it (docs/asyncapi.yaml)
    events = httpx.get(
        f"{stack.url('persistence')}/internal/sessions/{session_id}/events", headers=stack.internal_headers()
    ).json()["events"]
    publishers = {t.type_name(): services for t, services in PUBLISHERS.items()}
    assert [e for e in map(json.loads, events) if e["producer"] not in publishers[e["type"]]] == []

    listing = gateway.get("/api/data/interviews").json()
    assert_interview_list_shape(listing)
    listed = next(i for i in listing["interviews"] if i["session_id"] == session_id)
    assert listed == interview

    statistics = gateway.get("/api/data/statistics").json()
    assert_statistics_shape(statistics)
    everything = gateway.get("/api/data/interviews", params={"limit": 1000}).json()["interviews"]
    assert statistics["total_interviews"] == len(everything) == listing["total"]
    assert statistics["average_score"] == pytest.approx(
        sum(i["average_score"] for i in everything) / len(everything), abs=0.005
    )
    assert statistics["total_questions"] == sum(i["total_questions"] for i in everything)
    in_progress = gateway.get("/api/data/interviews", params={"status": "in_progress", "limit": 1000}).json()
    assert statistics["total_answers"] == sum(
        len(i["questions_and_answers"]) for i in everything + in_progress["interviews"]
    )


def read_stream(url: str, received: list, ready: threading.Event | None = None) -> None:
    with httpx.stream("GET", url, timeout=30) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        if ready:
            ready.set()
        event: dict = {}
        for line in response.iter_lines():
            if line.startswith(("event:", "id:", "data:")):
                key, _, value = line.partition(":")
                event[key] = value.strip()
            elif not line and event:
                received.append((event["event"], json.loads(event["data"])))
                event = {}


def test_the_live_stream_carries_questions_scores_and_the_report(stack, gateway):
    started = start(gateway, num_questions=2)
    session_id = started["session_id"]
    url = f"{stack.url()}/api/interview/{session_id}/events"
    received: list[tuple[str, dict]] = []
    ready = threading.Event()
    listener = threading.Thread(target=read_stream, args=(url, received, ready))
    listener.start()
    assert ready.wait(10)
    assert answer(gateway, session_id, ANSWERS[0]).status_code == 200
    assert answer(gateway, session_id, ANSWERS[2]).status_code == 200
    listener.join(30)
    assert not listener.is_alive(), "the stream did not end after the report"

    kind, snapshot = received[0]
    assert kind == "snapshot" and snapshot["current_question"]["question"] == started["question"]
    kinds = [(kind, data.get("question_number")) for kind, data in received[1:]]
    # question 2 and the score of answer 1 are made in parallel: either may come first
    assert sorted(kinds[:3]) == [("AnswerScored", 1), ("AnswerScored", 2), ("QuestionGenerated", 2)]
    assert kinds[2] == ("AnswerScored", 2)
    assert kinds[3:] == [("InterviewCompleted", None), ("ReportGenerated", None)]
    report = received[-1][1]["report"]
    assert_interview_shape(report)
    assert report["individual_scores"] == [d["score"] for k, d in received if k == "AnswerScored"]

    # a browser that reconnects (or reloads) gets the whole state at once, then the stream ends
    again: list[tuple[str, dict]] = []
    read_stream(url, again)
    assert [kind for kind, _ in again] == ["snapshot"]
    assert again[0][1]["status"] == "completed" and again[0][1]["report"] == report
    assert [a["score"] for a in again[0][1]["answers"]] == report["individual_scores"]


def test_without_sheets_the_exporter_says_so_once_and_acknowledges_reports(stack, gateway):
    def reports() -> float:
        return events_handled(stack.url("exporter"), consumer="exporter").get("ReportGenerated", 0)

    before = reports()
    session_id = start(gateway, num_questions=1)["session_id"]
    assert answer(gateway, session_id, ANSWERS[0], question_number=1).json()["completed"] is True
    eventually(reports, lambda n: n == before + 1)
    assert dead_letter_depths(stack.namespace)["exporter"] == 0  # handled "ok": acknowledged, not dead-lettered
    said = [line for line in stack.processes["exporter"].lines if "Google Sheets export is off" in line]
    assert len(said) == 1


def test_ending_early_reports_on_the_answers_given(gateway):
    session_id = start(gateway, num_questions=4, candidate_name="Early Leaver")["session_id"]
    assert answer(gateway, session_id, ANSWERS[0]).status_code == 200
    assert answer(gateway, session_id, ANSWERS[2]).status_code == 200
    ended = gateway.post("/api/end-interview", json={"session_id": session_id})
    assert ended.status_code == 200, ended.text
    body = ended.json()
    assert body["completed"] is True and body["status"] == "completed"
    report = body["report"]
    assert_interview_shape(report)
    assert report["completion_reason"] == "ended_early"
    assert len(report["questions_and_answers"]) == 2 and report["total_questions"] == 4
    assert "ended the interview early" in report["summary"]

    again = gateway.post("/api/end-interview", json={"session_id": session_id})
    assert again.status_code == 200 and again.json()["report"] == report
    late = answer(gateway, session_id, "one more thing")
    assert late.status_code == 409 and "ended" in late.json()["message"]
    stored = eventually(
        lambda: gateway.get(f"/api/data/interview/{session_id}").json(), lambda doc: doc.get("status") == "completed"
    )
    assert stored["individual_scores"] == report["individual_scores"]


def test_a_retried_answer_is_not_counted_twice(gateway):
    session_id = start(gateway, num_questions=2)["session_id"]
    first = answer(gateway, session_id, ANSWERS[0], question_number=1)
    retried = answer(gateway, session_id, ANSWERS[0], question_number=1)
    assert first.status_code == retried.status_code == 200
    assert retried.json()["score"] == first.json()["score"]
    assert retried.json()["next_question"] == first.json()["next_question"]
    conflicting = answer(gateway, session_id, "a different answer", question_number=1)
    assert conflicting.status_code == 409
    wrong_number = answer(gateway, session_id, "skipping ahead", question_number=5)
    assert wrong_number.status_code == 409 and "open question is 2" in wrong_number.json()["message"]
    assert answer(gateway, session_id, ANSWERS[2], question_number=2).json()["completed"] is True
    stored = eventually(
        lambda: gateway.get(f"/api/data/interview/{session_id}").json(), lambda doc: doc.get("status") == "completed"
    )
    assert len(stored["questions_and_answers"]) == 2


def test_the_seeds_answer_sent_twice_at_once_is_one_answer_to_the_question_it_was_sent_for(stack, gateway):
    """The seed's body has no question_number: two copies of it in flight together answered questions 2 and 3,
    the second copy recorded against a question its sender never saw. The interview service is frozen while
    the copies are sent, so that question 3 is surely asked only after all of them arrived."""
    session_id = start(gateway, num_questions=3)["session_id"]
    assert answer(gateway, session_id, ANSWERS[0]).json()["question_number"] == 1
    clients = [httpx.Client(base_url=stack.url(), timeout=60) for _ in range(3)]
    together = threading.Barrier(len(clients))
    results: list[httpx.Response] = []

    def send(client: httpx.Client) -> None:
        together.wait()
        results.append(answer(client, session_id, ANSWERS[1]))

    interview = stack.processes["interview"].popen
    threads = [threading.Thread(target=send, args=(client,)) for client in clients]
    interview.send_signal(signal.SIGSTOP)
    try:
        for thread in threads:
            thread.start()
        time.sleep(1.5)  # all sent, the first accepted; no question 3 while it is frozen
    finally:
        interview.send_signal(signal.SIGCONT)
    for thread in threads:
        thread.join()
    for client in clients:
        client.close()
    assert [r.status_code for r in results] == [200, 200, 200], [r.text for r in results]
    assert [r.json()["question_number"] for r in results] == [2, 2, 2]
    assert [r.json()["next_question"]["question_number"] for r in results] == [3, 3, 3]
    again = answer(gateway, session_id, ANSWERS[1])  # question 3 is open now: the same text is its answer
    assert again.status_code == 200 and again.json()["question_number"] == 3 and again.json()["completed"] is True
    stored = eventually(
        lambda: gateway.get(f"/api/data/interview/{session_id}").json(), lambda doc: doc.get("status") == "completed"
    )
    assert [qa["answer"] for qa in stored["questions_and_answers"]] == [ANSWERS[0], ANSWERS[1], ANSWERS[1]]


def test_a_retried_start_with_its_request_id_is_the_same_interview(gateway):
    request_id = uuid.uuid4().hex
    first = start(gateway, num_questions=2, request_id=request_id)
    again = start(gateway, num_questions=2, request_id=request_id)  # the answer to the first was lost, say
    assert again == first and again["question_number"] == 1
    other = start(gateway, num_questions=2, request_id=uuid.uuid4().hex)
    assert other["session_id"] != first["session_id"]
    reused = gateway.post("/api/start-interview", json=START | {"num_questions": 3, "request_id": request_id})
    assert reused.status_code == 409 and "another interview" in reused.json()["message"]
    stored = eventually(
        lambda: gateway.get("/api/data/interviews", params={"status": "all", "limit": 1000}).json()["interviews"],
        lambda listed: any(i["session_id"] == first["session_id"] for i in listed),
    )
    assert sum(i["session_id"] == first["session_id"] for i in stored) == 1
    events = gateway.get(f"/api/interview/{first['session_id']}").json()
    assert events["status"] == "in_progress" and events["current_question"]["question_number"] == 1
    bad = gateway.post("/api/start-interview", json=START | {"request_id": "short"})
    assert bad.status_code == 422 and "request_id" in bad.json()["message"]


def test_the_candidate_can_resume_after_a_reload(gateway):
    session_id = start(gateway, num_questions=3)["session_id"]
    assert answer(gateway, session_id, ANSWERS[0]).status_code == 200
    state = gateway.get(f"/api/interview/{session_id}").json()
    assert state["status"] == "in_progress" and state["total_questions"] == 3
    assert state["current_question"]["question_number"] == 2
    assert [a["question_number"] for a in state["answers"]] == [1]
    assert state["answers"][0]["answer"] == ANSWERS[0] and isinstance(state["answers"][0]["score"], int)


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({}, "job_description is required"),
        (START | {"experience_years": -1}, "experience_years"),
        (START | {"experience_years": "five"}, "experience_years"),
        (START | {"difficulty": "impossible"}, "difficulty"),
        (START | {"num_questions": 0}, "num_questions"),
        (START | {"num_questions": 500}, "num_questions"),
        (START | {"candidate_name": "   "}, "candidate_name"),
        (START | {"job_description": "short"}, "job_description"),
        (START | {"experience_years": True}, "experience_years: must be a whole number"),
        (START | {"num_questions": "3"}, "num_questions: must be a whole number"),
        (START | {"invitation": "x" * 32, "consent": "yes"}, "consent: must be true or false"),
    ],
    ids=[
        "empty",
        "negative-experience",
        "text-experience",
        "difficulty",
        "zero-questions",
        "too-many-questions",
        "blank-name",
        "short-job",
        "boolean-experience",  # true was taken for 1 year
        "text-number",
        "text-consent",  # "yes" was taken for consent
    ],
)
def test_bad_start_requests_get_a_clear_422(gateway, body, fragment):
    response = gateway.post("/api/start-interview", json=body)
    assert response.status_code == 422
    error = response.json()
    assert error["error"] == "invalid_request" and fragment in error["message"], error["message"]


def test_a_boolean_question_number_is_refused_not_taken_for_1(gateway):
    session_id = start(gateway, num_questions=2)["session_id"]
    response = answer(gateway, session_id, ANSWERS[0], question_number=True)
    assert response.status_code == 422 and "question_number: must be a whole number" in response.text


@pytest.mark.parametrize(
    ("field", "text"),
    [("candidate_name", "A\u0000B"), ("candidate_name", "Ada\u001bLovelace"), ("candidate_name", "Ada\u009bLovelace"),
     ("job_description", START["job_description"] + "\u0007"), ("job_description", "Nurse\u0085" + START["job_description"])],
)  # fmt: skip
def test_control_characters_are_refused_naming_the_field(gateway, field, text):
    response = gateway.post("/api/start-interview", json=START | {field: text})
    assert response.status_code == 422
    assert response.json()["message"].startswith(f"{field}: contains the control character U+00")


@pytest.mark.parametrize(
    ("name", "said"),
    [("John\nDoe", "a line break or tab; a name is one line of text"),
     ("\u202eevil", "the direction control U+202E, which makes a name show as another"),
     ("\u200b", "shows no visible character"), ("\u200b \u2060", "shows no visible character"),
     ("A\u2028B", "a line break or tab"), ("\u3164", "shows no visible character")],
)  # fmt: skip
def test_a_name_is_one_visible_line_found_by_an_api_test(gateway, name, said):
    """Such names were stored: a candidate listed with no name, or shown as someone else (right-to-left override)."""
    response = gateway.post("/api/start-interview", json=START | {"candidate_name": name})
    assert response.status_code == 422 and said in response.json()["message"], response.text


def test_years_of_experience_may_be_a_whole_float_found_by_an_api_test(gateway):
    """The seed says only "number": Python's json.dumps sends 5.0 for a float, which was refused."""
    started = gateway.post("/api/start-interview", json=START | {"experience_years": 5.0, "num_questions": 1})
    assert started.status_code == 200, started.text
    stored = gateway.get(f"/api/data/interview/{started.json()['session_id']}").json()
    assert stored["candidate_experience"] == 5 and isinstance(stored["candidate_experience"], int)
    half = gateway.post("/api/start-interview", json=START | {"experience_years": 2.5})
    assert half.status_code == 422 and "experience_years: must be a whole number" in half.json()["message"]


def test_control_characters_in_an_answer_are_refused_and_tabs_and_newlines_kept(gateway):
    session_id = start(gateway, num_questions=1)["session_id"]
    refused = answer(gateway, session_id, "I built\u0000 it", question_number=1)
    assert refused.status_code == 422 and refused.json()["message"].startswith("answer: contains the control character")
    kept = answer(gateway, session_id, ANSWERS[0] + "\n\tand\r\nmore", question_number=1)
    assert kept.status_code == 200, kept.text
    stored = gateway.get(f"/api/data/interview/{session_id}").json()  # a read after a write sees it
    assert stored["questions_and_answers"][0]["answer"].endswith("\n\tand\r\nmore")


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"[" * 5000 + b"]" * 5000],
    ids=["broken", "deep"],  # deep: FastAPI's 400 before
)
def test_malformed_json_gets_a_clear_422(gateway, body):
    response = gateway.post("/api/start-interview", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422 and "not valid JSON" in response.json()["message"], response.text


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_json_sent_as_another_media_type_gets_415_saying_so(gateway, content_type):
    headers = {"content-type": content_type} if content_type else {}
    response = gateway.post("/api/start-interview", content=json.dumps(START).encode(), headers=headers)
    assert response.status_code == 415, response.text
    assert response.json()["error"] == "unsupported_media_type"
    assert "Content-Type: application/json" in response.json()["message"]


@pytest.mark.parametrize("path", ["/", "/dashboard", "/healthz", "/readyz", "/api/data/interviews", "/static/app.css"])
def test_head_answers_wherever_get_does_without_the_body(gateway, path):
    got = gateway.get(path)
    head = gateway.head(path)
    assert head.status_code == got.status_code == 200, (head.status_code, got.status_code)
    assert head.content == b"" and head.headers["content-type"] == got.headers["content-type"]
    if path.endswith((".css", "/dashboard")):  # the same bytes each time: the same length
        assert head.headers["content-length"] == got.headers["content-length"] == str(len(got.content))


def test_the_services_internal_token_is_refused_from_outside(stack, gateway):
    """INTERNAL_TOKEN reads everything behind the gateway: a security review found it let anyone in as a recruiter."""
    for path in ("/api/auth/me", "/api/data/interviews", "/api/positions", "/api/sheets/status"):
        refused = gateway.get(path, headers=stack.internal_headers())
        assert refused.status_code == 401, (path, refused.text)
        assert "INTERNAL_TOKEN is the services' own" in refused.json()["message"]
    # a security review's: the first of two Authorization headers was checked, the last passed on
    both = [("Authorization", "Bearer junk"), *stack.internal_headers().items()]
    refused = gateway.get("/api/data/interviews", headers=both)
    assert refused.status_code == 400 and "one Authorization header" in refused.json()["message"], refused.text


def test_unknown_sessions_get_404_everywhere(gateway):
    for response in (
        answer(gateway, "zzzzzzzz", "hello"),
        gateway.post("/api/end-interview", json={"session_id": "zzzzzzzz"}),
        gateway.get("/api/interview/zzzzzzzz"),
        gateway.get("/api/interview/zzzzzzzz/events"),
        gateway.get("/api/data/interview/zzzzzzzz"),
    ):
        assert response.status_code == 404, response.request.url
        assert "zzzzzzzz" in response.json()["message"]


def test_the_data_pass_through_stays_inside_the_read_api(gateway):
    assert gateway.get("/api/data/../internal/sessions/x/events").status_code == 404
    assert gateway.get("/api/data/%2e%2e/internal/sessions/x/events").status_code == 404
    assert gateway.get("/api/data/interviews", params={"limit": 0}).status_code == 422
    assert gateway.get("/api/data/interviews", params={"status": "bogus"}).status_code == 422


def test_the_gateway_serves_the_web_app(gateway):
    page = gateway.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "An AI conducts this interview" in page.text
    for asset in ("/static/app.css", "/static/candidate.js", "/dashboard", "/static/dashboard.js"):
        assert gateway.get(asset).status_code == 200, asset
    for icon in ("/favicon.ico", "/static/favicon.svg"):  # no 404 in the browser's console on any page
        found = gateway.get(icon)
        assert found.status_code == 200 and found.headers["content-type"] == "image/svg+xml", icon
    assert all('rel="icon" href="/static/favicon.svg"' in gateway.get(page).text for page in ("/", "/dashboard"))


def test_without_openai_server_voice_says_why_it_is_off(gateway):
    for response in (gateway.post("/api/tts", json={"text": "Hello"}),
                     gateway.post("/api/transcribe", content=b"abc", headers={"content-type": "audio/webm"})):  # fmt: skip
        assert response.status_code == 501 and "OPENAI_API_KEY" in response.json()["message"]


# what recruiters read beside the candidate's own report: reviews, corrections, requests, how it was taken
ANSWER_REVIEW_FIELDS = ("human_score", "human_note", "reviewed_by", "reviewed_at", "corrected_answer", "rescored_score",
                        "rescored_feedback", "seconds_taken", "over_time", "spoken")  # fmt: skip
VERDICT_FIELDS = ("human_verdict", "human_verdict_note", "human_verdict_by", "human_verdict_at")
RECRUITERS_FIELDS = (*VERDICT_FIELDS, "human_verdicts", "candidate_requests", "open_requests", "seconds_per_answer", "accommodations",
                     "report_revision")  # fmt: skip


def without_reviews(interview: dict) -> dict:
    assert all(interview[field] is None for field in VERDICT_FIELDS), "nobody reviewed this interview"
    assert interview["human_verdicts"] == [], "nobody reviewed this interview"
    assert (interview["candidate_requests"], interview["open_requests"]) == ([], 0), "nor asked for a review"
    answers = [
        {k: v for k, v in qa.items() if k not in ANSWER_REVIEW_FIELDS} for qa in interview["questions_and_answers"]
    ]
    return {k: v for k, v in interview.items() if k not in RECRUITERS_FIELDS} | {"questions_and_answers": answers}


def test_http_requests_are_counted_per_route_and_status(gateway):
    session_id = start(gateway, num_questions=1)["session_id"]
    assert answer(gateway, session_id, "x" * 5, question_number=7).status_code == 409
    metrics = {(s.labels.get("handler"), s.labels.get("method"), s.labels.get("status")): s.value
               for family in text_string_to_metric_families(gateway.get("/metrics").text)
               for s in family.samples if s.name == "interviewer_http_requests_total"}  # fmt: skip
    assert metrics[("/api/start-interview", "POST", "200")] >= 1
    assert metrics[("/api/submit-answer", "POST", "409")] >= 1
    assert not any(handler == "/metrics" for handler, _, _ in metrics)  # scrapes are not counted
    latency = gateway.get("/metrics").text
    assert 'interviewer_http_request_duration_seconds_bucket{handler="/api/start-interview"' in latency
