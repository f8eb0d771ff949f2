"""The backbone's review of submitted reports: the queue, approve, return with comments, reopen."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from impact.access import get_initiative_for_user
from indicators.access import get_report_for_user
from indicators.models import ReportStatus
from indicators.periods import label_for_key
from indicators.reporting import services


@require_POST
def approve_report(request, slug, organization, period):
    membership, organization, period, report = _reviewable(request, slug, organization, period)
    try:
        services.report_approve(
            report=report, membership=membership, user=request.user, version=_posted_version(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Report approved: its values now count in the dashboards and reports."))
    return redirect("review_queue", slug)


@require_POST
def return_report(request, slug, organization, period):
    membership, organization, period, report = _reviewable(request, slug, organization, period)
    value_comments = {}
    for key, text in request.POST.items():
        if key.startswith("value-comment-"):
            try:
                value_comments[int(key.removeprefix("value-comment-"))] = text
            except ValueError:
                continue
    own = set(report.values.values_list("pk", flat=True))
    value_comments = {pk: text for pk, text in value_comments.items() if pk in own}
    try:
        services.report_return(
            report=report,
            membership=membership,
            user=request.user,
            comment=request.POST.get("comment", ""),
            value_comments=value_comments,
            version=_posted_version(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("report_page", slug, organization.slug, period.key)
    messages.success(
        request, _("Report returned to %(organization)s with your comments.") % {"organization": organization}
    )
    return redirect("review_queue", slug)


@require_POST
def reopen_report(request, slug, organization, period):
    membership, organization, period, report = _reviewable(request, slug, organization, period)
    try:
        services.report_reopen(
            report=report, membership=membership, user=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Report reopened: it no longer counts until it is approved again."))
    return redirect("report_page", slug, organization.slug, period.key)


def _posted_version(request):
    """The report version the reviewer's page showed, if it says (None: don't check)."""
    try:
        return int(request.POST["version"])
    except (KeyError, ValueError):
        return None


def _reviewable(request, slug, organization, period):
    membership, organization, period, report = get_report_for_user(
        request.user, slug, organization, period, write=True
    )
    if not membership.is_coordinator:
        raise PermissionDenied
    if report is None:
        raise Http404("No report yet.")
    return membership, organization, period, report


@require_GET
def review_queue(request, slug):
    membership = get_initiative_for_user(request.user, slug, coordinator=True)
    initiative = membership.initiative
    reports = (
        initiative.reports.filter(status=ReportStatus.SUBMITTED)
        .select_related("organization", "submitted_by")
        .annotate(value_count=Count("values"))
        .order_by("submitted_at")
    )
    recent = (
        initiative.reports.filter(
            status__in=[ReportStatus.APPROVED, ReportStatus.RETURNED], reviewed_at__isnull=False
        )
        .select_related("organization", "reviewed_by")
        .order_by("-reviewed_at")[:10]
    )
    reports, recent = list(reports), list(recent)
    for report in [*reports, *recent]:
        report.period_label = label_for_key(report.period, initiative.fiscal_year_start_month)
    counts = initiative.reports.aggregate(
        returned=Count("pk", filter=Q(status=ReportStatus.RETURNED)),
        drafts=Count("pk", filter=Q(status=ReportStatus.DRAFT)),
    )
    return render(
        request,
        "indicators/reporting/review_queue.html",
        {
            "membership": membership,
            "initiative": initiative,
            "reports": reports,
            "recent": recent,
            "counts": counts,
        },
    )
