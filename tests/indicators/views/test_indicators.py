from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Baseline, Indicator, Target
from tests.factories import (
    BaselineFactory,
    CategoryFactory,
    DimensionFactory,
    IndicatorFactory,
    ParticipationFactory,
    ReportFactory,
    ValueFactory,
)
from tests.helpers import formset_data, indicator_data


def post_indicator(client, **overrides):
    return client.post(reverse("indicator_create", args=["ready"]), indicator_data(**overrides))


def test_a_coordinator_adds_an_indicator_and_is_taken_to_its_baseline_and_targets(world, client_for):
    dimension = DimensionFactory(initiative=world.initiative)
    response = post_indicator(
        client_for(world.coordinator),
        dimensions=[dimension.pk],
        reporting_organizations=[world.partner_org.pk],
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("indicator_milestones", args=["ready", "C9"])
    indicator = Indicator.objects.get(initiative=world.initiative, code="C9")
    assert list(indicator.dimensions.all()) == [dimension]
    assert list(indicator.reporting_organizations.all()) == [world.partner_org]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"level": "contributing"}, "outcome", "Choose the population-level outcome"),
        (
            {"measure_type": "percentage", "accumulation": "cumulative"},
            "accumulation",
            "Only counts and amounts",
        ),
        ({"measure_type": "rate"}, "multiplier", "A rate needs a multiplier"),
        ({"min_value": "10", "max_value": "5"}, "max_value", "must not be below"),
        ({"name_en": "", "name_fr": ""}, "name_en", "in English, in French, or both"),
        ({"code": "bad code!"}, "code", "Use letters, digits"),
    ],
)
def test_an_indicator_that_would_combine_wrongly_is_refused_with_a_message_by_the_field(
    world, client_for, overrides, field, message
):
    response = post_indicator(client_for(world.coordinator), **overrides)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Indicator.objects.filter(code="C9").exists()


def test_a_single_value_is_reported_by_one_organization_only(world, client_for):
    response = post_indicator(
        client_for(world.coordinator),
        measure_type="single",
        reporting_organizations=[world.partner_org.pk, world.partner_other_org.pk],
    )
    assert "exactly one organization" in " ".join(response.context["form"].errors["reporting_organizations"])


def test_funders_are_not_offered_as_reporting_organizations(world, client_for):
    response = client_for(world.coordinator).get(reverse("indicator_create", args=["ready"]))
    offered = set(response.context["form"].fields["reporting_organizations"].queryset)
    assert world.partner_org in offered and world.backbone in offered
    assert world.funder_org not in offered


def test_a_code_used_in_another_initiative_is_free_here(world, client_for):
    IndicatorFactory(initiative=world.other, code="C9")
    assert post_indicator(client_for(world.coordinator)).status_code == 302


def test_the_measure_type_and_frequency_are_fixed_once_values_are_reported(world, client_for):
    indicator = IndicatorFactory(initiative=world.initiative, code="C9")
    ValueFactory(
        indicator=indicator,
        report=ReportFactory(initiative=world.initiative, organization=world.partner_org),
    )
    client = client_for(world.coordinator)
    client.post(
        reverse("indicator_edit", args=["ready", "C9"]),
        indicator_data(measure_type="amount", frequency="monthly", name_en="Renamed"),
    )
    indicator.refresh_from_db()
    assert (indicator.measure_type, indicator.frequency, indicator.name_en) == (
        "count",
        "quarterly",
        "Renamed",
    )


def test_a_coordinator_sets_a_baseline_and_targets(world, client_for):
    indicator = IndicatorFactory(initiative=world.initiative, code="C9", measure_type="percentage")
    data = formset_data("baselines", [{"category": "", "period": "2024-Q1", "value": "61.4"}])
    data |= formset_data(
        "targets",
        [
            {"category": "", "period": "2026-Q4", "value": "70"},
            {"category": "", "period": "2028-Q4", "value": "80"},
        ],
    )
    response = client_for(world.coordinator).post(reverse("indicator_milestones", args=["ready", "C9"]), data)
    assert response.status_code == 302
    assert indicator.baselines.get().value == Decimal("61.4")
    assert list(indicator.targets.values_list("period", flat=True)) == ["2026-Q4", "2028-Q4"]


def test_a_french_coordinator_types_a_decimal_comma(world, client_for):
    indicator = IndicatorFactory(initiative=world.initiative, code="C9", measure_type="percentage")
    data = formset_data("baselines", [{"category": "", "period": "2024-Q1", "value": "61,4"}]) | formset_data(
        "targets", []
    )
    client = client_for(world.coordinator)
    response = client.post(
        reverse("indicator_milestones", args=["ready", "C9"]), data, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 302
    assert indicator.baselines.get().value == Decimal("61.4")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"period": "2026-03", "value": "5"}, "reported quarterly"),
        ({"period": "2026-Q1", "value": "120"}, "cannot be above 100"),
        ({"period": "2026-Q1", "value": "-1"}, "cannot be below 0"),
        ({"period": "2026-Q1", "value": "lots"}, "Enter a number"),
    ],
)
def test_a_target_out_of_range_or_of_the_wrong_period_is_refused(world, client_for, row, message):
    IndicatorFactory(initiative=world.initiative, code="C9", measure_type="percentage")
    data = formset_data("baselines", []) | formset_data("targets", [{"category": ""} | row])
    response = client_for(world.coordinator).post(reverse("indicator_milestones", args=["ready", "C9"]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Target.objects.exists()


def test_two_targets_for_the_same_period_are_refused(world, client_for):
    IndicatorFactory(initiative=world.initiative, code="C9")
    rows = [
        {"category": "", "period": "2026-Q4", "value": "5"},
        {"category": "", "period": "2026-Q4", "value": "6"},
    ]
    data = formset_data("baselines", []) | formset_data("targets", rows)
    response = client_for(world.coordinator).post(reverse("indicator_milestones", args=["ready", "C9"]), data)
    assert "already a target for this category and period" in response.content.decode()
    assert not Target.objects.exists()


def existing_baseline_post(baseline, value, reason=""):
    data = formset_data(
        "baselines",
        [{"id": str(baseline.pk), "category": "", "period": baseline.period, "value": value}],
        initial=1,
    )
    return data | formset_data("targets", []) | {"reason": reason}


def test_changing_a_saved_baseline_needs_a_reason_which_is_kept_with_the_old_and_new_values(
    world, client_for
):
    indicator = IndicatorFactory(initiative=world.initiative, code="C9")
    baseline = BaselineFactory(indicator=indicator, period="2024-Q1", value=Decimal("100"))
    client = client_for(world.coordinator)
    url = reverse("indicator_milestones", args=["ready", "C9"])

    refused = client.post(url, existing_baseline_post(baseline, "120"))
    assert "Say why you change a baseline" in refused.content.decode()
    baseline.refresh_from_db()
    assert baseline.value == Decimal("100")

    assert (
        client.post(url, existing_baseline_post(baseline, "120", reason="Census revision")).status_code == 302
    )
    latest = Baseline.history.filter(id=baseline.pk).latest("history_date")
    assert (latest.value, latest.history_change_reason, latest.history_user) == (
        Decimal("120"),
        "Census revision",
        world.coordinator,
    )

    page = client.get(reverse("indicator_detail", args=["ready", "C9"])).content.decode()
    assert "Census revision" in page and "100" in page and "120" in page


def test_an_organization_funding_another_initiative_can_still_report_here(world, client_for):
    ParticipationFactory(initiative=world.other, organization=world.partner_org, role="funder")
    response = client_for(world.coordinator).get(reverse("indicator_create", args=["ready"]))
    assert world.partner_org in response.context["form"].fields["reporting_organizations"].queryset


def test_a_breakdown_that_baselines_use_cannot_be_removed(world, client_for):
    category = CategoryFactory(dimension__initiative=world.initiative)
    indicator = IndicatorFactory(initiative=world.initiative, code="C9")
    indicator.dimensions.add(category.dimension)
    BaselineFactory(indicator=indicator, category=category)
    response = client_for(world.coordinator).post(
        reverse("indicator_edit", args=["ready", "C9"]), indicator_data(dimensions=[])
    )
    assert "remove them first" in " ".join(response.context["form"].errors["dimensions"])
    assert list(indicator.dimensions.all()) == [category.dimension]


@pytest.mark.parametrize(
    ("change", "baseline"),
    [
        ({"frequency": "annual"}, {"period": "2024-Q1"}),
        ({"measure_type": "percentage"}, {"value": Decimal(500)}),
    ],
)
def test_a_frequency_or_measure_type_the_baseline_does_not_fit_is_refused(
    world, client_for, change, baseline
):
    indicator = IndicatorFactory(initiative=world.initiative, code="C9")
    BaselineFactory(indicator=indicator, **baseline)
    response = client_for(world.coordinator).post(
        reverse("indicator_edit", args=["ready", "C9"]), indicator_data(**change)
    )
    assert "does not fit" in " ".join(response.context["form"].non_field_errors())
    indicator.refresh_from_db()
    assert (indicator.frequency, indicator.measure_type) == ("quarterly", "count")
