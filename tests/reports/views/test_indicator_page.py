"""The indicator page: every member reads its definition, baseline and targets, in few queries."""

from decimal import Decimal

from django.urls import reverse

from tests.factories import (
    BaselineFactory,
    IndicatorFactory,
    TargetFactory,
)


def test_the_indicator_page_shows_every_member_its_definition_baseline_and_targets(world, client_for):
    indicator = IndicatorFactory(
        initiative=world.initiative, code="C9", definition_en="Families served at least once."
    )
    BaselineFactory(indicator=indicator, period="2024-Q1", value=Decimal("410"))
    TargetFactory(indicator=indicator, period="2026-Q4", value=Decimal("640"))
    for user in (world.partner, world.funder):
        page = client_for(user).get(reverse("indicator_detail", args=["ready", "C9"])).content.decode()
        assert "Families served at least once." in page
        assert "410" in page and "640" in page
        assert "2024–25 Q1" in page
        assert "Changes to the baseline" not in page  # the audit trail is the backbone's


def test_the_indicator_page_runs_a_fixed_number_of_queries(world, client_for, assert_queries):
    indicator = IndicatorFactory(initiative=world.initiative, code="C9")
    for year in range(2024, 2034):
        TargetFactory(indicator=indicator, period=f"{year}-Q4")
    client = client_for(world.coordinator)
    with assert_queries(19):
        assert client.get(reverse("indicator_detail", args=["ready", "C9"])).status_code == 200
