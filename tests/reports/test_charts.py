"""The indicator page: its chart over a chosen range, its breakdowns, and who contributed what."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse

from indicators.models import Baseline, DataValue, PartnerReport, Target
from indicators.outcomes import rollups
from tests.factories import CategoryFactory, DimensionFactory, IndicatorFactory


@pytest.fixture
def readiness(world):
    language = DimensionFactory(initiative=world.initiative, code="lang", name_en="Language")
    french = CategoryFactory(dimension=language, code="fr", name_en="French", order=0)
    english = CategoryFactory(dimension=language, code="en", name_en="English", order=1)
    ready = IndicatorFactory(
        initiative=world.initiative, code="R1", name_en="Ready", measure_type="percentage", frequency="annual"
    )
    ready.dimensions.add(language)
    ready.reporting_organizations.add(world.partner_org, world.partner_other_org)
    Baseline.objects.create(indicator=ready, period="2023", value=D(50))
    Target.objects.create(indicator=ready, period="2027", value=D(70))
    for year, (fr, en) in {"2023": (30, 20), "2024": (33, 21), "2025": (34, 22)}.items():
        report = PartnerReport.objects.create(
            initiative=world.initiative,
            organization=world.partner_org,
            period=year,
            status="approved",
            due_date=datetime.date(2026, 4, 30),
        )
        DataValue.objects.create(report=report, indicator=ready, numerator=D(fr + en), denominator=D(80))
        DataValue.objects.create(
            report=report, indicator=ready, category=french, numerator=D(fr), denominator=D(40)
        )
        DataValue.objects.create(
            report=report, indicator=ready, category=english, numerator=D(en), denominator=D(40)
        )
    rollups.rebuild(world.initiative)
    return world


def page(client, **params):
    return client.get(reverse("indicator_detail", args=["ready", "R1"]), params)


def test_the_page_says_the_equity_gap_in_a_sentence(readiness, client_for):
    content = page(client_for(readiness.partner)).content.decode()
    assert "In 2025–26, French (85%) was 30 percentage points ahead of English (55%)." in content


def test_the_range_selector_limits_the_chart_and_its_table(readiness, client_for):
    response = page(client_for(readiness.partner), **{"from": "2024", "to": "2024"})
    assert [p.period.key for p in response.context["outcome"].total.points] == ["2024"]
    assert [p.key for p in response.context["choices"]][:3] == ["2023", "2024", "2025"]


def test_an_unknown_range_shows_everything(readiness, client_for):
    response = page(client_for(readiness.partner), **{"from": "1999", "to": "nonsense"})
    assert [p.period.key for p in response.context["outcome"].total.points][:3] == ["2023", "2024", "2025"]


def test_who_contributed_what_is_for_the_backbone_only(readiness, client_for):
    assert "Who contributed what" in page(client_for(readiness.coordinator)).content.decode()
    for user in (readiness.partner, readiness.funder):
        assert "Who contributed what" not in page(client_for(user)).content.decode()


def test_every_chart_has_its_data_table(readiness, client_for):
    content = page(client_for(readiness.partner)).content.decode()
    assert content.count('data-chart="') == content.count("<summary>Data table</summary>") == 2


def test_the_indicator_page_with_categories_runs_a_fixed_number_of_queries(
    readiness, client_for, assert_queries
):
    client = client_for(readiness.coordinator)
    with assert_queries(22):
        assert page(client).status_code == 200
