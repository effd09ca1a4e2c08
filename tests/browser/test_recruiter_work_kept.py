"""A recruiter's work is not lost, in Chromium against the five services: invitation links (shown once) stay
with their position until hidden, while other positions and sections are shown, and leaving the page asks
first; their download names the position; signing in again as the same person after the sign-in ended keeps
the page as it was (typed rows, links, a half-written verdict), while another person's sign-in starts afresh; a
refused revocation is said beside its row, which shows its real state; the candidates table fits a 1366 px
screen."""

import contextlib
import time
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import screenshot, watched_page
from tests.browser.test_dashboard import interview

pytestmark = pytest.mark.e2e
ADMIN = "work-kept-admin-secret"
STACK_ENV = {"ADMIN_TOKEN": ADMIN}
JOB = "Backend engineer: Python, PostgreSQL, queues and on-call; you will own the billing service."
FIRST = "Café Backend Engineer (Zürich)"
SECOND = "Data Analyst"


@pytest.fixture(scope="module")
def setup(stack) -> dict:
    """A recruiter, two positions, one invitation of the second, and a completed interview to review."""
    with httpx.Client(base_url=stack.url(), timeout=60, headers={"Authorization": f"Bearer {ADMIN}"}) as admin:
        made = admin.post(
            "/api/users", json={"email": "rita@example.com", "name": "Rita Recruiter", "role": "recruiter"}
        )
        assert made.status_code == 201, made.text
        ids = []
        for title in (FIRST, SECOND):
            position = admin.post("/api/positions", json={"title": title, "job_description": JOB, "num_questions": 1})
            assert position.status_code == 201, position.text
            ids.append(position.json()["position_id"])
        invited = admin.post(f"/api/positions/{ids[1]}/invitations",
                             json={"candidates": [{"candidate_name": "Linus Torvalds", "email": "linus@example.com"}]})  # fmt: skip
        assert invited.status_code == 201, invited.text
        interview(admin, "Barbara Liskov", 9, [0])
        for _ in range(100):
            if admin.get("/api/data/statistics").json()["total_interviews"] == 1:
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the interview did not complete")
        listed = admin.get("/api/data/interviews").json()["interviews"]
    return {"token": made.json()["token"], "first": ids[0], "second": ids[1],
            "invitation": invited.json()["invitations"][0], "session_id": listed[0]["session_id"]}  # fmt: skip


@pytest.fixture
def page(browser: Browser, stack) -> Page:
    with watched_page(browser, stack.url(), {"width": 1100, "height": 900}) as page:
        yield page


def sign_in(page: Page, token: str, where: str = "") -> None:
    page.goto(f"/dashboard{where}")
    page.get_by_label("API token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#who")).to_be_visible()


def type_candidate(page: Page, name: str, email: str) -> None:
    invite = page.get_by_role("form", name="Type them in")
    invite.get_by_label("Name of candidate 1").fill(name)
    invite.get_by_label("E-mail of candidate 1").fill(email)


def asks_before_leaving(page: Page) -> bool:
    """Whether closing the page asks first (a beforeunload dialog), which is then dismissed: the page stays."""
    asked = []

    def dismiss(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.close(run_before_unload=True)
    for _ in range(40):
        if asked or page.is_closed():
            break
        with contextlib.suppress(PlaywrightError):  # it closed meanwhile
            page.wait_for_timeout(50)
    return asked == ["beforeunload"]


def test_links_stay_with_their_position_until_hidden_and_leaving_asks_first(page: Page, setup):
    sign_in(page, setup["token"], f"#/positions/{setup['first']}")
    expect(page.get_by_role("heading", name=FIRST, exact=True)).to_be_visible()
    type_candidate(page, "Ada Lovelace", "ada@example.com")
    page.get_by_role("button", name="Create the links", exact=True).click()
    batch = page.locator("#invite-result .invitation-links")
    expect(batch).to_contain_text(f"1 invitation link created for {FIRST}")
    url = batch.locator("input.secret-value").input_value()

    with page.expect_download() as download:
        batch.get_by_role("button", name="Download the links (CSV)").click()
    assert download.value.suggested_filename == "invitation-links-cafe-backend-engineer-zurich.csv"
    lines = Path(download.value.path()).read_text().splitlines()
    assert lines[0] == "position,candidate_name,email,url,expires_at"
    assert lines[1].startswith(f"{FIRST},Ada Lovelace,ada@example.com,{url},"), lines

    page.evaluate(f"location.hash = '#/positions/{setup['second']}'")  # another position: its own, none
    expect(page.get_by_role("heading", name=SECOND, exact=True)).to_be_visible()
    expect(page.locator("#invite-result .invitation-links")).to_have_count(0)
    waiting = page.locator("#links-waiting")
    expect(waiting).to_contain_text(f"Invitation links not copied yet: {FIRST} (1 link)")
    page.get_by_role("link", name="Overview").click()  # another section: still said
    expect(page.get_by_role("heading", name="Analyses")).to_be_visible()
    expect(waiting).to_be_visible()
    screenshot(page, "70-links-waiting-elsewhere")
    waiting.get_by_role("link", name=FIRST).click()  # back: the links again, the banner gone
    expect(page.get_by_role("heading", name=FIRST, exact=True)).to_be_visible()
    expect(batch).to_have_count(1)
    expect(batch.locator("input.secret-value")).to_have_value(url)
    expect(waiting).to_be_hidden()

    assert asks_before_leaving(page)  # closing or reloading the page would lose them: the browser asks
    assert not page.is_closed()
    batch.get_by_role("button", name="I have copied it: hide this").click()
    expect(batch).to_have_count(0)
    assert not asks_before_leaving(page)  # nothing left to lose: it closes without asking
    assert page.is_closed()


def test_signing_in_again_as_the_same_person_keeps_the_page(page: Page, setup):
    sign_in(page, setup["token"], f"#/positions/{setup['first']}")
    type_candidate(page, "Grace Hopper", "grace@example.com")
    page.get_by_role("button", name="Create the links", exact=True).click()
    links = page.locator("#invite-result .invitation-links")
    expect(links).to_have_count(1)
    type_candidate(page, "Edsger Dijkstra", "edsger@example.com")
    page.evaluate("window.sameDocument = true")  # gone if the page reloads

    assert page.request.post("/api/auth/sign-out").ok  # the sign-in ends behind the page's back
    page.get_by_role("button", name="Create the links", exact=True).click()
    expect(page.locator("#signin-token-error")).to_have_text("Your sign-in has ended: sign in again.")
    expect(page.get_by_label("API token")).to_be_focused()
    expect(page.locator("#content")).to_be_hidden()
    page.get_by_label("API token").fill(setup["token"])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=FIRST, exact=True)).to_be_visible()
    assert page.evaluate("window.sameDocument === true")
    invite = page.get_by_role("form", name="Type them in")
    expect(invite.get_by_label("Name of candidate 1")).to_have_value("Edsger Dijkstra")
    expect(invite.get_by_label("E-mail of candidate 1")).to_have_value("edsger@example.com")
    expect(invite).to_contain_text("No links were created: your sign-in had ended")
    expect(links).to_have_count(1)  # the links shown before, still there
    expect(page.get_by_role("button", name="Create the links", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    expect(links).to_have_count(2)
    expect(links.first).to_contain_text("1 invitation link created")
    for _ in range(2):
        links.first.get_by_role("button", name="I have copied it: hide this").click()

    # a half-written verdict note, the sign-in ended, then saved once signed in again
    page.evaluate(f"location.hash = '#{setup['session_id']}'")
    verdict = page.get_by_role("form", name="Your verdict on this interview")
    verdict.get_by_label("Your verdict").select_option("yes")
    verdict.get_by_label("Note (optional)").fill("Strong on databases; ask about on-call")
    assert page.request.post("/api/auth/sign-out").ok
    verdict.get_by_role("button", name="Save verdict").click()
    expect(page.locator("#signin-token-error")).to_be_visible()
    page.get_by_label("API token").fill(setup["token"])
    page.get_by_label("API token").press("Enter")
    expect(verdict.get_by_label("Note (optional)")).to_have_value("Strong on databases; ask about on-call")
    expect(verdict).to_contain_text("Your input is kept")
    expect(verdict.get_by_role("button", name="Save verdict")).to_be_focused()
    verdict.get_by_role("button", name="Save verdict").click()
    expect(verdict).to_contain_text("Reviewed: yes by Rita Recruiter")
    assert page.evaluate("window.sameDocument === true")

    # someone else signing in: their rights differ, the page starts afresh
    assert page.request.post("/api/auth/sign-out").ok
    page.get_by_role("button", name="Refresh").click()
    page.get_by_label("API token").fill(ADMIN)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#who-name")).to_have_text("administrator (ADMIN_TOKEN)")
    assert page.evaluate("window.sameDocument === undefined")


def test_a_refused_revocation_is_said_beside_its_row_which_shows_its_state(page: Page, stack, setup):
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, setup["token"], f"#/positions/{setup['second']}")
    row = page.locator("#candidate-rows tr[data-invitation]", has_text="Linus Torvalds")
    expect(row).to_have_attribute("data-status", "invited")
    started = httpx.post(f"{stack.url()}/api/start-interview", timeout=60,  # the candidate starts meanwhile
                         json={"invitation": setup["invitation"]["token"], "consent": True, "experience_years": 3})  # fmt: skip
    assert started.status_code in (200, 201), started.text
    page.get_by_role("button", name="Revoke the invitation of Linus Torvalds").click()
    problem = page.locator("#candidate-rows tr.row-problem").get_by_role("alert")
    expect(problem).to_contain_text("Not revoked: This invitation was already used to start an interview")
    expect(problem).to_be_focused()
    expect(problem).to_be_in_viewport()
    expect(row).to_have_attribute("data-status", "started")
    expect(page.get_by_role("button", name="Revoke the invitation of Linus Torvalds")).to_have_count(0)
    expect(page.locator("#message")).to_be_hidden()
    screenshot(page, "71-revoke-refused-beside-its-row")


def test_a_lost_link_is_given_a_new_one_shown_once_with_the_others(page: Page, stack, setup):
    """A recruiter's suggestion: a link lost (shown once) took a revoke and the candidate typed in again."""
    with httpx.Client(base_url=stack.url(), timeout=60, headers={"Authorization": f"Bearer {ADMIN}"}) as admin:
        made = admin.post(f"/api/positions/{setup['first']}/invitations",
                          json={"candidates": [{"candidate_name": "Grace Lost", "email": "grace.lost@example.com"}]})  # fmt: skip
        assert made.status_code == 201, made.text
        [old] = made.json()["invitations"]
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    sign_in(page, setup["token"], f"#/positions/{setup['first']}")
    page.get_by_role("button", name="A new link for Grace Lost").click()
    assert asked == ["A new link for Grace Lost? The link they have stops working."]
    batch = page.locator("#invite-result .invitation-links")
    expect(batch).to_contain_text(f"1 invitation link created for {FIRST}")
    expect(batch).to_contain_text("Grace Lost")
    url = batch.locator("input.secret-value").input_value()
    assert "invitation=" in url and old["token"] not in url
    expect(page.locator("#candidates-status")).to_have_text(
        "Grace Lost has a new link: copy it below; their old one no longer works."
    )
    # one candidate, as their new link stands (found by a recruiter's test: each new link added a "revoked" row)
    rows = page.locator("#candidate-rows tr[data-invitation]", has_text="Grace Lost")
    expect(rows).to_have_count(1)
    expect(rows).to_have_attribute("data-status", "invited")
    expect(page.locator(f"#candidate-rows tr[data-invitation='{old['invitation_id']}']")).to_have_count(0)
    assert httpx.post(f"{stack.url()}/api/invitation", json={"invitation": old["token"]}, timeout=30).status_code == 410
    screenshot(page, "73-new-link")


def test_an_interview_its_candidate_left_is_ended_and_gets_its_report(page: Page, stack, setup):
    """Found by a recruiter's test: an interview a candidate walked away from stayed "started" for ever."""
    with httpx.Client(base_url=stack.url(), timeout=60, headers={"Authorization": f"Bearer {ADMIN}"}) as admin:
        position_id = admin.post("/api/positions", json={"title": "Site Reliability Engineer", "job_description": JOB,
                                                         "num_questions": 3}).json()["position_id"]  # fmt: skip
        made = admin.post(f"/api/positions/{position_id}/invitations",
                          json={"candidates": [{"candidate_name": "Walter Away", "email": "walter@example.com"}]})  # fmt: skip
        assert made.status_code == 201, made.text
        token = made.json()["invitations"][0]["token"]
    started = httpx.post(f"{stack.url()}/api/start-interview", timeout=60,
                         json={"invitation": token, "consent": True, "experience_years": 4}).json()  # fmt: skip
    answered = httpx.post(f"{stack.url()}/api/submit-answer", timeout=60,
                          headers={"X-Candidate-Token": started["candidate_token"]},
                          json={"session_id": started["session_id"], "question_number": 1,
                                "answer": "I ran the billing service's on-call for two years and cut pages by half."})  # fmt: skip
    assert answered.status_code == 200, answered.text
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    sign_in(page, setup["token"], f"#/positions/{position_id}")
    row = page.locator("#candidate-rows tr[data-invitation]", has_text="Walter Away")
    expect(row).to_have_attribute("data-status", "started")
    expect(row.locator(".last-active")).to_contain_text("last active ")  # when they left (a recruiter's test)
    page.get_by_role("button", name="End the interview of Walter Away").click()
    assert asked and asked[0].startswith("End the interview of Walter Away (started ")
    assert "its report covers the 1 answer given" in asked[0]
    expect(row).to_have_attribute("data-status", "completed", timeout=15_000)  # its report, written meanwhile
    expect(row).to_contain_text("(ended early)")
    expect(row.locator(".last-active")).to_have_count(0)  # ended: nobody waits on it any more
    expect(page.get_by_role("button", name="End the interview of Walter Away")).to_have_count(0)


def test_a_long_list_of_candidates_is_filtered_by_name_and_status(page: Page, stack, setup):
    """Found by a recruiter's test: a position of 56 candidates was one table 5,900 px tall, with no filter."""
    people = [{"candidate_name": f"Person {n:02}", "email": f"person{n:02}@example.org"} for n in range(12)]
    with httpx.Client(base_url=stack.url(), timeout=60, headers={"Authorization": f"Bearer {ADMIN}"}) as admin:
        position_id = admin.post("/api/positions", json={"title": "Support Engineer", "job_description": JOB,
                                                         "num_questions": 1}).json()["position_id"]  # fmt: skip
        made = admin.post(f"/api/positions/{position_id}/invitations", json={"candidates": people}).json()
        for invitation in made["invitations"][:3]:
            assert admin.post(f"/api/invitations/{invitation['invitation_id']}/revoke").status_code == 200
    sign_in(page, setup["token"], f"#/positions/{position_id}")
    rows = page.locator("#candidate-rows tr[data-invitation]")
    expect(rows).to_have_count(12)
    search = page.get_by_role("search", name="Filter the candidates")
    search.get_by_label("Name or e-mail").fill("person1")  # person10, person11
    expect(rows.filter(visible=True)).to_have_count(2)
    expect(search.locator("#cf-count")).to_have_text("2 of 12 shown.")
    search.get_by_label("Name or e-mail").fill("")
    search.get_by_label("Status").select_option("revoked")
    expect(rows.filter(visible=True)).to_have_count(3)
    expect(rows.filter(visible=True).first).to_contain_text("Person 00")
    search.get_by_label("Status").select_option("")
    expect(rows.filter(visible=True)).to_have_count(12)
    expect(search.locator("#cf-count")).to_have_text("")


def test_the_candidates_table_fits_a_1366_px_screen(page: Page, setup):
    """The widest rows a position shows: long names and e-mails, every status, scores, verdicts, revoke buttons."""
    long = [("Maximiliane Alexandrina von Hohenzollern-Sigmaringen", "maximiliane.alexandrina.hohenzollern@example-recruiting.com"),
            ("Bartholomew Montgomery-Fitzgerald", "bartholomew.montgomery-fitzgerald@example.co.uk")]  # fmt: skip
    rows = []
    for number, status in enumerate(["completed", "completed", "started", "invited", "closed", "expired", "revoked"]):
        name, email = long[number % 2]
        done = status == "completed"
        rows.append({"invitation_id": f"inv-{number:012d}", "candidate_name": name, "email": email, "status": status,
                     "expires_at": None, "session_id": f"session-{number}" if status in ("completed", "started") else None,
                     "average_score": 7.25 if done else None, "overall_score": 7.5 if done else None,
                     "hire_recommendation": "strong yes" if done else None, "human_verdict": "strong yes" if done else None,
                     "human_verdicts": [{"verdict": "strong yes", "reviewer": "Maximiliane Recruiter"},
                                        {"verdict": "maybe", "reviewer": "Reva Reviewer"}] if done else [],
                     "questions_answered": 10 if done else 0, "total_questions": 12 if done else None,
                     "ended_early": done, "started_at": None, "ended_at": None})  # fmt: skip
    page.route("**/api/positions/*/candidates", lambda route: route.fulfill(json={"candidates": rows}))
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, setup["token"], f"#/positions/{setup['first']}")
    expect(page.locator("#candidate-rows tr")).to_have_count(len(rows))
    wrap = page.locator("#candidates-wrap")
    sizes = wrap.evaluate("box => [box.scrollWidth, box.clientWidth]")
    screenshot(page, "72-candidates-at-1366")
    assert sizes[0] <= sizes[1], f"the table is {sizes[0]} px wide in {sizes[1]} px"
    revoke = page.get_by_role("button", name="Revoke the invitation of Bartholomew Montgomery-Fitzgerald").first
    box, frame = revoke.bounding_box(), wrap.bounding_box()
    assert box["x"] + box["width"] <= frame["x"] + frame["width"], (box, frame)
    screenshot(page, "72-candidates-at-1366")
