"""The interactive API docs (/docs, /redoc) of the gateway and the read API render in Chromium with every
request answered by the service itself: Swagger UI's and ReDoc's files come with the service, not from a
CDN (a machine without the internet showed a blank page)."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Request, Route, expect

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("service", "path", "operation"),
    [("gateway", "/docs", "/api/start-interview"), ("persistence", "/docs", "/api/data/interviews"),
     ("persistence", "/redoc", "/api/data/interviews")],
)  # fmt: skip
def test_the_api_docs_render_from_the_services_own_files(browser: Browser, stack, service, path, operation):
    here = urlsplit(stack.url(service)).netloc
    elsewhere: list[str] = []

    def offline(route: Route, request: Request) -> None:  # as on a machine without the internet
        if urlsplit(request.url).netloc == here:
            route.continue_()
        else:
            if request.resource_type != "image":  # ReDoc's "powered by" logo is a link to its CDN: no loss
                elsewhere.append(request.url)
            route.abort()

    context = browser.new_context(base_url=stack.url(service))
    try:
        page = context.new_page()
        page.route("**/*", offline)
        page.goto(path)
        expect(page.get_by_text(operation, exact=True).first).to_be_visible(timeout=15_000)
        assert not elsewhere, f"{service}{path} fetched from elsewhere: {elsewhere}"
    finally:
        context.close()
