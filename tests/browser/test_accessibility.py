"""Every main page, in French and in English, on a phone and on a desktop: axe finds no serious or
critical violation, the page says its language, has one main heading, and nothing but a table
scrolls sideways."""

import io
import itertools

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from demo import seed as demo
from tests.browser.conftest import DESKTOP, PHONE
from tests.pages import MAIN_PAGES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SERIOUS = {"serious", "critical"}
LANGUAGES = {"en": "en-CA", "fr": "fr-CA"}


@pytest.fixture
def demo_data(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())


def log_in(browser, live_server, username, viewport, locale):
    context = browser.new_context(viewport=viewport, locale=locale)
    page = context.new_page()
    if username:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", demo.PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return context, page


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_main_page_passes_axe(demo_data, browser, live_server, language, viewport):
    axe = Axe()
    problems = []
    for username, pages in itertools.groupby(MAIN_PAGES, key=lambda page: page.user):
        context, page = log_in(browser, live_server, username, viewport, LANGUAGES[language])
        try:
            for main_page in pages:
                response = page.goto(live_server.url + main_page.path)
                where = f"{main_page.name} ({main_page.path})"
                if not response.ok:
                    problems.append(f"{where}: answered {response.status}")
                    continue
                if page.get_attribute("html", "lang") != language:
                    problems.append(f"{where}: <html lang> is not {language}")
                if page.locator("h1").count() != 1:
                    problems.append(f"{where}: {page.locator('h1').count()} main headings")
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                if overflow > 0:
                    problems.append(f"{where}: the page scrolls sideways by {overflow}px")
                for violation in axe.run(page).response["violations"]:
                    if violation["impact"] in SERIOUS:
                        targets = [node["target"] for node in violation["nodes"]][:3]
                        problems.append(f"{where}: {violation['id']} ({violation['help']}) {targets}")
        finally:
            context.close()
    assert problems == []
