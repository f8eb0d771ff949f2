"""A funder reads the outcome report in Chromium, downloads its exports and prints it to PDF."""

import csv
import io
from decimal import Decimal as D

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.db import transaction
from openpyxl import load_workbook
from pypdf import PdfReader

from demo import seed as demo
from indicators.models import DataValue
from indicators.outcomes import rollups
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PENDING = D(987654)  # a figure awaiting review: no output of the report may show it
# Points per page: A4 is 595 × 842, Letter 612 × 792.
PAPER = {"A4": (595, 842), "Letter": (612, 792)}


@pytest.fixture
def demo_data(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    pending = DataValue.objects.filter(report__status="submitted", category=None, value__isnull=False).first()
    DataValue.objects.filter(pk=pending.pk).update(value=PENDING)
    with transaction.atomic():
        rollups.refresh_report(pending.report)


def serious_violations(page):
    return [
        f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:3]}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def plain(text):
    """PDF text as a reader sees it: ligatures undone, lines joined."""
    return " ".join(text.replace("\ufb01", "fi").replace("\ufb02", "fl").split())


def without_separators(text):
    return text.replace(",", "").replace(" ", "").replace("\u202f", "").replace("\xa0", "")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("username", ["funder", "partner"])
def test_the_report_draws_its_charts_and_passes_axe(demo_data, page_for, live_server, username, viewport):
    page = page_for(username, demo.PASSWORD, viewport)
    page.goto(f"{live_server.url}/i/early-years/report/")
    page.wait_for_selector(".chart-drawn .main-svg")
    assert page.locator(".chart-drawn").count() == 4  # two outcomes, each by language
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_a_funder_lands_on_the_report_and_finds_nothing_to_change(demo_data, page_for, live_server):
    page = page_for("funder", demo.PASSWORD)
    assert page.url == f"{live_server.url}/i/early-years/report/"
    page.wait_for_selector(".chart-drawn .main-svg")
    assert page.get_by_role("heading", name="The story behind the curve").count() == 2
    assert page.get_by_text("What is driving the curve").first.is_visible()
    actions = page.evaluate(
        "[...document.querySelectorAll('form')].filter(f => f.method === 'post')"
        ".map(f => new URL(f.action).pathname)"
    )
    assert sorted(actions) == ["/accounts/logout/", "/language/"]
    assert page.locator("input:not([type=hidden]), textarea").count() == 0
    assert page.get_by_role("link", name="Edit").count() == 0


def test_the_downloads_match_the_page_and_hold_approved_figures_only(demo_data, page_for, live_server):
    page = page_for("funder", demo.PASSWORD)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    with open(download.value.path(), encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    latest = [r for r in rows if r["indicator_code"] == "R1" and not r["category"] and r["period"] == "2025"]
    assert len(latest) == 1
    shown = page.locator(".summary-table tbody tr").first.inner_text()
    assert f"{round(D(latest[0]['value']), 1)}%" in shown
    assert not any(str(PENDING) in value for row in rows for value in row.values())
    with page.expect_download() as download:
        page.get_by_role("link", name="Download Excel (XLSX)").click()
    with open(download.value.path(), "rb") as file:
        workbook = load_workbook(io.BytesIO(file.read()))
    assert download.value.suggested_filename == "early-years-report.xlsx"
    assert workbook.sheetnames == ["Summary", "data"]
    cells = [c for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row]
    assert PENDING not in cells and str(PENDING) not in map(str, cells)


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_report_prints_as_a_document_with_an_outcome_a_page(demo_data, page_for, live_server, paper):
    page = page_for("funder", demo.PASSWORD)
    page.wait_for_selector(".chart-drawn .main-svg")
    page.emulate_media(media="print")
    page.wait_for_timeout(300)  # the charts redraw at the printed width
    widths = page.evaluate(
        "[...document.querySelectorAll('.chart-drawn .main-svg')].map(c => c.getBoundingClientRect().width)"
    )
    assert widths and max(widths) <= 680  # 180 mm: inside A4 and Letter once the margins are off
    reader = PdfReader(io.BytesIO(page.pdf(format=paper, print_background=True)))
    width, height = PAPER[paper]
    for printed in reader.pages:
        assert abs(float(printed.mediabox.width) - width) < 2, printed.mediabox
        assert abs(float(printed.mediabox.height) - height) < 2, printed.mediabox
    texts = [plain(p.extract_text()) for p in reader.pages]
    whole = "\n".join(texts)
    assert 4 <= len(texts) <= 12
    for expected in (
        "Ready for School — Eastern Ontario",
        "Population-level outcomes at a glance",
        "Children ready for school",
        "Children vulnerable in language and cognitive development",
        "The story behind the curve",
        "What is driving the curve",
        "Participating organizations",
        "Data quality",
    ):
        assert expected in whole, expected
    # Each outcome starts its own page; no navigation, buttons or role badge on paper.
    starts = [i for i, text in enumerate(texts) if "Turn the curve" in text]
    assert len(starts) == 2 and starts[0] != starts[1]
    for chrome in ("Print / Save as PDF", "Download CSV", "Your role", "My initiatives", "Log out"):
        assert chrome not in whole, chrome
    assert str(PENDING) not in without_separators(whole)
