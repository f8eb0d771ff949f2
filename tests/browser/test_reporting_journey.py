"""The reporting round trip in a real browser: a partner reports, the backbone returns, then approves."""

import io
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from demo import seed as demo
from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SERIOUS = {"serious", "critical"}
PERIOD = "2026-Q3"  # October–December 2026: the demo partner hasn't started it


@pytest.fixture
def demo_data(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())


def serious_violations(page):
    return [
        f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:3]}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in SERIOUS
    ]


def field(page, label):
    return page.get_by_label(label, exact=True)


def submit_and_confirm(page, translate=str):
    """Submit the report; if a value is called unusual, confirm it as asked and submit again.

    ``translate`` gives the page's wording of the English labels (a French page's, say).
    """
    page.get_by_role("button", name=translate("Submit for review")).click()
    confirm = page.get_by_label(translate("I have checked the values marked unusual: they are right."))
    if confirm.count():
        confirm.check()
        page.get_by_role("button", name=translate("Submit for review")).click()


def test_a_report_goes_from_partner_to_backbone_and_back_until_approved(demo_data, page_for, live_server):
    base = f"{live_server.url}/i/early-years"
    partner = page_for("partner", demo.PASSWORD)
    partner.get_by_role("link", name="Ready for School — Eastern Ontario").click()
    partner.get_by_role("link", name="Reporting").click()
    partner.get_by_role("link", name=re.compile("Enter data")).first.click()
    assert PERIOD in partner.url
    assert serious_violations(partner) == []

    field(partner, "Number — C1 Total").fill("305")
    field(partner, "Number — C1 0–2 years").fill("100")
    field(partner, "Number — C1 3–4 years").fill("110")
    field(partner, "Number — C1 5–6 years").fill("80")
    field(partner, "Amount — C3 Total").fill("24100")
    field(partner, "Mean — C4 Total").fill("3.7")  # the sample size is forgotten
    field(partner, "Number — C2 Total").fill("31")
    partner.get_by_role("button", name="Save draft").click()
    assert partner.get_by_text("Give the sample size n (more than 0) of the mean.").is_visible()
    assert field(partner, "Number — C1 Total").input_value() == "305"  # nothing to retype
    field(partner, "Sample size (n) — C4 Total").fill("150")
    partner.get_by_role("button", name="Save draft").click()
    assert partner.get_by_text("Draft saved.").is_visible()
    submit_and_confirm(partner)
    assert partner.get_by_text("Report submitted.").is_visible()

    coordinator = page_for("coordinator", demo.PASSWORD)
    coordinator.goto(f"{base}/review/")
    coordinator.get_by_role(
        "link", name=re.compile(r"Review — Prescott-Russell Family House 2026–27 Q3")
    ).click()
    assert serious_violations(coordinator) == []
    coordinator.get_by_label("Comment on C3 Total").fill("Is this the quarter's spending?")
    coordinator.get_by_label("Comment to the partner (needed to return the report)").fill(
        "One question on C3."
    )
    coordinator.get_by_role("button", name="Return to the partner").click()
    assert coordinator.get_by_text("Report returned to Prescott-Russell Family House").is_visible()

    partner.goto(f"{base}/reports/maison-famille/{PERIOD}/")
    assert partner.get_by_text("One question on C3.").is_visible()
    assert partner.get_by_text("Is this the quarter's spending?").is_visible()
    field(partner, "Amount — C3 Total").fill("23950")
    submit_and_confirm(partner)
    assert partner.get_by_text("Report submitted.").is_visible()

    coordinator.goto(f"{base}/reports/maison-famille/{PERIOD}/")
    coordinator.get_by_role("button", name="Approve").click()
    assert coordinator.get_by_text("Report approved").is_visible()

    partner.goto(f"{base}/reports/maison-famille/{PERIOD}/history/")
    history = partner.locator("main").inner_text()
    for text in ("Submitted", "Returned", "Approved", "One question on C3.", "$24,100", "$23,950"):
        assert text in history, text
    assert serious_violations(partner) == []


def test_the_entry_form_and_the_review_page_pass_axe_on_a_phone(demo_data, page_for, live_server):
    base = f"{live_server.url}/i/early-years"
    partner = page_for("partner", demo.PASSWORD, PHONE)
    partner.goto(f"{base}/reports/maison-famille/{PERIOD}/")
    assert serious_violations(partner) == []
    coordinator = page_for("coordinator", demo.PASSWORD, PHONE)
    for path in (
        "/review/",
        "/reports/maison-famille/2026-Q2/",
        "/reports/bibliotheque-clarence/2026-Q2/",
        "/upload/",
    ):
        coordinator.goto(base + path)
        assert serious_violations(coordinator) == [], path
        overflow = coordinator.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, path
