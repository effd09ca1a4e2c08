"""The web app in a real browser: Playwright driving Debian's Chromium (it cannot download its own
here), against the five services as real processes. Screenshots go to test-output/browser/."""

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.e2e.conftest import assert_clean_shutdown, start_stack, stop_stack

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "browser"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]  # fmt: skip


@pytest.fixture(scope="module")  # Playwright's sync API runs an event loop: stop it before other tests run
def browser() -> Browser:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is needed for the browser tests: apt-get install chromium (looked for {CHROMIUM})")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def stack(request, tmp_path_factory):
    stack = start_stack(f"browser-{request.module.__name__.rsplit('.', 1)[-1]}", tmp_path_factory.mktemp("stack"),
                        **getattr(request.module, "STACK_ENV", {}))  # fmt: skip
    yield stack
    assert_clean_shutdown(stack, stop_stack(stack))


@contextlib.contextmanager
def watched_page(browser: Browser, base_url: str, viewport: dict[str, int], **options: Any) -> Iterator[Page]:
    """A page of a context of its own (`options`: the context's, a locale say); the test fails if a JavaScript
    error reached the page, or the pages' Content-Security-Policy refused something they do."""
    context = browser.new_context(base_url=base_url, viewport=viewport, **options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console", lambda message: errors.append(message.text) if "Content Security Policy" in message.text else None
    )
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def page(browser: Browser, stack, request) -> Page:
    with watched_page(browser, stack.url(), {"width": 1100, "height": 900}) as page:
        yield page


def wait_for_held(page: Page, held: list, count: int) -> None:
    """Until a route holds `count` requests (the sync API hears of them only while it waits on the page)."""
    for _ in range(200):
        if len(held) >= count:
            return
        page.wait_for_timeout(25)
    raise AssertionError(f"{len(held)} requests held, not {count}")


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# What a page's code must not do now that it is ES modules: load a classic script, share names through the
# global scope (each of these was one, when the scripts shared globals by load order), set a static inline
# style (a bar's width is data and may be set from JS: only `width` is allowed) or use an inline handler.
MODULE_HYGIENE = """names => ({
  classic_scripts: [...document.scripts].filter((s) => s.type !== "module").map((s) => s.outerHTML),
  shared_names: names.filter((name) => { try { return eval(`typeof ${name}`) !== "undefined"; } catch { return true; } }),
  static_styles: [...document.querySelectorAll("[style]")]
    .filter((node) => [...node.style].some((property) => property !== "width"))
    .map((node) => node.outerHTML.slice(0, 200)),
  inline_handlers: [...document.querySelectorAll("*")].flatMap((node) =>
    [...node.attributes].filter((a) => a.name.startsWith("on")).map((a) => `<${node.localName} ${a.name}>`)),
})"""
SHARED_NAMES = ["$", "api", "element", "HttpError", "data", "say", "session", "current", "stream", "table",
                "calibration", "TOKEN_KEY", "SESSION_KEY", "loadCalibration", "answerReview", "verdictReview",
                "columnChart", "barList", "readAloud", "stopVoice", "questionTag",
                # the dashboard's sections and the invitation mode, each a module of its own (not "detail":
                # an element's id is a name of the window too)
                "auth", "me", "route", "shown", "overview", "positions", "users", "audit", "webhooks",
                "REQUEST_HEADERS", "initSignIn", "showComparison", "shownOnce", "positionForm", "INVITATION",
                "candidateHeaders", "refusal", "showRefused", "pendingStart"]  # fmt: skip


def assert_modules_only(page: Page) -> None:
    found = page.evaluate(MODULE_HYGIENE, SHARED_NAMES)
    assert found == {"classic_scripts": [], "shared_names": [], "static_styles": [], "inline_handlers": []}, found
