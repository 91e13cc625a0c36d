"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Never downloads a browser: `make test` installs Debian's chromium when it is missing
(`make browser-deps`). Without /usr/bin/chromium these tests fail with a clear message rather
than skip, so CI cannot pass without them.

On a failure, every page the test opened is saved as a screenshot and an HTML file under
/tmp/archive-browser-tests/ (never inside the repository).
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path("/tmp/archive-browser-tests")
TIMEOUT_MS = 10_000


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="package")
def browser(django_db_setup):
    """One Chromium for all browser tests, closed when they are done.

    Playwright's sync API keeps an event loop running in this thread, so Django's guard
    against ORM calls from async code is lifted while the browser is open. With a loop
    running, Django hands this thread other connection objects (asgiref's Local switches to
    context variables); they get the database snapshot taken after migrations, so
    `serialized_rollback=True` restores what migrations made (the fixed tags) after each flush.
    """
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} is missing. Browser tests use Debian's Chromium, never a downloaded "
            "one: run `make browser-deps` as root or `sudo apt-get install -y chromium`.",
            pytrace=False,
        )
    from playwright.sync_api import expect, sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    expect.set_options(timeout=TIMEOUT_MS)
    snapshots = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    playwright = sync_playwright().start()
    for alias, snapshot in snapshots.items():
        connections[alias]._test_serialized_contents = snapshot
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()
    finally:
        connections.close_all()
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def screenshot(page, name):
    """Save what `page` shows (PNG, full page) and its HTML under /tmp; returns the PNG path."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^\w.-]+", "_", name)[:120]
    png = SHOTS / f"{safe}.png"
    page.screenshot(path=str(png), full_page=True)
    (SHOTS / f"{safe}.html").write_text(page.content(), encoding="utf-8")
    return png


@pytest.fixture
def new_page(browser, live_server, request):
    """`new_page()` opens a page in a fresh browser context (its own cookies: a new visitor)
    pointed at the live server, so `page.goto("/works")` works. `new_page(user=...)` is
    already logged in as that user; `new_page(javascript=False)` is a browser with JavaScript
    turned off."""
    contexts = []

    def open_page(user=None, javascript=True):
        context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies(
                [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
            )
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    yield open_page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        for number, context in enumerate(contexts, start=1):
            for index, page in enumerate(context.pages, start=1):
                try:
                    path = screenshot(page, f"{request.node.name}-visitor{number}-page{index}")
                    print(f"screenshot of {page.url}: {path}")
                except Exception as error:  # a crashed page must not hide the test's failure
                    print(f"no screenshot of {page.url}: {error}")
    for context in contexts:
        context.close()
