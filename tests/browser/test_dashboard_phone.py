"""The dashboard's tables on a phone (390 px): each row a card, each cell labelled with its column's heading,
the page never scrolling sideways, actions 44 px tall, sorting still at hand and the table still a table
for screen readers; at 1280 px the tables are as they were."""

import time

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.conftest import screenshot, watched_page
from tests.browser.test_dashboard import interview
from tests.e2e.test_interview import START

pytestmark = pytest.mark.e2e
TOKEN = "phone-secret"
STACK_ENV = {"ADMIN_TOKEN": TOKEN}
PEOPLE = [("Ada Lovelace", 5, [0, 2]), ("Alan Turing", 2, [1, 1]), ("Grace Hopper", 8, [4, 0])]
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}
MIN_TARGET = 44


@pytest.fixture(scope="module")
def seeded(stack) -> dict:
    """Three completed interviews, a position with one candidate invited, and a recruiter."""
    admin = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=stack.url(), timeout=60, headers=admin) as client:
        for name, years, replies in PEOPLE:
            interview(client, name, years, replies)
        position = {
            "title": "Site Reliability Engineer",
            "job_description": START["job_description"],
            "num_questions": 1,
        }
        made = client.post("/api/positions", json=position)
        assert made.status_code == 201, made.text
        position_id = made.json()["position_id"]
        invited = client.post(f"/api/positions/{position_id}/invitations",
                              json={"candidates": [{"candidate_name": "Margaret Hamilton", "email": "margaret@example.com"}]})  # fmt: skip
        assert invited.status_code in (200, 201), invited.text
        user = client.post(
            "/api/users", json={"email": "rita@example.com", "name": "Rita Recruiter", "role": "recruiter"}
        )
        assert user.status_code == 201, user.text
        for _ in range(100):
            if client.get("/api/data/statistics").json()["total_interviews"] == len(PEOPLE):
                return {"position_id": position_id}
            time.sleep(0.1)
    raise AssertionError("the interviews did not complete")


@pytest.fixture
def phone(browser: Browser, stack) -> Page:
    with watched_page(browser, stack.url(), PHONE) as page:
        yield page


def open_dashboard(page: Page, where: str = "") -> None:
    page.goto(f"/dashboard{where}")
    page.get_by_label("API token").fill(TOKEN)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#who")).to_contain_text("administrator (ADMIN_TOKEN)")


def assert_no_sideways_scrolling(page: Page) -> None:
    page.wait_for_function("() => document.documentElement.scrollWidth <= window.innerWidth", timeout=5000)


def heading_of(cell: Locator) -> str:
    """The text of the column header above `cell`, found by position as a screen reader would."""
    return cell.evaluate("""cell => {
        const head = cell.closest("table").tHead.rows[0];
        let column = 0;
        for (const other of cell.parentElement.cells) { if (other === cell) break; column += other.colSpan; }
        return head.cells[column].textContent.replace(/\\s+/g, " ").trim();
    }""")


def assert_labelled_card(cell: Locator, heading: str) -> None:
    """The cell is labelled with its column's heading, shown before its value, beside it."""
    expect(cell).to_have_attribute("data-label", heading)
    assert heading_of(cell) == heading
    shown = cell.evaluate("""cell => {
        const label = getComputedStyle(cell, "::before");
        return { content: label.content, display: label.display, cell: getComputedStyle(cell).display };
    }""")
    assert heading in shown["content"] and shown["display"] == "table-cell" and shown["cell"] == "table", shown


def assert_touch_target(target: Locator) -> None:
    expect(target).to_be_visible()
    box = target.bounding_box()
    assert box and box["height"] >= MIN_TARGET and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box


def test_the_interviews_table_reads_as_cards_and_still_sorts(phone: Page, seeded):
    open_dashboard(phone)
    rows = phone.locator("#rows tr")
    expect(rows).to_have_count(len(PEOPLE))
    assert_no_sideways_scrolling(phone)
    grace = rows.filter(has_text="Grace Hopper")
    assert_labelled_card(grace.locator("td").nth(0), "Candidate")
    assert_labelled_card(grace.locator("td").nth(4), "Average")
    cells = [grace.locator("td").nth(n).bounding_box() for n in range(2)]
    assert cells[1]["y"] >= cells[0]["y"] + cells[0]["height"] - 1, cells  # stacked, not side by side
    assert_touch_target(grace.get_by_role("link", name="Grace Hopper"))

    header = phone.locator("#view-overview table thead")  # only the sort buttons in sight
    expect(header.get_by_role("columnheader", name="Position")).to_have_css("position", "absolute")
    average = header.get_by_role("button", name="Average")
    assert_touch_target(average)
    average.click()
    expect(phone.locator("th", has=phone.locator("[data-sort=average_score]"))).to_have_attribute(
        "aria-sort", "descending"
    )
    assert_labelled_card(rows.first.locator("td").nth(4), "Average")  # the rows drawn again, labelled again
    phone.get_by_label("Rows per page").select_option("10")
    expect(phone.get_by_role("button", name="Next")).to_be_disabled()
    assert_touch_target(phone.get_by_role("button", name="Next"))
    screenshot(phone, "60-phone-dashboard-interviews")

    grace.get_by_role("link", name="Grace Hopper").click()
    expect(phone.locator("#detail")).to_contain_text("Transcript")
    assert_no_sideways_scrolling(phone)


def test_the_table_stays_a_table_for_screen_readers_on_a_phone(phone: Page, seeded):
    """Chromium's own accessibility tree: the rows, the column headers and the cells survive the cards."""
    open_dashboard(phone)
    expect(phone.locator("#rows tr")).to_have_count(len(PEOPLE))
    cdp = phone.context.new_cdp_session(phone)
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    roles = {}
    for node in nodes:
        role = node.get("role", {}).get("value")
        name = node.get("name", {}).get("value", "")
        roles.setdefault(role, []).append(name)
    headers = set(roles.get("columnheader", []))
    assert {"Candidate", "Position", "Experience", "AI recommendation", "Team's verdicts"} <= headers, headers
    assert "Grace Hopper" in roles.get("cell", []), roles.get("cell")
    assert "Sort by" not in str(nodes)  # the sort bar's word is decoration; each button names its column


def test_users_audit_and_a_positions_candidates_read_as_cards(phone: Page, seeded):
    open_dashboard(phone, "#/users")
    rita = phone.locator("#user-rows tr", has_text="Rita Recruiter")
    expect(rita).to_be_visible()
    assert_no_sideways_scrolling(phone)
    assert_labelled_card(rita.locator("th"), "Name")
    assert_labelled_card(rita.locator("td").nth(0), "E-mail")
    assert_labelled_card(rita.locator("td").last, "Actions")  # its heading hidden on a wide screen, read all the same
    assert_touch_target(rita.get_by_role("button", name="Deactivate Rita Recruiter"))
    assert_touch_target(rita.locator("summary", has_text="New token"))
    screenshot(phone, "61-phone-dashboard-users")

    phone.get_by_role("link", name="Audit log").click()
    entry = phone.locator("#audit-rows tr", has=phone.locator("button.link-button")).first
    expect(entry).to_be_visible()
    assert_no_sideways_scrolling(phone)
    assert_labelled_card(entry.locator("td").nth(0), "When")
    assert_labelled_card(entry.locator("td").nth(3), "Action")
    target = entry.locator("button.link-button")
    assert_touch_target(target)
    assert_touch_target(phone.locator("#audit-pager").get_by_role("button", name="Next"))
    screenshot(phone, "62-phone-dashboard-audit")

    phone.get_by_role("link", name="Positions").click()
    listed = phone.locator("#positions-rows tr").first
    expect(listed).to_contain_text("Site Reliability Engineer")
    assert_no_sideways_scrolling(phone)
    assert_labelled_card(listed.locator("td").nth(1), "Not started")
    listed.get_by_role("link", name="Site Reliability Engineer").click()
    margaret = phone.locator("#candidate-rows tr", has_text="Margaret Hamilton")
    expect(margaret).to_be_visible()
    assert_no_sideways_scrolling(phone)
    assert_labelled_card(margaret.locator("td").nth(3), "Status")
    assert_labelled_card(margaret.locator("td").nth(2), "E-mail")
    assert_touch_target(margaret.get_by_role("button", name="Revoke the invitation of Margaret Hamilton"))
    shown_empty = "[...document.querySelectorAll('#candidate-rows td:empty')].filter(td => td.offsetHeight).length"
    assert phone.evaluate(shown_empty) == 0  # no "Actions" heading over nothing (found by a newcomer)
    screenshot(phone, "63-phone-dashboard-position")


def test_on_a_wide_screen_the_tables_are_tables(phone: Page, seeded):
    phone.set_viewport_size(DESK)
    open_dashboard(phone)
    rows = phone.locator("#rows tr")
    expect(rows).to_have_count(len(PEOPLE))
    table = phone.locator("#view-overview table").last
    expect(table.get_by_role("columnheader", name="Position")).to_be_visible()
    expect(table).to_have_css("display", "table")
    first = rows.first.locator("td").nth(0)
    expect(first).to_have_css("display", "table-cell")
    assert first.evaluate("cell => getComputedStyle(cell, '::before').content") == "none"
    boxes = [rows.first.locator("td").nth(n).bounding_box() for n in range(2)]
    assert abs(boxes[0]["y"] - boxes[1]["y"]) < 1 and boxes[1]["x"] > boxes[0]["x"], boxes  # side by side
    phone.get_by_role("link", name="Users").click()
    expect(phone.locator("#view-users").get_by_role("columnheader", name="E-mail")).to_be_visible()
