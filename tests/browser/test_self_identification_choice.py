"""A deployment chooses what the optional self-identification asks (SELF_IDENTIFICATION, docs/fairness.md):
collecting race or ethnicity is restricted in some countries, so one that asks only sex and age shows only those
in Chromium and refuses the other over HTTP; one that asks nothing offers no form at all."""

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.test_candidate import answer_current, fill_start_form
from tests.browser.test_hiring import browsing
from tests.e2e.conftest import assert_clean_shutdown, start_stack, stop_stack
from tests.e2e.test_interview import ANSWERS, START

pytestmark = pytest.mark.e2e
STACK_ENV = {"SELF_IDENTIFICATION": "sex,age_band"}
FORM = "Optional: help us check our interviews are fair"


def finished_interview(client: httpx.Client) -> tuple[str, dict[str, str]]:
    started = client.post("/api/start-interview", json=START | {"num_questions": 1}).json()
    headers = {"X-Candidate-Token": started["candidate_token"]} if started.get("candidate_token") else {}
    body = {"session_id": started["session_id"], "answer": ANSWERS[0], "question_number": 1}
    assert client.post("/api/submit-answer", headers=headers, json=body).json()["completed"] is True
    return started["session_id"], headers


def test_a_deployment_that_asks_sex_and_age_asks_only_those(browser, stack):
    with browsing(browser, stack) as page:
        fill_start_form(page, name="Camille Martin", questions=1)
        page.get_by_role("button", name="Start the interview").click()
        answer_current(page, 1, ANSWERS[0])
        form = page.get_by_role("region", name=FORM)
        expect(form).to_be_visible()
        expect(form.get_by_label("Sex", exact=True)).to_be_visible()
        expect(form.get_by_label("Age", exact=True)).to_be_visible()
        expect(form.get_by_label("Race/ethnicity", exact=True)).to_be_hidden()
        form.get_by_label("Sex", exact=True).select_option("female")
        with page.expect_response("**/api/self-identification") as sent:
            form.get_by_role("button", name="Send").click()
        assert sent.value.status == 200 and "race_ethnicity" not in sent.value.request.post_data_json
        expect(page.locator("#self-id-thanks")).to_be_visible()
    with httpx.Client(base_url=stack.url(), timeout=60) as client:
        assert client.get("/api/self-identification").json() == {"questions": ["sex", "age_band"]}
        session_id, headers = finished_interview(client)
        refused = client.post("/api/self-identification", headers=headers,
                              json={"session_id": session_id, "sex": "male", "race_ethnicity": "white"})  # fmt: skip
        assert refused.status_code == 422 and refused.json()["reason"] == "self_id_not_asked"
        assert "race_ethnicity: not asked here" in refused.json()["message"]


@pytest.fixture(scope="module")
def silent_stack(tmp_path_factory):
    running = start_stack("browser-test_self_identification-none", tmp_path_factory.mktemp("none"),
                          SELF_IDENTIFICATION="none")  # fmt: skip
    yield running
    assert_clean_shutdown(running, stop_stack(running))


def test_a_deployment_that_asks_nothing_offers_no_form(browser, silent_stack):
    with browsing(browser, silent_stack) as page:
        fill_start_form(page, name="Jean Dupont", questions=1)
        page.get_by_role("button", name="Start the interview").click()
        answer_current(page, 1, ANSWERS[0])
        expect(page.get_by_role("heading", name="Your interview report")).to_be_visible()
        page.wait_for_load_state("networkidle")
        expect(page.get_by_role("region", name=FORM)).to_have_count(0)
    with httpx.Client(base_url=silent_stack.url(), timeout=60) as client:
        assert client.get("/api/self-identification").json() == {"questions": []}
        session_id, headers = finished_interview(client)
        refused = client.post("/api/self-identification", headers=headers, json={"session_id": session_id})
        assert refused.status_code == 404 and refused.json()["reason"] == "self_id_off"
