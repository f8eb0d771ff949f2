"""Report status changes: only through the services, only by the right role, always recorded."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from impact.access import get_membership
from indicators.models import DataValue, PartnerReport, ReportEvent
from indicators.reporting import services
from tests.factories import CategoryFactory, IndicatorFactory


@pytest.fixture
def report(world):
    indicator = IndicatorFactory(initiative=world.initiative, code="C1")
    indicator.reporting_organizations.add(world.partner_org)
    report = services.report_get_or_create(
        initiative=world.initiative, organization=world.partner_org, period_key="2025-Q1"
    )
    membership = get_membership(world.partner, "ready")
    return services.report_values_save(
        report=report,
        membership=membership,
        user=world.partner,
        values=[{"indicator": indicator, "value": Decimal("42")}],
        version=report.version,
    )


def members(world):
    return {
        name: get_membership(world.users[name], "ready")
        for name in ("partner", "partner_other", "funder", "coordinator")
    }


def test_a_new_report_is_a_draft_due_after_its_period_ends(world):
    report = services.report_get_or_create(
        initiative=world.initiative, organization=world.partner_org, period_key="2025-Q4"
    )
    assert report.status == "draft"
    assert report.due_date == datetime.date(2026, 4, 30)  # January–March 2026, plus 30 days


def test_a_partner_submits_and_a_coordinator_approves_with_both_steps_recorded(world, report):
    roles = members(world)
    report = services.report_submit(report=report, membership=roles["partner"], user=world.partner)
    report = services.report_approve(report=report, membership=roles["coordinator"], user=world.coordinator)
    assert report.status == "approved" and not report.is_editable
    events = list(report.events.values_list("action", "from_status", "to_status", "user__username"))
    assert events == [
        ("submit", "draft", "submitted", "partner"),
        ("approve", "submitted", "approved", "coordinator"),
    ]


def test_a_returned_report_carries_the_comment_and_can_be_submitted_again(world, report):
    roles = members(world)
    services.report_submit(report=report, membership=roles["partner"], user=world.partner)
    returned = services.report_return(
        report=report, membership=roles["coordinator"], user=world.coordinator, comment="Check C1"
    )
    assert (returned.status, returned.review_comment) == ("returned", "Check C1")
    again = services.report_submit(report=returned, membership=roles["partner"], user=world.partner)
    assert again.status == "submitted"


def test_returning_a_report_needs_a_comment(world, report):
    roles = members(world)
    services.report_submit(report=report, membership=roles["partner"], user=world.partner)
    with pytest.raises(ValidationError, match="needs a comment"):
        services.report_return(
            report=report, membership=roles["coordinator"], user=world.coordinator, comment="  "
        )


def test_reopening_an_approved_report_needs_a_reason_and_unlocks_it(world, report):
    roles = members(world)
    services.report_submit(report=report, membership=roles["partner"], user=world.partner)
    approved = services.report_approve(report=report, membership=roles["coordinator"], user=world.coordinator)
    with pytest.raises(ValidationError, match="reason"):
        services.report_reopen(
            report=approved, membership=roles["coordinator"], user=world.coordinator, reason=""
        )
    reopened = services.report_reopen(
        report=approved,
        membership=roles["coordinator"],
        user=world.coordinator,
        reason="Typo in C1",
    )
    assert reopened.status == "returned" and reopened.is_editable
    assert reopened.events.last().comment == "Typo in C1"


@pytest.mark.parametrize("name", ["partner_other", "funder"])
def test_only_the_reporting_organization_or_the_backbone_submits(world, report, name):
    with pytest.raises(PermissionDenied):
        services.report_submit(report=report, membership=members(world)[name], user=world.users[name])
    assert PartnerReport.objects.get(pk=report.pk).status == "draft"


@pytest.mark.parametrize("name", ["partner", "partner_other", "funder"])
def test_only_coordinators_review(world, report, name):
    roles = members(world)
    services.report_submit(report=report, membership=roles["partner"], user=world.partner)
    for service, extra in (
        (services.report_approve, {}),
        (services.report_return, {"comment": "no"}),
    ):
        with pytest.raises(PermissionDenied):
            service(report=report, membership=roles[name], user=world.users[name], **extra)
    assert PartnerReport.objects.get(pk=report.pk).status == "submitted"


def test_a_coordinator_of_another_initiative_cannot_touch_this_report(world, report):
    membership = get_membership(world.users["coordinator_other"], "elsewhere")
    services.report_submit(report=report, membership=members(world)["partner"], user=world.partner)
    with pytest.raises(PermissionDenied):
        services.report_approve(report=report, membership=membership, user=world.users["coordinator_other"])


def test_a_report_cannot_skip_review(world, report):
    with pytest.raises(ValidationError, match="cannot be approved"):
        services.report_approve(
            report=report, membership=members(world)["coordinator"], user=world.coordinator
        )
    assert not ReportEvent.objects.exists()


def test_an_empty_report_cannot_be_submitted(world):
    empty = services.report_get_or_create(
        initiative=world.initiative, organization=world.partner_org, period_key="2025-Q2"
    )
    with pytest.raises(ValidationError, match="at least one value"):
        services.report_submit(report=empty, membership=members(world)["partner"], user=world.partner)


def test_a_save_based_on_an_older_version_is_refused_and_the_newer_values_are_kept(world, report):
    indicator = report.values.get().indicator
    stale_version = report.version - 1
    with pytest.raises(services.StaleReport):
        services.report_values_save(
            report=report,
            membership=members(world)["partner"],
            user=world.partner,
            values=[{"indicator": indicator, "value": Decimal("1")}],
            version=stale_version,
        )
    assert report.values.get().value == Decimal("42")


def test_submitted_values_cannot_change(world, report):
    roles = members(world)
    submitted = services.report_submit(report=report, membership=roles["partner"], user=world.partner)
    with pytest.raises(ValidationError, match="cannot change"):
        services.report_values_save(
            report=submitted,
            membership=roles["partner"],
            user=world.partner,
            values=[{"indicator": report.values.get().indicator, "value": Decimal("1")}],
            version=submitted.version,
        )


def test_every_change_of_a_value_is_attributed(world, report):
    value = report.values.get()
    record = value.history.latest("history_date")
    assert (record.value, record.history_user) == (Decimal("42"), world.partner)


def save(world, report, *items):
    return services.report_values_save(
        report=report,
        membership=get_membership(world.partner, "ready"),
        user=world.partner,
        values=list(items),
        version=report.version,
    )


def assigned_indicator(world, **fields):
    indicator = IndicatorFactory(initiative=world.initiative, **fields)
    indicator.reporting_organizations.add(world.partner_org)
    return indicator


@pytest.mark.parametrize(
    ("fields", "figures", "message"),
    [
        ({"measure_type": "count"}, {"value": Decimal("2.5")}, "whole number"),
        ({"measure_type": "count"}, {"value": Decimal("-1")}, "cannot be below 0"),
        ({"measure_type": "amount"}, {"value": Decimal(5), "numerator": Decimal(1)}, "not a numerator"),
        ({"measure_type": "percentage"}, {"value": Decimal("55")}, "pools them, never percentages"),
        (
            {"measure_type": "percentage"},
            {"numerator": Decimal(12), "denominator": Decimal(10)},
            "larger than",
        ),
        ({"measure_type": "percentage"}, {"numerator": Decimal(1)}, "Enter the denominator too"),
        (
            {"measure_type": "rate", "multiplier": Decimal(1000)},
            {"numerator": Decimal(1), "denominator": Decimal(0)},
            "more than 0",
        ),
        ({"measure_type": "mean"}, {"value": Decimal("3.2")}, "sample size"),
        (
            {"measure_type": "count", "max_value": Decimal(100)},
            {"value": Decimal(101)},
            "cannot be above 100",
        ),
        ({"measure_type": "count"}, {"not_available": True, "not_available_reason": ""}, "Say why"),
    ],
)
def test_a_figure_of_the_wrong_shape_is_refused_and_nothing_is_written(world, fields, figures, message):
    indicator = assigned_indicator(world, **fields)
    report = services.report_get_or_create(
        initiative=world.initiative, organization=world.partner_org, period_key="2025-Q2"
    )
    with pytest.raises(ValidationError, match=message):
        save(world, report, {"indicator": indicator, **figures})
    assert not report.values.exists()
    assert PartnerReport.objects.get(pk=report.pk).version == report.version


@pytest.mark.parametrize(
    ("figures", "measure"),
    [
        ({"value": Decimal(0)}, "count"),
        ({"numerator": Decimal(0), "denominator": Decimal(25)}, "percentage"),
        ({"numerator": Decimal(30), "denominator": Decimal(25)}, "rate"),
        ({"value": Decimal("3.5"), "denominator": Decimal(40)}, "mean"),
        ({"not_available": True, "not_available_reason": "Site closed for renovations"}, "count"),
    ],
)
def test_figures_of_the_right_shape_are_stored(world, figures, measure):
    extra = {"multiplier": Decimal(1000)} if measure == "rate" else {}
    indicator = assigned_indicator(world, measure_type=measure, **extra)
    report = services.report_get_or_create(
        initiative=world.initiative, organization=world.partner_org, period_key="2025-Q2"
    )
    save(world, report, {"indicator": indicator, **figures})
    assert report.values.count() == 1


def test_values_only_go_to_indicators_the_organization_reports_in_their_period_and_breakdown(world):
    report = services.report_get_or_create(
        initiative=world.initiative, organization=world.partner_org, period_key="2025-Q2"
    )
    foreign = IndicatorFactory(initiative=world.other)
    not_assigned = IndicatorFactory(initiative=world.initiative)
    annual = assigned_indicator(world, frequency="annual")
    undivided = assigned_indicator(world)
    category = CategoryFactory(dimension__initiative=world.initiative)
    with pytest.raises(ValidationError) as raised:
        save(
            world,
            report,
            {"indicator": foreign, "value": Decimal(1)},
            {"indicator": not_assigned, "value": Decimal(1)},
            {"indicator": annual, "value": Decimal(1)},
            {"indicator": undivided, "category": category, "value": Decimal(1)},
        )
    messages = " ".join(raised.value.messages)
    assert "not an indicator of this initiative" in messages
    assert "is not asked to report" in messages
    assert "reported annual, not in a 2025-Q2 report" in messages
    assert "is not broken down by" in messages
    assert not report.values.exists()


def test_saving_many_values_runs_a_fixed_number_of_queries(world, assert_queries):
    report = services.report_get_or_create(
        initiative=world.initiative, organization=world.partner_org, period_key="2025-Q2"
    )
    indicators = [assigned_indicator(world) for _ in range(30)]
    rows = [{"indicator": indicator, "value": Decimal(5)} for indicator in indicators]
    with assert_queries(11):
        save(world, report, *rows)
    assert report.values.count() == 30


def test_a_membership_of_one_initiative_cannot_write_values_into_another(world, report):
    other_coordinator = world.users["coordinator_other"]
    with pytest.raises(PermissionDenied):
        services.report_values_save(
            report=report,
            membership=get_membership(other_coordinator, "elsewhere"),
            user=other_coordinator,
            values=[{"indicator": report.values.get().indicator, "value": Decimal("1")}],
            version=report.version,
        )
    assert report.values.get().value == Decimal("42")


def test_emptying_a_field_removes_the_value_and_the_history_keeps_it(world, report):
    indicator = report.values.get().indicator
    save(world, report, {"indicator": indicator, "value": None})
    assert not report.values.exists()
    assert DataValue.history.filter(report_id=report.pk, history_type="-").exists()


def test_saving_an_unchanged_value_adds_no_history(world, report):
    indicator = report.values.get().indicator
    before = DataValue.history.count()
    save(world, report, {"indicator": indicator, "value": Decimal("42")})
    assert DataValue.history.count() == before


def test_values_entered_by_the_backbone_are_recorded_as_on_behalf_of_the_partner(world, report):
    indicator = report.values.get().indicator
    services.report_values_save(
        report=report,
        membership=get_membership(world.coordinator, "ready"),
        user=world.coordinator,
        values=[{"indicator": indicator, "value": Decimal("43")}],
        version=report.version,
    )
    record = report.values.get().history.latest("history_date")
    assert record.history_user == world.coordinator
    assert "on behalf of" in record.history_change_reason


def test_returning_with_comments_on_values_keeps_them_with_the_values(world, report):
    roles = members(world)
    services.report_submit(report=report, membership=roles["partner"], user=world.partner)
    value = report.values.get()
    services.report_return(
        report=report,
        membership=roles["coordinator"],
        user=world.coordinator,
        comment="",
        value_comments={value.pk: "This is last year's figure."},
    )
    value.refresh_from_db()
    assert value.review_comment == "This is last year's figure."


def test_an_indicator_no_longer_asked_for_does_not_lock_the_report(world, report):
    indicator = report.values.get().indicator
    other = assigned_indicator(world)
    indicator.reporting_organizations.remove(world.partner_org)
    # Sending the old value back unchanged, and adding a new one, still works...
    save(
        world,
        report,
        {"indicator": indicator, "value": Decimal("42")},
        {"indicator": other, "value": Decimal(1)},
    )
    report.refresh_from_db()
    # ...and so does removing it; only changing it is refused.
    with pytest.raises(ValidationError, match="not asked to report"):
        save(world, report, {"indicator": indicator, "value": Decimal("43")})
    save(world, report, {"indicator": indicator, "value": None})
    assert not report.values.filter(indicator=indicator).exists()


def test_categories_cannot_outgrow_the_total_across_two_saves(world):
    indicator = assigned_indicator(world)
    young, old = CategoryFactory(dimension__initiative=world.initiative), None
    indicator.dimensions.add(young.dimension)
    old = CategoryFactory(dimension=young.dimension)
    report = services.report_get_or_create(
        initiative=world.initiative, organization=world.partner_org, period_key="2025-Q2"
    )
    report = save(world, report, {"indicator": indicator, "value": Decimal(10)})
    with pytest.raises(ValidationError, match="add up to 110, more than the total 10"):
        save(
            world,
            report,
            {"indicator": indicator, "category": young, "value": Decimal(50)},
            {"indicator": indicator, "category": old, "value": Decimal(60)},
        )
    assert report.values.count() == 1


def test_approving_clears_the_review_comments_of_an_earlier_round(world, report):
    roles = members(world)
    services.report_submit(report=report, membership=roles["partner"], user=world.partner)
    value = report.values.get()
    services.report_return(
        report=report,
        membership=roles["coordinator"],
        user=world.coordinator,
        comment="",
        value_comments={value.pk: "Check this"},
    )
    services.report_submit(report=report, membership=roles["partner"], user=world.partner)
    services.report_approve(report=report, membership=roles["coordinator"], user=world.coordinator)
    value.refresh_from_db()
    assert value.review_comment == ""


def test_a_percentage_or_rate_outside_the_indicators_range_is_refused(world):
    rate = assigned_indicator(world, measure_type="rate", multiplier=Decimal(1000), max_value=Decimal(50))
    report = services.report_get_or_create(
        initiative=world.initiative, organization=world.partner_org, period_key="2025-Q2"
    )
    with pytest.raises(ValidationError, match="The resulting rate cannot be above 50"):
        save(world, report, {"indicator": rate, "numerator": Decimal(900), "denominator": Decimal(1000)})
