"""The dashboard's Shadow runs view (docs/shadow-scoring.md): a run made with the offline scorer is listed,
and opening it shows the old and the new scores' agreement with people's side by side."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_hiring import browsing, nav, sign_in
from tests.e2e.test_shadow_scoring import seed_reviewed, shadow

pytestmark = pytest.mark.e2e
ADMIN = "browser-shadow-admin"
STACK_ENV = {"ADMIN_TOKEN": ADMIN, "START_RATE_PER_MINUTE": "100000", "ANSWER_RATE_PER_MINUTE": "100000"}


def test_a_run_is_listed_and_shows_old_and_new_side_by_side(browser, stack):
    seed_reviewed(stack, ADMIN)
    done = shadow(stack, "--provider", "offline", "--label", "offline baseline", token=ADMIN)
    assert done.returncode == 0, done.stderr
    with browsing(browser, stack) as page:
        sign_in(page, ADMIN, "administrator (ADMIN_TOKEN)")
        nav(page).get_by_role("link", name="Shadow runs").click()
        expect(page.get_by_role("heading", name="Shadow runs: a new scorer beside the old")).to_be_focused()
        run = page.locator("#shadow-run-rows tr")
        expect(run).to_have_count(1)
        run.get_by_role("button", name="offline baseline").click()
        expect(page.locator("#shadow-report")).to_be_visible()
        expect(page.locator('#shadow-differences [data-figure="answers"]')).to_have_text("4")
        expect(page.locator("#shadow-calibration-caption")).to_contain_text("4 reviewed answers")
        error = page.locator('#shadow-calibration-rows tr[data-statistic="mean_absolute_error"] td')
        expect(error).to_have_count(2)
        expect(error.first).not_to_have_text("—")
        expect(error.last).not_to_have_text("—")
        expect(page.locator("#shadow-pair-rows tr")).to_have_count(4)
        screenshot(page, "80-shadow-run")
