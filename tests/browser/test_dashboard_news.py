"""Found by a recruiter's user test of the dashboard, in Chromium against the five services: the sections and an
open interview say when something changed (checked every half second here, ?check_every=0.5) and show it on
request, never redrawn under the recruiter's hands; not checked while the tab is hidden; a bad score filter is
said beside the filters; an opened interview is in the address (Back closes it, a colleague opens the copied
address); interviews ended early are marked; the overview's numbers are labelled and written as the position
page's."""

import re
import time
from itertools import pairwise

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import watched_page
from tests.e2e.conftest import eventually
from tests.e2e.test_interview import ANSWERS

pytestmark = pytest.mark.e2e
ADMIN = "news-admin-secret"
ADMIN_NAME = "administrator (ADMIN_TOKEN)"
STACK_ENV = {"ADMIN_TOKEN": ADMIN, "START_RATE_PER_MINUTE": "100000", "ANSWER_RATE_PER_MINUTE": "100000"}
JOB = "Backend engineer: Python, PostgreSQL, queues and on-call; you will own the billing service."
CHECKED = "?check_every=0.5"


def admin_client(stack) -> httpx.Client:
    return httpx.Client(base_url=stack.url(), timeout=60, headers={"Authorization": f"Bearer {ADMIN}"})


def completed(admin: httpx.Client) -> int:
    return admin.get("/api/data/statistics").json()["total_interviews"]


def candidate(admin: httpx.Client, position_id: str, name: str, answers: int, end_early: bool = False) -> str:
    """`name`'s interview for the position, `answers` answered; ended by a recruiter when `end_early`. Its session id,
    once the read API shows it completed."""
    before = completed(admin)
    [invited] = admin.post(f"/api/positions/{position_id}/invitations",
                           json={"candidates": [{"candidate_name": name}]}).json()["invitations"]  # fmt: skip
    with httpx.Client(base_url=admin.base_url, timeout=60) as browser:  # the candidate's, signed in to nothing
        started = browser.post("/api/start-interview",
                               json={"invitation": invited["token"], "consent": True, "experience_years": 4}).json()  # fmt: skip
        for number in range(1, answers + 1):
            answered = browser.post("/api/submit-answer", headers={"X-Candidate-Token": started["candidate_token"]},
                                    json={"session_id": started["session_id"], "question_number": number, "answer": ANSWERS[0]})  # fmt: skip
            assert answered.status_code == 200, answered.text
    if end_early:
        ended = admin.post(f"/api/data/interview/{started['session_id']}/end")
        assert ended.status_code < 300, ended.text
    eventually(lambda: completed(admin), lambda count: count == before + 1)
    return started["session_id"]


def position(admin: httpx.Client, title: str, questions: int) -> str:
    made = admin.post("/api/positions", json={"title": title, "job_description": JOB, "num_questions": questions})
    assert made.status_code == 201, made.text
    return made.json()["position_id"]


@pytest.fixture(scope="module")
def setup(stack) -> dict:
    """A recruiter (the colleague), a position with one completed interview, another with one ended early."""
    with admin_client(stack) as admin:
        made = admin.post(
            "/api/users", json={"email": "rita@example.com", "name": "Rita Recruiter", "role": "recruiter"}
        )
        assert made.status_code == 201, made.text
        backend = position(admin, "Backend Engineer", 1)
        ada = candidate(admin, backend, "Ada Lovelace", 1)
        longer = position(admin, "Staff Engineer", 2)
        early = candidate(admin, longer, "Alan Turing", 1, end_early=True)
        candidate(admin, longer, "Grace Hopper", 2)
    return {"colleague": made.json()["token"], "backend": backend, "ada": ada, "longer": longer, "early": early}


@pytest.fixture
def page(browser: Browser, stack) -> Page:
    with watched_page(browser, stack.url(), {"width": 1100, "height": 900}) as page:
        yield page


def sign_in(page: Page, where: str = "") -> None:
    page.goto(f"/dashboard{CHECKED}{where}")
    page.get_by_label("API token").fill(ADMIN)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#who-name")).to_have_text(ADMIN_NAME)


def test_the_overview_says_new_results_and_shows_them_when_asked(page: Page, stack, setup):
    sign_in(page)
    count = page.locator("#stat-interviews")
    expect(count).not_to_have_text("")
    before = int(count.inner_text())
    news = page.locator("#news")
    expect(news).to_be_empty()
    expect(news).to_have_attribute("role", "status")  # polite: said when the reader pauses
    with admin_client(stack) as admin:
        candidate(admin, setup["backend"], "Edsger Dijkstra", 1)
    expect(news).to_contain_text("New results since this page loaded", timeout=10_000)
    expect(count).to_have_text(str(before))  # not redrawn by itself
    news.get_by_role("button", name="Show them").click()
    expect(count).to_have_text(str(before + 1))
    expect(page.locator("#rows")).to_contain_text("Edsger Dijkstra")
    expect(news).to_be_empty()


def test_a_position_page_says_a_candidate_completed(page: Page, stack, setup):
    sign_in(page, f"#/positions/{setup['backend']}")
    rows = page.locator("#candidate-rows tr[data-status=completed]")
    expect(rows.first).to_be_visible()
    before = rows.count()
    with admin_client(stack) as admin:
        candidate(admin, setup["backend"], "Barbara Liskov", 1)
    news = page.locator("#news")
    expect(news).to_contain_text("New results since this page loaded", timeout=10_000)
    expect(rows).to_have_count(before)
    news.get_by_role("button", name="Show them").click()
    expect(rows).to_have_count(before + 1)
    expect(page.locator("#candidate-rows")).to_contain_text("Barbara Liskov")


def test_an_interview_a_colleague_gave_a_verdict_says_so_and_keeps_what_is_typed(page: Page, stack, setup):
    sign_in(page, f"#/positions/{setup['backend']}")
    page.locator("#candidate-rows").get_by_role("link", name="Ada Lovelace").click()
    detail = page.locator("#detail")
    expect(detail).to_contain_text("Transcript")
    verdict = page.get_by_role("form", name="Your verdict on this interview")
    verdict.get_by_label("Note (optional)").fill("half-typed")
    page.wait_for_timeout(1500)  # checks find nothing new: the interview as read is the interview now
    expect(page.locator("#detail-news")).to_be_empty()
    with httpx.Client(
        base_url=stack.url(), timeout=60, headers={"Authorization": f"Bearer {setup['colleague']}"}
    ) as rita:
        saved = rita.post(f"/api/data/interview/{setup['ada']}/review", json={"verdict": "yes", "note": "Hire her."})
        assert saved.status_code == 200, saved.text
    news = page.locator("#detail-news")
    expect(news).to_contain_text("A colleague changed this interview", timeout=10_000)
    expect(verdict.get_by_label("Note (optional)")).to_have_value("half-typed")  # not redrawn under the hands
    expect(detail.get_by_role("list", name="The team's verdicts")).to_be_hidden()
    news.get_by_role("button", name="Reload it").click()
    expect(detail.get_by_role("list", name="The team's verdicts")).to_contain_text("yes Rita Recruiter")
    expect(news).to_be_empty()


def test_ones_own_verdict_is_no_news(page: Page, setup):
    sign_in(page, f"#/positions/{setup['longer']}")
    page.locator("#candidate-rows").get_by_role("link", name="Grace Hopper").click()
    detail = page.locator("#detail")
    verdict = page.get_by_role("form", name="Your verdict on this interview")
    verdict.get_by_label("Your verdict").select_option("maybe")
    verdict.get_by_role("button", name="Save verdict").click()
    expect(detail.get_by_role("list", name="The team's verdicts")).to_contain_text("maybe")
    page.wait_for_timeout(2000)
    expect(page.locator("#detail-news")).to_be_empty()


def test_nothing_is_checked_while_the_tab_is_hidden(page: Page, setup):
    sign_in(page)
    expect(page.locator("#rows tr").first).to_be_visible()
    checks = []
    page.on("request", lambda r: checks.append(r.url) if "/api/data/interviews?" in r.url else None)
    page.wait_for_timeout(1500)
    assert checks, "the overview was not checked while visible"
    page.evaluate("""() => {
        Object.defineProperty(document, "hidden", { configurable: true, get: () => true });
        document.dispatchEvent(new Event("visibilitychange"));
    }""")
    page.wait_for_timeout(700)  # a check under way ends
    checks.clear()
    page.wait_for_timeout(2000)
    assert checks == []
    page.evaluate("""() => {
        Object.defineProperty(document, "hidden", { configurable: true, get: () => false });
        document.dispatchEvent(new Event("visibilitychange"));
    }""")
    page.wait_for_timeout(1500)
    assert checks, "not checked again once visible"


def test_a_bad_score_range_is_said_beside_the_filters(page: Page, setup):
    sign_in(page)
    expect(page.locator("#rows tr").first).to_be_visible()
    asked = []
    page.on("request", lambda r: asked.append(r.url) if "min_score=8" in r.url else None)
    page.get_by_label("Min. average").fill("8")
    page.get_by_label("Max. average").fill("2")
    page.get_by_role("button", name="Apply filters").click()
    error = page.locator("#filters-error")
    expect(error).to_have_text("The minimum average (8) is above the maximum (2): no interview can match.")
    expect(page.get_by_label("Min. average")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#rows")).to_have_text("No interviews shown: the filters above need fixing.")
    expect(page.locator("#table-status")).to_have_text("Not filtered: the filters need fixing.")
    assert asked == []  # checked before asking
    page.get_by_label("Max. average").fill("")  # the server's own refusal, said the same way
    page.route(
        "**/api/data/interviews?*min_score=8*", lambda route: route.continue_(url=f"{route.request.url}&max_score=2")
    )
    page.get_by_role("button", name="Apply filters").click()
    expect(error).to_have_text(
        re.compile(r"^These filters cannot be applied: score: the lower bound \(8(\.0)?\) is above")
    )
    expect(page.locator("#rows")).to_have_text("No interviews shown: the filters above need fixing.")
    page.unroute("**/api/data/interviews?*min_score=8*")
    page.get_by_label("Min. average").fill("")
    page.get_by_role("button", name="Apply filters").click()
    expect(error).to_be_hidden()
    expect(page.locator("#rows")).to_contain_text("Ada Lovelace")


def test_an_opened_interview_is_in_the_address_for_back_and_for_a_colleague(browser: Browser, page: Page, stack, setup):
    sign_in(page, f"#/positions/{setup['backend']}")
    section = f"#/positions/{setup['backend']}"
    link = page.locator("#candidate-rows").get_by_role("link", name="Ada Lovelace")
    link.click()
    title = page.locator("#detail-title")
    expect(title).to_contain_text(setup["ada"])
    assert page.evaluate("location.hash") == f"{section}/interview/{setup['ada']}"
    address = page.url
    page.go_back()
    expect(page.locator("#detail")).to_be_hidden()
    assert page.evaluate("location.hash") == section
    expect(link).to_be_focused()
    page.go_forward()
    expect(title).to_contain_text(setup["ada"])
    page.locator("#detail").get_by_role("button", name="Close").click()
    expect(page.locator("#detail")).to_be_hidden()
    expect(page).to_have_url(re.compile(re.escape(section) + "$"))
    expect(link).to_be_focused()
    with watched_page(browser, stack.url(), {"width": 1100, "height": 900}) as colleague:
        colleague.goto(address)
        colleague.get_by_label("API token").fill(setup["colleague"])
        colleague.get_by_role("button", name="Sign in").click()
        expect(colleague.locator("#detail-title")).to_contain_text(setup["ada"])
        expect(colleague.locator("#position-title")).to_have_text("Backend Engineer")
        colleague.locator("#detail").get_by_role("button", name="Close").click()
        expect(colleague).to_have_url(re.compile(re.escape(section) + "$"))  # no entry before it here to go back to


def test_an_interview_ended_early_is_marked_and_its_ranking_said(page: Page, stack, setup):
    sign_in(page)
    row = page.locator("#rows tr", has_text="Alan Turing")
    expect(row.locator("td").nth(4).locator(".ended-early")).to_have_text("(ended early)")
    expect(page.locator("#rows tr", has_text="Grace Hopper").locator(".ended-early")).to_have_count(0)
    page.goto(f"/dashboard{CHECKED}#/positions/{setup['longer']}")
    note = page.locator("#ranking-note")
    expect(note).to_contain_text("ended early rank after those who answered every question")
    page.goto(f"/dashboard{CHECKED}#/positions/{setup['backend']}")
    expect(page.locator("#candidate-rows tr").first).to_be_visible()
    expect(note).to_be_hidden()


def test_the_overview_labels_questions_planned_and_writes_overall_scores_with_one_decimal(page: Page, stack, setup):
    sign_in(page)
    expect(page.locator("#stat-questions")).to_be_visible()
    label = page.locator(".stat", has=page.locator("#stat-questions")).locator(".muted")
    expect(label).to_have_text("Questions planned")
    with admin_client(stack) as admin:
        planned = admin.get("/api/data/statistics").json()["total_questions"]
        overall = admin.get("/api/data/interviews").json()["interviews"]
    expect(page.locator("#stat-questions")).to_have_text(str(planned))
    for interview in overall:
        cells = page.locator("#rows tr", has_text=interview["candidate_name"]).locator("td")
        expect(cells.nth(5)).to_have_text(f"{interview['overall_score']:.1f}")


def test_checks_never_pile_up_and_back_off_while_they_fail(page: Page, setup):
    sign_in(page)
    expect(page.locator("#rows tr").first).to_be_visible()
    held = []  # a check the server does not answer: no other is sent meanwhile
    page.route("**/api/data/interviews?*", lambda route: held.append(route))
    page.wait_for_timeout(3000)
    assert len(held) == 1, [route.request.url for route in held]
    failed = []  # each failure doubles the wait: 1, 2, 4 s rather than every 0.5 s
    held[0].fulfill(status=500, json={})
    page.unroute("**/api/data/interviews?*")
    page.route(
        "**/api/data/interviews?*", lambda route: (failed.append(time.monotonic()), route.fulfill(status=500, json={}))
    )
    page.wait_for_timeout(6000)
    assert 2 <= len(failed) <= 4, failed
    gaps = [later - earlier for earlier, later in pairwise(failed)]
    assert all(gap >= 1.5 for gap in gaps), gaps
    expect(page.locator("#news")).to_be_empty()
    expect(page.locator("#message")).to_be_hidden()  # a failed check is not the recruiter's problem


def test_an_open_interview_erased_meanwhile_is_said_and_the_section_still_hears_news(page: Page, stack, setup):
    """Found by a review: the open interview's check failing (404) threw away the section's news, and for good."""
    with admin_client(stack) as admin:
        gone = candidate(admin, setup["backend"], "Erased Soon", 1)
    sign_in(page, f"#/positions/{setup['backend']}")
    page.locator("#candidate-rows").get_by_role("link", name="Erased Soon").click()
    expect(page.locator("#detail")).to_contain_text("Transcript")
    with admin_client(stack) as admin:
        assert admin.delete(f"/api/data/interview/{gone}").status_code == 200
        expect(page.locator("#detail-news")).to_have_text(
            "This interview is no longer available (it was erased).", timeout=10_000
        )
        candidate(admin, setup["backend"], "Barbara Liskov", 1)
    expect(page.locator("#news")).to_contain_text("New results since this page loaded", timeout=10_000)


def test_side_by_side_shows_the_answers_and_flags_one_given_word_for_word(page: Page, stack, setup):
    """Found by a recruiter's test: the comparison showed scores only, and two candidates' identical answers went
    unremarked. Here every candidate of the position answered with the same text."""
    names = ["Copy One", "Copy Two"]
    with admin_client(stack) as admin:
        for name in names:
            candidate(admin, setup["backend"], name, 1)
    sign_in(page, f"#/positions/{setup['backend']}")
    for name in names:
        page.get_by_label(f"Select {name} to compare").check()
    page.get_by_role("button", name="Compare selected").click()
    question = page.locator("#compare table tr", has_text="Question 1")
    question.locator("details summary").first.click()
    expect(question.locator("details").first).to_contain_text(ANSWERS[0][:40])
    expect(question.locator(".same-answer")).to_have_text(
        [f"Word for word the same as {names[1]}'s answer", f"Word for word the same as {names[0]}'s answer"]
    )
