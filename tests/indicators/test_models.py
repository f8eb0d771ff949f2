"""The database itself refuses data that would make the numbers wrong, whatever path wrote it."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from impact.models import Category
from indicators.models import DataValue, Indicator
from partners.models import Participation
from tests.factories import (
    BaselineFactory,
    CategoryFactory,
    DimensionFactory,
    IndicatorFactory,
    InitiativeFactory,
    OrganizationFactory,
    ParticipationFactory,
    ReportFactory,
    TargetFactory,
    ValueFactory,
)

pytestmark = pytest.mark.django_db


def refused(factory, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def test_an_indicator_code_is_unique_within_an_initiative_but_not_across_them():
    indicator = IndicatorFactory(code="R1")
    refused(IndicatorFactory, initiative=indicator.initiative, code="R1")
    IndicatorFactory(code="R1")


def test_a_contributing_measure_must_name_its_outcome_and_an_outcome_must_not():
    refused(IndicatorFactory, level="contributing", outcome=None)
    outcome = IndicatorFactory()
    refused(IndicatorFactory, initiative=outcome.initiative, level="outcome", outcome=outcome)


def test_only_counts_and_amounts_can_be_cumulative():
    refused(IndicatorFactory, measure_type="percentage", accumulation="cumulative")
    IndicatorFactory(measure_type="amount", accumulation="cumulative")


def test_a_rate_needs_a_positive_multiplier_and_nothing_else_may_have_one():
    refused(IndicatorFactory, measure_type="rate", multiplier=None)
    refused(IndicatorFactory, measure_type="rate", multiplier=Decimal(0))
    refused(IndicatorFactory, measure_type="count", multiplier=Decimal(1000))
    IndicatorFactory(measure_type="rate", multiplier=Decimal(1000))


def test_an_unknown_measure_type_is_refused():
    refused(IndicatorFactory, measure_type="median")


def test_a_valid_range_must_be_in_order():
    refused(IndicatorFactory, min_value=Decimal(10), max_value=Decimal(5))


def test_an_organization_takes_one_role_per_initiative():
    participation = ParticipationFactory()
    refused(
        ParticipationFactory,
        organization=participation.organization,
        initiative=participation.initiative,
        role="funder",
    )
    refused(ParticipationFactory, role="sponsor")


def test_an_indicator_has_one_total_baseline_and_one_per_category():
    baseline = BaselineFactory(category=None)
    refused(BaselineFactory, indicator=baseline.indicator, category=None)
    category = CategoryFactory()
    BaselineFactory(indicator=baseline.indicator, category=category)
    refused(BaselineFactory, indicator=baseline.indicator, category=category)


def test_an_indicator_has_one_target_per_period_for_the_total():
    target = TargetFactory(period="2026-Q4")
    refused(TargetFactory, indicator=target.indicator, period="2026-Q4")
    TargetFactory(indicator=target.indicator, period="2027-Q4")


def test_an_organization_sends_one_report_per_period():
    report = ReportFactory()
    refused(
        ReportFactory,
        initiative=report.initiative,
        organization=report.organization,
        period=report.period,
    )


def test_a_report_holds_one_total_per_indicator():
    value = ValueFactory(category=None)
    refused(ValueFactory, report=value.report, indicator=value.indicator, category=None)


@pytest.mark.parametrize(
    "figures",
    [
        {"value": None, "numerator": Decimal(3), "denominator": Decimal(0)},
        {"value": None, "numerator": Decimal(-1), "denominator": Decimal(10)},
        {"value": None, "numerator": Decimal(3), "denominator": None},
        {"value": None},
        {"value": Decimal(5), "not_available": True, "not_available_reason": "closed"},
        {"value": None, "not_available": True, "not_available_reason": ""},
    ],
    ids=[
        "zero-denominator",
        "negative-numerator",
        "numerator-alone",
        "nothing-reported",
        "value-and-not-available",
        "not-available-without-reason",
    ],
)
def test_a_value_that_cannot_be_combined_is_refused(figures):
    refused(ValueFactory, **figures)


def test_an_explicit_zero_is_a_value_and_not_available_with_a_reason_is_kept():
    ValueFactory(value=Decimal(0))
    ValueFactory(value=None, not_available=True, not_available_reason="Program closed for renovations")
    assert DataValue.objects.count() == 2


def test_deleting_a_category_with_reported_values_is_refused():
    category = CategoryFactory()
    ValueFactory(category=category)
    with pytest.raises(ProtectedError):
        category.delete()
    assert Category.objects.filter(pk=category.pk).exists()


def test_deleting_an_indicator_with_reported_values_is_refused():
    value = ValueFactory()
    with pytest.raises(ProtectedError):
        value.indicator.delete()
    assert Indicator.objects.filter(pk=value.indicator_id).exists()


def test_deleting_an_initiative_or_organization_with_reports_is_refused():
    report = ReportFactory()
    with pytest.raises(ProtectedError):
        report.initiative.delete()
    with pytest.raises(ProtectedError):
        report.organization.delete()


def test_an_organization_taking_part_in_an_initiative_cannot_be_deleted():
    organization = OrganizationFactory()
    ParticipationFactory(
        organization=organization, initiative=InitiativeFactory(), role=Participation.Role.PARTNER
    )
    with pytest.raises(ProtectedError):
        organization.delete()


def test_dimension_codes_are_unique_within_an_initiative():
    dimension = DimensionFactory(code="age")
    refused(DimensionFactory, initiative=dimension.initiative, code="age")
