"""Webhooks to an applicant-tracking system, with the five services as real processes and a real local
HTTP receiver that fails (500), then hangs past the sender's timeout, then accepts: every event is
delivered exactly once in effect, signed so the receiver can verify it, and each attempt is visible."""

import time

import httpx
import pytest

from tests.e2e.conftest import eventually
from tests.e2e.test_interview import ANSWERS, START
from tests.fakes.webhook_receiver import ALLOW_RECEIVERS, WebhookReceiver

pytestmark = pytest.mark.e2e
ADMIN = "webhooks-admin-secret"
STACK_ENV = {"ADMIN_TOKEN": ADMIN, "WEBHOOK_RETRY_SECONDS": "1", "WEBHOOK_TIMEOUT_SECONDS": "1"} | ALLOW_RECEIVERS
TOPICS = ["interview.completed", "report.generated", "interview.erased"]


@pytest.fixture(scope="module")
def receiver():
    server = WebhookReceiver(script=[500, "hang", 200], hang_seconds=2.0).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def admin(stack):
    with httpx.Client(base_url=stack.url(), timeout=60, headers={"Authorization": f"Bearer {ADMIN}"}) as client:
        yield client


def test_each_event_is_delivered_once_in_effect_signed_and_every_attempt_is_shown(stack, admin, receiver):
    registered = admin.post("/api/webhooks", json={"url": receiver.url, "topics": TOPICS})
    assert registered.status_code == 201, registered.text
    webhook = registered.json()
    receiver.secret = webhook["secret"]
    assert webhook["secret"].startswith("whsec_") and "secret" not in admin.get("/api/webhooks").json()["webhooks"][0]
    one = admin.get(registered.headers["location"]).json()
    assert one["webhook_id"] == webhook["webhook_id"] and "secret" not in one

    started = admin.post("/api/start-interview", json=START | {"num_questions": 1}).json()
    assert (
        admin.post("/api/submit-answer", json={"session_id": started["session_id"], "answer": ANSWERS[0]}).status_code
        == 200
    )
    session_id = started["session_id"]
    eventually(lambda: receiver.processed, lambda p: len(p) == 2, timeout=60)  # completed and report
    assert admin.delete(f"/api/data/interview/{session_id}").status_code == 200
    eventually(lambda: receiver.processed, lambda p: len(p) == 3, timeout=60)

    topics = sorted(body["topic"] for body in receiver.processed.values())
    assert topics == sorted(TOPICS)
    assert all(body["session_id"] == session_id for body in receiver.processed.values())
    report = next(b for b in receiver.processed.values() if b["topic"] == "report.generated")
    assert report["data"]["session_id"] == session_id and report["data"]["status"] == "completed"
    erased = next(b for b in receiver.processed.values() if b["topic"] == "interview.erased")
    assert erased["data"] == {}  # nothing of the candidate after an erasure
    by_delivery: dict[str, list] = {}
    for request in receiver.requests:
        by_delivery.setdefault(request.delivery, []).append(request)
    assert len(by_delivery) == 3
    for attempts in by_delivery.values():
        assert [a.answered for a in attempts] == [500, "hang", 200]  # one delivery in effect, after two failures
        assert all(a.signed for a in attempts)

    deliveries = eventually(lambda: admin.get(f"/api/webhooks/{webhook['webhook_id']}/deliveries").json()["deliveries"],
                            lambda d: len(d) == 3 and all(x["delivered"] for x in d), timeout=30)  # fmt: skip
    for delivery in deliveries:
        assert [(a["attempt"], a["delivered"], a["status_code"]) for a in delivery["attempts"]] == [
            (1, False, 500), (2, False, None), (3, True, 200)
        ]  # fmt: skip
        assert "Timeout" in delivery["attempts"][1]["error"]
    listed = admin.get("/api/webhooks").json()["webhooks"][0]
    assert listed["deliveries"] == {"delivered": 3, "pending": 0, "failed": 0}


def test_a_receiver_that_is_down_does_not_slow_the_interview(stack, admin):
    down = WebhookReceiver(script=[503]).start()
    down.stop()  # nothing listens there any more
    assert admin.post("/api/webhooks", json={"url": down.url, "topics": ["report.generated"]}).status_code == 201
    began = time.monotonic()
    started = admin.post("/api/start-interview", json=START | {"num_questions": 1}).json()
    answered = admin.post("/api/submit-answer", json={"session_id": started["session_id"], "answer": ANSWERS[0]})
    assert answered.status_code == 200 and answered.json()["completed"] is True
    assert time.monotonic() - began < 5


def interview(admin: httpx.Client) -> str:
    started = admin.post("/api/start-interview", json=START | {"num_questions": 1}).json()
    answered = admin.post("/api/submit-answer", json={"session_id": started["session_id"], "answer": ANSWERS[0]})
    assert answered.status_code == 200 and answered.json()["completed"] is True
    return started["session_id"]


def test_an_endpoint_gets_the_interviews_after_its_registration_and_none_after_its_removal(stack, admin):
    """The exporter keeps the endpoints between events: a registration or removal reaches every exporter
    process at once (a queue of its own for those events), so the next interview already goes by it."""
    interview(admin)  # the exporter has the endpoints in hand from here
    late = WebhookReceiver().start()
    try:
        registered = admin.post("/api/webhooks", json={"url": late.url, "topics": ["interview.completed"]})
        assert registered.status_code == 201
        late.secret = registered.json()["secret"]
        first = interview(admin)
        eventually(lambda: [b["session_id"] for b in late.processed.values()], lambda got: got == [first], timeout=30)
        assert admin.delete(f"/api/webhooks/{registered.json()['webhook_id']}").status_code == 200
        interview(admin)
        last = interview(admin)  # a witness that the exporter went on: the first receiver hears of it
        eventually(lambda: admin.get("/api/data/interview/" + last).status_code, lambda code: code == 200)
        time.sleep(1)  # deliveries take milliseconds here; none may come
        assert [b["session_id"] for b in late.processed.values()] == [first]
    finally:
        late.stop()


@pytest.mark.parametrize(
    ("body", "fragment"),
    [({"url": "ftp://example.com", "topics": ["report.generated"]}, "url"),
     ({"url": "http://[::1/hook", "topics": ["report.generated"]}, "not a URL deliveries can be sent to"),
     ({"url": "https://example.com:99999/hook", "topics": ["report.generated"]}, "port from 1 to 65535"),
     ({"url": "https://example.com/hook", "topics": []}, "topics"),
     ({"url": "https://example.com/hook", "topics": ["interview.started"]}, "topics"),
     ({"url": "http://ats.example.com/hook", "topics": ["report.generated"]}, "use https://"),  # answers in clear
     # inside the network, where the exporter would POST from (only 127.0.0.1 is allowed here)
     ({"url": "https://169.254.169.254/latest/meta-data/", "topics": ["report.generated"]}, "link-local"),
     ({"url": "https://10.1.2.3/hook", "topics": ["report.generated"]}, "10.1.2.3 is a private address"),
     ({"url": "https://127.0.0.2:8001/hook", "topics": ["report.generated"]}, "WEBHOOKS_ALLOWED_NETWORKS"),
     ({"url": "https://nowhere.invalid/hook", "topics": ["report.generated"]}, "could not be resolved")],
)  # fmt: skip
def test_a_bad_webhook_is_refused_clearly(admin, body, fragment):
    response = admin.post("/api/webhooks", json=body)
    assert response.status_code == 422 and fragment in response.json()["message"]


def test_only_admins_manage_webhooks(stack, admin):
    recruiter = admin.post("/api/users", json={"email": "hooks@example.com", "role": "recruiter"}).json()
    with httpx.Client(base_url=stack.url(), headers={"Authorization": f"Bearer {recruiter['token']}"}) as client:
        assert client.get("/api/webhooks").status_code == 403
        assert client.post("/api/webhooks", json={"url": "https://example.com/h", "topics": TOPICS}).status_code == 403


def test_a_report_revised_after_an_upheld_correction_goes_out_as_report_revised(stack, admin):
    """The applicant-tracking system learns the outcome changed: the interview document as corrected (the
    new score in its scores, the report written again) and which request changed it."""
    revisions = WebhookReceiver().start()
    try:
        registered = admin.post("/api/webhooks", json={"url": revisions.url, "topics": ["report.revised"]})
        assert registered.status_code == 201, registered.text
        revisions.secret = registered.json()["secret"]
        started = admin.post("/api/start-interview", json=START | {"num_questions": 1}).json()
        session_id = started["session_id"]
        garbled = "I have done a lot of things with it, stuff like that."
        spoken = {"session_id": session_id, "answer": garbled, "spoken": True}  # a transcript: one may contest it
        assert admin.post("/api/submit-answer", json=spoken).status_code == 200
        first = eventually(lambda: admin.get(f"/api/data/interview/{session_id}"), lambda r: r.status_code == 200)
        made = admin.post(f"/api/interview/{session_id}/requests",
                          json={"kind": "transcription", "question_number": 1, "corrected_answer": ANSWERS[0]})  # fmt: skip
        assert made.status_code == 200, made.text
        request_id = made.json()["request_id"]
        resolved = admin.post(f"/api/data/interview/{session_id}/requests/{request_id}/resolve",
                              json={"decision": "upheld"})  # fmt: skip
        assert resolved.status_code == 200, resolved.text
        bodies = eventually(lambda: list(revisions.processed.values()), lambda got: len(got) == 1, timeout=30)
        body = bodies[0]
        assert (body["topic"], body["session_id"], body["data"]["request_id"]) == ("report.revised", session_id,
                                                                                   request_id)  # fmt: skip
        revision = admin.get(f"/api/data/interview/{session_id}").json()["report_revision"]
        assert body["data"]["individual_scores"] == revision["individual_scores"]
        assert body["data"]["individual_scores"] != first.json()["individual_scores"]  # the corrected answer's score
        assert body["data"]["overall_score"] == revision["overall_score"]
        assert body["data"]["questions_and_answers"][0]["answer"] == ANSWERS[0]
        assert all(r.signed for r in revisions.requests)
    finally:
        revisions.stop()


def test_the_exporter_delivers_only_to_an_address_it_allows_itself(stack, admin):
    """Registered where persistence allows it, delivered by an exporter that does not (a setting that differs,
    or a name that resolves elsewhere by now): nothing is sent, and the attempt shows why, once, not retried.
    Last in this module: it restarts the exporter."""
    receiver = WebhookReceiver().start()
    allowed = stack.env["WEBHOOKS_ALLOWED_NETWORKS"]
    try:
        registered = admin.post("/api/webhooks", json={"url": receiver.url, "topics": ["report.generated"]})
        assert registered.status_code == 201, registered.text
        webhook_id = registered.json()["webhook_id"]
        stack.stop_service("exporter")
        stack.env["WEBHOOKS_ALLOWED_NETWORKS"] = "10.0.0.0/8"
        stack.start_service("exporter")
        stack.wait_ready()
        interview(admin)
        deliveries = eventually(lambda: admin.get(f"/api/webhooks/{webhook_id}/deliveries").json()["deliveries"],
                                lambda d: len(d) == 1, timeout=30)  # fmt: skip
        time.sleep(2.5)  # a retry would come after 1 s (WEBHOOK_RETRY_SECONDS)
        deliveries = admin.get(f"/api/webhooks/{webhook_id}/deliveries").json()["deliveries"]
        [attempt] = deliveries[0]["attempts"]
        assert (attempt["delivered"], attempt["status_code"], deliveries[0]["next_attempt_at"]) == (False, None, None)
        assert attempt["error"].startswith("not sent: 127.0.0.1 is a loopback address"), attempt["error"]
        assert "WEBHOOKS_ALLOWED_NETWORKS" in attempt["error"]
        assert receiver.requests == []
        assert admin.get(f"/api/webhooks/{webhook_id}").json()["deliveries"] == {"delivered": 0, "pending": 0,
                                                                                  "failed": 1}  # fmt: skip
        logged = [line for line in stack.processes["exporter"].lines if webhook_id in line and "not sent" in line]
        assert len(logged) == 1, logged
    finally:
        stack.stop_service("exporter")
        stack.env["WEBHOOKS_ALLOWED_NETWORKS"] = allowed
        stack.start_service("exporter")
        stack.wait_ready()
        receiver.stop()
