"""Playwright driving Debian's Chromium against a live test server (on the test database)."""

import os

import pytest
from playwright.sync_api import sync_playwright

# Playwright's sync API keeps an event loop in the test thread; the ORM calls the tests make
# there are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/system-deps.sh (apt-get install -y chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def watch_for_refusals(page, refusals):
    """Collect what the Content-Security-Policy refused on ``page`` (Chromium says so on its console)."""
    page.on(
        "console",
        lambda message: refusals.append(message.text) if "Content Security Policy" in message.text else None,
    )


@pytest.fixture
def page_for(browser, live_server):
    """Return a function opening a logged-in page at a given width; pages close after the test.

    Whatever the test does, nothing on its pages may be refused by the Content-Security-Policy.
    """
    contexts = []
    refusals = []

    def open_page(username, password, viewport=DESKTOP, language="en-CA"):
        context = browser.new_context(viewport=viewport, locale=language)
        contexts.append(context)
        page = context.new_page()
        watch_for_refusals(page, refusals)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("main button[type=submit]")
        # Home, or for a funder of one initiative, its outcome report.
        page.wait_for_url(lambda url: url.startswith(live_server.url) and "/accounts/login/" not in url)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert refusals == [], "the Content-Security-Policy refused something"
