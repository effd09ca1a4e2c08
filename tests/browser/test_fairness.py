"""The adverse-impact monitor in Chromium (docs/fairness.md): a candidate on a phone finishes an interview
and answers the optional form under the report; another, reloading a finished interview, meets a refusal
and says no thanks; more candidates are interviewed and self-identify over HTTP; the admin's Fairness view
shows the same numbers as the API, marks the ratios below four-fifths in words, downloads the audit's CSV,
opens one position from the overall view and prints; a reviewer is not offered the view. The tests run in
order: each goes on from where the one before left off."""

import shutil
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import assert_modules_only, screenshot
from tests.browser.test_candidate import answer_current, every_control_is_labelled, fill_start_form
from tests.browser.test_hiring import browsing, nav, sign_in
from tests.e2e.conftest import eventually
from tests.e2e.test_interview import ANSWERS, START
from tests.e2e.test_recruiting import POSITION

pytestmark = pytest.mark.e2e
ADMIN = "browser-fairness-admin"
STACK_ENV = {"ADMIN_TOKEN": ADMIN, "START_RATE_PER_MINUTE": "100000", "ANSWER_RATE_PER_MINUTE": "100000"}
ANALYSIS = "/api/data/analysis/adverse-impact"
FORM = "Optional: help us check our interviews are fair"
TITLE = "Fairness Analyst"
DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "fairness.png"
# Interviewed over HTTP, one question each: what they say of themselves (sex, race/ethnicity, age band) and
# their answer (an index into ANSWERS: 1 is the vague one), the women answering well and most men not.
OPEN = [("female", "asian", "under_30", 0), ("female", "white", "30_39", 2),
        ("female", "black_or_african_american", "40_49", 4), ("male", "white", "30_39", 1),
        ("male", "asian", "50_59", 1), ("male", "white", "40_49", 0)]  # fmt: skip
INVITED = [("female", "asian", "30_39", 0), ("male", "white", "40_49", 1), ("female", "white", "under_30", 2),
           ("male", "asian", "60_and_over", 1)]  # fmt: skip
SILENT = 1  # one more in open mode who sends nothing


def admin_client(stack) -> httpx.Client:
    return httpx.Client(base_url=stack.url(), timeout=60, headers={"Authorization": f"Bearer {ADMIN}"})


@pytest.fixture(scope="module")
def journey() -> dict:
    """What each test leaves for the next: the interviews finished and the forms sent in the browser."""
    return {"interviews": 0, "self_identified": 0}


def test_a_candidate_on_a_phone_answers_the_optional_form_under_the_report(browser, stack, journey):
    with browsing(browser, stack, width=390, height=844, is_mobile=True, has_touch=True) as page:
        fill_start_form(page, name="Ada Phone", questions=1)
        page.get_by_role("button", name="Start the interview").click()
        answer_current(page, 1, ANSWERS[0])
        expect(page.get_by_role("heading", name="Your interview report")).to_be_visible()
        journey["interviews"] += 1
        form = page.get_by_role("region", name=FORM)
        expect(form).to_be_visible()
        expect(form).to_contain_text("never shown to the people who assess you")
        for label in ("Sex", "Race/ethnicity", "Age"):
            expect(form.get_by_label(label, exact=True)).to_have_value("prefer_not_to_say")
        every_control_is_labelled(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing runs off a phone's screen
        form.get_by_label("Sex", exact=True).select_option("female")
        form.get_by_label("Race/ethnicity").select_option(label="White")
        form.get_by_label("Age", exact=True).select_option("30_39")
        screenshot(page, "fairness-form")
        with page.expect_request("**/api/self-identification") as sent:
            form.get_by_role("button", name="Send").click()
        expect(form.get_by_text("Thank you")).to_be_focused()
        expect(form.get_by_role("button", name="Send")).to_be_hidden()
        request = sent.value
        assert request.post_data_json == {"session_id": request.post_data_json["session_id"], "sex": "female",
                                          "race_ethnicity": "white", "age_band": "30_39"}  # fmt: skip
        assert request.headers.get("x-candidate-token")  # as every call about the interview
        journey["self_identified"] += 1
        assert_modules_only(page)


def test_a_finished_interview_resumed_offers_the_form_again_and_says_a_refusal_in_it(browser, stack, journey):
    with browsing(browser, stack) as page:
        fill_start_form(page, name="Alan Reload", questions=1)
        page.get_by_role("button", name="Start the interview").click()
        expect(page.locator("#question")).not_to_be_empty()
        saved = page.evaluate("JSON.parse(localStorage.getItem('interviewer.session'))")
        page.goto("about:blank")  # away, while the interview finishes elsewhere
        finished = httpx.post(f"{stack.url()}/api/submit-answer", headers={"X-Candidate-Token": saved["candidate_token"]},
                              json={"session_id": saved["session_id"], "answer": ANSWERS[1], "question_number": 1})  # fmt: skip
        assert finished.status_code == 200 and finished.json()["report"], finished.text
        journey["interviews"] += 1
        page.goto("/")  # back to a finished interview: resuming shows the report, and the form under it
        expect(page.get_by_role("heading", name="Your interview report")).to_be_visible()
        form = page.get_by_role("region", name=FORM)
        expect(form).to_be_visible()
        form.get_by_label("Age", exact=True).select_option("40_49")
        page.locator("#self-sex option[value=male]").evaluate("option => { option.value = 'martian'; }")
        form.get_by_label("Sex", exact=True).select_option("martian")
        form.get_by_role("button", name="Send").click()
        alert = form.get_by_role("alert")
        expect(alert).to_contain_text("sex")  # the server's own reason, in the form
        expect(form.get_by_label("Age", exact=True)).to_have_value("40_49")  # the choices are kept
        expect(form.get_by_role("button", name="Send")).to_be_visible()
        form.get_by_role("button", name="No thanks").click()
        expect(form).to_be_hidden()
        expect(page.get_by_role("heading", name="Question by question")).to_be_focused()


def finish_interview(client: httpx.Client, body: dict, answer: int) -> dict:
    started = client.post("/api/start-interview", json=body)
    assert started.status_code == 200, started.text
    started = started.json()
    reply = {"session_id": started["session_id"], "answer": ANSWERS[answer], "question_number": 1}
    finished = client.post("/api/submit-answer", json=reply, headers={"X-Candidate-Token": started["candidate_token"]})
    assert finished.status_code == 200 and finished.json()["report"], finished.text
    return started


def self_identify(client: httpx.Client, started: dict, sex: str, race: str, age: str) -> None:
    said = {"session_id": started["session_id"], "sex": sex, "race_ethnicity": race, "age_band": age}
    response = client.post("/api/self-identification", json=said,
                           headers={"X-Candidate-Token": started["candidate_token"]})  # fmt: skip
    assert response.status_code == 200, response.text


@pytest.fixture(scope="module")
def interviews(stack, journey) -> dict:
    """The candidates interviewed over HTTP (a position's from invitations), counted by the analysis."""
    with admin_client(stack) as admin, httpx.Client(base_url=stack.url(), timeout=60) as gateway:
        position = admin.post("/api/positions", json=POSITION | {"title": TITLE, "num_questions": 1, "must_ask": []})
        assert position.status_code == 201, position.text
        position_id = position.json()["position_id"]
        invited = admin.post(f"/api/positions/{position_id}/invitations",
                             json={"candidates": [{"candidate_name": f"Invited {n}"} for n in range(len(INVITED))]})  # fmt: skip
        assert invited.status_code == 201, invited.text
        for (sex, race, age, answer), invitation in zip(INVITED, invited.json()["invitations"], strict=True):
            started = finish_interview(
                gateway, {"invitation": invitation["token"], "consent": True, "experience_years": 4}, answer
            )
            self_identify(gateway, started, sex, race, age)
        for index, (sex, race, age, answer) in enumerate(OPEN):
            started = finish_interview(gateway, START | {"candidate_name": f"Open {index}", "num_questions": 1}, answer)
            self_identify(gateway, started, sex, race, age)
        finish_interview(gateway, START | {"candidate_name": "Silent", "num_questions": 1}, 1)
        total = journey["interviews"] + len(OPEN) + len(INVITED) + SILENT
        said = journey["self_identified"] + len(OPEN) + len(INVITED)
        eventually(lambda: admin.get(ANALYSIS, params={"min_group": 2}).json(),
                   lambda r: (r["interviews"], r["self_identified"]) == (total, said), timeout=30)  # fmt: skip
    return {"position_id": position_id, "interviews": total}


def analysis(stack, **params) -> dict:
    with admin_client(stack) as admin:
        response = admin.get(ANALYSIS, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def first_line(cell: Locator) -> str:
    return cell.inner_text().split("\n")[0].strip()


def assert_page_shows(page: Page, report: dict) -> None:
    """Every figure of the analysis, as the page shows it; a flag marker exactly where the API flags."""
    summary = page.locator("#fairness-summary")
    for figure in ("interviews", "self_identified", "selected", "median_score"):
        value = report[figure]  # as JavaScript writes a number: 4.0 is "4"
        expect(summary.locator(f"[data-figure={figure}]")).to_have_text(
            f"{value:g}" if isinstance(value, float) else str(value)
        )
    expect(page.locator("#fairness-rule")).to_have_text(report["rule"])
    tests = [c.get(f) for d in report["dimensions"] for c in d["categories"] for f in ("p_value", "scoring_p_value")]
    assert any(p is not None for p in tests)  # the p-values' checks below are not all skipped
    for dimension in report["dimensions"]:
        table = page.locator(f"[data-dimension={dimension['dimension']}]")
        expect(table.get_by_role("heading", name=dimension["label"])).to_be_visible()
        expect(table.locator("tr[data-row=hidden]")).to_have_count(1 if dimension["hidden"] else 0)
        if dimension["hidden"]:
            expect(table.locator("tr[data-row=hidden]")).to_contain_text(f"{dimension['hidden']} not shown")
            expect(table.locator("tr[data-row=hidden]")).to_contain_text(f"fewer than {report['min_group']}")
        expect(table.locator("tr[data-row=unknown] td")).to_contain_text(f"{dimension['unknown']} (left out")
        for category in dimension["categories"]:
            row = table.locator(f"tr[data-category='{category['category']}']")
            expected = {"interviews": str(category["interviews"]), "selected": str(category["selected"]),
                        "selection_rate": percent(category["selection_rate"]),
                        "impact_ratio": ratio(category["impact_ratio"]), "mean_score": f"{category['mean_score']:.2f}",
                        "scoring_rate": percent(category["scoring_rate"]),
                        "scoring_impact_ratio": ratio(category["scoring_impact_ratio"])}  # fmt: skip
            shown = {column: first_line(row.locator(f"[data-column={column}]")) for column in expected}
            assert shown == expected, (dimension["dimension"], category["category"])
            for column, flag in (("impact_ratio", "four_fifths_flag"), ("scoring_impact_ratio", "scoring_flag")):
                marker = row.locator(f"[data-column={column}] .flag")
                expect(marker).to_have_count(1 if category[flag] else 0)
                if category[flag]:
                    expect(marker).to_have_text("▼ below four-fifths")
            for column, p, adjusted in (
                ("impact_ratio", category["p_value"], category["adjusted_p_value"]),
                ("scoring_impact_ratio", category["scoring_p_value"], category["scoring_adjusted_p_value"]),
            ):
                chance = row.locator(f"[data-column={column}] .p-value")
                expect(chance).to_have_count(0 if p is None else 1)
                if p is not None:
                    assert adjusted is not None and adjusted >= p
                    expect(chance).to_have_text(f"p = {three(p)} (adjusted {three(adjusted)})")


def three(p: float) -> str:
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def test_the_fairness_view_shows_what_the_api_says(browser, stack, interviews):
    with browsing(browser, stack) as page:
        sign_in(page, ADMIN, "administrator (ADMIN_TOKEN)")
        nav(page).get_by_role("link", name="Fairness").click()
        expect(page.get_by_role("heading", name="Fairness: adverse impact")).to_be_focused()
        expect(page.locator("#view-fairness").get_by_label("Position", exact=True)).to_contain_text(TITLE)
        page.get_by_label("Smallest group shown").fill("2")
        page.get_by_role("button", name="Show", exact=True).click()
        report = analysis(stack, min_group=2)
        expect(page.locator("[data-figure=interviews]")).to_have_text(str(interviews["interviews"]))
        flagged = [c for d in report["dimensions"] for c in d["categories"] if c["four_fifths_flag"]]
        assert flagged, "the candidates were chosen so that a group falls below four-fifths"
        assert_page_shows(page, report)
        rows = page.locator("#fairness-position-rows tr")
        expect(rows).to_have_count(len(report["positions"]))
        for position in report["positions"]:
            row = page.locator(f"#fairness-position-rows tr[data-position='{position['position_id'] or ''}']")
            expect(row.locator("td.number")).to_have_text(str(position["interviews"]))
            expect(row.locator("li.flag")).to_have_count(len(position["flagged"]))

        link = page.get_by_role("link", name="Download CSV")
        expect(link).to_have_attribute("href", f"{ANALYSIS}.csv?min_group=2")
        with page.expect_download() as download:
            link.click()
        assert Path(download.value.path()).read_text().startswith("table,category,number_of_applicants")
        page.locator("#fairness-positions").scroll_into_view_if_needed()
        DOCS_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(screenshot(page, "fairness"), DOCS_SCREENSHOT)
        assert_modules_only(page)

        page.locator("#fairness-position-rows").get_by_role("button", name=TITLE).click()  # that position's own
        expect(page.locator("#view-fairness").get_by_label("Position", exact=True)).to_have_value(
            interviews["position_id"]
        )
        expect(page.locator("[data-figure=interviews]")).to_have_text(str(len(INVITED)))
        assert_page_shows(page, analysis(stack, min_group=2, position_id=interviews["position_id"]))
        expect(page.locator("#fairness-positions")).to_be_hidden()  # the overall view's alone
        expect(link).to_have_attribute("href", f"{ANALYSIS}.csv?position_id={interviews['position_id']}&min_group=2")

        page.emulate_media(media="print")
        for hidden in (nav(page), page.locator("#fairness-filters"), page.get_by_role("button", name="Print audit report"),
                       link):  # fmt: skip
            expect(hidden).to_be_hidden()
        expect(page.locator("#fairness-print-title")).to_have_text(f"Adverse-impact audit: {TITLE}")
        expect(page.locator("#fairness-print-meta")).to_contain_text("all completed interviews to date")
        expect(page.locator("#fairness-print-meta")).to_contain_text("Generated")
        screenshot(page, "fairness-print")
        page.emulate_media(media="screen")

        page.get_by_label("Completed on or after").fill("2999-01-01")
        page.get_by_role("button", name="Show", exact=True).click()
        expect(page.locator("#fairness-status")).to_have_text("No completed interviews match this position and period.")
        expect(page.locator("#fairness-report")).to_be_hidden()
        page.get_by_label("Smallest group shown").fill("1")
        page.get_by_role("button", name="Show", exact=True).click()
        expect(page.get_by_role("alert").filter(has_text="from 2 to 1000")).to_be_visible()


def test_a_reviewer_is_not_offered_the_fairness_view(browser, stack, interviews):
    with admin_client(stack) as admin:
        made = admin.post("/api/users", json={"email": "rev@fairness.example.com", "name": "Rev Reviewer",
                                              "role": "reviewer", "positions": [interviews["position_id"]]})  # fmt: skip
        assert made.status_code == 201, made.text
    with browsing(browser, stack) as page:
        sign_in(page, made.json()["token"], "Rev Reviewer")
        expect(nav(page).get_by_role("link", name="Positions")).to_be_visible()
        expect(nav(page).get_by_role("link", name="Fairness")).to_be_hidden()
        page.evaluate("location.hash = '#/fairness'")
        expect(page.locator("#view-positions")).to_be_visible()  # the landing section, not the analysis
        expect(page.locator("#view-fairness")).to_be_hidden()
