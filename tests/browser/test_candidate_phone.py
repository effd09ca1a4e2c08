"""The candidate's page as a tester on a phone found it: the connection warning in sight where the candidate
taps, an answer sent again by itself when the network is back, a timed answer said "sent" only once it is,
the time left in sight while typing, an invitation link that never shows the open form first, the same link
in two tabs of one browser, ending early explained, an answer read-only while it is sent, 200% zoom, the
dashboard's bar values on one line, the next question in sight from its heading with a note pointing to the
score below, the wait for the first question said as such, and voice input refused said by its button."""

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from tests.browser.conftest import CHROMIUM, FLAGS, SCREENSHOTS, wait_for_held
from tests.browser.test_candidate import (
    SPEECH_RECOGNITION,
    answer_current,
    expect_banner_said,
    fill_form,
    record_banners,
)
from tests.browser.test_dashboard import interview
from tests.browser.test_hiring import browsing
from tests.e2e.test_interview import ANSWERS, START

pytestmark = pytest.mark.e2e
ADMIN = "browser-candidate-phone-admin"
STACK_ENV = {"ADMIN_TOKEN": ADMIN, "START_RATE_PER_MINUTE": "100000", "ANSWER_RATE_PER_MINUTE": "100000"}
CONSENT = "I understand that an AI asks the questions and scores my answers."
UNREACHABLE = "The server cannot be reached."
# what a phone's screen shows, for the question of what is in sight (its keyboard open: half of it)
IN_VIEW = """(selector) => {
  const box = document.querySelector(selector)?.getBoundingClientRect();
  return Boolean(box) && box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
}"""
TIME_LEFT_IN_VIEW = """() => [...document.querySelectorAll("main *")].some((node) => {
  const box = node.getBoundingClientRect();
  return node.checkVisibility() && /\\d:\\d\\d/.test(node.textContent) && box.height > 0 && box.height < 80
    && box.top >= 0 && box.bottom <= window.innerHeight;
})"""

# the lines each value is written on (a flex item's own box is one rectangle however many lines it holds)
LINES_OF_EACH = """(spans) => spans.map((span) => {
  const range = document.createRange();
  range.selectNodeContents(span);
  return [span.textContent, new Set([...range.getClientRects()].map((line) => Math.round(line.top))).size];
})"""


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:  # the phones' descriptions need the Playwright object
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is needed for the browser tests: apt-get install chromium (looked for {CHROMIUM})")
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
    yield browser
    browser.close()


@contextlib.contextmanager
def on_a_phone(playwright: Playwright, browser: Browser, stack, device: str = "Pixel 7", **options) -> Iterator[Page]:
    """A page in a context of its own, as `device` shows it (`options` over it), failing on any JavaScript error;
    every confirmation accepted."""
    settings = playwright.devices[device] | options
    viewport = settings.pop("viewport")
    with browsing(browser, stack, width=viewport["width"], height=viewport["height"], **settings) as page:
        yield page


def invitation_link(stack, **position) -> str:
    """A position (`position` over a one-question default) and one invitation to it: the link's path."""
    with httpx.Client(base_url=stack.url(), timeout=60, headers={"Authorization": f"Bearer {ADMIN}"}) as admin:
        made = admin.post("/api/positions", json={"title": "Support Engineer", "job_description": START["job_description"],
                                                  "num_questions": 1} | position)  # fmt: skip
        assert made.status_code == 201, made.text
        invited = admin.post(f"/api/positions/{made.json()['position_id']}/invitations",
                             json={"candidates": [{"candidate_name": "Pat Phone"}]})  # fmt: skip
        assert invited.status_code == 201, invited.text
        return f"/?invitation={invited.json()['invitations'][0]['token']}"


def sign_in(page: Page) -> None:
    page.goto("/dashboard")
    page.get_by_label("API token").fill(ADMIN)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#who")).to_contain_text("administrator (ADMIN_TOKEN)")


def start_invited(page: Page, link: str) -> None:
    page.goto(link)
    page.get_by_label("Years of experience").fill("3")
    page.get_by_label(CONSENT).check()
    page.get_by_role("button", name="Start the interview").click()
    expect(page.locator("#question")).not_to_be_empty()


def start_open(page: Page, questions: int) -> None:
    page.goto("/")
    fill_form(page, "Pat Phone", questions)
    page.get_by_role("button", name="Start the interview").click()
    expect(page.locator("#question")).not_to_be_empty()


def test_the_connection_warning_is_in_sight_where_the_candidate_taps_start(playwright, browser, stack):
    with on_a_phone(playwright, browser, stack) as page:
        page.goto("/")
        fill_form(page, "Pat Phone", 1)
        page.get_by_role("button", name="Start the interview").scroll_into_view_if_needed()
        assert page.evaluate("window.scrollY") > 300  # the top of the page is out of sight
        page.context.set_offline(True)
        page.get_by_role("button", name="Start the interview").click()
        expect(page.locator("#connection")).to_contain_text(UNREACHABLE)
        assert page.evaluate(IN_VIEW, "#connection"), "the warning is out of sight"
        expect(page.locator("#start-status")).to_have_text("Not sent yet: waiting for the connection…")
        page.context.set_offline(False)  # back online: the start goes on without waiting for its next turn
        expect(page.locator("#q-number")).to_have_text("1", timeout=4000)
        expect(page.locator("#connection")).to_be_hidden()


def test_an_answer_whose_retries_ran_out_is_sent_by_itself_once_the_browser_is_online(playwright, browser, stack):
    with on_a_phone(playwright, browser, stack, "iPhone 13") as page:
        page.clock.install()
        start_open(page, 2)
        page.get_by_label("Your answer").fill(ANSWERS[0])
        record_banners(page)  # the live stream's own warning may come over it, offline
        page.context.set_offline(True)
        page.get_by_role("button", name="Submit answer").click()
        for _ in range(40):  # the retries' waits (1, 2, 4, 8 and 15 s) gone by at once
            if not page.locator("#submit-answer").is_disabled():
                break
            page.clock.fast_forward(2000)
            page.wait_for_timeout(50)
        expect_banner_said(page, "it is sent again by itself when the connection is back")
        expect(page.get_by_label("Your answer")).to_have_value(ANSWERS[0])
        with page.expect_request("**/api/submit-answer") as sent:
            page.context.set_offline(False)
        assert sent.value.post_data_json["answer"] == ANSWERS[0]
        expect(page.locator("#q-number")).to_have_text("2")
        expect(page.locator("#history-list li")).to_have_count(1)
        expect(page.locator("#connection")).to_be_hidden()


def test_an_answer_whose_time_runs_out_offline_is_said_sent_only_once_it_is(playwright, browser, stack):
    link = invitation_link(stack, title="Support Engineer (30 s)", num_questions=2, answer_time_limit_seconds=30)
    with on_a_phone(playwright, browser, stack, "iPhone 13") as page:
        page.clock.install()
        start_invited(page, link)
        page.get_by_label("Your answer").fill("I would read the logs first")
        record_banners(page)
        page.context.set_offline(True)
        page.clock.fast_forward(31_000)
        expect_banner_said(page, UNREACHABLE)
        expect(page.locator("#sent-note")).to_have_text("Time was up: sending your answer as it was…")
        page.context.set_offline(False)
        expect(page.locator("#sent-note")).to_have_text("Time was up: your answer was sent as it was.")
        expect(page.locator("#q-number")).to_have_text("2")


def test_the_time_left_stays_in_sight_while_typing_with_the_keyboard_open(playwright, browser, stack):
    link = invitation_link(stack, title="Support Engineer (timed)", answer_time_limit_seconds=120)
    keyboard_open = {"width": 412, "height": 380}  # a Pixel 7 with its keyboard taking half the screen
    with on_a_phone(playwright, browser, stack, viewport=keyboard_open) as page:
        start_invited(page, link)
        answer = page.get_by_label("Your answer")
        answer.click()
        answer.fill("\n".join(f"Line {n} of a long answer typed on a phone." for n in range(1, 16)))
        answer.evaluate("(box) => box.scrollIntoView({ block: 'end' })")
        assert not page.evaluate(IN_VIEW, "#countdown")  # the question's countdown scrolled away
        assert page.evaluate(TIME_LEFT_IN_VIEW), "no time left in sight while typing"
        expect(page.locator("#answer-clock")).to_have_text(re.compile(r"^Time left: (2:00|1:5\d)$"))


def test_an_invitation_link_on_a_slow_network_never_shows_the_open_form(playwright, browser, stack):
    link = invitation_link(stack, title="Support Engineer (slow network)")
    with on_a_phone(playwright, browser, stack, "iPhone 13") as page:
        # every frame painted: did it show the open form (its job description) or the link to the dashboard?
        page.add_init_script("""
          window.openFormShown = [];
          const look = () => {
            for (const id of ["job", "recruiters-link", "difficulty"]) {
              const node = document.getElementById(id);
              if (node && node.checkVisibility() && !window.openFormShown.includes(id)) window.openFormShown.push(id);
            }
            requestAnimationFrame(look);
          };
          requestAnimationFrame(look);
        """)
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions",
                 {"offline": False, "latency": 300, "downloadThroughput": 60_000, "uploadThroughput": 60_000})  # fmt: skip
        page.goto(link, wait_until="commit")
        expect(page.get_by_label("Years of experience")).to_be_visible(timeout=30_000)
        expect(page.locator("#start-title")).to_have_text("Support Engineer (slow network)")
        assert page.evaluate("window.openFormShown") == []


def test_the_same_link_started_in_another_tab_of_the_browser_resumes_there(playwright, browser, stack):
    link = invitation_link(stack, title="Support Engineer (two tabs)")
    with on_a_phone(playwright, browser, stack) as first:
        second = first.context.new_page()
        second.goto(link)
        expect(second.get_by_label("Years of experience")).to_be_visible()
        start_invited(first, link)
        question = first.locator("#question").inner_text()
        second.get_by_label("Years of experience").fill("3")
        second.get_by_label(CONSENT).check()
        second.get_by_role("button", name="Start the interview").click()
        expect(second.locator("#q-number")).to_have_text("1")
        expect(second.locator("#question")).to_have_text(question)
        expect(second.locator("#refused-screen")).to_be_hidden()
        answer_current(second, 1, ANSWERS[0])
        expect(second.get_by_role("heading", name="Your interview report")).to_be_visible()


def test_ending_early_says_unanswered_questions_lower_the_overall_score(playwright, browser, stack):
    expected = {"en": "lowers your overall score", "de": "senkt Ihre Gesamtbewertung",
                "es": "baja su puntuación total", "fr": "fait baisser votre note globale"}  # fmt: skip
    with on_a_phone(playwright, browser, stack, "Pixel 7") as page:
        page.goto("/")
        said = page.evaluate("""async (languages) => {
          const words = await import("/static/words.js");
          const said = Object.fromEntries(languages.map((language) => (words.setWords(language), [language, words.say("confirmEnd")])));
          words.setWords("en");
          return said;
        }""", list(expected))  # fmt: skip
        for language, text in expected.items():
            assert text in said[language], said[language]
        start_open(page, 3)
        answer_current(page, 1, ANSWERS[0])
        expect(page.locator("#q-number")).to_have_text("2")
        with page.expect_event("dialog") as asked:
            page.get_by_role("button", name="End the interview").click()
        assert "each question left unanswered lowers your overall score" in asked.value.message
        expect(page.get_by_role("heading", name="Your interview report")).to_be_visible()
        expect(page.locator("#overall-note")).to_have_text("Questions left unanswered lower the overall score.")

        page.set_viewport_size({"width": 180, "height": 320})  # a 360 px phone at 200% zoom
        page.wait_for_function("() => document.documentElement.scrollWidth <= window.innerWidth", timeout=5000)
        assert page.locator("#verdict").evaluate("(pill) => pill.getBoundingClientRect().right") <= 180

        session_id = page.evaluate("JSON.parse(localStorage.getItem('interviewer.session')).session_id")
        page.set_viewport_size({"width": 1100, "height": 900})  # the hiring team's view of it: both numbers, and why
        sign_in(page)
        page.evaluate("hash => { location.hash = hash; }", f"#{session_id}")
        expect(page.locator(".outcome-scores")).to_contain_text(re.compile(r"/10 average · \d+(\.\d+)?/10 overall"))
        expect(page.locator(".outcome-note")).to_have_text(
            "The overall score is below the average because not every question was answered: "
            "each question left unanswered lowers it."
        )


def test_the_open_start_page_at_200_percent_zoom_does_not_scroll_sideways(playwright, browser, stack):
    with on_a_phone(playwright, browser, stack, viewport={"width": 180, "height": 320}) as page:
        page.goto("/")
        expect(page.get_by_label("Job description")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 180


def test_an_answer_being_sent_says_so_and_cannot_be_edited_meanwhile(playwright, browser, stack):
    with on_a_phone(playwright, browser, stack, "Pixel 7") as page:
        start_open(page, 2)
        held = []
        page.route("**/api/submit-answer", lambda route: held.append(route))
        page.get_by_label("Your answer").fill(ANSWERS[0])
        page.get_by_role("button", name="Submit answer").click()
        expect(page.locator("#submit-answer")).to_have_text("Sending…")
        expect(page.get_by_label("Your answer")).not_to_be_editable()
        wait_for_held(page, held, 1)
        held[0].continue_()
        expect(page.locator("#q-number")).to_have_text("2")
        expect(page.locator("#submit-answer")).to_have_text("Submit answer")
        expect(page.get_by_label("Your answer")).to_be_editable()


def test_the_dashboards_bar_values_stay_on_one_line_at_1400_px(browser, stack):
    with httpx.Client(base_url=stack.url(), timeout=60) as client:
        interview(client, "Barbara Liskov", 9, [0, 2])
    context = browser.new_context(base_url=stack.url(), viewport={"width": 1400, "height": 900})
    page = context.new_page()
    try:
        sign_in(page)
        expect(page.locator("#chart-top li").first).to_be_visible()
        values = page.locator("#chart-top .bar-row span, #chart-questions .bar-row span")
        expect(values.first).to_be_visible()
        lines = values.evaluate_all(LINES_OF_EACH)
        assert lines and all(count == 1 for _, count in lines), lines
        bars = page.locator("#chart-questions .bar-fill").evaluate_all("(bars) => bars.map((bar) => bar.offsetWidth)")
        assert min(bars) > 0 and max(bars) > 200, bars  # still the values' lengths, in a chart's column
    finally:
        context.close()


def box_of(page: Page, selector: str) -> dict[str, float]:
    """Where `selector` is against the viewport (CSS pixels), with the viewport's height."""
    return page.evaluate(
        """(selector) => {
          const box = document.querySelector(selector).getBoundingClientRect();
          return { top: box.top, bottom: box.bottom, height: box.height, viewport: window.innerHeight };
        }""",
        selector,
    )


def in_view(page: Page, selector: str) -> bool:
    """Wholly on the screen (a scroll to it may leave its edge a fraction of a pixel out)."""
    box = box_of(page, selector)
    return box["height"] > 0 and box["top"] >= -1 and box["bottom"] <= box["viewport"] + 1


def test_after_a_submit_the_next_question_shows_from_its_heading_and_points_to_the_score(playwright, browser, stack):
    with on_a_phone(playwright, browser, stack, "iPhone 13") as page:  # 390 x 844
        start_open(page, 3)
        answer_current(page, 1, ANSWERS[0])
        expect(page.locator("#q-number")).to_have_text("2")
        expect(page.locator("#feedback")).to_contain_text(re.compile(r"Question 1: \d+/10"))
        expect(page.locator("#announcer")).to_have_text(re.compile(r"Question 1 scored \d+ out of 10\."))
        expect(page.locator("#question")).to_be_focused()
        note = page.locator("#score-note")
        expect(note).to_contain_text(re.compile(r"^Your answer to question 1 scored \d+/10\."))
        for selector in ("#progress-label", "#question", "#score-note"):
            assert in_view(page, selector), (selector, box_of(page, selector))
        assert not in_view(page, "#feedback")  # the card is below the answer box: the note says where
        page.screenshot(path=str(SCREENSHOTS / "candidate-phone-next-question.png"))  # what the phone shows

        note.get_by_role("button", name="See below").click()
        expect(page.locator("#feedback")).to_be_focused()
        assert in_view(page, "#feedback h3"), box_of(page, "#feedback h3")


def test_the_first_questions_wait_says_first_and_has_nothing_to_read_aloud(playwright, browser, stack):
    with on_a_phone(playwright, browser, stack, "iPhone 13") as page:
        page.goto("/")
        said = page.evaluate("""async () => {
          const words = await import("/static/words.js");
          const said = ["en", "de", "es", "fr"].map((language) => (words.setWords(language), words.say("preparingFirst")));
          words.setWords("en");
          return said;
        }""")  # fmt: skip
        assert said == ["Preparing your first question…", "Ihre erste Frage wird vorbereitet…",
                        "Preparando su primera pregunta…", "Préparation de votre première question…"]  # fmt: skip

        def first_question_late(route):  # as when the first question takes longer than the start waits
            started = route.fetch().json()
            started |= {
                "status": "pending",
                "message": "The first question is still being prepared; follow the live stream.",
            }
            for key in ("question", "question_number"):
                started.pop(key, None)
            route.fulfill(status=202, json=started)

        held = []
        page.route("**/api/start-interview", first_question_late)
        page.route("**/api/interview/*/events*", lambda route: held.append(route))
        fill_form(page, "Pat Phone", 2)
        page.get_by_role("button", name="Start the interview").click()
        expect(page.locator("#progress-label")).to_have_text("Question 1 of 2")
        expect(page.locator("#question")).to_have_text("Preparing your first question…")
        expect(page.get_by_role("button", name="Read the question aloud")).to_be_disabled()
        expect(page.get_by_role("button", name="Answer by voice")).to_be_disabled()

        def no_question_yet(route):  # the state read on a reload, before the first question
            state = route.fetch().json()
            route.fulfill(json=state | {"current_question": None})

        page.route("**/api/interview/*", no_question_yet)
        page.reload()
        expect(page.locator("#question")).to_have_text("Preparing your first question…")
        expect(page.get_by_role("button", name="Read the question aloud")).to_be_disabled()

        page.unroute("**/api/interview/*")
        page.unroute("**/api/interview/*/events*")
        for route in held:
            route.continue_()
        page.reload()
        expect(page.locator("#question")).not_to_have_text(re.compile("Preparing"))
        expect(page.get_by_role("button", name="Read the question aloud")).to_be_enabled()
        expect(page.get_by_role("button", name="Answer by voice")).to_be_enabled()


def test_voice_input_refused_is_said_by_its_button_and_the_answer_box_takes_the_typing(playwright, browser, stack):
    with on_a_phone(playwright, browser, stack, "iPhone 13") as page:
        page.add_init_script(SPEECH_RECOGNITION + "window.recognitionFailsWith = 'not-allowed';")
        start_open(page, 2)
        speak = page.get_by_role("button", name="Answer by voice")
        speak.click()
        status = page.locator("#voice-status")
        expect(status).to_have_text(
            "Voice input is not available (the microphone is not allowed); please type your answer."
        )
        expect(status).to_have_attribute("role", "status")  # said by screen readers
        expect(page.locator("#listen-actions")).not_to_contain_text("not available")
        expect(page.get_by_label("Your answer")).to_be_focused()
        expect(speak).to_be_disabled()
        button, said = box_of(page, "#speak"), box_of(page, "#voice-status")
        assert 0 <= said["top"] - button["bottom"] < 30, (button, said)  # right under the button tapped
        for selector in ("#answer", "#speak", "#voice-status"):
            assert in_view(page, selector), (selector, box_of(page, selector))
        page.screenshot(path=str(SCREENSHOTS / "candidate-phone-voice-refused.png"))

        answer_current(page, 1, ANSWERS[0])  # the next question tries the microphone again
        expect(page.locator("#q-number")).to_have_text("2")
        expect(speak).to_be_enabled()
        expect(status).to_have_text("")
