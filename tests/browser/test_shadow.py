"""The dashboard's Shadow runs view (docs/shadow-scoring.md), on the demo's reviewed interviews (tools/demo_data)
scored live by the offline rules alone: a baseline run of the same rules and a run with the sentence-embedding
model are listed, and opening one shows the old and the new scores' agreement with people's side by side.
`UPDATE_SCREENSHOTS=1` refreshes docs/screenshots/shadow.png from it."""

import os
import shutil
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_hiring import browsing, nav, sign_in
from tests.e2e.test_shadow_scoring import shadow
from tools import demo_data

pytestmark = pytest.mark.e2e
ADMIN = "browser-shadow-admin"
STACK_ENV = {"ADMIN_TOKEN": ADMIN, "START_RATE_PER_MINUTE": "100000", "ANSWER_RATE_PER_MINUTE": "100000",
             "OFFLINE_EMBEDDINGS": "0"}  # fmt: skip
DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "shadow.png"
CANDIDATE = "with the sentence-embedding model"


def test_runs_are_listed_and_one_shows_old_and_new_side_by_side(browser, stack):
    assert demo_data.main(["--gateway", stack.url(), "--interviews", "10", "--token", ADMIN, "--seed", "7"]) == 0
    for label, embeddings in (("baseline: the rules alone", "0"), (CANDIDATE, "1")):
        done = shadow(
            stack, "--provider", "offline", "--label", label, token=ADMIN, env={"OFFLINE_EMBEDDINGS": embeddings}
        )
        assert done.returncode == 0, done.stderr
    with httpx.Client(base_url=stack.url(), headers={"Authorization": f"Bearer {ADMIN}"}) as admin:
        runs = admin.get("/api/data/analysis/shadow").json()["runs"]
        report = admin.get(f"/api/data/analysis/shadow/{runs[0]['run_id']}").json()
    assert [r["label"] for r in runs] == [CANDIDATE, "baseline: the rules alone"]
    answers = report["answers"]
    assert answers >= 20 and report["calibration"]["reviewed"] == answers

    with browsing(browser, stack) as page:
        sign_in(page, ADMIN, "administrator (ADMIN_TOKEN)")
        nav(page).get_by_role("link", name="Shadow runs").click()
        expect(page.get_by_role("heading", name="Shadow runs: a new scorer beside the old")).to_be_focused()
        expect(page.locator("#shadow-run-rows tr")).to_have_count(2)
        page.locator("#shadow-run-rows").get_by_role("button", name=CANDIDATE).click()
        expect(page.locator("#shadow-report")).to_be_visible()
        expect(page.locator('#shadow-differences [data-figure="answers"]')).to_have_text(str(answers))
        expect(page.locator("#shadow-calibration-caption")).to_contain_text(f"{answers} reviewed answers")
        error = page.locator('#shadow-calibration-rows tr[data-statistic="mean_absolute_error"] td')
        expect(error).to_have_count(2)
        expect(error.first).to_have_text(str(report["calibration"]["old"]["mean_absolute_error"]))
        expect(error.last).to_have_text(str(report["calibration"]["new"]["mean_absolute_error"]))
        expect(page.locator("#shadow-pair-rows tr")).to_have_count(answers)

        page.evaluate("window.scrollTo(0, 0)")  # the page from its top down to the run's statistics
        box = page.locator("#shadow-report").bounding_box()
        shot = SCREENSHOTS / "80-shadow-run.png"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shot), full_page=True,
                        clip={"x": 0, "y": 0, "width": 1100, "height": box["y"] + box["height"] + 16})  # fmt: skip
        if os.environ.get("UPDATE_SCREENSHOTS"):  # the docs' picture, refreshed on request only
            shutil.copyfile(shot, DOCS_SCREENSHOT)
