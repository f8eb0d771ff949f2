"""The Django admin a site admin works in: every list, search and edit page opens."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from impact.access import get_membership
from indicators.models import PartnerReport
from indicators.reporting.services import report_submit
from tests.factories import IndicatorFactory, ValueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def furnished(world):
    indicator = IndicatorFactory(initiative=world.initiative)
    ValueFactory(
        indicator=indicator,
        report__initiative=world.initiative,
        report__organization=world.partner_org,
    )
    return world


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_every_admin_list_searches_and_every_change_page_opens(furnished, client_for, model):
    client = client_for(furnished.admin)
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert client.get(changelist).status_code == 200
    assert client.get(changelist, {"q": "a"}).status_code == 200
    instance = model.objects.first()
    if instance is not None:
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[instance.pk])
        assert client.get(change).status_code == 200


def test_the_admin_approves_reports_only_through_the_report_service(furnished, client_for):
    report = PartnerReport.objects.get()
    draft_url = reverse("admin:indicators_partnerreport_changelist")
    client = client_for(furnished.admin)
    client.post(draft_url, {"action": "approve_reports", "_selected_action": [report.pk]})
    report.refresh_from_db()
    assert report.status == "draft"  # a draft cannot skip review, even from the admin

    report_submit(
        report=report, membership=get_membership(furnished.partner, "ready"), user=furnished.partner
    )
    client.post(draft_url, {"action": "approve_reports", "_selected_action": [report.pk]})
    report.refresh_from_db()
    assert report.status == "approved"
    assert report.events.filter(action="approve", user=furnished.admin).exists()


def test_a_report_status_cannot_be_edited_as_a_field_in_the_admin(furnished, client_for):
    report = PartnerReport.objects.get()
    client = client_for(furnished.admin)
    change = reverse("admin:indicators_partnerreport_change", args=[report.pk])
    assert 'name="status"' not in client.get(change).content.decode()


def test_staff_without_superuser_rights_see_no_initiative_data_in_the_admin(furnished, client_for):
    coordinator = furnished.coordinator
    coordinator.is_staff = True
    coordinator.save()
    coordinator.user_permissions.set(Permission.objects.filter(content_type__app_label="indicators"))
    client = client_for(coordinator)
    assert client.get(reverse("admin:indicators_partnerreport_changelist")).status_code == 403


def test_a_report_cannot_be_reverted_to_an_earlier_status_from_its_history(furnished, client_for):
    report = PartnerReport.objects.get()
    report_submit(
        report=report, membership=get_membership(furnished.partner, "ready"), user=furnished.partner
    )
    first = report.history.earliest("history_date")
    url = reverse("admin:indicators_partnerreport_simple_history", args=[report.pk, first.history_id])
    client_for(furnished.admin).post(url, {})
    report.refresh_from_db()
    assert report.status == "submitted"


def test_roles_are_not_changed_or_removed_from_the_admin(furnished, client_for):
    participation = furnished.initiative.participations.get(organization=furnished.backbone)
    client = client_for(furnished.admin)
    change = reverse("admin:partners_participation_change", args=[participation.pk])
    client.post(change, {"role": "funder"})
    participation.refresh_from_db()
    assert participation.role == "backbone"
    delete = reverse("admin:partners_participation_delete", args=[participation.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
