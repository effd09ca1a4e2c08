"""A candidate's interview in Chromium: typed answers, a reload in the middle, a network error, the report,
a second interview on the same browser, and voice (browser speech stubbed in the page, server voice through
the fake OpenAI server)."""

import re

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import assert_modules_only, screenshot
from tests.e2e.conftest import assert_clean_shutdown, start_stack, stop_stack
from tests.e2e.test_interview import ANSWERS
from tests.fakes.openai_server import FakeOpenAI

pytestmark = pytest.mark.e2e
JOB = ("Senior Python Developer with 5+ years experience in Django, REST APIs, PostgreSQL and AWS. "
       "You will mentor others and talk to stakeholders.")  # fmt: skip


def fill_start_form(page: Page, name: str = "Ada Lovelace", questions: int = 3) -> None:
    page.goto("/")
    fill_form(page, name, questions)


def fill_form(page: Page, name: str, questions: int) -> None:
    expect(page.get_by_text("An AI conducts this interview.")).to_be_visible()
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Years of experience").fill("5")
    page.get_by_label("Difficulty").select_option("intermediate")
    page.get_by_label("Number of questions").fill(str(questions))
    page.get_by_label("Job description").fill(JOB)
    page.get_by_label("I understand that an AI asks the questions and scores my answers.").check()


# Every text the connection banner shows, however briefly, in `window.banners`: "Retrying in 1 s" stands for
# a second, and `expect` polls the page once a second after its first tries, so on a loaded machine it can
# miss it (it did once, after a slow reload).
BANNER_RECORDER = """
  window.banners = window.banners || [];
  new MutationObserver(() => {
    const text = document.getElementById("connection")?.textContent;
    if (text && window.banners.at(-1) !== text) window.banners.push(text);
  }).observe(document, { subtree: true, childList: true, characterData: true });
"""


def record_banners(page: Page) -> None:
    """From now on, on this page and the pages it reloads to."""
    page.add_init_script(BANNER_RECORDER)
    page.evaluate(BANNER_RECORDER)


def expect_banner_said(page: Page, text: str) -> None:
    page.wait_for_function("(text) => window.banners.some((said) => said.includes(text))", arg=text, timeout=10_000)


def answer_current(page: Page, number: int, text: str) -> None:
    expect(page.locator("#q-number")).to_have_text(str(number))
    page.get_by_label("Your answer").fill(text)
    page.get_by_role("button", name="Submit answer").click()


def test_a_whole_interview_typed_by_a_candidate(page: Page):
    fill_start_form(page)
    screenshot(page, "1-start-form")
    page.get_by_role("button", name="Start the interview").click()
    expect(page.locator("#question")).not_to_be_empty()
    expect(page.locator("#q-total")).to_have_text("3")
    first_question = page.locator("#question").inner_text()
    screenshot(page, "2-interview")

    answer_current(page, 1, ANSWERS[0])
    expect(page.locator("#feedback")).to_contain_text(re.compile(r"Question 1: \d+/10"))
    expect(page.locator("#q-number")).to_have_text("2")
    assert page.locator("#question").inner_text() != first_question
    screenshot(page, "3-feedback-and-next-question")
    assert_modules_only(page)  # the progress bar's width is the one style
    answer_current(page, 2, ANSWERS[2])
    answer_current(page, 3, ANSWERS[4])

    expect(page.get_by_role("heading", name="Your interview report")).to_be_visible()
    expect(page.locator("#verdict")).to_contain_text(re.compile(r"Recommendation: (strong yes|yes|maybe|no)"))
    expect(page.locator("#answers .qa")).to_have_count(3)
    expect(page.locator("#summary")).to_contain_text("Ada Lovelace")
    screenshot(page, "4-report")
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print or save as PDF")).to_be_hidden()  # the printout is the report alone
    screenshot(page, "5-report-print")


def test_a_reload_in_the_middle_resumes_with_the_typed_text(page: Page):
    fill_start_form(page, name="Grace Hopper")
    page.get_by_role("button", name="Start the interview").click()
    answer_current(page, 1, ANSWERS[0])
    expect(page.locator("#q-number")).to_have_text("2")
    page.get_by_label("Your answer").fill("Half of my second answer, not sent yet")
    page.reload()
    expect(page.locator("#q-number")).to_have_text("2")
    expect(page.get_by_label("Your answer")).to_have_value("Half of my second answer, not sent yet")
    expect(page.locator("#history-list li")).to_have_count(1)
    screenshot(page, "6-resumed-after-reload")


def test_a_network_error_is_said_and_retried_without_losing_the_answer(page: Page):
    fill_start_form(page, name="Alan Turing", questions=2)
    page.get_by_role("button", name="Start the interview").click()
    expect(page.locator("#q-number")).to_have_text("1")
    failures = {"left": 1}

    def flaky(route):
        if failures["left"]:
            failures["left"] -= 1
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route("**/api/submit-answer", flaky)
    record_banners(page)
    answer_current(page, 1, ANSWERS[0])
    expect_banner_said(page, "Retrying")
    expect(page.locator("#q-number")).to_have_text("2")  # the retry went through
    expect(page.locator("#connection")).to_be_hidden()


def test_a_start_whose_answer_was_lost_is_retried_into_the_same_interview(page: Page, stack):
    fill_start_form(page, name="Grace Lostresponse", questions=2)
    sent = []

    def answer_lost(route):
        sent.append(route.request.post_data_json)
        if len(sent) == 1:  # the gateway starts the interview, and its answer never reaches the page
            assert httpx.post(route.request.url, json=sent[0], timeout=30).status_code == 200
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/api/start-interview", answer_lost)
    record_banners(page)
    page.get_by_role("button", name="Start the interview").click()
    expect_banner_said(page, "Retrying")  # said, while the page tries again
    expect(page.get_by_label("Your answer")).to_be_visible()
    expect(page.locator("#q-number")).to_have_text("1")
    assert len(sent) == 2 and sent[0] == sent[1] and len(sent[0]["request_id"]) == 32  # the same request, resent
    listed = httpx.get(f"{stack.url()}/api/data/interviews", params={"status": "all", "name": "Lostresponse"})
    assert listed.json()["total"] == 1  # one interview, not two


def test_a_bad_form_shows_inline_errors_and_sends_nothing(page: Page):
    page.goto("/")
    requests = []
    page.on("request", lambda request: "/api/start-interview" in request.url and requests.append(request))
    page.get_by_label("Years of experience").fill("-3")
    page.get_by_role("button", name="Start the interview").click()
    expect(page.locator("#name-error")).to_have_text("Please enter your name.")
    expect(page.locator("#experience-error")).to_contain_text("between 0 and 60")
    expect(page.locator("#job-error")).to_contain_text("at least 20 characters")
    expect(page.locator("#consent-error")).to_be_visible()
    expect(page.get_by_label("Your name")).to_be_focused()
    expect(page.get_by_label("Your name")).to_have_attribute("aria-invalid", "true")
    screenshot(page, "7-form-errors")
    assert requests == []


def test_without_voices_or_a_microphone_the_page_falls_back_to_typing(page: Page):
    fill_start_form(page, name="Barbara Liskov", questions=1)
    page.get_by_role("button", name="Start the interview").click()
    expect(page.locator("#q-number")).to_have_text("1")
    page.get_by_role("button", name="Read the question aloud").click()
    expect(page.locator("#read-status")).to_contain_text("not available")
    page.get_by_role("button", name="Answer by voice").click()
    expect(page.locator("#voice-status")).to_contain_text("please type", timeout=15_000)
    expect(page.get_by_label("Your answer")).to_be_editable()
    answer_current(page, 1, ANSWERS[0])
    expect(page.get_by_role("heading", name="Your interview report")).to_be_visible()


def tab_to(page: Page, label: str, presses: int = 8) -> None:
    target = page.get_by_label(label) if not label.startswith("button:") else page.get_by_role("button", name=label[7:])
    for _ in range(presses):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {label}")


def test_a_whole_interview_with_the_keyboard_alone_on_a_phone(browser, stack):
    context = browser.new_context(base_url=stack.url(), viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto("/")
        tab_to(page, "Your name")
        page.keyboard.type("Keyboard Only")
        tab_to(page, "Years of experience")
        page.keyboard.press("Control+a")
        page.keyboard.type("4")
        tab_to(page, "Number of questions")
        page.keyboard.press("Control+a")
        page.keyboard.type("1")
        tab_to(page, "Job description")
        page.keyboard.type(JOB)
        tab_to(page, "I understand that an AI asks the questions and scores my answers.")
        page.keyboard.press("Space")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing overflows sideways
        screenshot(page, "8-phone-start-form")
        tab_to(page, "button:Start the interview")
        page.keyboard.press("Enter")
        expect(page.locator("#q-number")).to_have_text("1")
        tab_to(page, "Your answer")
        page.keyboard.type(ANSWERS[0])
        tab_to(page, "button:Submit answer")
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Your interview report")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, "9-phone-report")
        every_control_is_labelled(page)
    finally:
        context.close()


def every_control_is_labelled(page: Page) -> None:
    for control in page.locator("input, select, textarea, button").all():
        if control.is_visible():
            label = control.evaluate("c => (c.labels && c.labels.length && c.labels[0].innerText) || c.innerText")
            assert label.strip(), f"a control without a label: {control.evaluate('c => c.outerHTML')}"


def test_every_control_on_every_screen_has_a_label(page: Page):
    fill_start_form(page, name="Label Checker", questions=1)
    every_control_is_labelled(page)
    page.get_by_role("button", name="Start the interview").click()
    expect(page.locator("#q-number")).to_have_text("1")
    every_control_is_labelled(page)


def test_an_answer_still_being_scored_does_not_leave_the_candidate_stuck(page: Page):
    fill_start_form(page, name="Patient Candidate", questions=2)
    page.get_by_role("button", name="Start the interview").click()
    expect(page.locator("#q-number")).to_have_text("1")

    def pending(route):  # as when the server's wait runs out a moment before the score and question come
        response = route.fetch()
        body = response.json() | {"status": "pending", "score": None, "feedback": None, "next_question": None}
        route.fulfill(status=202, json=body)

    page.route("**/api/submit-answer", pending)
    answer_current(page, 1, ANSWERS[0])
    expect(page.locator("#q-number")).to_have_text("2")  # recovered from the live stream / a re-read
    expect(page.locator("#feedback")).to_contain_text("Question 1:")
    expect(page.get_by_role("button", name="Submit answer")).to_be_enabled()


def test_a_broken_live_stream_is_reconnected(page: Page):
    calls = []

    def once_broken(route):
        calls.append(route.request.url)
        if len(calls) == 1:
            route.fulfill(status=503, json={"message": "unavailable"})
        else:
            route.continue_()

    page.route(re.compile(r"/api/interview/[^/]+/events(\?|$)"), once_broken)  # with its candidate_token
    fill_start_form(page, name="Stream Watcher", questions=1)
    page.get_by_role("button", name="Start the interview").click()
    expect(page.locator("#connection")).to_contain_text("reconnecting")
    expect(page.locator("#connection")).to_be_hidden(timeout=10_000)
    assert len(calls) >= 2
    assert all("candidate_token=" in url for url in calls)  # an EventSource sends no headers: the token is in the query


def test_a_failed_resume_retries_instead_of_starting_over(page: Page):
    fill_start_form(page, name="Comeback Kid", questions=2)
    page.get_by_role("button", name="Start the interview").click()
    answer_current(page, 1, ANSWERS[0])
    expect(page.locator("#q-number")).to_have_text("2")
    failures = {"left": 2}  # the reload's read, and the first retry

    def flaky(route):
        if route.request.method == "GET" and failures["left"]:
            failures["left"] -= 1
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route("**/api/interview/*", flaky)
    record_banners(page)
    page.reload()
    expect_banner_said(page, "Retrying")
    expect(page.locator("#q-number")).to_have_text("2")
    expect(page.locator("#start-screen")).to_be_hidden()
    assert failures["left"] == 0


def test_a_rate_limit_is_waited_out(page: Page):
    fill_start_form(page, name="Fast Typist", questions=1)
    page.get_by_role("button", name="Start the interview").click()
    limited = {"left": 1}

    def once_limited(route):
        if limited["left"]:
            limited["left"] -= 1
            route.fulfill(
                status=429, headers={"Retry-After": "1"}, json={"message": "Too many answers from this address"}
            )
        else:
            route.continue_()

    page.route("**/api/submit-answer", once_limited)
    record_banners(page)
    answer_current(page, 1, ANSWERS[0])
    expect_banner_said(page, "Retrying in 1 s")
    expect(page.get_by_role("heading", name="Your interview report")).to_be_visible()


def test_long_words_and_code_stay_inside_a_phone_screen(browser, stack):
    context = browser.new_context(base_url=stack.url(), viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        fill_start_form(page, name="Wide Content", questions=1)
        page.get_by_role("button", name="Start the interview").click()
        url = "https://example.com/" + "a-very-long-path-segment-" * 8
        answer_current(page, 1, f"I built it, see {url}\n\ndef handler(event):\n    return process(event)")
        expect(page.get_by_role("heading", name="Your interview report")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert "\n" in page.locator("#answers .said").first.inner_text()  # line breaks kept
    finally:
        context.close()


def start_interview(page: Page) -> None:
    page.get_by_role("button", name="Start the interview").click()
    expect(page.locator("#question")).not_to_be_empty()


def drafts(page: Page) -> list[str]:
    return page.evaluate("Object.keys(localStorage).filter((key) => key.startsWith('interviewer.draft.'))")


def test_a_new_interview_on_the_same_browser_starts_clean(page: Page):
    page.on("dialog", lambda dialog: dialog.accept())
    fill_start_form(page, name="First Candidate", questions=2)
    start_interview(page)
    answer_current(page, 1, ANSWERS[0])
    expect(page.locator("#feedback")).to_contain_text("Question 1:")
    expect(page.locator("#q-number")).to_have_text("2")
    page.get_by_label("Your answer").fill("Half of an answer that is never sent")
    assert len(drafts(page)) == 1
    page.get_by_role("button", name="End the interview").click()
    expect(page.get_by_role("heading", name="Your interview report")).to_be_visible()

    page.get_by_role("button", name="Start a new interview").click()
    assert drafts(page) == []
    fill_form(page, name="Second Candidate", questions=1)
    start_interview(page)
    expect(page.locator("#interview-screen")).to_be_visible()
    expect(page.locator("#feedback")).to_be_hidden()
    expect(page.locator("#feedback")).to_be_empty()
    expect(page.locator("#history")).to_be_hidden()
    expect(page.get_by_label("Your answer")).to_have_value("")
    answer_current(page, 1, ANSWERS[1])
    expect(page.locator("#announcer")).to_have_text(re.compile(r"Question 1 scored \d+ out of 10\."))
    expect(page.get_by_role("heading", name="Your interview report")).to_be_visible()
    assert drafts(page) == []


SPEECH_SYNTHESIS = """
window.spoken = [];
speechSynthesis.getVoices = () => [{ name: "Test voice", lang: "en-GB" }];
speechSynthesis.speak = (utterance) => window.spoken.push(utterance.text);
speechSynthesis.cancel = () => {};
"""


def test_the_question_is_read_aloud_after_the_candidate_acts_and_on_request(page: Page):
    page.add_init_script(SPEECH_SYNTHESIS)
    fill_start_form(page, name="Listening Candidate", questions=2)
    start_interview(page)
    first = page.locator("#question").inner_text()
    page.wait_for_function("() => window.spoken.length === 1")
    assert page.evaluate("window.spoken") == [first]

    page.reload()  # no click on this page yet: a browser may refuse to speak, so nothing is read unasked
    expect(page.locator("#question")).to_have_text(first)
    assert page.evaluate("window.spoken") == []
    page.get_by_role("button", name="Read the question aloud").click()
    page.wait_for_function("() => window.spoken.length === 1")
    assert page.evaluate("window.spoken") == [first]

    answer_current(page, 1, ANSWERS[0])
    expect(page.locator("#q-number")).to_have_text("2")
    page.wait_for_function("() => window.spoken.length === 2")
    assert page.evaluate("window.spoken[1]") == page.locator("#question").inner_text()


# The browser's recognition, driven by the test: `say` delivers a final result, `fail` an error; with
# window.recognitionFailsWith set, every start fails that way (as Debian's Chromium does with "network").
SPEECH_RECOGNITION = """
window.recognitions = [];
class TestRecognition {
  constructor() { window.recognitions.push(this); }
  start() {
    if (window.recognitionFailsWith) setTimeout(() => this.fail(window.recognitionFailsWith), 20);
  }
  stop() { setTimeout(() => this.onend && this.onend(), 20); }
  fail(error) {
    this.onerror && this.onerror({ error });
    this.onend && this.onend();
  }
  say(text) {
    const result = Object.assign([{ transcript: text, confidence: 0.9 }], { isFinal: true });
    this.onresult({ resultIndex: 0, results: [result] });
  }
}
window.SpeechRecognition = window.webkitSpeechRecognition = TestRecognition;
"""
# A microphone that hears a steady tone; the real MediaRecorder records it.
MICROPHONE = """
navigator.mediaDevices.getUserMedia = async () => {
  const audio = new AudioContext();
  const tone = audio.createOscillator();
  const output = audio.createMediaStreamDestination();
  tone.connect(output);
  tone.start();
  window.microphone = output.stream;
  return output.stream;
};
"""


def test_without_server_voice_a_failing_recognition_says_to_type(page: Page):
    page.add_init_script(SPEECH_RECOGNITION + "window.recognitionFailsWith = 'network';")
    fill_start_form(page, name="Offline Speaker", questions=1)
    start_interview(page)
    page.get_by_role("button", name="Answer by voice").click()
    expect(page.locator("#voice-status")).to_contain_text("Voice input is not available")
    expect(page.locator("#voice-status")).to_contain_text("type your answer")
    expect(page.get_by_role("button", name="Answer by voice")).to_have_attribute("aria-pressed", "false")
    expect(page.get_by_label("Your answer")).to_be_focused()
    expect(page.get_by_label("Your answer")).to_be_editable()


def test_words_heard_for_an_earlier_question_stay_out_of_the_next_answer(page: Page):
    page.add_init_script(SPEECH_RECOGNITION)
    fill_start_form(page, name="Talkative Candidate", questions=2)
    start_interview(page)
    page.get_by_role("button", name="Answer by voice").click()
    expect(page.get_by_role("button", name="Stop listening")).to_be_visible()
    page.evaluate("window.recognitions[0].say('I built a Django API')")
    expect(page.get_by_label("Your answer")).to_have_value("I built a Django API")

    page.get_by_role("button", name="Submit answer").click()  # still listening
    expect(page.locator("#q-number")).to_have_text("2")
    page.evaluate("window.recognitions[0].say('words still on their way')")  # as after stop(), late
    expect(page.get_by_label("Your answer")).to_have_value("")
    assert [key for key in drafts(page) if key.endswith(".2")] == []
    expect(page.get_by_role("button", name="Answer by voice")).to_have_attribute("aria-pressed", "false")


@pytest.fixture(scope="module")
def voice_stack(fake_openai, tmp_path_factory):
    env = {"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": fake_openai.base_url, "OPENAI_MAX_RETRIES": "0"}
    stack = start_stack("browser-test_candidate-voice", tmp_path_factory.mktemp("voice-stack"), **env)
    yield stack
    assert_clean_shutdown(stack, stop_stack(stack))


@pytest.fixture
def voice_page(browser: Browser, voice_stack, fake_openai) -> Page:
    """A page on a stack whose server speaks and listens (through the fake OpenAI server)."""
    fake_openai.clear()
    context = browser.new_context(base_url=voice_stack.url(), viewport={"width": 1100, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(SPEECH_RECOGNITION + MICROPHONE)
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


TRANSCRIPT = re.compile(r"^I built a Django API \(\d+ bytes of audio\)$")


def record_a_moment(page: Page) -> None:
    page.wait_for_function("() => window.microphone", timeout=10_000)  # a function: the CSP refuses eval()
    page.wait_for_timeout(300)
    page.get_by_role("button", name="Stop listening").click()


def transcriptions(fake: FakeOpenAI) -> list[dict]:
    return [r for r in fake.requests if r["path"].endswith("/audio/transcriptions")]


def test_with_server_voice_the_answer_is_recorded_not_sent_to_the_browsers_service(voice_page: Page, fake_openai):
    voice_page.add_init_script("window.recognitionFailsWith = 'network';")
    fill_start_form(voice_page, name="Spoken Candidate", questions=1)
    start_interview(voice_page)
    voice_page.get_by_role("button", name="Answer by voice").click()
    record_a_moment(voice_page)
    expect(voice_page.get_by_label("Your answer")).to_have_value(TRANSCRIPT)
    assert voice_page.evaluate("window.recognitions.length") == 0
    assert len(transcriptions(fake_openai)) == 1


def test_with_server_voice_a_refused_microphone_is_said_in_words(voice_page: Page):
    voice_page.add_init_script(  # after the test's microphone: this one is refused
        "navigator.mediaDevices.getUserMedia = async () => { throw new DOMException('Permission denied', 'NotAllowedError'); };"
    )
    fill_start_form(voice_page, name="Refused Speaker", questions=1)
    start_interview(voice_page)
    voice_page.get_by_role("button", name="Answer by voice").click()
    expect(voice_page.locator("#voice-status")).to_have_text(
        "Voice input is not available (the microphone is not allowed); please type your answer."
    )
    expect(voice_page.get_by_label("Your answer")).to_be_focused()
    expect(voice_page.get_by_role("button", name="Answer by voice")).to_be_disabled()


def test_a_failing_recognition_falls_back_to_recording(voice_page: Page, fake_openai):
    asked = {"answer": False}  # /api/voice unreachable until the browser's recognition has started

    def voice_check(route):
        if asked["answer"]:
            route.continue_()
        else:
            route.abort("internetdisconnected")

    voice_page.route("**/api/voice", voice_check)
    fill_start_form(voice_page, name="Fallback Speaker", questions=1)
    start_interview(voice_page)
    voice_page.get_by_role("button", name="Answer by voice").click()
    voice_page.wait_for_function("() => window.recognitions.length === 1")
    asked["answer"] = True
    voice_page.evaluate("window.recognitions[0].fail('network')")
    record_a_moment(voice_page)
    expect(voice_page.get_by_label("Your answer")).to_have_value(TRANSCRIPT)
    assert len(transcriptions(fake_openai)) == 1


def test_a_recording_still_running_when_the_question_changes_is_dropped(voice_page: Page, fake_openai):
    fill_start_form(voice_page, name="Slow Speaker", questions=2)
    start_interview(voice_page)
    voice_page.get_by_role("button", name="Answer by voice").click()
    voice_page.wait_for_function("() => window.microphone", timeout=10_000)
    answer_current(voice_page, 1, ANSWERS[0])  # typed and sent while the microphone still records
    expect(voice_page.locator("#q-number")).to_have_text("2")
    voice_page.wait_for_function("() => window.microphone.getTracks().every((track) => track.readyState === 'ended')")
    expect(voice_page.locator("#voice-status")).to_have_text("Listening stopped: this is a new question.")
    expect(voice_page.get_by_label("Your answer")).to_have_value("")
    assert transcriptions(fake_openai) == []


def test_with_server_voice_the_question_is_read_by_the_server(voice_page: Page, fake_openai):
    fill_start_form(voice_page, name="Listening Candidate", questions=1)
    start_interview(voice_page)  # Chromium here has no voices of its own: the server reads the question
    question = voice_page.locator("#question").inner_text()
    with voice_page.expect_response("**/api/tts") as spoken:
        voice_page.get_by_role("button", name="Read the question aloud").click()
    assert spoken.value.status == 200  # asked with the candidate's token, for this interview's question
    said = [r["body"]["input"] for r in fake_openai.requests if r["path"].endswith("/audio/speech")]
    assert said and set(said) == {question}
