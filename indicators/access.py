"""Who may see and change an indicator or a report, through the initiative's rules (impact/access.py)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from impact.access import get_initiative_for_user
from indicators.models import Indicator, PartnerReport
from indicators.periods import PeriodError, parse_period
from partners.models import Organization


def get_indicator_for_user(user, slug, code, *, coordinator=False):
    """Return (membership, indicator) for an indicator of an initiative the user takes part in."""
    membership = get_initiative_for_user(user, slug, coordinator=coordinator)
    queryset = Indicator.objects.select_related("initiative", "outcome")
    indicator = get_object_or_404(queryset, initiative=membership.initiative, code=code)
    return membership, indicator


def get_report_for_user(user, slug, organization_slug, period_key, *, write=False):
    """Return (membership, organization, period, report or None) for one organization's period.

    The organization's own members and the backbone may see it; other partners and funders get
    403, outsiders 404. A period key that doesn't parse, or for which the organization reports
    nothing, is a 404 too.
    """
    membership = get_initiative_for_user(user, slug)
    initiative = membership.initiative
    organization = get_object_or_404(
        Organization.objects.filter(participations__initiative=initiative), slug=organization_slug
    )
    if not membership.reports_for(organization):
        raise PermissionDenied
    if write and not membership.can_write:
        raise PermissionDenied
    try:
        period = parse_period(period_key, initiative.fiscal_year_start_month)
    except PeriodError as error:
        raise Http404("No such period.") from error
    if period.key != period_key:
        raise Http404("Not the canonical key.")
    report = PartnerReport.objects.filter(
        initiative=initiative, organization=organization, period=period.key
    ).first()
    return membership, organization, period, report


def get_organization_for_user(user, slug, organization_slug):
    """Return (membership, organization) for an organization whose reports the user may see."""
    membership = get_initiative_for_user(user, slug)
    organization = get_object_or_404(
        Organization.objects.filter(participations__initiative=membership.initiative), slug=organization_slug
    )
    if not membership.reports_for(organization):
        raise PermissionDenied
    return membership, organization
