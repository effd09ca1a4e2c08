"""The dashboard's calibration (AI against people's scores), question quality, job-description skills,
reviews in the detail view and the training-data download, in Chromium, on data made by
tools.demo_data through the gateway."""

import json
import random
import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import SCREENSHOTS
from tools import demo_data
from tools.stack import free_port

pytestmark = pytest.mark.e2e
TOKEN = "calibration-secret"
SIGNED_IN = "administrator (ADMIN_TOKEN)"  # the reviewer of every review made here: whoever is signed in
UNLIMITED = "100000"
STACK_ENV = {"ADMIN_TOKEN": TOKEN, "START_RATE_PER_MINUTE": UNLIMITED, "ANSWER_RATE_PER_MINUTE": UNLIMITED}
MEASURES = {"cal-mae": "mean_absolute_error", "cal-bias": "mean_bias", "cal-spearman": "spearman",
            "cal-exact": "exact_agreement", "cal-within-one": "within_one_agreement",
            "cal-kappa": "quadratic_weighted_kappa"}  # fmt: skip
INTRODUCTION = re.compile(r"Hi, I'm (\w+)\.")


def admin(stack) -> httpx.Client:
    return httpx.Client(base_url=stack.url(), timeout=30, headers={"Authorization": f"Bearer {TOKEN}"})


def calibration(stack, **params) -> dict:
    with admin(stack) as client:
        return client.get("/api/data/analysis/calibration", params=params).raise_for_status().json()


@pytest.fixture(scope="module")
def seeded(stack) -> list[dict]:
    """A dozen demo interviews, most answers reviewed: enough for every statistic."""
    assert demo_data.main(["--gateway", stack.url(), "--interviews", "12", "--token", TOKEN, "--seed", "11"]) == 0
    with admin(stack) as client:
        listed = client.get("/api/data/interviews").raise_for_status().json()["interviews"]
        return [client.get(f"/api/data/interview/{i['session_id']}").json() for i in listed]


def open_dashboard(page: Page, path: str = "/dashboard") -> None:
    page.goto(path)
    page.get_by_label("API token").fill(TOKEN)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Calibration: the AI's scores against people's")).to_be_visible()


def section_screenshot(locator: Locator, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    locator.screenshot(path=str(path))
    return path


def calibration_section(page: Page) -> Locator:
    return page.locator("section", has=page.locator("#calibration-title"))


def test_a_fresh_stack_says_there_is_not_enough_data_yet(page: Page, stack):
    open_dashboard(page)
    expect(page.locator("#calibration-status")).to_have_text(re.compile(r"^Not enough reviewed answers yet \(0 of 10"))
    expect(page.locator("#calibration-measures")).to_be_hidden()
    expect(page.locator("#calibration-groups-wrap")).to_be_hidden()
    expect(page.locator("#calibration-scatter")).to_have_text("No reviewed answers yet.")
    expect(page.locator("#quality-status")).to_have_text("No question has been asked yet.")
    expect(page.locator("#skills-status")).to_have_text("No skill appears in 3 interviews' job descriptions yet.")


def test_the_calibration_statistics_are_the_apis(page: Page, stack, seeded):
    expected = calibration(stack)
    assert expected["overall"]["enough_data"], expected["reviewed_answers"]
    open_dashboard(page)
    expect(page.locator("#cal-reviewed")).to_have_text(str(expected["reviewed_answers"]))
    for measure, field in MEASURES.items():
        shown, value = page.locator(f"#{measure}"), expected["overall"][field]
        expect(shown).to_have_attribute("data-value", str(value))
        text = shown.inner_text()
        if text.endswith("%"):
            assert float(text[:-1]) == pytest.approx(value * 100, abs=0.51), measure
        else:  # "+0.40", "−0.12", "0.93"
            assert float(text.replace("−", "-").replace("±", "")) == pytest.approx(value, abs=0.0051), measure
        expect(page.locator(f"#{measure}-explain")).not_to_be_empty()  # every number says what it means

    # one circle per distinct (AI, human) pair, sized by how many answers share it; the same as a table
    pairs = [(p["ai_score"], p["human_score"]) for p in expected["pairs"]]
    distinct = {pair: pairs.count(pair) for pair in set(pairs)}
    circles = page.locator("#calibration-scatter circle.point")
    expect(circles).to_have_count(len(distinct))
    shown = {(int(c.get_attribute("data-ai")), int(c.get_attribute("data-human"))): int(c.get_attribute("data-count"))
             for c in circles.all()}  # fmt: skip
    assert shown == distinct
    expect(page.locator("#calibration-points tr")).to_have_count(len(distinct))
    expect(page.locator("#calibration-scatter svg title").first).to_contain_text(f"{len(pairs)} reviewed answers")

    expect(page.locator("#calibration-groups tr")).to_have_count(len(expected["by_difficulty"]))
    page.get_by_label("Compare by").select_option(label="Question")
    expect(page.locator("#calibration-groups tr")).to_have_count(len(expected["by_question"]))
    page.get_by_label("Compare by").select_option(label="Difficulty")
    section_screenshot(calibration_section(page), "20-calibration")

    with admin(stack) as client:
        quality = client.get("/api/data/analysis/question-quality?min_asked=3").json()["questions"]
        skills = client.get("/api/data/analysis/job-description-skills?min_interviews=3").json()["skills"]
    expect(page.locator("#quality-rows tr").first).to_be_visible()
    judged, flagged = sum(q["times_asked"] >= 3 for q in quality), sum(q["flagged"] for q in quality)
    assert 0 < judged < len(quality), "the seeded interviews ask some questions fewer than 3 times"
    expect(page.locator("#quality-status")).to_have_text(
        f"{len(quality)} questions asked; {judged} of them 3 times or more, which are judged; {flagged} flagged."
    )  # every question asked is listed, only those asked 3 times are judged
    page.screenshot(path=str(SCREENSHOTS / "21-calibration-dashboard.png"), full_page=True)
    if len(quality) > 10:  # the first ten (flagged first), then all on request
        expect(page.locator("#quality-rows tr")).to_have_count(10)
        page.get_by_role("button", name=f"Show all {len(quality)} questions").click()
    expect(page.locator("#quality-rows tr")).to_have_count(len(quality))
    expect(page.locator("#quality-rows tr.flagged")).to_have_count(sum(q["flagged"] for q in quality))
    for row, question in zip(page.locator("#quality-rows tr").all(), quality, strict=True):
        for reason in question["reasons"]:
            expect(row).to_contain_text(reason)
    expect(page.locator("#skills-rows tr")).to_have_count(len(skills))
    for cell, skill in zip(page.locator("#skills-rows td.difference").all(), skills, strict=True):
        if abs(skill["difference"]) >= 0.05:  # the sign is written out, not only coloured
            mark, words = ("▲ +", "above") if skill["difference"] > 0 else ("▼ −", "below")
            expect(cell).to_contain_text(re.compile(re.escape(mark) + rf"\d+\.\d {words} average"))


def test_a_high_minimum_says_how_many_reviews_are_missing(page: Page, stack, seeded):
    reviewed = calibration(stack)["reviewed_answers"]
    open_dashboard(page, "/dashboard?minimum=5000")
    expect(page.locator("#calibration-status")).to_have_text(
        re.compile(rf"^Not enough reviewed answers yet \({reviewed} of 5000 needed\)")
    )
    expect(page.locator("#calibration-measures")).to_be_hidden()
    expect(page.locator("#calibration-scatter circle.point").first).to_be_visible()  # the points are still shown
    section_screenshot(calibration_section(page), "22-calibration-not-enough")


def test_a_review_in_the_detail_view_changes_the_calibration(page: Page, stack, seeded):
    interview, qa = next((i, qa) for i in seeded for qa in i["questions_and_answers"] if qa["human_score"] is None)
    before = calibration(stack)
    number = qa["question_number"]
    open_dashboard(page, f"/dashboard#{interview['session_id']}")
    expect(page.locator("#detail")).to_contain_text(interview["candidate_name"])
    review = page.get_by_role("form", name=f"Your review of answer {number}")
    score = review.get_by_label("Your score (0–10)")
    save = review.get_by_role("button", name="Save review")

    score.fill("11")
    save.click()
    expect(review.locator(".field-error").first).to_have_text("The score is a whole number from 0 to 10.")
    expect(score).to_have_attribute("aria-invalid", "true")
    expect(score).to_be_focused()

    human = 10 if qa["score"] < 5 else 0  # far from the AI's: the average gap must move
    score.fill(str(human))
    review.get_by_label("Note (optional)").fill("Checked by hand in the browser test.")
    path = f"**/api/data/interview/{interview['session_id']}/answers/{number}/review"
    page.route(path, lambda route: route.abort())
    save.click()
    expect(review.locator(".form-error")).to_contain_text("the server cannot be reached")
    expect(score).to_have_value(str(human))  # nothing typed is lost
    page.unroute(path)
    page.route(path, lambda route: route.fulfill(status=500, json={"message": "The store is down."}))
    save.click()
    expect(review.locator(".form-error")).to_contain_text("(500): The store is down. Your input is kept")
    page.unroute(path)

    save.click()
    expect(review.locator(".saved")).to_contain_text(f"Reviewed: {human}/10 by {SIGNED_IN}")
    expect(review.locator(".saved")).to_contain_text("Checked by hand in the browser test.")
    expect(review.locator(".form-error")).to_be_hidden()
    after = calibration(stack)
    assert after["reviewed_answers"] == before["reviewed_answers"] + 1
    assert after["overall"]["mean_absolute_error"] != before["overall"]["mean_absolute_error"]
    expect(page.locator("#cal-reviewed")).to_have_text(str(after["reviewed_answers"]))
    expect(page.locator("#cal-mae")).to_have_attribute("data-value", str(after["overall"]["mean_absolute_error"]))

    verdict = page.get_by_role("form", name="Your verdict on this interview")
    verdict.get_by_label("Your verdict").select_option("")
    verdict.get_by_role("button", name="Save verdict").click()
    expect(verdict.locator(".field-error").first).to_have_text("Choose a verdict.")
    verdict.get_by_label("Your verdict").select_option("no")
    verdict.get_by_role("button", name="Save verdict").click()
    expect(verdict.locator(".saved")).to_contain_text(f"Reviewed: no by {SIGNED_IN}")
    section_screenshot(page.locator("#detail"), "23-review")
    with admin(stack) as client:
        stored = client.get(f"/api/data/interview/{interview['session_id']}").json()
    assert stored["human_verdict"] == "no" and stored["human_verdict_by"] == SIGNED_IN
    assert stored["questions_and_answers"][number - 1]["human_score"] == human


def test_the_training_data_downloads_anonymised_by_default(page: Page, stack, seeded):
    named = {m for i in seeded for qa in i["questions_and_answers"] for m in INTRODUCTION.findall(qa["answer"])}
    assert named, "the demo data has candidates who say their name"
    open_dashboard(page)
    expect(page.get_by_label("Anonymise names")).to_be_checked()
    with page.expect_download() as download, page.expect_request(re.compile(r"anonymise=true")):
        page.get_by_role("button", name="Training data (JSONL)").click()
    examples = [json.loads(line) for line in Path(download.value.path()).read_text().splitlines()]
    assert examples and all([m["role"] for m in e["messages"]] == ["system", "user", "assistant"] for e in examples)
    text = json.dumps(examples)
    assert "Hi, I'm the candidate." in text and not any(f"Hi, I'm {name}." in text for name in named)

    page.get_by_label("Anonymise names").uncheck()
    with page.expect_download() as download, page.expect_request(re.compile(r"anonymise=false")):
        page.get_by_role("button", name="Training data (JSONL)").click()
    assert any(f"Hi, I'm {name}." in Path(download.value.path()).read_text() for name in named)
    assert download.value.suggested_filename == "training.jsonl"


def test_the_demo_candidates_self_identify_apart_from_their_interviews(stack, seeded):
    """Most demo candidates answer the optional form: the adverse-impact analysis counts them; the interview
    documents a reviewer reads show nothing of it."""
    answered = sum(random.Random(f"11-identify-{index}").random() < 0.8 for index in range(12))  # the tool's draw
    with admin(stack) as client:
        analysis = client.get("/api/data/analysis/adverse-impact").raise_for_status().json()
    assert (analysis["interviews"], analysis["self_identified"]) == (12, answered) and answered > 0
    sex = next(d for d in analysis["dimensions"] if d["dimension"] == "sex")
    assert sex["unknown"] + sum(c["interviews"] or 0 for c in sex["categories"]) <= 12
    assert not any(
        key in json.dumps(document) for document in seeded for key in ('"sex"', "race_ethnicity", "age_band")
    )


def test_the_demo_data_tool_says_what_is_wrong_in_one_line(stack, capsys):
    assert demo_data.main(["--gateway", stack.url(), "--interviews", "1"]) == 1  # ADMIN_TOKEN is set: needed
    assert capsys.readouterr().err.strip() == f"demo_data: {demo_data.NO_TOKEN}"
    assert demo_data.main(["--gateway", stack.url(), "--interviews", "1", "--token", "wrong"]) == 1
    assert capsys.readouterr().err.strip() == f"demo_data: {demo_data.WRONG_TOKEN}"
    nowhere = f"http://127.0.0.1:{free_port()}"
    assert demo_data.main(["--gateway", nowhere, "--interviews", "1", "--token", TOKEN]) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"demo_data: Cannot reach the gateway at {nowhere}") and "make run" in error
    assert "Traceback" not in error
