"""The reasons of an answer's marked passages (docs/evidence.md) in Chromium, on the candidate's report and in
the dashboard: shown when a passage is reached by the keyboard, clicked or tapped on a phone, not only on hover;
each reason the passage's accessible description; earned and cost told apart by a sign, not colour alone."""

import re

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_candidate import answer_current, fill_start_form
from tests.browser.test_dashboard import TOKEN, open_dashboard
from tests.e2e.test_interview import ANSWERS

pytestmark = pytest.mark.e2e
STACK_ENV = {"ADMIN_TOKEN": TOKEN}
PASSAGES = "#answers .said mark.evidence"


def finish_an_interview(page: Page, name: str) -> None:
    fill_start_form(page, name=name, questions=1)
    page.get_by_role("button", name="Start the interview").click()
    answer_current(page, 1, ANSWERS[0])  # numbers with units, a result: passages that earned points
    expect(page.get_by_role("heading", name="Your interview report")).to_be_visible()


def reason_of(mark: Locator) -> Locator:
    return mark.page.locator(f"#{mark.get_attribute('aria-describedby')}")


def test_a_reason_is_shown_when_its_passage_is_opened_by_the_keyboard_or_clicked(page: Page):
    finish_an_interview(page, "Keyboard Reader")
    mark = page.locator(PASSAGES).first
    reason = reason_of(mark)
    expect(mark).to_have_attribute("tabindex", "0")
    expect(mark).to_have_attribute("aria-expanded", "false")
    expect(reason).to_be_hidden()
    expect(mark).to_have_accessible_description(re.compile(r"^(Earned|Cost) points: \S"))  # hidden, still said
    expect(mark).to_have_accessible_name(mark.inner_text())  # the sign before it is not read out
    sign = mark.evaluate("m => getComputedStyle(m, '::before').content")
    assert re.match(r'^"[+\u2212]"', sign), sign  # earned or cost, whatever the colours look like

    page.locator("#answers-title").focus()  # just before the answers, then the keyboard only
    for _ in range(5):
        page.keyboard.press("Tab")
        if mark.evaluate("m => m === document.activeElement"):
            break
    expect(mark).to_be_focused()
    expect(reason).to_be_hidden()  # not opened by the focus alone: the first key would close it (an audit found)
    expect(mark).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(reason).to_be_visible()
    expect(reason).to_have_text(re.compile(r"^(Earned|Cost) points: \S"))
    expect(mark).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")
    expect(reason).to_be_hidden()
    page.keyboard.press("Enter")
    expect(reason).to_be_visible()
    page.keyboard.press("Tab")  # on to what follows: the reason goes with the focus
    expect(reason).to_be_hidden()

    page.mouse.move(0, 0)  # away from every passage: hovering shows a reason too
    mark.click()
    expect(reason).to_be_visible()
    page.locator("#answers-title").click()
    expect(reason).to_be_hidden()


def test_a_tap_shows_a_reason_on_a_phone(browser: Browser, stack):
    context = browser.new_context(base_url=stack.url(), viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True)  # fmt: skip
    page = context.new_page()
    try:
        finish_an_interview(page, "Phone Reader")
        mark = page.locator(PASSAGES).first
        reason = reason_of(mark)
        expect(reason).to_be_hidden()
        mark.tap()
        expect(reason).to_be_visible()
        expect(mark).to_have_attribute("aria-expanded", "true")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the reason stays on the screen
        screenshot(page, "12-phone-evidence-reason")
        mark.tap()  # a second tap hides it
        expect(reason).to_be_hidden()
        mark.tap()
        expect(reason).to_be_visible()
        page.locator("#answers-title").tap()  # a tap elsewhere too
        expect(reason).to_be_hidden()
    finally:
        context.close()


def test_the_dashboards_transcript_shows_a_reason_on_click_and_key(page: Page):
    finish_an_interview(page, "Dashboard Reader")
    open_dashboard(page)
    page.get_by_role("link", name="Dashboard Reader").click()
    mark = page.locator("#detail .said mark.evidence").first
    reason = reason_of(mark)
    expect(mark).to_have_accessible_description(re.compile(r"^(Earned|Cost) points: \S"))
    expect(reason).to_be_hidden()
    mark.click()
    expect(reason).to_be_visible()
    expect(mark).to_have_attribute("aria-expanded", "true")
    mark.click()  # a second click puts it away (shown while hovered still)
    expect(mark).to_have_attribute("aria-expanded", "false")
    page.mouse.move(0, 0)
    expect(reason).to_be_hidden()
    page.keyboard.press("Shift+Tab")  # from the clicked passage back to it by the keyboard: shown by its key
    page.keyboard.press("Tab")
    expect(mark).to_be_focused()
    expect(reason).to_be_hidden()
    page.keyboard.press("Space")
    expect(reason).to_be_visible()
