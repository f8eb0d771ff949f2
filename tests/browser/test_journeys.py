"""The three journeys of DESIGN.md, each as its person would take it, in Debian's Chromium against a
live server on PostgreSQL: the coordinator, a partner working in French, and a funder."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation
from pypdf import PdfReader

from demo import seed as demo
from indicators.models import DataValue, PartnerReport
from tests.browser.test_reporting_journey import serious_violations, submit_and_confirm

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BASE = "/i/early-years"


@pytest.fixture
def demo_data(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())


def fr(text):
    """The French a francophone reads for ``text`` (the catalogue's, so the test follows its wording)."""
    with translation.override("fr"):
        french = translation.gettext(text)
    assert french != text, f"{text!r} is not translated"
    return french


def actual_points(page, code):
    """The approved figures the dashboard's chart of ``code`` draws: {period label: value}."""
    chart = page.locator(".outcome-panel", has=page.get_by_text(code, exact=True)).locator("[data-chart]")
    chart.locator(".main-svg").first.wait_for()
    traces = chart.evaluate("element => element.data.map(t => ({name: t.name, x: t.x, y: t.y}))")
    points = {}
    for trace in traces:
        if trace["name"] == "Actual (approved)":
            points.update({x: y for x, y in zip(trace["x"], trace["y"], strict=True) if y is not None})
    return points


def test_the_coordinators_journey(demo_data, page_for, live_server):
    coordinator = page_for("coordinator", demo.PASSWORD)
    coordinator.get_by_role("link", name="Ready for School — Eastern Ontario").click()

    # A new population-level outcome, counted each quarter by one partner, with a baseline and a target.
    coordinator.get_by_role("link", name="Add an indicator").click()
    coordinator.fill("#id_code", "R3")
    coordinator.fill("#id_name_en", "Families using a family centre")
    coordinator.fill("#id_name_fr", "Familles fréquentant un centre familial")
    coordinator.select_option("#id_level", "outcome")
    coordinator.select_option("#id_measure_type", "count")
    coordinator.select_option("#id_frequency", "quarterly")
    coordinator.get_by_label("Prescott-Russell Family House").check()
    coordinator.get_by_role("button", name="Save the indicator").click()
    coordinator.wait_for_url("**/indicators/R3/targets/")
    coordinator.fill("#id_baselines-0-period", "2025-Q4")
    coordinator.fill("#id_baselines-0-value", "40")
    coordinator.fill("#id_targets-0-period", "2027-Q4")
    coordinator.fill("#id_targets-0-value", "80")
    coordinator.get_by_role("button", name="Save").click()
    coordinator.wait_for_url("**/indicators/R3/")

    coordinator.get_by_role("link", name="Dashboard").click()
    assert actual_points(coordinator, "R3") == {}  # a baseline and a target, nothing reported yet

    # The partner's submitted report: a question on C1, returned with a comment.
    coordinator.get_by_role("link", name=re.compile("Review")).first.click()
    coordinator.get_by_role("link", name=re.compile("Prescott-Russell Family House 2026–27 Q2")).click()
    assert serious_violations(coordinator) == []
    coordinator.get_by_label("Comment on C1 Total").fill("Is 0–2 years counted twice?")
    coordinator.get_by_label("Comment to the partner (needed to return the report)").fill(
        "One question on C1, and please add R3."
    )
    coordinator.get_by_role("button", name="Return to the partner").click()
    assert coordinator.get_by_text("Report returned to Prescott-Russell Family House").is_visible()

    # The partner corrects it (and reports the new outcome) and submits it again.
    partner = page_for("partner", demo.PASSWORD)
    partner.goto(f"{live_server.url}{BASE}/reports/maison-famille/2026-Q2/")
    assert partner.get_by_text("Is 0–2 years counted twice?").is_visible()
    partner.get_by_label("Number — R3 Total", exact=True).fill("52")
    submit_and_confirm(partner)
    assert partner.get_by_text("Report submitted.").is_visible()

    # The corrected report is approved, and the dashboard's chart of R3 draws its first figure.
    coordinator.goto(f"{live_server.url}{BASE}/reports/maison-famille/2026-Q2/")
    coordinator.get_by_role("button", name="Approve").click()
    assert coordinator.get_by_text("Report approved").is_visible()
    coordinator.get_by_role("link", name="Dashboard").click()
    assert actual_points(coordinator, "R3") == {"2026–27 Q2": 52}
    card = coordinator.locator(".outcome-panel", has=coordinator.get_by_text("R3", exact=True))
    assert "52" in card.locator("table").first.text_content()  # the chart's data table too


def test_the_partners_journey_in_french(demo_data, browser, live_server):
    context = browser.new_context(locale="en-CA", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Français").click()  # an English browser, a French reader
    assert page.get_attribute("html", "lang") == "fr"
    page.fill("#id_username", "partner")
    page.fill("#id_password", demo.PASSWORD)
    page.get_by_role("button", name=fr("Log in")).click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    assert page.get_attribute("html", "lang") == "fr"

    # The report due for October to December, opened from the partner's list.
    page.get_by_role("link", name="Prêts pour l'école — Est ontarien").click()
    page.get_by_role("link", name=fr("Reporting")).click()
    page.get_by_role("link", name=f"{fr('Enter data')} — 2026–2027 T3").click()  # October to December
    assert "2026-Q3" in page.url
    assert serious_violations(page) == []

    def field(measure, code, row="Total"):  # "Total" is the same word in French
        return page.get_by_label(f"{fr(measure)} — {code} {row}", exact=True)

    field("Number", "C1").fill("305")
    field("Number", "C1", "0 à 2 ans").fill("100")
    field("Number", "C1", "3 à 4 ans").fill("110")
    field("Number", "C1", "5 à 6 ans").fill("80")
    field("Amount", "C3").fill("24 100,50")
    field("Mean", "C4").fill("3,7")  # a decimal comma; the sample size is forgotten
    field("Number", "C2").fill("31")
    page.get_by_role("button", name=fr("Save draft")).click()
    assert page.get_by_text(fr("Give the sample size n (more than 0) of the mean.")).is_visible()
    assert field("Mean", "C4").input_value() == "3,7"  # nothing to retype
    assert field("Amount", "C3").input_value() in ("24 100,50", "24100,50", "24\u00a0100,50")
    field("Sample size (n)", "C4").fill("150")
    page.get_by_role("button", name=fr("Save draft")).click()
    saved = fr("Draft saved. You can come back to it any time before submitting.")
    assert page.get_by_text(saved).is_visible()
    submit_and_confirm(page, fr)
    submitted = fr("Report submitted. The backbone team will review it; you will get an email.")
    assert page.get_by_text(submitted).is_visible()

    report = PartnerReport.objects.get(organization__slug="maison-famille", period="2026-Q3")
    assert report.status == "submitted"
    mean = report.values.get(indicator__code="C4", category=None)
    assert (mean.value, mean.denominator) == (Decimal("3.7"), Decimal("150"))
    assert report.values.get(indicator__code="C3", category=None).value == Decimal("24100.5")

    # Next period's figures from a French spreadsheet: semicolons and decimal commas.
    page.get_by_role("link", name=fr("Upload a spreadsheet")).first.click()
    rows = [
        ["indicator_code", "period", "dimension", "category", "value", "denominator", "comment"],
        ["C1", "2026-Q4", "", "", "290", "", ""],
        ["C3", "2026-Q4", "", "", "18 250,75", "", "fournitures"],
        ["C4", "2026-Q4", "", "", "3,9", "120", ""],
    ]
    text = io.StringIO()
    csv.writer(text, delimiter=";").writerows(rows)
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "rapport.csv", "mimeType": "text/csv", "buffer": text.getvalue().encode("utf-8")}],
    )
    page.get_by_role("button", name=fr("Import")).click()
    with translation.override("fr"):
        imported_message = translation.ngettext(
            "%(values)s values imported into %(reports)s report.",
            "%(values)s values imported into %(reports)s reports.",
            1,
        ) % {"values": 3, "reports": 1}
    assert page.get_by_text(imported_message).is_visible()
    values = DataValue.objects.filter(report__organization__slug="maison-famille", report__period="2026-Q4")
    imported = {(v.indicator.code, v.value, v.denominator) for v in values.select_related("indicator")}
    assert imported == {
        ("C1", Decimal("290"), None),
        ("C3", Decimal("18250.75"), None),
        ("C4", Decimal("3.9"), Decimal("120")),
    }
    assert page.get_attribute("html", "lang") == "fr"
    context.close()


def test_the_funders_journey(demo_data, page_for, live_server):
    funder = page_for("funder", demo.PASSWORD)
    assert funder.url.endswith(f"{BASE}/report/")  # a funder of one initiative lands on its report
    assert funder.get_by_role("heading", level=1).is_visible()

    with funder.expect_download() as download:
        funder.get_by_role("link", name=re.compile("CSV")).first.click()
    with open(download.value.path(), encoding="utf-8-sig") as exported:
        rows = list(csv.DictReader(exported))
    assert download.value.suggested_filename.endswith(".csv")
    assert {"R1", "R2"} <= {row["indicator_code"] for row in rows}

    funder.emulate_media(media="print")
    pdf = PdfReader(io.BytesIO(funder.pdf(format="A4", print_background=True)))
    funder.emulate_media(media="screen")
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert len(pdf.pages) >= 3 and "R1" in text and "My initiatives" not in text

    # Nothing on the page, or anywhere the funder can go from it, changes anything.
    for path in ("", f"{BASE}/report/", f"{BASE}/", f"{BASE}/dashboard/", f"{BASE}/indicators/R1/"):
        funder.goto(live_server.url + (path or "/"))
        # A form that only reads (the report's period range) is fine; none may post.
        assert funder.locator('main form[method="post" i]').count() == 0, f"{path}: a form that posts"
        for word in ("Edit", "Add", "Delete", "Write", "Approve", "Return", "Upload", "Save", "Submit"):
            controls = funder.locator("main").get_by_role("link", name=re.compile(rf"^{word}\b")).count()
            controls += funder.locator("main").get_by_role("button", name=re.compile(rf"^{word}\b")).count()
            assert controls == 0, f"{path}: a control to {word.lower()}"
