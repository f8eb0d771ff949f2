"""Partner reporting: what is due, the data-entry form, review, and each report's history."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from impact.access import get_initiative_for_user
from indicators.access import get_organization_for_user, get_report_for_user
from indicators.figures import entered
from indicators.models import PartnerReport
from indicators.reporting import services
from indicators.reporting.forms import ReportForm, row_initial
from indicators.reporting.history import history_entries
from indicators.reporting.merging import merge
from indicators.reporting.rows import build_rows, group_rows
from indicators.reporting.selectors import assignments, reports_due
from indicators.reporting.unusual import flag_unusual
from partners.models import Organization


def today():
    return timezone.localdate()


@require_GET
def reporting_home(request, slug):
    """Partners go to their organization's reports; the backbone sees every reporting organization."""
    membership = get_initiative_for_user(request.user, slug)
    initiative = membership.initiative
    if not membership.is_coordinator:
        partners = membership.partner_organizations
        if not partners:
            raise PermissionDenied
        if len(partners) == 1:
            return redirect("organization_reports", slug, partners[0].slug)
        organizations = partners
    else:
        organizations = list(Organization.objects.reporting_to(initiative).order_by("name_en"))
    due = reports_due(initiative, organizations, today())
    summary = {
        organization.pk: {"late": 0, "returned": 0, "submitted": 0, "draft": 0}
        for organization in organizations
    }
    for item in due:
        if item.is_late:
            summary[item.organization.pk]["late"] += 1
        if item.status in summary[item.organization.pk]:
            summary[item.organization.pk][item.status] += 1
    rows = [(organization, summary[organization.pk]) for organization in organizations]
    return render(
        request,
        "indicators/reporting/reporting_home.html",
        {"membership": membership, "initiative": initiative, "rows": rows},
    )


@require_GET
def organization_reports(request, slug, organization):
    membership, organization = get_organization_for_user(request.user, slug, organization)
    due = reports_due(membership.initiative, [organization], today())
    return render(
        request,
        "indicators/reporting/organization_reports.html",
        {
            "membership": membership,
            "initiative": membership.initiative,
            "organization": organization,
            "due": [item for item in due if item.indicators or item.report],
            "late": sum(item.is_late for item in due),
        },
    )


def _report_context(membership, organization, period, report):
    """What the form and the report page need, in a fixed number of queries."""
    initiative = membership.initiative
    indicators = [
        i
        for i in assignments(initiative, [organization]).get(organization.pk, [])
        if i.frequency == period.frequency
    ]
    if report is not None:
        # Indicators no longer assigned keep showing what was reported for them.
        reported = {value.indicator for value in report.values.select_related("indicator__outcome")}
        indicators += sorted(reported - set(indicators), key=lambda i: (i.order, i.code))
    if not indicators:
        raise Http404("This organization reports nothing for this period.")
    previous = PartnerReport.objects.filter(
        initiative=initiative, organization=organization, period=period.previous().key
    ).first()
    working = report or PartnerReport(initiative=initiative, organization=organization, period=period.key)
    rows = build_rows(working, indicators, previous)
    return {
        "membership": membership,
        "initiative": initiative,
        "organization": organization,
        "period": period,
        "report": report,
        "working": working,
        "previous": previous,
        "rows": rows,
        "due_date": report.due_date if report else period.due_date(initiative.report_due_days),
        "on_behalf": not membership.belongs_to(organization),
    }


def _render_form(request, context, form, status=200, conflict=None):
    context |= {"form": form, "groups": group_rows(form.rows), "conflict": conflict, "today": today()}
    return render(request, "indicators/reporting/report_form.html", context, status=status)


def _render_detail(request, context):
    rows = context["rows"]
    # The reviewer sees the same warnings the partner saw.
    saved = {row.key: entered(row.saved) for row in rows if row.saved}
    warnings = flag_unusual(context["report"], rows, saved)
    context |= {"groups": group_rows(rows), "warnings": warnings}
    return render(request, "indicators/reporting/report_detail.html", context)


@require_http_methods(["GET", "POST"])
def report_page(request, slug, organization, period):
    """The report of one organization and period: its form while it can change, else its values."""
    membership, organization, period, report = get_report_for_user(
        request.user, slug, organization, period, write=request.method == "POST"
    )
    context = _report_context(membership, organization, period, report)
    editable = report is None or report.is_editable
    if request.method == "POST":
        return _save(request, context, submitting=False)
    if not editable:
        return _render_detail(request, context)
    if not membership.can_write:
        raise PermissionDenied
    form = ReportForm(
        None,
        report=context["working"],
        rows=context["rows"],
        version=report.version if report else 0,
        copy_from_previous=request.GET.get("copy") == "previous",
    )
    # Values saved earlier (typed, or imported) are flagged at once if they look unusual, and the
    # box to confirm them is there before the first try to submit.
    saved = {row.key: entered(row.saved) for row in context["rows"] if row.saved}
    form.warnings = flag_unusual(context["working"], context["rows"], saved)
    if request.GET.get("copy") == "previous" and context["previous"] is not None:
        messages.info(request, _("Last period's values are filled in below. Check them, then save."))
    return _render_form(request, context, form)


@require_POST
def submit_report(request, slug, organization, period):
    membership, organization, period, report = get_report_for_user(
        request.user, slug, organization, period, write=True
    )
    context = _report_context(membership, organization, period, report)
    return _save(request, context, submitting=True)


def _save(request, context, *, submitting):
    membership, organization, period, report = (
        context[k] for k in ("membership", "organization", "period", "report")
    )
    form = ReportForm(
        request.POST, report=context["working"], rows=context["rows"], version=0, submitting=submitting
    )
    if report is not None and not report.is_editable:
        # Submitted (or approved) while this person was typing: say so, and keep what they typed.
        form.is_valid()
        form.add_error(
            None,
            _(
                "This report was %(status)s while you were typing: its values can no longer change. "
                "What you typed is still below, if you want to keep a copy."
            )
            % {"status": report.get_status_display().lower()},
        )
        return _render_form(request, context, form, status=409)
    if not form.is_valid():
        messages.error(
            request, _("Some values need your attention; nothing was saved. They are marked below.")
        )
        return _render_form(request, context, form, status=400)
    version = form.cleaned_data["version"]
    if report is None and version != 0:
        return _conflict(request, context, form)
    service = services.report_submit_values if submitting else services.report_values_save
    try:
        # A report created for this save goes again if the save fails: nothing is half-written.
        with transaction.atomic():
            if report is None:
                report = services.report_get_or_create(
                    initiative=membership.initiative, organization=organization, period_key=period.key
                )
                version = 1  # a report created just now; one that someone else saved meanwhile is newer
            service(
                report=report, membership=membership, user=request.user, values=form.values(), version=version
            )
    except services.StaleReport:
        return _conflict(request, context, form)
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return _render_form(request, context, form, status=400)
    if submitting:
        messages.success(
            request, _("Report submitted. The backbone team will review it; you will get an email.")
        )
        return redirect("organization_reports", membership.initiative.slug, organization.slug)
    messages.success(request, _("Draft saved. You can come back to it any time before submitting."))
    return redirect("report_page", membership.initiative.slug, organization.slug, period.key)


def _conflict(request, context, form):
    """Someone saved this report while the user was typing: show both, keeping what the user typed."""
    report = PartnerReport.objects.get(
        initiative=context["initiative"], organization=context["organization"], period=context["period"].key
    )
    context["report"] = context["working"] = report
    typed = {row.key: form.item(row) for row in form.rows}
    changes, figures = merge(report, form.rows, typed, form.cleaned_data["version"])
    retry = ReportForm(None, report=report, rows=form.rows, version=report.version)
    retry.initial = {"version": report.version}
    for row in form.rows:
        retry.initial |= row_initial(row, figures[row.key])
    messages.warning(
        request,
        _(
            "Someone else saved this report while you were typing. Their changes are listed and "
            "filled in below, except where you changed the same figure: check, then save again."
        ),
    )
    return _render_form(request, context, retry, status=409, conflict={"changes": changes, "report": report})


@require_GET
def report_history(request, slug, organization, period):
    membership, organization, period, report = get_report_for_user(request.user, slug, organization, period)
    if report is None:
        raise Http404("No report yet.")
    return render(
        request,
        "indicators/reporting/report_history.html",
        {
            "membership": membership,
            "initiative": membership.initiative,
            "organization": organization,
            "period": period,
            "report": report,
            "entries": history_entries(report),
        },
    )
