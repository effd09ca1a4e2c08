"""Signing in to the dashboard in Chromium, against the five services: single sign-on through a small real
OpenID Connect provider (tests/fakes/oidc_provider.py) from the sign-in page and back, a refused one told on
the page, a sign-in that ends mid-session asking again, every change sent with the header the cookie needs,
and a fresh machine (no ADMIN_TOKEN, no users) opening straight away until its first user is created, on
the machine it runs on only."""

from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import assert_modules_only, screenshot
from tests.e2e.conftest import assert_clean_shutdown, start_stack, stop_stack
from tests.fakes.oidc_provider import CLIENT_ID, CLIENT_SECRET, OIDCProvider

pytestmark = pytest.mark.e2e
ADMIN = "sign-in-admin-secret"


@pytest.fixture(scope="module")
def provider():
    server = OIDCProvider().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def stack(provider, tmp_path_factory):
    env = {"ADMIN_TOKEN": ADMIN, "OIDC_ISSUER": provider.issuer, "OIDC_CLIENT_ID": CLIENT_ID,
           "OIDC_CLIENT_SECRET": CLIENT_SECRET, "OIDC_NAME": "Example SSO"}  # fmt: skip
    running = start_stack("browser-test_sign_in", tmp_path_factory.mktemp("stack"), **env)
    yield running
    assert_clean_shutdown(running, stop_stack(running))


@pytest.fixture(scope="module")
def rita(stack):
    with httpx.Client(base_url=stack.url(), headers={"Authorization": f"Bearer {ADMIN}"}) as admin:
        created = admin.post("/api/users", json={"email": "rita@example.com", "name": "Rita", "role": "recruiter"})
        assert created.status_code == 201, created.text
        return created.json()


def test_single_sign_on_from_the_sign_in_page_and_sign_out(page: Page, stack, provider, rita):
    provider.signed_in, provider.email_verified = "rita@example.com", True
    page.goto("/dashboard")
    expect(page.get_by_label("API token")).to_be_focused()
    screenshot(page, "50-sign-in")
    page.get_by_role("link", name="Sign in with Example SSO").click()
    expect(page.locator("#who-name")).to_have_text("Rita")
    expect(page.locator("#who-role")).to_have_text("recruiter")
    expect(page.get_by_role("heading", name="Analyses")).to_be_visible()
    assert_modules_only(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.locator("#who")).to_be_hidden()
    assert page.request.get("/api/auth/me").status == 401  # the cookie is gone


def test_a_refused_single_sign_on_says_why_on_the_sign_in_page(page: Page, stack, provider, rita):
    provider.signed_in, provider.email_verified = "nobody@example.com", True
    page.goto("/dashboard")
    page.get_by_role("link", name="Sign in with Example SSO").click()
    expect(page.locator("#signin-token-error")).to_have_text(
        "No active user has the e-mail nobody@example.com here: ask an admin to add you."
    )
    assert "sign_in_error" not in page.url  # said once: a reload does not say it again
    page.reload()
    expect(page.locator("#signin-token-error")).to_be_hidden()
    provider.signed_in = "rita@example.com"


def test_a_sign_in_that_ends_asks_again_and_every_change_carries_the_header(page: Page, stack, rita):
    changes = []
    page.on("request", lambda r: changes.append(r) if "/api/" in r.url and r.method != "GET" else None)
    page.goto("/dashboard#/positions")
    page.get_by_label("API token").fill(rita["token"])
    page.get_by_label("API token").press("Enter")  # the keyboard alone
    expect(page.get_by_role("heading", name="Positions", exact=True)).to_be_visible()
    page.get_by_role("button", name="New position").click()
    form = page.get_by_role("form", name="New position")
    form.get_by_label("Title").fill("Site Reliability Engineer")
    form.get_by_label("Job description").fill(
        "Site Reliability Engineer: Linux, Kubernetes, on-call and incident reviews."
    )
    form.get_by_role("button", name="Create the position").click()
    expect(page.get_by_role("heading", name="Site Reliability Engineer")).to_be_visible()
    assert [r.url.rsplit("/api/", 1)[1] for r in changes] == ["auth/sign-in", "positions"]
    assert all(r.headers.get("x-requested-with") == "interviewer" for r in changes)

    assert page.request.post("/api/auth/sign-out").ok  # the sign-in ends behind the page's back (another tab)
    page.get_by_role("button", name="Refresh").click()
    expect(page.locator("#signin-token-error")).to_have_text("Your sign-in has ended: sign in again.")
    expect(page.locator("#content")).to_be_hidden()
    page.get_by_label("API token").fill(rita["token"])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Site Reliability Engineer")).to_be_visible()  # back where it was


def test_refresh_asks_again_after_a_failed_sign_in_check_and_a_broken_address_lands(page: Page, stack, rita):
    page.route("**/api/auth/me", lambda route: route.abort())  # the server unreachable when the page loads
    page.goto("/dashboard#%E0")
    expect(page.locator("#message")).to_contain_text("The dashboard could not load")
    page.evaluate("location.hash = '#/positions'")  # before anyone is signed in: followed once someone is
    page.unroute("**/api/auth/me")
    page.get_by_role("button", name="Refresh").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.locator("#message")).to_be_hidden()
    page.get_by_label("API token").fill(rita["token"])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Positions", exact=True)).to_be_visible()
    page.evaluate("location.hash = '#%E0'")  # not an address decodeURIComponent can read: the landing section
    expect(page.get_by_role("heading", name="Analyses")).to_be_visible()


@pytest.fixture(scope="module")
def fresh_stack(tmp_path_factory):
    """No ADMIN_TOKEN and no users: the machine is open on its loopback address."""
    running = start_stack("browser-test_sign_in-fresh", tmp_path_factory.mktemp("fresh"))
    yield running
    assert_clean_shutdown(running, stop_stack(running))


def test_a_fresh_machine_reached_through_an_untrusted_proxy_asks_for_admin_token(browser: Browser, fresh_stack):
    """The gateway cannot tell where a client behind a proxy it is not told to trust (TRUSTED_PROXIES) is, so a
    fresh machine does not open to it: the sign-in page says why and what to do. Runs before the first user."""
    context = browser.new_context(base_url=fresh_stack.url(), extra_http_headers={"X-Forwarded-For": "203.0.113.7"})
    page = context.new_page()
    try:
        page.goto("/dashboard")
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
        expect(page.locator("#signin-token-error")).to_contain_text("no users yet and no ADMIN_TOKEN")
        expect(page.locator("#signin-token-error")).to_contain_text("python -m services.persistence create-admin")
        assert page.request.get("/api/data/interviews").status == 401
        assert page.request.get("/api/users").status == 401
    finally:
        context.close()


def test_a_fresh_machine_reached_under_another_sites_name_does_not_open(fresh_stack):
    """DNS rebinding (found by a security retest): a page of another site that makes its name resolve to 127.0.0.1
    reaches the gateway from this machine's browser, as its own origin, from a loopback address; the name it was
    sent to gives it away, and nothing opens to it. Runs before the first user."""
    port = urlsplit(fresh_stack.url()).port
    rebound = {"Host": f"rebind.attacker.example:{port}", "Origin": f"http://rebind.attacker.example:{port}"}
    with httpx.Client(base_url=fresh_stack.url()) as client:
        made = client.post("/api/users", headers=rebound, json={"email": "evil@attacker.example", "role": "admin"})
        assert made.status_code == 401 and made.json()["reason"] == "open_on_this_machine_only", made.text
        assert client.get("/api/auth/me", headers=rebound).status_code == 401
        assert client.get("/api/data/interviews", headers={"Host": "evil.example"}).status_code == 401
        assert client.post("/api/sheets/export", headers=rebound, json={}).status_code == 401  # the exporter asks too
        assert client.get("/api/users", headers={"Origin": "null"}).status_code == 401  # a sandboxed frame
        here = {"Host": f"localhost:{port}", "Origin": f"http://localhost:{port}"}
        assert client.get("/api/users", headers=here).json() == {"users": []}  # nothing was made
        for page in ("/", "/dashboard"):  # nor can another site frame the pages (stealing clicks)
            headers = client.get(page).headers
            assert (
                "frame-ancestors 'none'" in headers["content-security-policy"] and headers["x-frame-options"] == "DENY"
            )


def test_a_fresh_machine_opens_straight_away_until_its_first_user(browser: Browser, fresh_stack):
    context = browser.new_context(base_url=fresh_stack.url(), viewport={"width": 1100, "height": 900})
    page = context.new_page()
    try:
        page.goto("/dashboard")
        expect(page.locator("#who-name")).to_have_text("local user (no sign-in configured)")
        expect(page.get_by_role("button", name="Sign out")).to_be_hidden()  # nobody signed in: nothing to end
        expect(page.locator("#signin")).to_be_hidden()
        nav = page.get_by_role("navigation", name="Dashboard sections")
        expect(nav.get_by_role("link")).to_have_text(
            ["Overview", "Positions", "Requests", "Fairness", "Shadow runs", "Users", "Audit log", "Webhooks"]
        )
        nav.get_by_role("link", name="Users").click()
        expect(page.locator("#users-status")).to_contain_text("No users yet")
        page.get_by_role("button", name="New user").click()
        form = page.get_by_role("form", name="New user")
        expect(form.get_by_label("Role")).to_have_value("admin")  # the first user must be one (else a 409)
        expect(form).to_contain_text("This is the first user: they must be an admin.")
        form.get_by_label("E-mail").fill("first@example.com")
        form.get_by_label("Name").fill("First Admin")
        form.get_by_role("button", name="Create the user").click()
        secret = page.locator("#user-secret")
        expect(secret).to_contain_text("This was the first user: from now on everyone signs in.")
        expect(page.locator("#users-status")).to_have_text(
            "First Admin is the first user: copy their token, then reload the page and sign in."
        )
        token = secret.locator("input.secret-value").input_value()
        screenshot(page, "51-first-user")
        page.reload()
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
        page.get_by_label("API token").fill(token)
        page.get_by_role("button", name="Sign in").click()
        expect(page.locator("#who-name")).to_have_text("First Admin")
    finally:
        context.close()
