"""What a screen reader and a keyboard meet on the candidate page and the dashboard, from a manual accessibility
audit: a score said once and not cut short by the next question (which the focus reads, the live region not
again), a retry's countdown not said each second, the focus kept after saving a verdict, Escape closing the
detail view, an evidence passage not opened by the focus alone, and the overview at 320 CSS px."""

import re
import time

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_candidate import answer_current, fill_form
from tests.browser.test_dashboard import TOKEN, open_dashboard
from tests.e2e.test_interview import ANSWERS, START

pytestmark = pytest.mark.e2e
STACK_ENV = {"ADMIN_TOKEN": TOKEN}

# What a screen reader hears, in order: each live region's text when it changes (not empty, not while the region
# says aria-live="off"), and each element the focus moves to, with its text.
HEARD = """
  window.heard = [];
  const said = new Map();
  const regions = '[aria-live], [role="status"], [role="alert"]';
  new MutationObserver(() => {
    for (const region of document.querySelectorAll(regions)) {
      const text = region.textContent.trim();
      if (text === (said.get(region) || "")) continue;
      said.set(region, text);
      if (text && !region.hidden && region.getAttribute("aria-live") !== "off") window.heard.push({ region: region.id, text });
    }
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  document.addEventListener("focusin", (event) => window.heard.push({ focus: event.target.id, text: event.target.textContent }));
"""


def heard(page: Page, region: str) -> list[str]:
    return [said["text"] for said in page.evaluate("window.heard") if said.get("region") == region]


def start_interview(page: Page, name: str, questions: int) -> None:
    page.add_init_script(HEARD)
    page.goto("/")
    fill_form(page, name, questions)
    page.get_by_role("button", name="Start the interview").click()
    expect(page.locator("#question")).not_to_be_empty()


def test_a_score_is_said_once_and_the_next_question_only_by_the_focus(page: Page):
    start_interview(page, "Sam Screenreader", 2)
    page.evaluate("window.heard = []")
    answer_current(page, 1, ANSWERS[0])
    expect(page.locator("#q-number")).to_have_text("2")
    expect(page.locator("#question")).to_be_focused()
    page.wait_for_function("() => window.heard.some((said) => said.region === 'announcer')")
    page.wait_for_timeout(1000)  # anything said after it
    events = page.evaluate("window.heard")
    question = page.locator("#question").inner_text()
    said = heard(page, "announcer")
    assert len(said) == 1 and re.fullmatch(r"Question 1 scored \d+ out of 10\.", said[0]), events  # not cut short
    assert not [said for said in events if "region" in said and question in said["text"]], events  # once, by focus
    focused = next(n for n, said in enumerate(events) if said.get("focus") == "question")
    scored = next(n for n, said in enumerate(events) if said.get("region") == "announcer")
    assert focused < scored, events  # the focus moving to the question would cut a score said before it short


def test_a_retried_answer_says_it_is_retried_once_and_when_it_went_through(page: Page):
    start_interview(page, "Rhea Retry", 2)
    page.get_by_label("Your answer").fill(ANSWERS[0])
    page.route("**/api/submit-answer", lambda route: route.abort())
    page.evaluate("window.heard = []")
    page.get_by_role("button", name="Submit answer").click()
    expect(page.locator("#connection")).to_contain_text("Retrying in 4 s", timeout=10_000)
    page.unroute("**/api/submit-answer")
    page.evaluate("dispatchEvent(new Event('online'))")  # the wait before the next try ends
    expect(page.locator("#q-number")).to_have_text("2")
    expect(page.locator("#connection")).to_be_hidden()
    retries = [said for said in heard(page, "connection") if "Retrying" in said]
    assert len(retries) == 1 and "Retrying in 1 s" in retries[0], heard(page, "connection")
    expect(page.locator("#announcer")).to_contain_text("Connected again.")


def finished_interview(stack, name: str) -> str:
    """`name`'s interview of one question, answered with passages that earned points, once the dashboard has it."""
    with httpx.Client(base_url=stack.url(), timeout=60) as client:
        started = client.post("/api/start-interview", json=START | {"candidate_name": name, "num_questions": 1}).json()
        client.post("/api/submit-answer", json={"session_id": started["session_id"], "answer": ANSWERS[0],
                                                "question_number": 1})  # fmt: skip
    path = f"/api/data/interview/{started['session_id']}"
    with httpx.Client(base_url=stack.url(), timeout=60, headers={"Authorization": f"Bearer {TOKEN}"}) as admin:
        for _ in range(200):
            found = admin.get(path)
            if found.status_code == 200 and found.json()["questions_and_answers"][0].get("evidence"):
                return started["session_id"]
            time.sleep(0.1)
    raise AssertionError(f"{name}'s interview was not scored")


def open_detail(page: Page, stack, name: str):
    finished_interview(stack, name)
    open_dashboard(page)
    page.get_by_role("link", name=name).click()
    detail = page.locator("#detail")
    expect(detail).to_contain_text("Transcript")
    return detail


def test_saving_a_verdict_keeps_the_focus_on_its_form(page: Page, stack):
    detail = open_detail(page, stack, "Vera Verdict")
    verdict = detail.get_by_role("form", name="Your verdict on this interview")
    verdict.get_by_label("Your verdict").select_option("yes")
    verdict.get_by_role("button", name="Save verdict").press("Enter")
    expect(verdict).to_contain_text("Reviewed: yes by")
    expect(verdict.get_by_role("button", name="Save verdict")).to_be_focused()


def test_escape_closes_the_detail_view_and_gives_the_focus_back(page: Page, stack):
    detail = open_detail(page, stack, "Esme Escape")
    detail.get_by_role("form", name="Your verdict on this interview").get_by_label("Note (optional)").focus()
    page.keyboard.press("Escape")
    expect(detail).to_be_hidden()
    expect(page.get_by_role("link", name="Esme Escape")).to_be_focused()


def test_an_evidence_passage_opens_by_its_keys_not_by_the_focus(page: Page, stack):
    detail = open_detail(page, stack, "Kit Keyboard")
    mark = detail.locator(".qa mark.evidence").first
    reason = page.locator(f"#{mark.get_attribute('aria-describedby')}")
    detail.get_by_role("button", name="Save verdict").focus()  # the last control before the transcript
    for _ in range(20):
        page.keyboard.press("Tab")
        if mark.evaluate("m => m === document.activeElement"):
            break
    expect(mark).to_be_focused()
    expect(mark).to_have_attribute("aria-expanded", "false")
    expect(reason).to_be_hidden()
    page.keyboard.press("Enter")
    expect(mark).to_have_attribute("aria-expanded", "true")
    expect(reason).to_be_visible()
    page.keyboard.press("Space")
    expect(mark).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Space")
    expect(mark).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")  # closes the reason, not the view
    expect(mark).to_have_attribute("aria-expanded", "false")
    expect(detail).to_be_visible()


def test_the_overview_fits_320_css_pixels(page: Page, stack):
    finished_interview(stack, "Nora Narrow")
    open_dashboard(page)
    page.set_viewport_size({"width": 320, "height": 800})
    expect(page.locator(".charts")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"the page is {width} px wide at 320: it scrolls sideways"
