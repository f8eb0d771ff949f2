"""The dashboard: outcomes at a glance, approved data for everyone, a preview for the backbone."""

import datetime
import json
from decimal import Decimal as D

import pytest
from django.test import Client
from django.urls import reverse

from indicators.models import Baseline, DataValue, Indicator, PartnerReport, Target
from indicators.outcomes import rollups
from tests.factories import IndicatorFactory, OrganizationFactory, ParticipationFactory


@pytest.fixture
def results(world):
    """An outcome with a contributing measure, one approved and one submitted report."""
    outcome = IndicatorFactory(
        initiative=world.initiative,
        code="R1",
        name_en="Children ready",
        measure_type="percentage",
        frequency="annual",
    )
    measure = IndicatorFactory(
        initiative=world.initiative,
        code="C1",
        name_en="Families served",
        level="contributing",
        outcome=outcome,
        frequency="annual",
    )
    for indicator in (outcome, measure):
        indicator.reporting_organizations.add(world.partner_org, world.partner_other_org)
    Baseline.objects.create(indicator=outcome, period="2024", value=D(50))
    Target.objects.create(indicator=outcome, period="2027", value=D(80))
    approved = PartnerReport.objects.create(
        initiative=world.initiative,
        organization=world.partner_org,
        period="2025",
        status="approved",
        due_date=datetime.date(2026, 4, 30),
    )
    DataValue.objects.create(report=approved, indicator=outcome, numerator=D(60), denominator=D(100))
    DataValue.objects.create(report=approved, indicator=measure, value=D(12))
    pending = PartnerReport.objects.create(
        initiative=world.initiative,
        organization=world.partner_other_org,
        period="2025",
        status="submitted",
        due_date=datetime.date(2026, 4, 30),
    )
    DataValue.objects.create(report=pending, indicator=outcome, numerator=D(90), denominator=D(100))
    rollups.rebuild(world.initiative)
    world.outcome, world.measure = outcome, measure
    return world


def charts(response):
    page = response.content.decode()
    start = page.index('<script id="chart-data" type="application/json">') + len(
        '<script id="chart-data" type="application/json">'
    )
    return json.loads(page[start : page.index("</script>", start)])


def test_every_member_sees_approved_outcomes_with_their_status(results, client_for):
    for user in (results.coordinator, results.partner, results.funder):
        page = client_for(user).get(reverse("dashboard", args=["ready"])).content.decode()
        assert "Children ready" in page
        assert "Families served" in page
        assert "Based on 1 of 2 partners." in page  # the figure rests on one of two partners


def test_the_headline_is_the_approved_figure_and_the_preview_adds_submitted_ones(results, client_for):
    client = client_for(results.coordinator)
    approved = client.get(reverse("dashboard", args=["ready"]))
    board = approved.context["board"]
    assert board.groups[0].outcome.latest.value == D(60)
    assert not board.preview and board.awaiting_review == 1
    preview = client.get(reverse("dashboard", args=["ready"]) + "?preview=1").context["board"]
    assert preview.groups[0].outcome.latest.value == D(75)  # 100 × (60 + 90) / 200
    assert preview.groups[0].outcome.latest.pending


def test_only_the_backbone_can_preview_pending_data(results, client_for):
    board = (
        client_for(results.partner).get(reverse("dashboard", args=["ready"]) + "?preview=1").context["board"]
    )
    assert not board.preview
    assert board.groups[0].outcome.latest.value == D(60)


def test_the_charts_are_plotly_json_embedded_in_the_page(results, client_for):
    figures = charts(client_for(results.coordinator).get(reverse("dashboard", args=["ready"])))
    outcome_chart = figures[f"outcome-{results.outcome.pk}"]
    names = [trace.get("name") for trace in outcome_chart["data"]]
    assert "Actual (approved)" in names and "Targets" in names
    assert figures["contribution"]["data"][0]["type"] == "sankey"


def test_french_readers_get_decimal_commas_in_the_charts(results, client_for):
    figures = charts(
        client_for(results.partner).get(reverse("dashboard", args=["ready"]), HTTP_ACCEPT_LANGUAGE="fr")
    )
    assert figures[f"outcome-{results.outcome.pk}"]["layout"]["separators"] == ",\u00a0"


def grow(world, organizations, indicators, quarters=12):
    """Add organizations and indicators, each organization reporting every indicator every quarter."""
    made_organizations = [OrganizationFactory() for _ in range(organizations)]
    for organization in made_organizations:
        ParticipationFactory(initiative=world.initiative, organization=organization)
    outcome = world.initiative.indicators.filter(level="outcome").first() or IndicatorFactory(
        initiative=world.initiative, code="R0", frequency="quarterly"
    )
    [
        IndicatorFactory(
            initiative=world.initiative, level="contributing", outcome=outcome, frequency="quarterly"
        )
        for _ in range(indicators)
    ]
    everyone = list(
        world.initiative.participations.filter(role="partner").values_list("organization", flat=True)
    )
    every_indicator = list(world.initiative.indicators.all())
    assignment = Indicator.reporting_organizations.through
    assignment.objects.bulk_create(
        (assignment(indicator_id=i.pk, organization_id=o) for i in every_indicator for o in everyone),
        ignore_conflicts=True,
    )
    keys = [f"{year}-Q{q}" for year in (2023, 2024, 2025) for q in (1, 2, 3, 4)][:quarters]
    for organization in everyone:
        for key in keys:
            report, _created = PartnerReport.objects.get_or_create(
                initiative=world.initiative,
                organization_id=organization,
                period=key,
                defaults={"status": "approved", "due_date": datetime.date(2026, 1, 1)},
            )
            DataValue.objects.bulk_create(
                (DataValue(report=report, indicator=i, value=D(3)) for i in every_indicator),
                ignore_conflicts=True,
            )
    rollups.rebuild(world.initiative)
    return outcome


# The queries each page runs, whatever the initiative's size; outside the backbone, the outcome
# report also asks whether there are dimensions, to say how small cells are hidden.
PAGES = {
    "dashboard": 19,
    "indicator_detail": 20,
    "report_csv": 9,
    "report_xlsx": 9,
    "reporting_home": 7,
    "outcome_report": 19,
}
FUNDER_PAGES = {"outcome_report": 20, "report_xlsx": 9}


def test_dashboard_indicator_page_report_and_exports_cost_the_same_at_a_quarter_size_and_full_size(
    world, client_for, assert_queries
):
    """13 organizations × 5 indicators × 12 quarters, then 52 × 20 × 12: the same queries."""
    outcome = grow(world, organizations=11, indicators=4)  # with the world's two partners: 13 × 5
    client = client_for(world.coordinator)
    funder = Client()
    funder.force_login(world.funder)

    def url(name):
        return reverse(name, args=["ready", outcome.code] if name == "indicator_detail" else ["ready"])

    def measure():
        for reader, pages in ((client, PAGES), (funder, FUNDER_PAGES)):
            for name, count in pages.items():
                with assert_queries(count):
                    assert reader.get(url(name)).status_code == 200

    measure()
    grow(world, organizations=39, indicators=15)
    assert world.initiative.indicators.count() == 20
    assert world.initiative.participations.filter(role="partner").count() == 52
    assert DataValue.objects.count() == 52 * 20 * 12
    measure()
