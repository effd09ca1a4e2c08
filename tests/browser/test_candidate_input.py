"""What a candidate gives the page reaches the interview whole, in Chromium against the five services: an
invited candidate's years of experience (asked, checked, recorded), and an answer near or over the API's
10,000 characters (counted, refused with a message while over, typed or dictated; cut only when the time for
it runs out, and then said)."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_candidate import SPEECH_RECOGNITION, fill_start_form
from tests.browser.test_hiring import browsing
from tests.e2e.conftest import eventually
from tests.e2e.test_interview import ANSWERS, START

pytestmark = pytest.mark.e2e
ADMIN = "browser-candidate-input-admin"
STACK_ENV = {"ADMIN_TOKEN": ADMIN, "START_RATE_PER_MINUTE": "100000", "ANSWER_RATE_PER_MINUTE": "100000"}
CONSENT = "I understand that an AI asks the questions and scores my answers."
EXPERIENCE_ERROR = "Enter whole years between 0 and 60."
SAVED_SESSION = "JSON.parse(localStorage.getItem('interviewer.session'))"


def admin_get(page: Page, path: str) -> dict:
    """What the read API says, or {} while it does not have it yet (a 404 until persistence has the interview)."""
    response = page.request.get(path, headers={"Authorization": f"Bearer {ADMIN}"})
    assert response.ok or response.status == 404, response.text()
    return response.json() if response.ok else {}


def invitation(page: Page, name: str, **settings) -> str:
    """A one-question position (with `settings`) and one invitation to it (naming `name`): the link's path."""
    headers = {"Authorization": f"Bearer {ADMIN}"}
    position = {"title": "Platform Engineer", "job_description": START["job_description"], "num_questions": 1}
    position |= settings
    created = page.request.post("/api/positions", data=position, headers=headers)
    assert created.status == 201, created.text()
    made = page.request.post(f"/api/positions/{created.json()['position_id']}/invitations", headers=headers,
                             data={"candidates": [{"candidate_name": name}]})  # fmt: skip
    assert made.status == 201, made.text()
    return made.json()["invitations"][0]["path"]


def long_text(length: int) -> str:
    """An answer of `length` characters (code points, as the API counts), ending with emoji: two UTF-16 units each."""
    words = (ANSWERS[0] + " ") * (length // len(ANSWERS[0]) + 1)
    return words[: length - 5] + "🚀" * 5


def test_an_invited_candidate_gives_their_years_of_experience_and_the_interview_records_them(browser, stack):
    with browsing(browser, stack, width=390, height=844, is_mobile=True, has_touch=True) as page:
        page.goto(invitation(page, "Erin Experienced"))
        starts = []
        page.on("request", lambda r: starts.append(r) if r.url.endswith("/api/start-interview") else None)
        experience = page.get_by_label("Years of experience")
        expect(experience).to_be_visible()
        expect(experience).to_have_value("")  # asked, not assumed
        for field in ("Your name", "Job description", "Difficulty", "Number of questions"):
            expect(page.get_by_label(field)).to_have_count(0)  # named by the invitation; the position decides
        page.get_by_label(CONSENT).check()
        page.get_by_role("button", name="Start the interview").click()
        expect(page.locator("#experience-error")).to_have_text(EXPERIENCE_ERROR)
        expect(experience).to_have_attribute("aria-invalid", "true")
        expect(experience).to_be_focused()
        experience.fill("61")
        page.get_by_role("button", name="Start the interview").click()
        expect(page.locator("#experience-error")).to_have_text(EXPERIENCE_ERROR)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the error fits a phone
        screenshot(page, "candidate-input-1-invited-experience-error")
        assert starts == []  # nothing sent while the experience is wrong

        experience.fill("7")
        expect(page.locator("#experience-error")).to_be_hidden()
        expect(experience).to_have_attribute("aria-invalid", "false")
        page.get_by_role("button", name="Start the interview").click()
        expect(page.locator("#question")).not_to_be_empty()
        assert len(starts) == 1 and starts[0].post_data_json["experience_years"] == 7
        session_id = page.evaluate(SAVED_SESSION)["session_id"]
        recorded = eventually(lambda: admin_get(page, f"/api/data/interview/{session_id}"),
                              lambda interview: "candidate_experience" in interview)  # fmt: skip
        assert recorded["candidate_experience"] == 7


def test_an_answer_over_the_limit_is_said_kept_and_not_sent_until_it_fits(browser, stack):
    with browsing(browser, stack, width=390, height=844, is_mobile=True, has_touch=True) as page:
        fill_start_form(page, name="Lena Longanswer", questions=1)
        page.get_by_role("button", name="Start the interview").click()
        expect(page.locator("#question")).not_to_be_empty()
        answers = []
        page.on("request", lambda r: answers.append(r) if r.url.endswith("/api/submit-answer") else None)
        box = page.get_by_label("Your answer")
        counter, error = page.locator("#answer-length"), page.locator("#answer-error")

        box.fill(long_text(8_999))
        expect(counter).to_be_hidden()  # far from the limit: no count
        box.fill(long_text(9_500))
        expect(counter).to_have_text("9,500 of 10,000 characters")
        expect(error).to_be_hidden()

        too_long = long_text(12_000)
        box.fill("")
        box.focus()
        page.keyboard.insert_text(too_long)  # as a paste does
        expect(error).to_have_text("Your answer is 12,000 characters; the limit is 10,000. Please shorten it.")
        expect(box).to_have_attribute("aria-invalid", "true")
        assert "answer-error" in box.get_attribute("aria-describedby").split()
        expect(counter).to_be_hidden()  # the error says the count
        expect(box).to_have_value(too_long)  # nothing cut
        page.get_by_role("button", name="Submit answer").click()
        expect(box).to_be_focused()
        expect(error).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, "candidate-input-2-answer-over-the-limit")
        saved = page.evaluate(SAVED_SESSION)
        state = page.request.get(f"/api/interview/{saved['session_id']}",
                                 headers={"X-Candidate-Token": saved["candidate_token"]}).json()  # fmt: skip
        assert answers == [] and state["answers"] == [] and state["current_question"]["question_number"] == 1
        expect(box).to_have_value(too_long)

        fits = too_long[:9_995] + "🚀" * 5  # 10,000 characters; 10,005 UTF-16 units, as JavaScript counts them
        box.fill(fits)
        expect(error).to_be_hidden()
        expect(box).to_have_attribute("aria-invalid", "false")
        expect(counter).to_have_text("10,000 of 10,000 characters")
        page.get_by_role("button", name="Submit answer").click()
        expect(page.get_by_role("heading", name="Your interview report")).to_be_visible()
        assert len(answers) == 1 and answers[0].post_data_json["answer"] == fits
        recorded = eventually(lambda: admin_get(page, f"/api/data/interview/{saved['session_id']}"),
                              lambda interview: len(interview.get("questions_and_answers", [])) == 1)  # fmt: skip
        stored = recorded["questions_and_answers"][0]["answer"]
        assert len(stored) == 10_000 and stored == fits  # whole


def test_a_dictated_answer_that_goes_over_the_limit_is_said_and_not_sent(browser, stack):
    with browsing(browser, stack) as page:
        page.add_init_script(SPEECH_RECOGNITION)
        fill_start_form(page, name="Dana Dictates", questions=1)
        page.get_by_role("button", name="Start the interview").click()
        expect(page.locator("#question")).not_to_be_empty()
        answers = []
        page.on("request", lambda r: answers.append(r) if r.url.endswith("/api/submit-answer") else None)
        typed = long_text(9_990)
        page.get_by_label("Your answer").fill(typed)
        page.get_by_role("button", name="Answer by voice").click()
        page.evaluate("window.recognitions[0].say('I built a Django API')")  # appended: 10,011 characters
        expect(page.get_by_label("Your answer")).to_have_value(f"{typed} I built a Django API")
        expect(page.locator("#answer-error")).to_have_text(
            "Your answer is 10,011 characters; the limit is 10,000. Please shorten it."
        )
        page.get_by_role("button", name="Stop listening").click()
        page.get_by_role("button", name="Submit answer").click()
        expect(page.locator("#answer-error")).to_be_visible()
        expect(page.locator("#q-number")).to_have_text("1")
        assert answers == []


def test_an_answer_over_the_limit_when_the_time_runs_out_is_sent_cut_and_the_page_says_so(browser, stack):
    with browsing(browser, stack) as page:
        page.goto(invitation(page, "Tom Toolong", answer_time_limit_seconds=30))
        page.get_by_label("Years of experience").fill("4")
        page.get_by_label(CONSENT).check()
        page.get_by_role("button", name="Start the interview").click()
        expect(page.locator("#question")).not_to_be_empty()
        too_long = long_text(10_500)
        page.get_by_label("Your answer").fill(too_long)
        expect(page.locator("#answer-error")).to_contain_text("10,500 characters")
        expect(page.locator("#sent-note")).to_have_text(
            "Time was up: your answer was over the limit of 10,000 characters, so its first 10,000 were sent.",
            timeout=45_000,
        )
        session_id = page.evaluate(SAVED_SESSION)["session_id"]
        recorded = eventually(lambda: admin_get(page, f"/api/data/interview/{session_id}"),
                              lambda interview: len(interview.get("questions_and_answers", [])) == 1)  # fmt: skip
        assert recorded["questions_and_answers"][0]["answer"] == too_long[:10_000]
