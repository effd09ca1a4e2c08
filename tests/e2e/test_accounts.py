"""Accounts with roles instead of one shared token, through the gateway with the five services running:
the bootstrap admin (ADMIN_TOKEN) creates a recruiter and a reviewer; the reviewer reads and reviews only
their position's interviews, under their own name, with a token or the dashboard's sign-in cookie; every
step is in the audit log."""

import httpx
import pytest

from tests.e2e.test_interview import ANSWERS
from tests.e2e.test_recruiting import POSITION

pytestmark = pytest.mark.e2e
ADMIN = "accounts-admin-secret"
STACK_ENV = {"ADMIN_TOKEN": ADMIN, "START_RATE_PER_MINUTE": "100000", "ANSWER_RATE_PER_MINUTE": "100000",
             "TRUSTED_PROXIES": "127.0.0.1"}  # fmt: skip


def client(stack, token: str | None = None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=stack.url(), timeout=60, headers=headers)


def interview_from(gateway: httpx.Client, invitation: dict) -> str:
    started = gateway.post(
        "/api/start-interview", json={"invitation": invitation["token"], "consent": True, "experience_years": 4}
    ).json()
    headers = {"X-Candidate-Token": started["candidate_token"]}
    for number in (1, 2):
        reply = {"session_id": started["session_id"], "answer": ANSWERS[number], "question_number": number}
        assert gateway.post("/api/submit-answer", json=reply, headers=headers).status_code == 200
    return started["session_id"]


@pytest.fixture(scope="module")
def people(stack):
    """A recruiter and a reviewer (assigned to position A), positions A and B with one interview each."""
    with client(stack, ADMIN) as admin, client(stack) as gateway:
        recruiter = admin.post(
            "/api/users", json={"email": "rita@example.com", "name": "Rita Recruiter", "role": "recruiter"}
        )
        assert recruiter.status_code == 201, recruiter.text
        with client(stack, recruiter.json()["token"]) as rita:
            a = rita.post("/api/positions", json=POSITION | {"title": "Position A"}).json()
            b = rita.post("/api/positions", json=POSITION | {"title": "Position B"}).json()
            invitations = {p["position_id"]: rita.post(f"/api/positions/{p['position_id']}/invitations",
                                                       json={"candidates": [{"candidate_name": f"Candidate of {p['title']}"}]}).json()
                           for p in (a, b)}  # fmt: skip
        reviewer = admin.post("/api/users", json={"email": "rev@example.com", "name": "Reva Reviewer", "role": "reviewer",
                                                  "positions": [a["position_id"]]})  # fmt: skip
        assert reviewer.status_code == 201, reviewer.text
        location = reviewer.headers["location"]
        assert (
            location == f"/api/users/{reviewer.json()['user']['user_id']}"
            and admin.get(location).json()["name"] == "Reva Reviewer"
        )
        sessions = {pid: interview_from(gateway, inv["invitations"][0]) for pid, inv in invitations.items()}
    return {"recruiter": recruiter.json(), "reviewer": reviewer.json(), "a": a["position_id"], "b": b["position_id"],
            "session_a": sessions[a["position_id"]], "session_b": sessions[b["position_id"]]}  # fmt: skip


def test_without_credentials_nothing_is_read_or_changed(stack, people):
    with client(stack) as anonymous:
        for path in ("/api/positions", "/api/data/interviews", "/api/users", "/api/audit", "/api/auth/me"):
            assert anonymous.get(path).status_code == 401, path
        assert anonymous.post("/api/positions", json=POSITION).status_code == 401
        assert anonymous.get("/api/positions", headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_a_recruiter_runs_positions_but_not_users_or_erasure(stack, people):
    with client(stack, people["recruiter"]["token"]) as rita:
        assert rita.get("/api/auth/me").json()["role"] == "recruiter"
        refused = rita.post("/api/users", json={"email": "x@example.com", "role": "admin"})
        assert refused.status_code == 403 and "admin" in refused.json()["message"]
        assert rita.delete(f"/api/data/interview/{people['session_a']}").status_code == 403
        assert rita.get("/api/audit").status_code == 403
        assert {p["title"] for p in rita.get("/api/positions").json()["positions"]} >= {"Position A", "Position B"}
    with client(stack, ADMIN) as admin:  # the erasure of interviews erases interviews only
        for stream in (people["a"], people["recruiter"]["user"]["user_id"]):
            refused = admin.delete(f"/api/data/interview/{stream}")
            assert refused.status_code == 404 and "No interview" in refused.json()["message"]
        assert admin.get(f"/api/positions/{people['a']}").status_code == 200


def test_a_reviewer_reads_and_reviews_only_their_positions_under_their_own_name(stack, people):
    a, b = people["a"], people["b"]
    with client(stack, people["reviewer"]["token"]) as reva:
        assert [p["position_id"] for p in reva.get("/api/positions").json()["positions"]] == [a]
        assert reva.get(f"/api/positions/{b}").status_code == 403
        assert reva.get(f"/api/data/interview/{people['session_b']}").status_code == 403
        assert reva.get(f"/api/data/interview/{people['session_a']}").status_code == 200
        assert reva.get("/api/data/interviews").status_code == 403  # across positions
        assert reva.get("/api/data/interviews", params={"position_id": a}).json()["total"] == 1
        assert reva.get("/api/data/export/interviews.json").status_code == 403
        assert (
            reva.post(f"/api/positions/{a}/invitations", json={"candidates": [{"candidate_name": "X"}]}).status_code
            == 403
        )
        path = f"/api/data/interview/{people['session_a']}/answers/1/review"
        named = reva.post(path, json={"score": 6, "reviewer": "someone else"})
        assert named.status_code == 422 and "whoever is signed in" in named.json()["message"]
        assert (
            reva.post(f"/api/data/interview/{people['session_b']}/answers/1/review", json={"score": 6}).status_code
            == 403
        )
        review = reva.post(path, json={"score": 6, "note": "Sound, if short."})
        assert review.status_code == 200 and review.json()["reviewer"] == "Reva Reviewer"
        answer = reva.get(f"/api/data/interview/{people['session_a']}").json()["questions_and_answers"][0]
        assert (answer["human_score"], answer["reviewed_by"]) == (6, "Reva Reviewer")


def test_the_dashboard_signs_in_with_a_cookie_that_cannot_be_forged_across_sites(stack, people):
    with client(stack) as browser:
        refused = browser.post("/api/auth/sign-in", json={"token": "not-a-token"})
        assert refused.status_code == 401
        signed = browser.post("/api/auth/sign-in", json={"token": people["reviewer"]["token"]})
        assert signed.status_code == 200 and signed.json()["role"] == "reviewer"
        cookie = signed.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "itk_" not in cookie
        assert browser.get("/api/auth/me").json()["name"] == "Reva Reviewer"
        with client(stack) as someone_else:  # the gateway passes cookies through and keeps none
            assert someone_else.get("/api/auth/me").status_code == 401
        path = f"/api/data/interview/{people['session_a']}/review"
        forged = browser.post(path, json={"verdict": "yes"})  # what another site could make a browser send
        assert forged.status_code == 403 and "X-Requested-With" in forged.json()["message"]
        assert (
            browser.post(path, json={"verdict": "yes"}, headers={"X-Requested-With": "interviewer"}).status_code == 200
        )
        assert browser.post("/api/auth/sign-out", headers={"X-Requested-With": "interviewer"}).status_code == 200
        assert browser.get("/api/auth/me").status_code == 401
    with client(stack) as recruiters_browser:  # the exporter's push to Sheets, asked with a cookie, too
        assert (
            recruiters_browser.post("/api/auth/sign-in", json={"token": people["recruiter"]["token"]}).status_code
            == 200
        )
        forged = recruiters_browser.post("/api/sheets/export", json={})
        assert forged.status_code == 403 and "X-Requested-With" in forged.json()["message"]
        asked = recruiters_browser.post("/api/sheets/export", json={}, headers={"X-Requested-With": "interviewer"})
        assert (
            asked.status_code == 501 and "not configured" in asked.json()["message"]
        )  # past the check: Sheets is off here


def test_a_deactivated_user_is_out_and_a_revoked_token_too(stack, people):
    with client(stack, ADMIN) as admin:
        extra = admin.post("/api/users", json={"email": "temp@example.com", "role": "recruiter"}).json()
        user_id, token = extra["user"]["user_id"], extra["token"]
        with client(stack, token) as temp, client(stack) as browser, client(stack) as other_browser:
            assert temp.get("/api/positions").status_code == 200
            second = temp.post(f"/api/users/{user_id}/tokens", json={"label": "laptop"}).json()
            assert second["token"] != token
            assert browser.post("/api/auth/sign-in", json={"token": token}).status_code == 200
            assert other_browser.post("/api/auth/sign-in", json={"token": second["token"]}).status_code == 200
            token_id = extra["user"]["tokens"][0]["token_id"]
            assert temp.delete(f"/api/users/{user_id}/tokens/{token_id}").status_code == 200
            assert temp.get("/api/positions").status_code == 401  # the first token is revoked
            assert browser.get("/api/auth/me").status_code == 401  # and so is the sign-in made with it
            assert other_browser.get("/api/auth/me").status_code == 200  # not the one made with the other
        with client(stack, second["token"]) as temp:
            assert temp.get("/api/positions").status_code == 200
            assert admin.patch(f"/api/users/{user_id}", json={"active": False}).json()["active"] is False
            assert temp.get("/api/positions").status_code == 401
        duplicate = admin.post("/api/users", json={"email": "TEMP@example.com", "role": "reviewer"})
        assert duplicate.status_code == 409
        bad = admin.post("/api/users", json={"email": "nobody", "role": "reviewer"})
        assert bad.status_code == 422 and "not an e-mail address" in bad.json()["message"]


def test_the_audit_log_shows_each_step(stack, people):
    with client(stack, ADMIN) as admin:
        entries = admin.get("/api/audit", params={"limit": 1000}).json()["entries"]
        steps = {(e["actor"], e["action"], e["target"], e["status"]) for e in entries}
        reviewer = people["reviewer"]["user"]["user_id"]
        recruiter = people["recruiter"]["user"]["user_id"]
        assert ("admin-token", "create user", reviewer, 201) in steps
        assert (recruiter, "create position", people["a"], 201) in steps  # the new one's id
        assert (recruiter, "invite candidates", people["a"], 201) in steps
        assert (reviewer, "read interview", people["session_a"], 200) in steps
        assert (reviewer, "read interview", people["session_b"], 403) in steps  # refusals too
        assert (reviewer, "review answer", people["session_a"], 200) in steps
        assert (reviewer, "sign in", "", 200) in steps
        assert ("anonymous", "sign in", "", 401) in steps
        assert all(e["client"] == "127.0.0.1" for e in entries)
        mine = admin.get("/api/audit", params={"actor": reviewer}).json()
        assert mine["total"] >= 4 and {e["actor"] for e in mine["entries"]} == {reviewer}
        first = min(e["at"] for e in entries)
        since = admin.get("/api/audit", params={"since": first[:10], "limit": 1000}).json()  # a date alone: that day
        assert since["total"] >= len(entries)
        later = admin.get("/api/audit", params={"since": "2999-01-01T00:00:00+02:00"}).json()
        assert later["total"] == 0
        mistyped = admin.get("/api/audit", params={"since": "now"})  # found by an API test: it said "no entries"
        assert mistyped.status_code == 422 and "since: 'now' is not an ISO 8601 date" in mistyped.json()["message"]


def test_the_dashboards_checks_for_news_are_recorded_once_in_ten_minutes(stack, people):
    """The dashboard asks again every 20 s whether what it shows changed: each such read was an entry (a day's open
    tab, thousands). A check repeating a read recorded within ten minutes is not recorded again; reads without
    the check's header always are, so the header hides no read."""
    rita = people["recruiter"]
    read = f"/api/data/interview/{people['session_a']}"

    def reads() -> int:
        with client(stack, ADMIN) as admin:
            entries = admin.get("/api/audit", params={"actor": rita["user"]["user_id"], "action": "read interview",
                                                      "target": people["session_a"], "limit": 1000}).json()["entries"]  # fmt: skip
        return len(entries)

    with client(stack, rita["token"]) as recruiter:
        assert recruiter.get(read, headers={"X-Interviewer-Check": "news"}).status_code == 200  # the first: recorded
        assert reads() == 1
        for _ in range(3):
            assert recruiter.get(read, headers={"X-Interviewer-Check": "news"}).status_code == 200
        assert reads() == 1
        assert recruiter.get(read).status_code == 200  # the recruiter opens it again: recorded
        assert reads() == 2
    # nothing else is held back by the header (found by a review): failed sign-ins, changes, other reads
    checking = {"X-Interviewer-Check": "news"}

    def kept() -> tuple[int, int]:
        with client(stack, ADMIN) as admin:
            entries = admin.get("/api/audit", params={"limit": 1000}).json()["entries"]
        return (sum(e["action"] == "sign in" and e["status"] == 401 for e in entries),
                sum(e["action"] == "export interviews" and e["actor"] == "admin-token" for e in entries))  # fmt: skip

    before = kept()
    with client(stack) as anyone, client(stack, ADMIN) as admin:
        for _ in range(2):
            assert anyone.post("/api/auth/sign-in", json={"token": "guessed"}, headers=checking).status_code == 401
            assert admin.get("/api/data/export/interviews.json", headers=checking).status_code == 200
    assert kept() == (before[0] + 2, before[1] + 2)


def test_the_audit_log_believes_only_the_gateway_about_where_a_request_came_from(stack, people):
    """The gateway (behind a proxy it trusts, TRUSTED_PROXIES) passes the caller's address on and vouches for
    it; a caller reaching persistence directly cannot write whatever address it likes into the audit log."""
    read = f"/api/data/interview/{people['session_a']}"
    admin = {"Authorization": f"Bearer {ADMIN}"}
    services_token = stack.internal_headers()["Authorization"].removeprefix("Bearer ")
    with client(stack, ADMIN) as gateway, httpx.Client(base_url=stack.url("persistence"), timeout=60) as direct:
        assert gateway.get(read, headers={"X-Forwarded-For": "203.0.113.7"}).status_code == 200
        assert direct.get(read, headers=admin | {"X-Forwarded-For": "203.0.113.8"}).status_code == 200
        made_up = {"X-Forwarded-For": "203.0.113.9", "X-Gateway-Token": "not-the-services-token"}
        assert direct.get(read, headers=admin | made_up).status_code == 200
        vouched = {"X-Forwarded-For": "203.0.113.10", "X-Gateway-Token": services_token}
        assert direct.get(read, headers=admin | vouched).status_code == 200  # what the gateway sends
        not_an_address = vouched | {"X-Forwarded-For": "<b>somewhere</b>"}
        assert direct.get(read, headers=admin | not_an_address).status_code == 200
        entries = gateway.get("/api/audit", params={"action": "read interview", "limit": 1000}).json()["entries"]
    clients = [e["client"] for e in entries if e["target"] == people["session_a"] and e["actor"] == "admin-token"]
    assert {"203.0.113.7", "203.0.113.10", "127.0.0.1"} <= set(clients), clients
    assert not {"203.0.113.8", "203.0.113.9", "<b>somewhere</b>"} & set(clients), clients
