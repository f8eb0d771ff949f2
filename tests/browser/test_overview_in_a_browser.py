"""The demo's overview in a real browser, for each role, at phone and desktop widths, checked by axe-core."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from demo import seed as demo
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SERIOUS = {"serious", "critical"}


@pytest.fixture
def demo_data(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())


def serious_violations(page):
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("username", ["coordinator", "partner", "funder"])
def test_each_role_reads_the_overview_and_it_passes_axe(demo_data, page_for, live_server, username, viewport):
    page = page_for(username, demo.PASSWORD, viewport)
    if username == "funder":  # a funder of one initiative lands on its outcome report
        page.get_by_role("navigation", name="Initiative").get_by_role("link", name="Overview").click()
    else:
        page.get_by_role("link", name="Ready for School — Eastern Ontario").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Ready for School — Eastern Ontario"
    assert page.get_by_text("Children ready for school").first.is_visible()
    assert page.get_by_role("heading", name="Target population").is_visible()
    assert serious_violations(page) == []
    can_edit = page.get_by_role("link", name="Edit the initiative").count() > 0
    assert can_edit == (username == "coordinator")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "the page scrolls sideways"


def test_a_coordinator_adds_an_indicator_and_finds_it_on_the_overview(demo_data, page_for, live_server):
    page = page_for("coordinator", demo.PASSWORD)
    page.goto(f"{live_server.url}/i/early-years/indicators/new/?outcome=R1")
    page.fill("#id_code", "C7")
    page.fill("#id_name_en", "Parents attending French workshops")
    page.fill("#id_name_fr", "Parents participant aux ateliers en français")
    page.select_option("#id_measure_type", "count")
    page.get_by_role("button", name="Save the indicator").click()
    page.wait_for_url("**/indicators/C7/targets/")
    assert serious_violations(page) == []
    page.fill("#id_baselines-0-period", "2024-Q1")
    page.fill("#id_baselines-0-value", "35")
    page.fill("#id_targets-0-period", "2026-Q4")
    page.fill("#id_targets-0-value", "80")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/indicators/C7/")
    page.goto(f"{live_server.url}/i/early-years/")
    assert page.get_by_role("link", name="Parents attending French workshops").is_visible()


def test_the_login_page_passes_axe_in_french_on_a_phone(browser, live_server):
    context = browser.new_context(viewport=PHONE, locale="fr-CA")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert serious_violations(page) == []
    context.close()
