"""Single sign-on for the dashboard against a small local OpenID Connect provider (a real HTTP server
issuing RS256-signed ID tokens, tests/fakes/oidc_provider.py), through the gateway with the five services
running: the browser's round trip followed redirect by redirect, and each way it must fail."""

import httpx
import pytest

from tests.e2e.conftest import assert_clean_shutdown, start_stack, stop_stack
from tests.fakes.oidc_provider import CLIENT_ID, CLIENT_SECRET, OIDCProvider

pytestmark = pytest.mark.e2e
ADMIN = "sso-admin-secret"


@pytest.fixture(scope="module")
def provider():
    server = OIDCProvider().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def stack(provider, tmp_path_factory):
    env = {"ADMIN_TOKEN": ADMIN, "OIDC_ISSUER": provider.issuer, "OIDC_CLIENT_ID": CLIENT_ID,
           "OIDC_CLIENT_SECRET": CLIENT_SECRET, "OIDC_NAME": "Example SSO"}  # fmt: skip
    running = start_stack("test_single_sign_on", tmp_path_factory.mktemp("stack"), **env)
    yield running
    assert_clean_shutdown(running, stop_stack(running))


@pytest.fixture(scope="module")
def rita(stack):
    with httpx.Client(base_url=stack.url(), headers={"Authorization": f"Bearer {ADMIN}"}) as admin:
        created = admin.post("/api/users", json={"email": "Rita@example.com", "name": "Rita", "role": "recruiter"})
        assert created.status_code == 201, created.text
        return created.json()["user"]


def sign_in(stack, provider) -> tuple[httpx.Client, httpx.Response]:
    """A browser's round trip, redirect by redirect: the gateway, the provider, back to the gateway."""
    browser = httpx.Client(base_url=stack.url(), timeout=30)  # used (as a context) by the caller
    to_provider = browser.get("/api/auth/oidc/start")
    assert to_provider.status_code == 302 and to_provider.headers["location"].startswith(
        f"{provider.issuer}/authorize?"
    )
    back = httpx.get(to_provider.headers["location"])
    assert back.status_code == 302
    callback = back.headers["location"]
    # the redirect URI registered at the provider: PUBLIC_URL, which `make run` (tools/stack.py) sets to its gateway
    assert callback.startswith(f"{stack.url()}/api/auth/oidc/callback?")
    return browser, browser.get(callback)


def test_the_sign_in_page_offers_single_sign_on(stack):
    with httpx.Client(base_url=stack.url()) as browser:
        assert browser.get("/api/auth/methods").json() == {"token": True, "oidc": True, "oidc_name": "Example SSO"}


def test_a_user_signs_in_at_the_identity_provider(stack, provider, rita):
    provider.signed_in, provider.email_verified, provider.sign_with_unpublished_key = "rita@example.com", True, False
    browser, landed = sign_in(stack, provider)
    try:
        assert landed.status_code == 302 and landed.headers["location"] == "/dashboard"
        assert "samesite=strict" in landed.headers["set-cookie"].lower()
        me = browser.get("/api/auth/me").json()
        assert (me["id"], me["role"]) == (rita["user_id"], "recruiter")
    finally:
        browser.close()
    with httpx.Client(base_url=stack.url(), headers={"Authorization": f"Bearer {ADMIN}"}) as admin:
        audit = admin.get("/api/audit", params={"actor": rita["user_id"], "action": "sign in"}).json()["entries"]
        assert audit and audit[0]["status"] == 302


@pytest.mark.parametrize(
    ("who", "verified", "forged", "problem"),
    [("nobody@example.com", True, False, "No active user has the e-mail"),
     ("rita@example.com", False, False, "verified e-mail"),
     ("rita@example.com", None, False, "verified e-mail"),  # a provider that does not say
     ("rita@example.com", "false", False, "verified e-mail")],
)  # fmt: skip
def test_an_unknown_or_unverified_person_is_sent_back_with_the_reason(
    stack, provider, rita, who, verified, forged, problem
):
    provider.signed_in, provider.email_verified, provider.sign_with_unpublished_key = who, verified, forged
    browser, landed = sign_in(stack, provider)
    try:
        assert landed.status_code == 302 and landed.headers["location"].startswith("/dashboard?sign_in_error=")
        assert problem.replace(" ", "+") in landed.headers["location"]
        me = browser.get("/api/auth/me")
        assert me.status_code == 401, (me.text, dict(browser.cookies))
    finally:
        browser.close()


def test_a_token_signed_with_another_key_is_refused(stack, provider, rita):
    provider.signed_in, provider.email_verified, provider.sign_with_unpublished_key = "rita@example.com", True, True
    browser, landed = sign_in(stack, provider)
    try:
        assert landed.status_code == 401 and "does not hold" in landed.json()["message"]
        me = browser.get("/api/auth/me")
        assert me.status_code == 401, (me.text, dict(browser.cookies))
    finally:
        browser.close()
    provider.sign_with_unpublished_key = False


def test_a_callback_not_started_here_is_refused(stack, provider):
    with httpx.Client(base_url=stack.url()) as browser:
        forged = browser.get("/api/auth/oidc/callback", params={"code": "stolen", "state": "made-up"})
        assert forged.status_code == 400 and "start the sign-in again" in forged.json()["message"]
