"""The browser layer: Debian's Chromium through Playwright, against pytest-django's live
server and the real demo world, with axe-core on every page a test sees.

Every test in this folder is marked ``browser``: ``make test-browser`` runs them and the
other targets leave them out. One browser per run, a fresh context (cookies, storage) per
test.

Axe: tests move between pages through :class:`Site`. ``site.visit(path)`` and the
``site.navigation()`` block (around a click or key press that loads a new page) run axe
on the page they arrive at, and fail the test with axe's report on any violation. Every
document the browser loads is counted from inside the page, so a page that a test reaches
some other way cannot slip through: the next check, or the end of the test, fails and
names it.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Response,
    expect,
    sync_playwright,
)

HERE = Path(__file__).resolve().parent
DEMO_PASSWORD = "demo"  # redthread/registry/demo.py
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
TIMEOUT_MS = 10_000

# Counts the documents of a tab, from inside the page: sessionStorage outlives a navigation
# within the tab, so the count and the addresses are exact whatever Python was doing.
DOCUMENT_COUNTER = """
(() => {
  if (window.top !== window || !/^https?:$/.test(location.protocol)) return;
  try {
    const seen = JSON.parse(sessionStorage.getItem("__redthreadDocuments") || "[]");
    seen.push(location.href);
    sessionStorage.setItem("__redthreadDocuments", JSON.stringify(seen));
    Object.defineProperty(window, "__redthreadDocument", {value: seen.length});
  } catch (error) {}
})();
"""
DOCUMENTS = """() => ({
  number: window.__redthreadDocument || 0,
  urls: JSON.parse(sessionStorage.getItem("__redthreadDocuments") || "[]"),
})"""


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # tryfirst: the mark must be on before `-m browser` / `-m "not browser"` selects.
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[CALL_FAILED] = report.failed
    return report


def chromium_executable() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.access(path, os.X_OK):
        pytest.fail(
            "Chromium is not installed, and the browser tests need Debian's Chromium "
            "(Playwright cannot download its own here). Run `make system-deps`.",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One Chromium for the whole browser run. Package scope, so that Playwright's event
    loop is gone again before any other folder's tests run in the same process."""
    executable = chromium_executable()
    # Playwright's sync API runs an event loop in the main thread, which makes Django
    # refuse ORM calls from it (the demo, the database flush) unless told it is safe.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()


@pytest.fixture
def demo(transactional_db: None, fast_password_hasher: None) -> None:
    """The demo world, as `make run` loads it: the seven logins with the password "demo".
    force: the test settings may have DEBUG off, and this database is thrown away."""
    call_command("demo", force=True, stdout=io.StringIO())


@pytest.fixture
def context(browser: Browser, live_server: Any, demo: None) -> Iterator[BrowserContext]:
    # A Swedish browser: the site picks its language from Accept-Language until the
    # visitor chooses one, and Swedish is what the site is written in.
    new_context = browser.new_context(
        base_url=live_server.url,
        locale="sv-SE",
        timezone_id="Europe/Stockholm",
        viewport={"width": 1280, "height": 900},
    )
    new_context.set_default_timeout(TIMEOUT_MS)
    new_context.add_init_script(DOCUMENT_COUNTER)
    yield new_context
    new_context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


class AccessibilityViolation(AssertionError):
    pass


class Site:
    """The running site as a test sees it through the browser, with axe on every page."""

    axe = Axe()

    def __init__(self, page: Page) -> None:
        self.page = page
        self.checked = 0  # the number of the last document axe has passed
        self.checked_urls: list[str] = []
        # Script errors and Content-Security-Policy refusals: the page is broken even when
        # it looks right, so they fail the test too (at its end, see the site fixture).
        self.script_errors: list[str] = []
        page.on("pageerror", lambda error: self.script_errors.append(f"{page.url}: {error}"))
        page.on("console", self._console)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.script_errors.append(f"{self.page.url}: {message.text}")

    def visit(self, path: str) -> Response | None:
        response = self.page.goto(path)
        self.check()
        return response

    @contextmanager
    def navigation(self) -> Iterator[None]:
        """Around an action that loads a new page: waits for it, then runs axe on it."""
        with self.page.expect_event("load"):
            yield
        self.check()

    def check(self, *, again: bool = False) -> None:
        """Runs axe on the page shown now, unless it already passed (``again``: after the
        page changed in place, as an htmx swap does); fails on any violation and on any page
        loaded since the last check that axe never saw."""
        self.page.wait_for_load_state("load")
        documents = self.page.evaluate(DOCUMENTS)
        number, urls = documents["number"], documents["urls"]
        if not number:
            raise AssertionError(f"{self.page.url} is not a page of the site under test.")
        missed = urls[self.checked : number - 1]
        if missed:
            raise AssertionError(
                "These pages loaded but axe never checked them; reach pages with "
                "site.visit() or inside `with site.navigation():`\n  " + "\n  ".join(missed)
            )
        if number == self.checked and not again:
            return
        results = self.axe.run(self.page)
        if results.violations_count:
            raise AccessibilityViolation(
                f"axe found accessibility violations on {self.page.url} "
                f"(lang={self.page.locator('html').get_attribute('lang')!r}):\n"
                + results.generate_report()
            )
        self.checked = number
        self.checked_urls.append(self.page.url)

    # Conveniences for the steps many tests share.

    def log_in(self, email: str, password: str = DEMO_PASSWORD) -> None:
        if not self.page.url.endswith("/login/"):
            self.visit("/login/")
        self.page.get_by_label("E-postadress").fill(email)
        self.page.get_by_label("Lösenord").fill(password)
        with self.navigation():
            self.page.get_by_role("main").get_by_role("button", name="Logga in").click()

    def log_out(self) -> None:
        with self.navigation():
            self.page.get_by_role("banner").get_by_role("button", name="Logga ut").click()
        expect(self.page.get_by_role("banner").get_by_role("link", name="Logga in")).to_be_visible()


@pytest.fixture
def site(page: Page, request: pytest.FixtureRequest) -> Iterator[Site]:
    site = Site(page)
    yield site
    # The page a test ends on is checked too, unless the test already failed.
    if request.node.stash.get(CALL_FAILED, True):
        return
    if page.url.startswith("http"):
        site.check()
    if site.script_errors:
        pytest.fail("Errors in the browser:\n  " + "\n  ".join(site.script_errors), pytrace=False)
