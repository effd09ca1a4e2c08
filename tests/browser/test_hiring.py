"""Hiring through positions, invitations and accounts, in Chromium against the five services (docs/recruiting.md):
a recruiter signs in with their token, creates a position with a must-ask question, invites three candidates
from a CSV file and reads their links (shown once); each candidate, in a browser of their own, opens their link,
sees the position, gives a name where the invitation has none and their consent, and is interviewed to the
report (the must-ask question first); the position ranks them and compares two side by side; the admin gives
a reviewer that position; the reviewer sees only it, re-scores an answer under their own name; the
applicant-tracking system, connected by the admin with a webhook before the first candidate came, got one signed
report per candidate; the admin's audit log tells the whole story. The tests run in order: each goes on from where the one before left off."""

import json
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import get_args
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from services.persistence.api.audit import AUDITED
from services.persistence.queries import DataSet
from tests.browser.conftest import SCREENSHOTS, assert_modules_only, screenshot, wait_for_held
from tests.browser.test_candidate import answer_current, every_control_is_labelled
from tests.e2e.conftest import eventually
from tests.e2e.test_interview import ANSWERS
from tests.fakes.webhook_receiver import ALLOW_RECEIVERS, WebhookReceiver

pytestmark = pytest.mark.e2e
ADMIN = "hiring-admin-secret"
ADMIN_NAME = "administrator (ADMIN_TOKEN)"
STACK_ENV = {"ADMIN_TOKEN": ADMIN, "START_RATE_PER_MINUTE": "100000", "ANSWER_RATE_PER_MINUTE": "100000",
             "WEBHOOK_RETRY_SECONDS": "1"} | ALLOW_RECEIVERS  # fmt: skip
TITLE = "Platform Engineer (Python)"
JOB = ("Platform Engineer: Python, Django, PostgreSQL and AWS; you will run our deployment pipeline, "
       "answer for production incidents and mentor two engineers.")  # fmt: skip
MUST_ASK = "Tell us about a production incident you handled and what changed after it."
RUBRIC = "Weigh measured results over buzzwords; incident handling matters most."
CSV = b"candidate_name,email\nAda Lovelace,ada@example.com\nAlan Turing,alan@example.com\n,grace@example.com\n"
# who, the answers they type (indexes into ANSWERS: strong, weak, ...), whether the invitation names them
CANDIDATES = [("Ada Lovelace", [0, 2], True), ("Alan Turing", [1, 1], True), ("Grace Hopper", [4, 3], False)]
CONSENT = "I understand that an AI asks the questions and scores my answers."
DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "position.png"


def api(stack, token: str) -> httpx.Client:
    return httpx.Client(base_url=stack.url(), timeout=60, headers={"Authorization": f"Bearer {token}"})


@pytest.fixture(scope="module")
def people(stack):
    """A recruiter (created with ADMIN_TOKEN), and a position of theirs that no reviewer will be given."""
    with api(stack, ADMIN) as admin:
        created = admin.post(
            "/api/users", json={"email": "rita@example.com", "name": "Rita Recruiter", "role": "recruiter"}
        )
        assert created.status_code == 201, created.text
    recruiter = created.json()
    with api(stack, recruiter["token"]) as rita:
        other = rita.post("/api/positions", json={"title": "Data Analyst", "job_description": JOB, "num_questions": 1})
        assert other.status_code == 201, other.text
    return {"recruiter": recruiter["token"], "recruiter_id": recruiter["user"]["user_id"],
            "other_position": other.json()["position_id"]}  # fmt: skip


@pytest.fixture(scope="module")
def journey() -> dict:
    """What each test leaves for the next: the position, the links, the reviewer."""
    return {}


@pytest.fixture(scope="module")
def ats():
    """The applicant-tracking system's endpoint: each delivery refused once, then accepted."""
    receiver = WebhookReceiver(script=[500, 200]).start()
    yield receiver
    receiver.stop()


@contextmanager
def browsing(browser: Browser, stack, width: int = 1100, height: int = 900, **options):
    """A browser of its own (cookies, storage), failing on any JavaScript error."""
    context = browser.new_context(base_url=stack.url(), viewport={"width": width, "height": height}, **options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: dialog.accept())
    try:
        yield page
    finally:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def sign_in(page: Page, token: str, name: str, path: str = "/dashboard") -> None:
    page.goto(path)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("API token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#who-name")).to_have_text(name)


def nav(page: Page):
    return page.get_by_role("navigation", name="Dashboard sections")


def candidate_rows(page: Page):
    return page.locator("#candidate-rows tr")


def link_path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def candidate_call(url: str) -> bool:
    path = urlsplit(url).path
    return path in ("/api/submit-answer", "/api/end-interview") or (
        path.startswith("/api/interview/") and not path.endswith("/events")
    )


def test_a_recruiter_creates_a_position_and_invites_three_candidates_from_a_csv(browser, stack, people, journey):
    with browsing(browser, stack) as page:
        sign_in(page, people["recruiter"], "Rita Recruiter")
        expect(page.locator("#who-role")).to_have_text("recruiter")
        expect(nav(page).get_by_role("link")).to_have_text(
            ["Overview", "Positions", "Requests", "Fairness", "Shadow runs"]
        )  # no users, audit, webhooks
        nav(page).get_by_role("link", name="Positions").click()
        expect(page.get_by_role("heading", name="Positions", exact=True)).to_be_focused()
        expect(page.locator("#positions-rows")).to_contain_text("Data Analyst")

        page.get_by_role("button", name="New position").click()
        form = page.get_by_role("form", name="New position")
        form.get_by_label("Title").fill(TITLE)
        form.get_by_label("Job description").fill("Python, please.")
        form.get_by_label("Difficulty").select_option("advanced")
        form.get_by_label("Number of questions").fill("1")
        form.get_by_label("Must-ask questions").fill(f"{MUST_ASK}\nWhat would you change in our deployment pipeline?")
        form.get_by_label("Rubric").fill(RUBRIC)
        form.get_by_role("button", name="Create the position").click()  # the API's 422, under its field
        expect(form.locator("#new-position-form-job-description-error")).to_have_text("Needs at least 20 characters.")
        expect(form.get_by_label("Job description")).to_be_focused()
        form.get_by_label("Job description").fill(JOB)
        form.get_by_role("button", name="Create the position").click()
        expect(form.locator("#new-position-form-must-ask-error")).to_contain_text("do not fit in 1 question: ")
        expect(form.get_by_label("Must-ask questions")).to_have_attribute("aria-invalid", "true")
        screenshot(page, "30-new-position-errors")
        form.get_by_label("Number of questions").fill("2")
        form.get_by_label("Must-ask questions").fill(MUST_ASK)
        form.get_by_role("button", name="Create the position").click()

        expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
        journey["position_id"] = position_id = page.url.rsplit("/", 1)[-1]
        assert position_id.startswith("pos-")
        expect(page.locator("#position-summary")).to_contain_text(MUST_ASK)
        expect(page.locator("#candidates-status")).to_have_text("Nobody is invited yet: invite candidates below.")

        with page.expect_request(lambda r: r.url.endswith("/invitations") and r.method == "POST") as sent:
            page.get_by_label("CSV file of candidates").set_input_files(
                {"name": "candidates.csv", "mimeType": "text/csv", "buffer": CSV}
            )
            page.get_by_role("button", name="Upload and create the links").click()
        assert (
            sent.value.headers["content-type"] == "text/csv"
        )  # the file's bytes as they are (Chromium hides a file body)
        batches = page.locator("#invite-result .invitation-links")  # the newest first
        expect(batches).to_have_count(1)
        links = batches.first
        expect(links).to_contain_text(f"3 invitation links created for {TITLE}")
        expect(links).to_contain_text("these links are shown only now")
        expect(links).to_be_focused()
        urls = links.locator("input.secret-value").evaluate_all("inputs => inputs.map((input) => input.value)")
        # PUBLIC_URL, which the stack (as `make run`) sets to its own gateway: the links open where they were made
        assert len(urls) == 3 and all(url.startswith(f"{stack.url()}/?invitation=") for url in urls), urls
        expect(links.get_by_role("button", name="Copy: Ada Lovelace")).to_be_visible()
        journey["links"] = {name: link_path(url) for (name, _, _), url in zip(CANDIDATES, urls, strict=True)}
        expect(candidate_rows(page)).to_have_count(3)
        expect(page.locator("#candidate-rows tr[data-status=invited]")).to_have_count(3)
        screenshot(page, "31-invitation-links-shown-once")

        # one more typed in, refused first for its e-mail (the API's message under that field), then revoked
        invite = page.get_by_role("form", name="Type them in")
        invite.get_by_label("Name of candidate 1").fill("Dennis Ritchie")
        invite.get_by_label("E-mail of candidate 1").fill("not-an-e-mail")
        invite.get_by_role("button", name="Create the links").click()
        email = invite.get_by_label("E-mail of candidate 1")
        expect(email).to_have_accessible_description("'not-an-e-mail' is not an e-mail address")  # its error box
        expect(invite.get_by_label("E-mail of candidate 1")).to_be_focused()
        invite.get_by_label("E-mail of candidate 1").fill("dennis@example.com")
        invite.get_by_role("button", name="Create the links").click()
        expect(batches).to_have_count(2)  # the CSV's links stay until they are hidden
        expect(batches.first).to_contain_text("1 invitation link created")
        expect(batches.last.locator("input.secret-value")).to_have_count(3)
        journey["revoked"] = link_path(batches.first.locator("input.secret-value").input_value())
        expect(candidate_rows(page)).to_have_count(4)
        page.get_by_role("button", name="Revoke the invitation of Dennis Ritchie").click()
        expect(page.locator("#candidate-rows tr", has_text="Dennis Ritchie")).to_have_attribute(
            "data-status", "revoked"
        )
        expect(page.get_by_role("button", name="Revoke the invitation of Dennis Ritchie")).to_have_count(0)
        assert_modules_only(page)
        every_control_is_labelled(page)


def test_the_admin_connects_the_ats_with_a_webhook_before_the_candidates_come(browser, stack, ats):
    with browsing(browser, stack) as page:
        sign_in(page, ADMIN, ADMIN_NAME, "/dashboard#/webhooks")
        expect(page.get_by_role("heading", name="Webhooks")).to_be_visible()
        expect(page.locator("#webhooks-status")).to_have_text("No webhooks yet.")
        page.get_by_role("button", name="Register the webhook").click()
        expect(page.get_by_label("Endpoint URL")).to_have_accessible_description(re.compile("full address"))
        page.get_by_label("Endpoint URL").fill(ats.url)
        page.get_by_label("interview.completed").uncheck()  # the report is what the ATS files
        page.get_by_label("report.generated").check()
        page.get_by_role("button", name="Register the webhook").click()
        secret = page.locator("#webhook-secret")
        expect(secret).to_contain_text("this secret is shown only now")
        ats.secret = secret.locator("input.secret-value").input_value()
        assert ats.secret.startswith("whsec_")
        row = page.locator("#webhook-rows tr", has_text=ats.url)
        expect(row).to_contain_text("report.generated")
        expect(row).not_to_contain_text("interview.completed")
        expect(row).to_contain_text("0 delivered · 0 pending · 0 failed")
        assert_modules_only(page)


def test_each_candidate_opens_their_link_and_is_interviewed_to_the_report(browser, stack, journey):
    assert "links" in journey, "the recruiter's test made the links"
    for name, replies, named in CANDIDATES:
        with browsing(browser, stack) as page:
            sent = []  # the calls about the interview that can carry a header (not the live stream)
            page.on("request", lambda r, sent=sent: sent.append(r) if candidate_call(r.url) else None)
            page.goto(journey["links"][name])
            expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
            expect(page.get_by_text("An AI conducts this interview.")).to_be_visible()
            assert "invitation" not in page.url  # the token left the address (history, bookmarks, screens)
            expect(page.get_by_role("link", name="For recruiters: dashboard")).to_be_hidden()  # not theirs
            for field in ("Job description", "Difficulty", "Number of questions"):
                expect(page.get_by_label(field)).to_have_count(0)  # the position decides those
            expect(page.get_by_label("Years of experience")).to_have_value("")  # asked, not assumed
            if named:
                expect(page.get_by_label("Your name")).to_have_count(0)
                expect(page.locator("#invitation-intro")).to_contain_text(f"Welcome, {name}.")
            else:
                page.get_by_role("button", name="Start the interview").click()
                expect(page.locator("#name-error")).to_have_text("Please enter your name.")
                expect(page.locator("#consent-error")).to_be_visible()
                screenshot(page, "32-invitation-start-asks-the-name")
                page.get_by_label("Your name").fill(name)
            page.get_by_label("Years of experience").fill("5")
            page.get_by_label(CONSENT).check()
            page.get_by_role("button", name="Start the interview").click()
            expect(page.locator("#question")).to_have_text(MUST_ASK)  # the position's own question first
            expect(page.locator("#position-name")).to_have_text(f"Interview for {TITLE}")
            expect(page.locator("#q-total")).to_have_text("2")
            answer_current(page, 1, ANSWERS[replies[0]])
            expect(page.locator("#q-number")).to_have_text("2")
            if name == "Alan Turing":  # a reload resumes this invitation's interview instead of starting again
                page.get_by_label("Your answer").fill("Half typed")
                page.reload()
                expect(page.locator("#q-number")).to_have_text("2")
                expect(page.get_by_label("Your answer")).to_have_value("Half typed")
                expect(page.locator("#start-screen")).to_be_hidden()
            answer_current(page, 2, ANSWERS[replies[1]])
            expect(page.get_by_role("heading", name="Your interview report")).to_be_visible()
            expect(page.locator("#report-meta")).to_contain_text(name)
            expect(page.get_by_role("button", name="Start a new interview")).to_be_hidden()
            screenshot(page, f"33-report-{name.split()[0].lower()}")
            if name == CANDIDATES[0][0]:  # back later in a new tab at "/" (the link's token is the old tab's)
                again = page.context.new_page()
                again.goto("/")
                expect(again.get_by_role("heading", name="Your interview report")).to_be_visible()
                expect(again.get_by_role("button", name="Start a new interview")).to_be_hidden()
                again.close()
            tokens = {r.headers.get("x-candidate-token") for r in sent}
            assert len(sent) >= 3 and None not in tokens and len(tokens) == 1, [r.url for r in sent]
            assert_modules_only(page)


def test_the_ats_received_three_signed_reports(ats, journey):
    processed = eventually(lambda: dict(ats.processed), lambda processed: len(processed) == 3, timeout=60)
    assert all(r.signed for r in ats.requests), [r for r in ats.requests if not r.signed]
    reports = list(processed.values())
    assert {r["topic"] for r in reports} == {"report.generated"}
    assert {r["position_id"] for r in reports} == {journey["position_id"]}
    assert sorted(r["data"]["candidate_name"] for r in reports) == sorted(name for name, _, _ in CANDIDATES)
    assert all(r["data"]["hire_recommendation"] and r["data"]["overall_score"] is not None for r in reports), reports
    journey["reported"] = [r["session_id"] for r in reports]
    assert len(set(journey["reported"])) == 3


def test_a_used_a_revoked_and_a_broken_link_each_say_so_on_the_page(browser, stack, journey):
    with browsing(browser, stack) as page:
        page.goto(journey["links"]["Ada Lovelace"])
        expect(page.get_by_role("heading", name="This invitation was already used")).to_be_focused()
        expect(page.locator("#refused-text")).to_contain_text("already used to start an interview")
        expect(page.locator("#start-screen")).to_be_hidden()
        expect(page.locator("#connection")).to_be_hidden()  # a page-level message, not a form error or a banner
        screenshot(page, "34-invitation-already-used")
        page.goto(journey["revoked"])
        expect(page.get_by_role("heading", name="This invitation is no longer valid")).to_be_visible()
        expect(page.locator("#refused-text")).to_contain_text("withdrawn")
        page.goto("/?invitation=" + "x" * 32)
        expect(page.get_by_role("heading", name="This invitation link is not valid")).to_be_visible()
        page.goto("/?invitation=cut")
        expect(page.get_by_role("heading", name="This invitation link is not valid")).to_be_visible()


def test_a_link_the_server_fails_to_check_offers_to_try_again(browser, stack, journey):
    link = journey["links"]["Ada Lovelace"]
    token = parse_qs(urlsplit(link).query)["invitation"][0]
    pending = {"invitation": token, "request_id": "0" * 32, "candidate_name": ""}
    with browsing(browser, stack) as page:  # a start sent before a reload, never answered, fails when sent again
        page.add_init_script(f"localStorage.setItem('interviewer.invitation-start', {json.dumps(json.dumps(pending))})")
        failing = "**/api/start-interview"
        page.route(failing, lambda route: route.fulfill(status=500, json={"message": "The broker is down."}))
        page.goto(link)
        expect(page.get_by_role("heading", name="Your invitation could not be checked just now")).to_be_focused()
        expect(page.locator("#checking")).to_be_hidden()
        expect(page.locator("#connection")).to_contain_text("The broker is down.")
        page.unroute(failing)
        page.get_by_role("button", name="Try again").click()  # the server answers now: the link was used
        expect(page.get_by_role("heading", name="This invitation was already used")).to_be_visible()
        expect(page.locator("#check-failed")).to_be_hidden()


def test_the_position_ranks_its_candidates_and_compares_two_side_by_side(browser, stack, people, journey):
    position_id = journey["position_id"]
    with api(stack, people["recruiter"]) as rita:
        ranked = rita.get(f"/api/positions/{position_id}/candidates").json()["candidates"]
    completed = [c for c in ranked if c["status"] == "completed"]
    assert [c["candidate_name"] for c in completed] == [c["candidate_name"] for c in
                                                         sorted(completed, key=lambda c: -c["average_score"])]  # fmt: skip
    assert len(completed) == 3 and ranked[-1]["status"] == "revoked"
    with browsing(browser, stack) as page:
        sign_in(page, people["recruiter"], "Rita Recruiter", f"/dashboard#/positions/{position_id}")
        expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
        rows = candidate_rows(page)
        expect(rows).to_have_count(4)
        for index, candidate in enumerate(completed):
            row = rows.nth(index)
            expect(row).to_have_attribute("data-status", "completed")
            expect(row.get_by_role("rowheader")).to_have_text(candidate["candidate_name"])
            expect(row.locator("td").nth(1)).to_have_text(str(index + 1))  # the rank
            expect(row).to_contain_text(f"{candidate['average_score']:.2f}")
            expect(row).to_contain_text(candidate["hire_recommendation"])
            expect(row).to_contain_text("2/2")
        expect(page.locator("#candidates-status")).to_have_text(
            "4 candidates; 3 completed, ranked by average score, those who answered every question first."
        )
        page.evaluate("window.scrollTo(0, 0)")  # the page from its top down to the ranked candidates
        ranked_box = page.get_by_role("region", name="Candidates, best first").bounding_box()
        page.screenshot(path=str(SCREENSHOTS / "35-position-ranked.png"), full_page=True,
                        clip={"x": 0, "y": 0, "width": 1100, "height": ranked_box["y"] + ranked_box["height"] + 16})  # fmt: skip
        if os.environ.get("UPDATE_SCREENSHOTS"):  # the README's picture, refreshed on request only
            shutil.copyfile(SCREENSHOTS / "35-position-ranked.png", DOCS_SCREENSHOT)

        first, second = completed[0]["candidate_name"], completed[1]["candidate_name"]
        compare = page.get_by_role("button", name="Compare selected")
        expect(compare).to_be_disabled()
        page.get_by_label(f"Select {first} to compare").check()
        expect(compare).to_be_disabled()  # two or more
        page.get_by_label(f"Select {second} to compare").check()
        expect(page.locator("#compare-hint")).to_have_text("2 selected.")
        compare.click()
        table = page.locator("#compare table")
        expect(page.locator("#compare")).to_be_focused()
        expect(table.locator("thead th")).to_have_text([first, second])
        expect(table.locator("tr", has_text="Question 1").locator("td").first).to_contain_text(MUST_ASK)
        expect(table.locator("tr", has_text="Question 2").locator("td .score")).to_have_count(2)
        for heading in (
            "Overall score",
            "Average score",
            "Recommendation",
            "Team's verdicts",
            "Strengths",
            "Weaknesses",
        ):
            expect(table.get_by_role("rowheader", name=heading)).to_be_visible()
        expect(table.locator("tr", has_text="Average score")).to_contain_text(f"{completed[0]['average_score']:.2f}")
        # with many candidates the table scrolls sideways: the rows' names stay in view
        assert (
            table.get_by_role("rowheader", name="Average score").evaluate("e => getComputedStyle(e).position")
            == "sticky"
        )
        page.locator("#compare").screenshot(path=str(SCREENSHOTS / "36-compare.png"))

        rows.first.get_by_role("link", name=first).click()
        expect(page.locator("#detail")).to_contain_text("Transcript")
        expect(page.locator("#detail-position")).to_have_text(f"Position: {TITLE}")  # the same name may be in several
        expect(page.locator("#detail")).to_contain_text(MUST_ASK)
        expect(page.locator("#reviewer")).to_have_count(0)  # the reviewer is whoever is signed in
        verdict = page.get_by_role("form", name="Your verdict on this interview")
        verdict.get_by_label("Your verdict").select_option("maybe")
        verdict.get_by_role("button", name="Save verdict").click()
        expect(verdict.locator(".saved")).to_contain_text("Reviewed: maybe by Rita Recruiter")
        expect(rows.first.locator("td").nth(7)).to_have_text("maybe Rita Recruiter")  # the row under it, no reload
        page.locator("#detail").get_by_role("button", name="Close").click()
        expect(rows.first.get_by_role("link", name=first)).to_be_focused()
        assert_modules_only(page)

    with browsing(browser, stack, width=390, height=844, is_mobile=True) as phone:
        sign_in(phone, people["recruiter"], "Rita Recruiter", f"/dashboard#/positions/{position_id}")
        expect(candidate_rows(phone)).to_have_count(4)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # the table scrolls in its own box
        screenshot(phone, "37-phone-position")


def test_the_recruiter_finds_a_candidate_across_positions(browser, stack, people, journey):
    with browsing(browser, stack) as page:
        sign_in(page, people["recruiter"], "Rita Recruiter", "/dashboard#/positions")
        search = page.get_by_role("search", name="Find an invited candidate")
        search.get_by_label("Find a candidate").fill("l")
        search.get_by_role("button", name="Find").click()
        expect(page.locator("#found-status")).to_have_text("Type at least 2 characters of a name or an e-mail.")
        search.get_by_label("Find a candidate").fill("LOVELACE")
        search.get_by_label("Find a candidate").press("Enter")
        expect(page.locator("#found-status")).to_have_text("1 invitation matches “LOVELACE”.")
        found = page.locator("#found-rows tr")
        expect(found).to_have_count(1)
        expect(found.get_by_role("link", name=TITLE)).to_have_attribute("href", f"#/positions/{journey['position_id']}")
        expect(found).to_have_attribute("data-status", "completed")
        screenshot(page, "38-find-a-candidate")
        found.get_by_role("link", name="Ada Lovelace").click()
        expect(page.locator("#detail")).to_contain_text("Transcript")
        page.locator("#detail").get_by_role("button", name="Close").click()
        expect(found.get_by_role("link", name="Ada Lovelace")).to_be_focused()
        search.get_by_label("Find a candidate").fill("nobody-like-this")
        search.get_by_role("button", name="Find").click()
        expect(page.locator("#found-status")).to_have_text("No invited candidate matches “nobody-like-this”.")
        expect(page.locator("#found-wrap")).to_be_hidden()
        assert_modules_only(page)


def test_the_recruiter_edits_closes_and_reopens_the_position(browser, stack, people, journey):
    position_id = journey["position_id"]
    with browsing(browser, stack) as page:
        sign_in(page, people["recruiter"], "Rita Recruiter", f"/dashboard#/positions/{position_id}")
        page.get_by_role("button", name="Edit settings").click()
        form = page.get_by_role("form", name="Edit the settings")
        expect(form.get_by_label("Title")).to_have_value(TITLE)
        expect(form.get_by_label("Must-ask questions")).to_have_value(MUST_ASK)
        form.get_by_label("Rubric").fill("Incident handling first, then PostgreSQL depth.")
        with page.expect_request(lambda r: r.method == "PATCH") as sent:
            form.get_by_role("button", name="Save the settings").click()
        assert sent.value.post_data_json == {
            "rubric": "Incident handling first, then PostgreSQL depth."
        }  # what changed
        expect(page.locator("#position-summary")).to_contain_text("Incident handling first, then PostgreSQL depth.")
        expect(page.locator("#position-saved")).to_contain_text("Interviews already started keep the settings")

        page.get_by_role("button", name="Close the position").click()  # confirmed in the dialog
        expect(page.locator("#position-status")).to_have_text("closed")
        expect(page.locator("#invite")).to_contain_text("This position is closed: reopen it to invite candidates.")
        expect(page.get_by_role("button", name="Create the links", exact=True)).to_be_disabled()
        expect(page.get_by_role("button", name="Reopen the position")).to_be_focused()
        page.get_by_role("button", name="Reopen the position").click()
        expect(page.locator("#position-status")).to_have_text("open")
        expect(page.get_by_role("button", name="Create the links", exact=True)).to_be_enabled()
        expect(page.locator("#position-saved")).to_have_text("The position is open again.")
        nav(page).get_by_role("link", name="Positions").click()
        page.get_by_role("link", name="Data Analyst").click()
        expect(page.get_by_role("heading", name="Data Analyst")).to_be_visible()
        expect(page.locator("#position-saved")).to_have_text("")  # about the position before, not this one


def test_the_admin_gives_a_reviewer_the_position(browser, stack, people, journey):
    with browsing(browser, stack) as page:
        sign_in(page, ADMIN, ADMIN_NAME, "/dashboard#/users")
        expect(nav(page).get_by_role("link")).to_have_text(
            ["Overview", "Positions", "Requests", "Fairness", "Shadow runs", "Users", "Audit log", "Webhooks"]
        )
        expect(page.get_by_role("heading", name="Users", exact=True)).to_be_visible()
        expect(page.locator("#user-rows")).to_contain_text("rita@example.com")
        page.get_by_role("button", name="New user").click()
        form = page.get_by_role("form", name="New user")
        form.get_by_label("E-mail").fill("reva@example.com")
        form.get_by_label("Name").fill("Reva Reviewer")
        expect(form.get_by_role("group", name="Positions this reviewer may read")).to_be_hidden()
        form.get_by_label("Role").select_option("reviewer")
        form.get_by_role("group", name="Positions this reviewer may read").get_by_label(TITLE).check()
        form.get_by_role("button", name="Create the user").click()
        secret = page.locator("#user-secret")
        expect(secret).to_contain_text("Reva Reviewer can sign in now")
        expect(secret).to_contain_text("this API token is shown only now")
        journey["reviewer_token"] = token = secret.locator("input.secret-value").input_value()
        assert token.startswith("itk_")
        row = page.locator("#user-rows tr", has_text="reva@example.com")
        expect(row).to_contain_text("reviewer")
        expect(row).to_contain_text(TITLE)
        screenshot(page, "38-users")

        row.get_by_text("New token", exact=True).click()  # a second token, shown once, then revoked
        row.get_by_label("Label of a new token for Reva Reviewer").fill("laptop")
        issued = []
        page.on("request", lambda r: issued.append(r) if r.method == "POST" and r.url.endswith("/tokens") else None)
        row.get_by_role("button", name="Issue a token").dblclick()  # one token: the second click finds it disabled
        expect(secret).to_contain_text("A new token for Reva Reviewer")
        expect(secret.locator(".once")).to_have_count(2)  # the first token still shown, below the newest
        expect(secret.locator(".once").nth(1)).to_contain_text("Reva Reviewer can sign in now")
        expect(row.locator("ul.tokens li")).to_have_count(2)
        assert len(issued) == 1, [r.url for r in issued]
        second = secret.locator("input.secret-value").first.input_value()
        assert secret.locator("input.secret-value").nth(1).input_value() == token
        assert second.startswith("itk_") and second != token
        page.get_by_role("button", name="Revoke the token “laptop” of Reva Reviewer").click()
        expect(page.locator("#users-status")).to_have_text("A token of Reva Reviewer is revoked.")
        expect(row).to_contain_text("laptop")
        expect(row).to_contain_text("revoked")
        with httpx.Client(base_url=stack.url(), headers={"Authorization": f"Bearer {second}"}) as revoked:
            assert revoked.get("/api/auth/me").status_code == 401
        with httpx.Client(base_url=stack.url(), headers={"Authorization": f"Bearer {token}"}) as first:
            assert first.get("/api/auth/me").json()["name"] == "Reva Reviewer"  # the first token still works

        rita = page.locator("#user-rows tr", has_text="rita@example.com")
        rita.get_by_role("button", name="Deactivate Rita Recruiter").click()
        expect(rita).to_contain_text("inactive")
        with api(stack, people["recruiter"]) as deactivated:
            assert deactivated.get("/api/auth/me").status_code == 401
        rita.get_by_role("button", name="Reactivate Rita Recruiter").click()
        expect(page.locator("#users-status")).to_have_text("Rita Recruiter is active again.")
        with api(stack, people["recruiter"]) as again:
            assert again.get("/api/auth/me").status_code == 200
        assert_modules_only(page)


def test_the_reviewer_sees_only_their_position_and_rescores_an_answer_under_their_name(browser, stack, people, journey):
    position_id = journey["position_id"]
    with browsing(browser, stack) as page:
        sign_in(page, journey["reviewer_token"], "Reva Reviewer")
        expect(page.locator("#who-role")).to_have_text("reviewer")
        expect(nav(page).get_by_role("link")).to_have_text(
            ["Overview", "Positions", "Requests"]
        )  # no users, audit or webhooks
        expect(page.get_by_role("heading", name="Positions", exact=True)).to_be_visible()  # where a reviewer lands
        expect(page.locator("#positions-rows tr")).to_have_count(1)
        expect(page.locator("#positions-rows")).not_to_contain_text("Data Analyst")
        expect(page.get_by_role("button", name="New position")).to_be_hidden()
        for hidden in ("users", "audit", "webhooks", "fairness", "shadow"):  # asked for by address: the positions
            page.goto(f"/dashboard#/{hidden}")
            expect(page.locator(f"#view-{hidden}")).to_be_hidden()
            expect(page.locator("#view-positions")).to_be_visible()
        expect(page.locator("#message")).to_be_hidden()  # no errors shown for what a reviewer may not read

        # the overview of their one position: its statistics, analyses and interviews, nothing of the staff's
        staff_only = []
        page.on("request", lambda r: staff_only.append(r.url) if any(
            part in r.url for part in ("/analysis/calibration", "/api/sheets/", "/analysis/job-description-skills")
        ) else None)  # fmt: skip
        with api(stack, people["recruiter"]) as rita:
            stats = rita.get("/api/data/statistics", params={"position_id": position_id}).json()
            top = rita.get("/api/data/analysis/top-performers", params={"position_id": position_id}).json()
        nav(page).get_by_role("link", name="Overview").click()
        overview = page.locator("#view-overview")
        expect(overview.get_by_label("Position")).to_have_value(position_id)
        expect(overview.get_by_label("Position").locator("option")).to_have_text([TITLE])  # no "all positions"
        expect(page.locator("#stat-interviews")).to_have_text(str(stats["total_interviews"]))
        expect(page.locator("#stat-average")).to_have_text(f"{stats['average_score']:.2f}")
        expect(page.locator("#rows tr")).to_have_count(stats["total_interviews"])
        expect(page.locator("#chart-top")).to_contain_text(top["top_performers"][0]["candidate_name"])
        for heading in (
            "Calibration: the AI's scores against people's",
            "Question quality",
            "Downloads and Google Sheets",
        ):
            expect(overview.get_by_role("heading", name=heading)).to_be_hidden()
        expect(page.locator("#message")).to_be_hidden()
        assert staff_only == []
        nav(page).get_by_role("link", name="Positions").click()
        expect(page.locator("#find-candidate-hint")).to_have_text("across your positions' invitations")  # not all
        page.get_by_role("link", name=TITLE).click()
        expect(candidate_rows(page)).to_have_count(4)
        expect(page.locator("#invite")).to_be_hidden()
        expect(page.get_by_role("button", name="Edit settings")).to_have_count(0)
        expect(page.get_by_role("button", name="Revoke")).to_have_count(0)

        top = candidate_rows(page).first
        name = top.get_by_role("rowheader").inner_text()
        top.get_by_role("link", name=name).click()
        detail = page.locator("#detail")
        expect(detail).to_contain_text("Transcript")
        # Rita's verdict is listed; Reva records her own beside it (found by a recruiter's test: the latest
        # verdict replaced everyone else's), and what Rita changed after this page opened shows once Reva saves
        team = page.get_by_role("list", name="The team's verdicts")
        expect(team.get_by_role("listitem")).to_have_count(1)
        expect(team).to_contain_text("maybe Rita Recruiter")
        verdict = page.get_by_role("form", name="Your verdict on this interview")
        expect(verdict.get_by_label("Your verdict")).to_have_value("")  # Reva has none yet: Rita's is not hers
        expect(verdict.get_by_label("Note (optional)")).to_have_value("")
        expect(verdict.locator(".saved")).to_have_text("You have not recorded a verdict yet.")
        session_id = next(
            c["session_id"] for c in journey_candidates(stack, people, position_id) if c["candidate_name"] == name
        )
        with api(stack, people["recruiter"]) as rita:
            changed = rita.post(
                f"/api/data/interview/{session_id}/review", json={"verdict": "yes", "note": "On reflection."}
            )
            assert changed.status_code == 200, changed.text
        verdict.get_by_label("Your verdict").select_option("no")
        verdict.get_by_label("Note (optional)").fill("Too little depth on PostgreSQL.")
        verdict.get_by_role("button", name="Save verdict").click()
        expect(verdict.locator(".saved")).to_contain_text("Reviewed: no by Reva Reviewer")
        expect(team.get_by_role("listitem")).to_have_count(2)
        expect(team.get_by_role("listitem").nth(0)).to_contain_text("yes Rita Recruiter")
        expect(team.get_by_role("listitem").nth(0)).to_contain_text("“On reflection.”")
        expect(team.get_by_role("listitem").nth(1)).to_contain_text("no Reva Reviewer (you)")
        review = page.get_by_role("form", name="Your review of answer 1")
        review.get_by_label("Your score (0–10)").fill("3")
        review.get_by_label("Note (optional)").fill("The incident story lacks a follow-up.")
        calibration = []
        page.on("request", lambda r: calibration.append(r.url) if "/analysis/calibration" in r.url else None)
        review.get_by_role("button", name="Save review").click()
        expect(review.locator(".saved")).to_contain_text("Reviewed: 3/10 by Reva Reviewer")
        assert calibration == []  # a reviewer may not read it: not asked for after their review
        screenshot(page, "39-reviewer-review")
        page.locator("#detail").get_by_role("button", name="Close").click()
        nav(page).get_by_role("link", name="Positions").click()  # found by a recruiter's test: the search showed one
        search = page.get_by_role("search", name="Find an invited candidate")
        search.get_by_label("Find a candidate").fill(name)
        search.get_by_role("button", name="Find").click()
        found = page.locator("#found-rows tr", has_text=name)
        expect(found.locator(".team-verdict")).to_have_text(["yes Rita Recruiter", "no Reva Reviewer"])
        assert_modules_only(page)
    session_id = next(
        c["session_id"] for c in journey_candidates(stack, people, position_id) if c["candidate_name"] == name
    )
    journey["reviewed_session"] = session_id
    with api(stack, ADMIN) as admin:
        stored = admin.get(f"/api/data/interview/{session_id}").json()
    assert stored["questions_and_answers"][0]["human_score"] == 3
    assert stored["questions_and_answers"][0]["reviewed_by"] == "Reva Reviewer"
    assert [(v["reviewer"], v["verdict"]) for v in stored["human_verdicts"]] == [
        ("Rita Recruiter", "yes"), ("Reva Reviewer", "no")
    ]  # fmt: skip


def journey_candidates(stack, people, position_id: str) -> list[dict]:
    with api(stack, people["recruiter"]) as rita:
        return rita.get(f"/api/positions/{position_id}/candidates").json()["candidates"]


def test_the_admins_audit_log_shows_sign_ins_the_position_the_invitations_and_the_reviewers_work(
    browser, stack, people, journey
):
    position_id, session_id = journey["position_id"], journey["reviewed_session"]
    with api(stack, ADMIN) as admin:
        reviewer_id = next(
            u["user_id"] for u in admin.get("/api/users").json()["users"] if u["name"] == "Reva Reviewer"
        )
    with browsing(browser, stack) as page:
        sign_in(page, ADMIN, ADMIN_NAME, "/dashboard#/audit")
        expect(nav(page).get_by_role("link", name="Audit log")).to_have_attribute("aria-current", "page")
        rows = page.locator("#audit-rows tr")
        expect(rows.first).to_contain_text("sign in")  # newest first: this very sign-in
        recorded = {f"{a} {s}" if a == "export" else a for a in AUDITED.values() for s in get_args(DataSet)}
        assert recorded <= set(page.get_by_label("Action").locator("option").all_inner_texts())  # every one
        expect(rows.first).to_contain_text(ADMIN_NAME)

        page.get_by_label("Who").select_option(label="Rita Recruiter (recruiter)")
        page.get_by_role("button", name="Filter the log").click()
        for action in ("sign in", "create position", "invite candidates", "revoke invitation", "read candidates"):
            expect(page.locator(f"#audit-rows tr[data-action='{action}']").first).to_be_visible()
        expect(page.locator("#audit-rows tr[data-action='invite candidates']").first).to_contain_text(position_id)
        # the position made in the browser (two refusals first: the API's 422s) and the one made through the API;
        # the log names no target for a creation: the id is made by the request
        page.get_by_label("Action").select_option("create position")  # her reads fill more than a page
        page.get_by_role("button", name="Filter the log").click()
        expect(page.locator("#audit-rows tr[data-action='create position']")).to_have_count(4)
        expect(page.locator("#audit-rows tr.refused[data-action='create position']")).to_have_count(2)
        page.get_by_label("Action").select_option("")

        page.get_by_label("Who").select_option(reviewer_id)
        page.get_by_role("button", name="Filter the log").click()
        expect(page.locator("#audit-rows tr[data-action='sign in']")).to_have_count(1)
        read = page.locator("#audit-rows tr[data-action='read interview']").first
        expect(read).to_contain_text("Reva Reviewer")
        expect(read).to_contain_text(session_id)
        expect(page.locator("#audit-rows tr[data-action='review answer']")).to_contain_text(session_id)
        screenshot(page, "40-audit")

        page.get_by_label("Who").select_option("")
        page.get_by_label("Action").select_option("invite candidates")
        page.get_by_role("button", name="Filter the log").click()
        expect(rows).to_have_count(3)  # the CSV's three; Dennis Ritchie refused (his e-mail), then invited
        expect(page.locator("#audit-rows tr.refused")).to_contain_text("422 refused")
        expect(page.locator("#audit-pages-status")).to_have_text("1–3 of 3")
        page.get_by_label("Action").select_option("")
        page.get_by_role("button", name="Filter the log").click()
        page.get_by_role("button", name=f"Show only entries about {session_id}").first.click()
        expect(page.get_by_label("Target (an id)")).to_have_value(session_id)
        expect(page.locator("#audit-rows tr[data-action='review answer']")).to_have_count(1)

        page.get_by_label("Target (an id)").fill("")
        page.get_by_label("Action").select_option("register webhook")
        page.get_by_role("button", name="Filter the log").click()
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text(ADMIN_NAME)
        assert_modules_only(page)


def test_the_admin_follows_the_deliveries_to_the_ats(browser, stack, ats, journey):
    with browsing(browser, stack) as page:
        sign_in(page, ADMIN, ADMIN_NAME, "/dashboard#/webhooks")
        row = page.locator("#webhook-rows tr", has_text=ats.url)
        expect(row).to_contain_text("3 delivered · 0 pending · 0 failed")
        row.get_by_role("button", name="Deliveries").click()
        deliveries = page.locator("#deliveries")
        expect(deliveries).to_be_focused()
        expect(deliveries.locator("tr[data-delivery]")).to_have_count(3)
        for session_id in journey["reported"]:
            delivery = deliveries.locator("tr[data-delivery]", has_text=session_id)
            expect(delivery.locator("li")).to_have_count(2)
            expect(delivery.locator("li").first).to_contain_text(re.compile(r"Attempt 1 · .* · HTTP 500 · failed"))
            expect(delivery.locator("li").last).to_contain_text(re.compile(r"Attempt 2 · .* · HTTP 200 · delivered"))
        screenshot(page, "41-webhook-deliveries")
        row.get_by_role("button", name="Remove").click()
        expect(page.locator("#webhooks-status")).to_contain_text("is removed")
        expect(row).to_contain_text("removed")
        expect(row.get_by_role("button", name="Remove")).to_be_disabled()
        assert_modules_only(page)


def test_invitations_are_sent_one_batch_at_a_time_kept_and_downloaded_safe_for_spreadsheets(browser, stack, people):
    other = people["other_position"]
    with browsing(browser, stack) as page:
        sign_in(page, people["recruiter"], "Rita Recruiter", f"/dashboard#/positions/{other}")
        expect(page.get_by_role("heading", name="Data Analyst")).to_be_visible()
        held = []  # the typed rows' POST, held until both forms are seen waiting for it
        sending = f"**/api/positions/{other}/invitations"
        page.route(sending, lambda route: held.append(route) if route.request.method == "POST" else route.continue_())
        invite = page.get_by_role("form", name="Type them in")
        invite.get_by_label("Name of candidate 1").fill('=HYPERLINK("http://example.com","click")')
        invite.get_by_label("E-mail of candidate 1").fill("eve@example.com")
        invite.get_by_role("button", name="Add a candidate").click()
        invite.get_by_label("Name of candidate 2").fill("@SUM(A1)")
        invite.get_by_label("E-mail of candidate 2").fill("+44@example.com")
        invite.get_by_role("button", name="Create the links").click()
        wait_for_held(page, held, 1)
        buttons = ("Create the links", "Upload and create the links", "Add a candidate")
        for name in buttons:
            expect(page.get_by_role("button", name=name, exact=True)).to_be_disabled()
        expect(page.get_by_label("CSV file of candidates")).to_be_disabled()
        with page.expect_response(lambda r: r.url.endswith("/candidates")):  # the position shown again
            page.get_by_role("button", name="Refresh").click()
        for name in buttons:
            expect(page.get_by_role("button", name=name, exact=True)).to_be_disabled()
        held[0].continue_()
        page.unroute(sending)
        batches = page.locator("#invite-result .invitation-links")
        expect(batches).to_have_count(1)
        expect(batches.first).to_contain_text("2 invitation links created for Data Analyst")
        for name in buttons:
            expect(page.get_by_role("button", name=name, exact=True)).to_be_enabled()

        page.get_by_label("CSV file of candidates").set_input_files(
            {"name": "more.csv", "mimeType": "text/csv", "buffer": b"name,email\nEdsger Dijkstra,edsger@example.com\n"}
        )
        page.get_by_role("button", name="Upload and create the links").click()
        expect(batches).to_have_count(2)  # the typed rows' links are still there, under the new one
        expect(batches.first).to_contain_text("1 invitation link created")
        typed = batches.last
        expect(typed.locator("input.secret-value")).to_have_count(2)
        expect(typed).to_contain_text("these links are shown only now")

        with page.expect_download() as download:
            typed.get_by_role("button", name="Download the links (CSV)").click()
        assert download.value.suggested_filename == "invitation-links-data-analyst.csv"  # named after the position
        lines = Path(download.value.path()).read_text().splitlines()
        assert lines[0] == "position,candidate_name,email,url,expires_at"
        assert all(line.startswith("Data Analyst,") for line in lines[1:]), lines
        cells = sorted(line.split(",http")[0].removeprefix("Data Analyst,") for line in lines[1:])  # formulas as text
        assert cells == ["\"'=HYPERLINK(\"\"http://example.com\"\",\"\"click\"\")\",eve@example.com",
                         "'@SUM(A1),'+44@example.com"], cells  # fmt: skip
        batches.first.get_by_role("button", name="I have copied it: hide this").click()
        expect(batches).to_have_count(1)
        expect(batches.first).to_contain_text("2 invitation links created")
