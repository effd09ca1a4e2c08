"""A German interview in Chromium: chosen on the start form, its voice German, the questions asked and
answered in German, the report at the end; what is said in German marked `lang="de"`, the page's own words
(and the page) German."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_candidate import SPEECH_RECOGNITION, fill_start_form
from tests.e2e.test_languages import GERMAN_ANSWERS

pytestmark = pytest.mark.e2e
SPEECH_SYNTHESIS = """
window.spoken = [];
speechSynthesis.getVoices = () => [{ name: "Test voice", lang: "de-DE" }];
speechSynthesis.speak = (utterance) => window.spoken.push(utterance.lang);
speechSynthesis.cancel = () => {};
"""
LANGUAGE_OF = "node => node.closest('[lang]') && node.closest('[lang]').lang"  # as a screen reader would take it


def language_of(page: Page, selector: str) -> list[str]:
    return page.locator(selector).evaluate_all(f"nodes => nodes.map({LANGUAGE_OF})")


def test_a_german_interview_from_start_to_report(page: Page):
    page.add_init_script(SPEECH_SYNTHESIS + SPEECH_RECOGNITION)
    fill_start_form(page, name="Greta Weber", questions=2)
    expect(page.get_by_label("Language")).to_have_value("")  # the job description's, unless chosen
    page.get_by_label("Language").select_option(label="Deutsch")
    page.get_by_role("button", name="Interview beginnen").click()  # the form speaks the language chosen on it
    expect(page.locator("#question")).to_contain_text(re.compile(r"\bSie\b"))
    assert page.evaluate("document.documentElement.lang") == "de"  # the page's buttons and labels are German
    assert language_of(page, "#question, #answer") == ["de", "de"]
    assert language_of(page, "#progress-label, label[for=answer], #submit-answer") == ["de", "de", "de"]
    page.wait_for_function("() => window.spoken.length === 1")
    assert page.evaluate("window.spoken") == ["de-DE"]  # the question read aloud in German
    page.get_by_role("button", name="Mündlich antworten").click()
    assert page.evaluate("window.recognitions[0].lang") == "de-DE"
    page.get_by_role("button", name="Zuhören beenden").click()

    for number, text in enumerate(GERMAN_ANSWERS, start=1):
        expect(page.locator("#q-number")).to_have_text(str(number))
        page.get_by_label("Ihre Antwort").fill(text)
        page.get_by_role("button", name="Antwort senden").click()
    expect(page.get_by_role("heading", name="Ihr Interviewbericht")).to_be_visible()
    expect(page.locator("#answers .qa")).to_have_count(2)
    expect(page.locator("#summary")).to_contain_text("Greta Weber")
    assert_german_where_german_is_said(page)
    page.reload()  # the finished interview, resumed: still German
    expect(page.get_by_role("heading", name="Ihr Interviewbericht")).to_be_visible()
    assert_german_where_german_is_said(page)


def assert_german_where_german_is_said(page: Page) -> None:
    assert page.evaluate("document.documentElement.lang") == "de"
    assert language_of(page, "#summary, .report-feedback ul") == ["de"] * 4  # strengths, weaknesses, recommendations
    said = language_of(page, "#answers .qa h3 span, #answers .said, #answers .qa p strong + span, #history-list span")
    assert len(said) >= 2 + 2 + 2 + 2 and set(said) == {"de"}, said  # questions, answers, feedback, the list so far
    chrome = language_of(page, "#report-title, .report-feedback h3, #answers .qa p strong, #answers-title")
    assert len(chrome) >= 1 + 3 + 1 + 1 and set(chrome) == {"de"}, chrome  # the labels of the feedback too
    assert set(language_of(page, ".evidence-reason > span")) <= {"de"}  # evidence.js's labels: the page's words
