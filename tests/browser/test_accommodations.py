"""Accommodations in Chromium against the five services (docs/fairness.md): the admin sets a position's time per
answer in the dashboard and invites a candidate with typed answers and extra time; that candidate's page has no
voice controls and counts down their own time; an answer whose time runs out is sent as it was; a spoken
answer is either left to be checked or sent when the candidate stops speaking; the detail view says what the
candidate had. The tests run in order: each goes on from where the one before left off."""

import json
import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_modules_only, screenshot
from tests.browser.test_candidate import SPEECH_RECOGNITION, answer_current, every_control_is_labelled, fill_start_form
from tests.browser.test_hiring import browsing, link_path, nav, sign_in
from tests.e2e.conftest import eventually
from tests.e2e.test_interview import ANSWERS, START

pytestmark = pytest.mark.e2e
ADMIN = "browser-accommodations-admin"
ADMIN_NAME = "administrator (ADMIN_TOKEN)"
STACK_ENV = {"ADMIN_TOKEN": ADMIN, "START_RATE_PER_MINUTE": "100000", "ANSWER_RATE_PER_MINUTE": "100000"}
TITLE = "Support Engineer (timed)"
CANDIDATE = "Tess Typed"
CONSENT = "I understand that an AI asks the questions and scores my answers."
DEFAULT = {"text_only": False, "extra_time": 1.0, "confirm_transcript": True}
TYPED = "Typed answers, as arranged with the hiring team."
CONFIRM = "Candidates confirm the transcript of spoken answers before they are sent"
TIME_UP = "Time was up: your answer was sent as it was."
PARTIAL = "I would start by reading the logs and"


@pytest.fixture(scope="module")
def journey() -> dict:
    """What each test leaves for the next: the position, the link, the interview."""
    return {}


def admin_client(stack) -> httpx.Client:
    return httpx.Client(base_url=stack.url(), timeout=60, headers={"Authorization": f"Bearer {ADMIN}"})


def invitation(stack, position: dict, name: str) -> tuple[str, str]:
    """A position made through the API and one invitation to it: (position id, the link's token)."""
    with admin_client(stack) as admin:
        created = admin.post("/api/positions", json={"job_description": START["job_description"]} | position)
        assert created.status_code == 201, created.text
        position_id = created.json()["position_id"]
        made = admin.post(f"/api/positions/{position_id}/invitations", json={"candidates": [{"candidate_name": name}]})
        assert made.status_code == 201, made.text
        return position_id, made.json()["invitations"][0]["token"]


def start_invited(page: Page, path: str) -> None:
    page.goto(path)
    page.get_by_label("Years of experience").fill("3")
    page.get_by_label(CONSENT).check()
    page.get_by_role("button", name="Start the interview").click()
    expect(page.locator("#q-number")).to_have_text("1")


def test_the_admin_sets_a_time_per_answer_and_invites_a_candidate_with_their_own(browser, stack, journey):
    with browsing(browser, stack) as page:
        sign_in(page, ADMIN, ADMIN_NAME)
        nav(page).get_by_role("link", name="Positions").click()
        page.get_by_role("button", name="New position").click()
        form = page.get_by_role("form", name="New position")
        form.get_by_label("Title").fill(TITLE)
        form.get_by_label("Job description").fill(START["job_description"])
        form.get_by_label("Number of questions").fill("1")
        expect(form.get_by_label("Time per answer")).to_have_value("0")  # untimed unless chosen
        form.get_by_label("Time per answer").select_option(label="1 minute")
        expect(form.get_by_label("Typed answers only (no voice)")).not_to_be_checked()
        expect(form.get_by_label("Extra time")).to_have_value("1")
        expect(form.get_by_label(CONFIRM)).to_be_checked()
        screenshot(page, "accommodations-0-position-form")
        with page.expect_request(lambda r: r.url.endswith("/api/positions") and r.method == "POST") as created:
            form.get_by_role("button", name="Create the position").click()
        sent = created.value.post_data_json
        assert (sent["answer_time_limit_seconds"], sent["accommodations"]) == (60, DEFAULT)
        expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
        position_id = journey["position_id"] = page.url.rsplit("/", 1)[-1]
        expect(page.locator("#position-summary")).to_contain_text("Time per answer1 minute")
        # the ticked transcript box is the standard, said as such (found by a newcomer: "none" beside it)
        expect(page.locator("#position-summary")).to_contain_text(
            "Accommodationsnone: voice or typing, no extra time, spoken answers confirmed before they are sent"
        )

        invite = page.get_by_role("form", name="Type them in")
        expect(invite.get_by_role("group", name="Accommodations for these candidates (optional)")).to_be_visible()
        invite.get_by_label("Name of candidate 1").fill(CANDIDATE)
        invite.get_by_label("Typed answers only (no voice)").check()
        invite.get_by_label("Extra time").select_option(label="+50%")
        invite.get_by_role("button", name="Create the links").click()
        links = page.locator("#invite-result .invitation-links")
        expect(links).to_contain_text("1 invitation link created")
        journey["link"] = link_path(links.locator("input.secret-value").input_value())
        row = page.locator("#candidate-rows tr", has_text=CANDIDATE)
        expect(row).to_contain_text("Accommodations: typed only · +50% time")
        screenshot(page, "accommodations-1-position-and-invitation")
        assert_modules_only(page)
        every_control_is_labelled(page)

    with admin_client(stack) as admin:
        position = admin.get(f"/api/positions/{position_id}").json()
        assert (position["answer_time_limit_seconds"], position["accommodations"]) == (60, DEFAULT)
        listed = admin.get(f"/api/positions/{position_id}/invitations").json()["invitations"]
        assert [i["accommodations"] for i in listed] == [DEFAULT | {"text_only": True, "extra_time": 1.5}]


def test_the_candidate_types_their_answer_with_their_own_time(browser, stack, journey):
    assert "link" in journey, "the admin's test made the link"
    with browsing(browser, stack, width=390, height=844, is_mobile=True, has_touch=True) as page:
        page.goto(journey["link"])  # told before the start: typed answers, and the time each has
        expect(page.locator("#invitation-intro")).to_have_text(
            f"Welcome, {CANDIDATE}. You are invited to an interview for this position: 1 question, answered by typing, "
            "as arranged with the hiring team. You have 1 minute 30 seconds for each answer. When the time is up, "
            "your answer is sent as it is."
        )
        start_invited(page, journey["link"])
        expect(page.locator("#countdown-time")).to_have_text(re.compile(r"^1:(30|29)$"))  # 60 s and half as much again
        expect(page.locator("#countdown-time")).to_have_attribute("role", "timer")
        expect(page.locator("#pace-note")).to_have_text(f"{TYPED} You have 1 minute 30 seconds for each answer.")
        for control in ("Read the question aloud", "Answer by voice"):
            expect(page.get_by_role("button", name=control)).to_have_count(0)
        expect(page.locator("#answer-hint")).not_to_contain_text("microphone")
        expect(page.locator("#time-announcer")).to_have_text("")  # not every second: at 60, 30 and 10 s left
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, "accommodations-2-typed-and-timed-on-a-phone")
        journey["session_id"] = page.evaluate("JSON.parse(localStorage.getItem('interviewer.session')).session_id")
        page.get_by_label("Your answer").fill("Half typed")
        page.wait_for_timeout(3100)
        page.reload()  # the time left goes on from when the question was asked: a reload gives no more
        expect(page.locator("#countdown-time")).to_have_text(re.compile(r"^1:(2[0-7])$"))
        expect(page.locator("#pace-note")).to_contain_text(TYPED)
        expect(page.get_by_role("button", name="Answer by voice")).to_have_count(0)
        answer_current(page, 1, ANSWERS[0])
        expect(page.get_by_role("heading", name="Your interview report")).to_be_visible()
        expect(page.locator("#sent-note")).to_be_hidden()


def test_an_answer_whose_time_runs_out_is_sent_as_it_was(browser, stack):
    _, token = invitation(stack, {"title": "Support Engineer (30 s)", "num_questions": 2,
                                  "answer_time_limit_seconds": 30}, "Tim Timeout")  # fmt: skip
    with browsing(browser, stack) as page:
        page.goto(f"/?invitation={token}")
        expect(page.locator("#invitation-intro")).to_contain_text(
            "2 questions, answered by typing or speaking. You have 30 seconds for each answer."
        )
        start_invited(page, f"/?invitation={token}")
        expect(page.locator("#pace-note")).to_have_text("You have 30 seconds for each answer.")
        expect(page.get_by_role("button", name="Answer by voice")).to_be_visible()
        page.get_by_label("Your answer").fill(PARTIAL)
        expect(page.locator("#time-announcer")).to_have_text("10 seconds left for this answer.", timeout=25_000)
        expect(page.locator("#sent-note")).to_have_text(TIME_UP, timeout=15_000)
        expect(page.locator("#q-number")).to_have_text("2")
        expect(page.locator("#countdown-time")).to_have_text(re.compile(r"^0:(30|29|28)$"))  # the next one's, afresh
        screenshot(page, "accommodations-3-time-was-up")
        session_id = page.evaluate("JSON.parse(localStorage.getItem('interviewer.session')).session_id")
    with admin_client(stack) as admin:
        recorded = eventually(lambda: admin.get(f"/api/data/interview/{session_id}").json(),
                              lambda i: len(i.get("questions_and_answers", [])) == 1)  # fmt: skip
    assert recorded["questions_and_answers"][0]["answer"] == PARTIAL
    assert (recorded["seconds_per_answer"], recorded["accommodations"]) == (30, DEFAULT)


def test_a_spoken_answer_is_checked_first_or_sent_when_the_candidate_stops(browser, stack):
    with browsing(browser, stack) as page:  # the default: what was heard waits in the box to be corrected
        page.add_init_script(SPEECH_RECOGNITION)
        fill_start_form(page, name="Carla Checks", questions=1)
        page.get_by_role("button", name="Start the interview").click()
        page.get_by_role("button", name="Answer by voice").click()
        page.evaluate("window.recognitions[0].say('I built a Django API')")
        expect(page.locator("#transcript-hint")).to_have_text("Check what we heard and correct it before you send.")
        page.get_by_role("button", name="Stop listening").click()
        expect(page.get_by_role("button", name="Answer by voice")).to_have_attribute("aria-pressed", "false")
        expect(page.get_by_label("Your answer")).to_have_value("I built a Django API")
        expect(page.locator("#q-number")).to_have_text("1")  # not sent
        assert page.locator("#history-list li").count() == 0

    _, token = invitation(stack, {"title": "Support Engineer (spoken)", "num_questions": 2,
                                  "accommodations": {"confirm_transcript": False}}, "Sol Spoken")  # fmt: skip
    with browsing(browser, stack) as page:
        page.add_init_script(SPEECH_RECOGNITION)
        start_invited(page, f"/?invitation={token}")
        expect(page.locator("#countdown")).to_be_hidden()  # untimed
        with page.expect_request(lambda r: r.url.endswith("/api/submit-answer")) as submitted:
            page.get_by_role("button", name="Answer by voice").click()
            page.evaluate("window.recognitions[0].say('I would page the on-call engineer')")
            expect(page.locator("#transcript-hint")).to_have_text("")
            page.get_by_role("button", name="Stop listening").click()
        assert json.loads(submitted.value.post_data or "{}")["answer"] == "I would page the on-call engineer"
        expect(page.locator("#sent-note")).to_have_text("Your spoken answer was sent when you stopped speaking.")
        expect(page.locator("#q-number")).to_have_text("2")
        screenshot(page, "accommodations-4-sent-when-stopped-speaking")


def test_the_detail_view_says_what_the_candidate_had_and_an_edit_sends_only_the_change(browser, stack, journey):
    assert "session_id" in journey, "the candidate's test made the interview"
    with browsing(browser, stack) as page:
        sign_in(page, ADMIN, ADMIN_NAME, f"/dashboard#{journey['session_id']}")
        pace = page.locator("#detail-pace")
        expect(pace).to_have_text(
            "Time per answer: 1 minute 30 seconds (extra time included) · Accommodations: typed only · +50% time"
        )
        screenshot(page, "accommodations-5-detail")

        page.goto(f"/dashboard#/positions/{journey['position_id']}")
        expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
        page.get_by_role("button", name="Edit settings").click()
        form = page.get_by_role("form", name="Edit the settings")
        expect(form.get_by_label("Time per answer")).to_have_value("60")
        form.get_by_label("Time per answer").select_option(label="2 minutes")
        form.get_by_label(CONFIRM).uncheck()
        with page.expect_request(lambda r: r.method == "PATCH") as patched:
            form.get_by_role("button", name="Save the settings").click()
        assert patched.value.post_data_json == {"answer_time_limit_seconds": 120,
                                                "accommodations": DEFAULT | {"confirm_transcript": False}}  # fmt: skip
        expect(page.locator("#position-summary")).to_contain_text("Time per answer2 minutes")
        expect(page.locator("#position-summary")).to_contain_text("spoken answers sent unconfirmed")
        # the invitation form starts from the position's new defaults
        expect(page.get_by_role("form", name="Type them in").get_by_label(CONFIRM)).not_to_be_checked()
