"""Report status changes: only through the services, only by the right role, always recorded."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from impact.access import get_membership
from indicators import services
from indicators.models import PartnerReport, ReportEvent
from tests.factories import IndicatorFactory


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
    assert report.status == "approved" and report.is_locked
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
    assert reopened.status == "returned" and not reopened.is_locked
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
