"""The dashboard and an indicator page in Chromium: charts drawn from our own plotly.js, axe-clean."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from demo import seed as demo
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_data(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())


def serious_violations(page):
    return [
        f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:3]}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("username", ["coordinator", "partner"])
def test_the_dashboard_draws_its_charts_and_passes_axe(demo_data, page_for, live_server, username, viewport):
    page = page_for(username, demo.PASSWORD, viewport)
    page.get_by_role("link", name="Ready for School — Eastern Ontario").click()
    page.get_by_role("link", name="Dashboard").first.click()
    page.wait_for_selector(".chart-drawn .main-svg")
    assert page.locator(".chart-drawn").count() >= 3  # two outcomes and the contribution map
    assert page.get_by_text("Children ready for school").first.is_visible()
    assert page.get_by_text("The curve has turned").first.is_visible()
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_an_indicator_page_draws_its_charts_and_passes_axe(demo_data, page_for, live_server, viewport):
    page = page_for("coordinator", demo.PASSWORD, viewport)
    page.goto(f"{live_server.url}/i/early-years/indicators/R1/")
    page.wait_for_selector(".chart-drawn .main-svg")
    assert page.locator(".chart-drawn").count() == 2  # the series and the breakdown by language
    page.get_by_text("Data table").first.click()
    assert page.get_by_role("cell", name="2025–26").first.is_visible()
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
