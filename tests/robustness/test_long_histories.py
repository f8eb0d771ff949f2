"""Summing-up pages list the latest twelve periods in words; the indicator page keeps them all."""

import datetime
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from indicators.models import Baseline, DataValue, PartnerReport, Target
from indicators.outcomes import rollups
from indicators.periods import Period, periods_between
from tests.factories import IndicatorFactory


@pytest.fixture
def monthly(world):
    """An outcome reported monthly for the 20 months up to last month, all approved."""
    ready = IndicatorFactory(
        initiative=world.initiative,
        code="R1",
        name_en="Children ready",
        measure_type="count",
        frequency="monthly",
    )
    ready.reporting_organizations.add(world.partner_org)
    last = Period.containing(datetime.date.today(), "monthly").previous()
    months = periods_between(last.shifted(-19), last)
    Baseline.objects.create(indicator=ready, period=months[0].key, value=D(100))
    Target.objects.create(indicator=ready, period=last.shifted(12).key, value=D(200))
    for number, month in enumerate(months):
        report = PartnerReport.objects.create(
            initiative=world.initiative,
            organization=world.partner_org,
            period=month.key,
            status="approved",
            due_date=month.due_date(30),
        )
        DataValue.objects.create(report=report, indicator=ready, value=D(100 + number))
    rollups.rebuild(world.initiative)
    world.months = months
    return world


def rows_of(page, caption):
    """The rows of the table captioned or labelled with ``caption``."""
    table = page[page.index(caption) :]
    table = table[: table.index("</table>")]
    return re.findall(r'<th scope="row"[^>]*>(.*?)</th>', table)


def test_the_dashboard_lists_the_latest_twelve_months_and_links_the_rest(monthly, client_for):
    page = client_for(monthly.coordinator).get(reverse("dashboard", args=["ready"])).content.decode()
    shown = rows_of(page, "R1 – Children ready</caption>")
    assert shown == [month.label() for month in monthly.months[-12:]]
    assert "8 earlier periods are on" in page
    assert reverse("indicator_detail", args=["ready", "R1"]) in page


def test_the_indicator_page_lists_every_month(monthly, client_for):
    url = reverse("indicator_detail", args=["ready", "R1"])
    page = client_for(monthly.coordinator).get(url).content.decode()
    assert rows_of(page, "R1 – Children ready</caption>") == [month.label() for month in monthly.months]
    assert "earlier periods are on" not in page


def test_the_report_lists_the_latest_twelve_months_and_says_where_the_rest_are(monthly, client_for):
    page = client_for(monthly.funder).get(reverse("outcome_report", args=["ready"])).content.decode()
    assert len(rows_of(page, 'aria-label="Figures of Children ready"')) == 12
    assert "8 earlier periods are in the chart and in the CSV and Excel downloads." in page
    csv = b"".join(client_for(monthly.funder).get(reverse("report_csv", args=["ready"]))).decode()
    assert all(month.key in csv for month in monthly.months)
