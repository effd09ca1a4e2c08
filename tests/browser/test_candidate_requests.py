"""A candidate's questions about their result, in Chromium against the five services (docs/fairness.md): a
candidate finishes an interview with one vague answer, reloads and still has the finished interview, says the
vague answer is not what they said and asks for a human review; the admin finds the interview in the requests
list, upholds the correction and declines the review, and sees the new score arrive; the candidate, back on
their page, reads both answers. Positions that share only the scores, or nothing, show their candidates that
much and how they were assessed. The tests run in order: each goes on from where the one before left off."""

import re
import shutil
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_modules_only, screenshot
from tests.browser.test_candidate import SPEECH_RECOGNITION, answer_current, every_control_is_labelled, fill_start_form
from tests.browser.test_hiring import browsing, nav, sign_in
from tests.e2e.test_interview import ANSWERS, START

pytestmark = pytest.mark.e2e
ADMIN = "browser-requests-admin"
ADMIN_NAME = "administrator (ADMIN_TOKEN)"
STACK_ENV = {"ADMIN_TOKEN": ADMIN, "START_RATE_PER_MINUTE": "100000", "ANSWER_RATE_PER_MINUTE": "100000"}
CANDIDATE = "Rosa Requests"
VAGUE = ANSWERS[1]  # what the recognition heard
SAID = ANSWERS[2]  # what the candidate says they said: specific, measured
CARD = "Questions about your result?"
UPHELD_NOTE = "The recording agrees with you."
DECLINED_NOTE = "A person read every answer: the scores stand."
COMPLETE = "Your interview is complete. The hiring team will be in touch."
REVISED = "Your report was revised after your correction."
DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "candidate-requests.png"


@pytest.fixture(scope="module")
def journey() -> dict:
    """What each test leaves for the next: the candidate's browser storage, the interview."""
    return {}


def admin_client(stack) -> httpx.Client:
    return httpx.Client(base_url=stack.url(), timeout=60, headers={"Authorization": f"Bearer {ADMIN}"})


def score_text(score: float) -> str:
    """A score as the pages write it (JavaScript's numbers: 7, not 7.0)."""
    return f"{score:g}"


def expect_revised_report(page: Page, revision: dict, first_overall: float) -> None:
    """The candidate's page shows the report written again as the result, the first one folded under it."""
    expect(page.locator("#revised-note")).to_contain_text(REVISED)
    expect(page.locator("#overall")).to_have_text(f"{score_text(revision['overall_score'])}/10")
    expect(page.locator("#summary")).to_have_text(revision["summary"])
    expect(page.locator("#verdict")).to_have_text(f"Recommendation: {revision['hire_recommendation']}")
    first = page.locator("#first-report")
    expect(first.locator("summary")).to_have_text("The first report")
    expect(first).not_to_have_attribute("open", "")  # collapsed: the earlier version
    expect(first).to_contain_text(f"{score_text(first_overall)}/10")
    expect(page.locator("#answers .qa").nth(1)).to_contain_text(SAID)  # the corrected answer, scored again


def no_blanks(page: Page) -> None:
    text = page.locator("main").inner_text()
    assert "null" not in text and "undefined" not in text and "NaN" not in text, text


def test_a_candidate_comes_back_to_the_finished_interview_and_asks_about_it(browser, stack, journey):
    with browsing(browser, stack, width=390, height=844, is_mobile=True, has_touch=True) as page:
        page.add_init_script(SPEECH_RECOGNITION)
        fill_start_form(page, name=CANDIDATE, questions=2)
        page.get_by_role("button", name="Start the interview").click()
        answer_current(page, 1, ANSWERS[0])  # typed
        expect(page.locator("#q-number")).to_have_text("2")
        page.get_by_role("button", name="Answer by voice").click()  # dictated: its transcript may be contested
        page.evaluate(f"window.recognitions.at(-1).say({VAGUE!r})")
        expect(page.get_by_label("Your answer")).to_have_value(VAGUE)
        page.get_by_role("button", name="Submit answer").click()
        expect(page.get_by_role("heading", name="Your interview report")).to_be_focused()
        assessed = page.get_by_role("region", name="How you were assessed")
        expect(assessed).to_contain_text("scored from 0 to 10")
        page.get_by_role("button", name="No thanks").click()  # the optional form, declined once for good

        page.reload()  # a finished interview stays on the page until the candidate starts a new one
        expect(page.get_by_role("heading", name="Your interview report")).to_be_visible()
        expect(page.locator("#start-screen")).to_be_hidden()
        expect(page.locator("#answers .qa")).to_have_count(2)
        expect(assessed).to_be_visible()
        expect(page.get_by_role("region", name="Optional: help us check our interviews are fair")).to_be_hidden()
        card = page.get_by_role("region", name=CARD)
        expect(card).to_contain_text("None yet.")

        expect(card.locator("li", has_text="Question 1:")).to_have_count(0)  # typed: no transcript to contest
        second = card.locator("li", has_text="Question 2:")
        second.get_by_role("button", name="That is not what I said").click()
        said = card.get_by_label("What you said (question 2)")
        expect(said).to_be_focused()
        expect(said).to_have_value(VAGUE)  # the transcript, to correct
        card.get_by_label("Note for the reviewer (optional)").fill("The recognition lost most of what I said.")
        card.get_by_role("button", name="Send").click()  # unchanged: the server says why, in place
        expect(card.get_by_role("alert")).to_contain_text("same as the transcript")
        said.fill(SAID)
        card.get_by_role("button", name="Send").click()
        expect(card.get_by_text("Your answer to question 2, corrected: Waiting for a reviewer")).to_be_visible()
        expect(page.locator("#requests-title")).to_be_focused()
        expect(second.get_by_role("button", name="Correction sent")).to_be_disabled()

        card.get_by_role("button", name="Ask a person to review my interview").click()
        note = card.get_by_label("What should the reviewer look at? (optional)")
        expect(note).to_be_focused()
        note.fill("Please have a person read my answers.")
        card.get_by_role("button", name="Send").click()
        expect(card.get_by_text("A person to review your interview: Waiting for a reviewer")).to_be_visible()
        expect(card.get_by_role("button", name="Check for answers")).to_be_visible()
        every_control_is_labelled(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        no_blanks(page)
        screenshot(page, "requests-1-asked")
        assert_modules_only(page)
        journey["storage"] = page.context.storage_state()
        journey["session_id"] = page.evaluate("JSON.parse(localStorage.getItem('interviewer.session')).session_id")


def test_the_admin_upholds_the_correction_and_declines_the_review(browser, stack, journey):
    assert "session_id" in journey, "the candidate's test asked first"
    with browsing(browser, stack) as page, browsing(browser, stack, storage_state=journey["storage"]) as candidate:
        candidate.goto("/")  # the candidate's page stays open while the admin answers
        expect(candidate.get_by_role("button", name="Check for answers")).to_be_visible()
        sign_in(page, ADMIN, ADMIN_NAME)
        nav(page).get_by_role("link", name="Requests").click()
        expect(page.get_by_role("heading", name="Candidate requests")).to_be_focused()
        row = page.locator("#request-rows tr", has_text=CANDIDATE)
        expect(row).to_contain_text("a corrected transcript")
        expect(row).to_contain_text("a human review")
        expect(row).to_contain_text("Open interview")
        row.get_by_role("link", name=CANDIDATE).click()

        requests = page.get_by_role("region", name=re.compile(r"The candidate's requests \(2 waiting\)"))
        correction = requests.locator(".candidate-request", has_text="Answer 2")
        expect(correction.locator(".corrected")).to_contain_text(f"As transcribed{VAGUE}")
        expect(correction.locator(".corrected")).to_contain_text(f"Candidate's correction{SAID}")
        screenshot(page, "requests-2-detail")
        correction.get_by_label("Note to the candidate (optional)").fill(UPHELD_NOTE)
        correction.get_by_role("button", name="Uphold").click()

        requests = page.get_by_role("region", name=re.compile(r"The candidate's requests \(1 waiting\)"))
        correction = requests.locator(".candidate-request", has_text="Answer 2")
        expect(correction).to_be_focused()
        expect(correction).to_contain_text(f"Upheld by {ADMIN_NAME}")
        expect(correction).to_contain_text(UPHELD_NOTE)
        answer = page.locator("#detail .qa", has_text="Q2.")
        expect(answer.locator(".corrected")).to_contain_text("Candidate's correction")
        expect(answer.locator(".rescored")).to_contain_text(re.compile(r"Re-scored: \d+/10"), timeout=20_000)
        outcome = page.locator("#detail-outcome")  # the report written again arrives without reopening the view
        expect(outcome.get_by_role("region", name="Outcome: the report written again")).to_be_visible(timeout=20_000)
        with admin_client(stack) as admin:
            interview = admin.get(f"/api/data/interview/{journey['session_id']}").json()
        revision = interview["report_revision"]
        assert revision["request_id"] == correction.get_attribute("id").removeprefix("request-")
        revised = outcome.get_by_role("region", name="Outcome: the report written again")
        expect(revised).to_contain_text(f"{revision['average_score']:.2f}/10 average")
        expect(revised).to_contain_text(f"{score_text(revision['overall_score'])}/10 overall")
        expect(revised).to_contain_text(revision["summary"])
        expect(revised).to_contain_text(revision["hire_recommendation"])
        first = outcome.get_by_role("region", name="The first report")
        expect(first).to_contain_text(f"{interview['average_score']:.2f}/10 average")
        expect(first).to_contain_text(f"{score_text(interview['overall_score'])}/10 overall")
        expect(first).to_contain_text("Report by offline")
        screenshot(page, "requests-2b-revised-outcome")

        candidate.get_by_role("button", name="Check for answers").click()  # no reload: the revised report shows
        expect_revised_report(candidate, revision, interview["overall_score"])
        expect(candidate.locator("#announcer")).to_have_text(REVISED)
        no_blanks(candidate)
        screenshot(candidate, "requests-2c-revised-report")
        journey["revision"], journey["first_overall"] = revision, interview["overall_score"]

        review = requests.locator(".candidate-request", has_text="A person to review")
        review.get_by_label("Note to the candidate (optional)").fill(DECLINED_NOTE)
        review.get_by_role("button", name="Decline").click()
        expect(page.get_by_role("region", name=re.compile(r"\(0 waiting\)"))).to_contain_text(DECLINED_NOTE)
        expect(page.locator("#request-rows tr", has_text=CANDIDATE)).to_have_count(0)
        expect(page.locator("#requests-status")).to_have_text("No requests are waiting.")
        screenshot(page, "requests-3-resolved")
        assert_modules_only(page)
    with admin_client(stack) as admin:
        rescored = admin.get(f"/api/data/interview/{journey['session_id']}").json()["questions_and_answers"][1]
        journey["rescored"] = rescored["rescored_score"]
        assert rescored["rescored_score"] > rescored["score"], rescored  # the specific answer scores better


def test_the_candidate_reads_the_answers_on_their_page(browser, stack, journey):
    assert "rescored" in journey, "the admin's test answered first"
    with browsing(browser, stack, storage_state=journey["storage"]) as page:
        page.goto("/")
        card = page.get_by_role("region", name=CARD)
        expect(card.locator("#request-list li", has_text="question 2")).to_have_text(
            f"Your answer to question 2, corrected: Upheld: {UPHELD_NOTE}; new score {journey['rescored']}"
        )
        expect(card.locator("#request-list li", has_text="A person")).to_have_text(
            f"A person to review your interview: Declined: {DECLINED_NOTE}"
        )
        expect(card.get_by_role("button", name="Check for answers")).to_be_hidden()  # nothing waits any more
        expect_revised_report(page, journey["revision"], journey["first_overall"])
        page.locator("#first-report summary").click()  # the first report, opened
        expect(page.locator("#first-report")).to_contain_text("Written before your correction was upheld.")
        no_blanks(page)
        shot = screenshot(page, "requests-4-answered")
        shutil.copyfile(shot, DOCS_SCREENSHOT)
        page.get_by_role("button", name="Start a new interview").click()  # and then it is forgotten
        page.reload()
        expect(page.get_by_role("button", name="Start the interview")).to_be_visible()


def invited(stack, shown: str) -> str:
    """An invitation to a one-position interview whose candidates see `shown` of their assessment."""
    position = {"title": f"Analyst ({shown})", "job_description": START["job_description"], "num_questions": 2,
                "candidate_report": shown}  # fmt: skip
    with admin_client(stack) as admin:
        created = admin.post("/api/positions", json=position)
        assert created.status_code == 201, created.text
        made = admin.post(f"/api/positions/{created.json()['position_id']}/invitations",
                          json={"candidates": [{"candidate_name": f"Sam {shown.title()}"}]})  # fmt: skip
        assert made.status_code in (200, 201), made.text
        return made.json()["invitations"][0]["token"]


def interviewed(page: Page, token: str) -> None:
    page.goto(f"/?invitation={token}")
    page.get_by_label("Years of experience").fill("3")
    page.get_by_label("I understand that an AI asks the questions and scores my answers.").check()
    page.get_by_role("button", name="Start the interview").click()
    answer_current(page, 1, ANSWERS[0])


def test_a_position_sharing_only_scores_shows_no_feedback(browser, stack):
    with browsing(browser, stack) as page:
        interviewed(page, invited(stack, "scores"))
        expect(page.locator("#feedback")).to_contain_text(re.compile(r"Question 1: \d+/10"))
        expect(page.locator("#feedback")).not_to_contain_text("Good:")
        answer_current(page, 2, ANSWERS[4])
        expect(page.get_by_role("heading", name="Your interview report")).to_be_visible()
        expect(page.locator("#overall")).to_have_text(re.compile(r"^\d+(\.\d+)?/10$"))
        expect(page.locator("#answers .score")).to_have_count(2)
        for hidden in ("Strengths", "Weaknesses", "Recommendations"):
            expect(page.get_by_role("heading", name=hidden, exact=True)).to_be_hidden()
        expect(page.locator("#verdict")).to_be_hidden()
        expect(page.locator("#answers")).not_to_contain_text("Good:")
        expect(page.get_by_role("region", name="How you were assessed")).to_contain_text("not the written feedback")
        no_blanks(page)
        screenshot(page, "requests-5-scores-only")


def test_a_position_sharing_nothing_says_the_interview_is_complete(browser, stack):
    with browsing(browser, stack) as page:
        interviewed(page, invited(stack, "nothing"))
        expect(page.locator("#feedback")).to_have_text("Your answer to question 1 is recorded.")
        expect(page.locator("#history-list")).not_to_contain_text("being scored")
        # an empty answer: the confirmation does not speak of scores either (declined here: the page's dialogs
        # are otherwise accepted by `browsing`)
        page.evaluate("window.confirm = (message) => { window.asked = message; return false; }")
        answer_current(page, 2, "")
        assert page.evaluate("window.asked") == "Submit an empty answer? It cannot be changed afterwards."
        expect(page.locator("#q-number")).to_have_text("2")  # not sent
        answer_current(page, 2, ANSWERS[4])
        expect(page.get_by_text(COMPLETE)).to_be_visible()
        expect(page.get_by_role("heading", name="Your interview report")).to_have_count(0)
        expect(page.locator("#report-screen .score:visible")).to_have_count(0)
        expect(page.locator("#report-screen")).not_to_contain_text("/10")
        expect(page.get_by_role("region", name="How you were assessed")).to_contain_text("does not share scores")
        expect(page.get_by_role("region", name=CARD)).to_be_visible()
        no_blanks(page)
        screenshot(page, "requests-6-nothing-shared")
        page.reload()  # still the completion message, not the report nor the start form
        expect(page.get_by_text(COMPLETE)).to_be_visible()
        expect(page.get_by_role("button", name="Start a new interview")).to_be_hidden()  # the link's page
