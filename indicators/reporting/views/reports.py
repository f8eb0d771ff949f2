"""Partner reporting: what is due, the data-entry form, review, and each report's history."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.bilingual import reader_language
from core.spreadsheets import csv_bytes, template_rows, xlsx_bytes
from impact.access import get_initiative_for_user
from indicators.access import get_organization_for_user, get_report_for_user
from indicators.figures import format_number, has_figures
from indicators.forms import UploadForm
from indicators.models import DataValue, PartnerReport
from indicators.periods import label_for_key
from indicators.reporting import services
from indicators.reporting.backup import XLSX_MAX_ROWS_ON_THE_SITE, values_csv, values_xlsx
from indicators.reporting.forms import ReportForm, build_rows, figures_of, flag_unusual, group_rows
from indicators.reporting.history import report_history
from indicators.reporting.imports import ImportRefused, import_values
from indicators.reporting.selectors import assignments, reports_due
from partners.models import Organization

Status = PartnerReport.Status


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
        organizations = list(
            Organization.objects.filter(assigned_indicators__initiative=initiative)
            .distinct()
            .order_by("name_en")
        )
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
        "indicators/reporting_home.html",
        {"membership": membership, "initiative": initiative, "rows": rows},
    )


@require_GET
def organization_reports(request, slug, organization):
    membership, organization = get_organization_for_user(request.user, slug, organization)
    due = reports_due(membership.initiative, [organization], today())
    return render(
        request,
        "indicators/organization_reports.html",
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
    return render(request, "indicators/report_form.html", context, status=status)


def _render_detail(request, context):
    rows = context["rows"]
    # The reviewer sees the same warnings the partner saw.
    saved = {row.key: figures_of(row.saved) for row in rows if row.saved}
    warnings = flag_unusual(context["report"], rows, saved)
    context |= {"groups": group_rows(rows), "warnings": warnings}
    return render(request, "indicators/report_detail.html", context)


@require_http_methods(["GET", "POST"])
def report_page(request, slug, organization, period):
    """The report of one organization and period: its form while it can change, else its values."""
    membership, organization, period, report = get_report_for_user(
        request.user, slug, organization, period, write=request.method == "POST"
    )
    context = _report_context(membership, organization, period, report)
    editable = report is None or report.status in (Status.DRAFT, Status.RETURNED)
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
    saved = {row.key: figures_of(row.saved) for row in context["rows"] if row.saved}
    form.warnings = flag_unusual(context["working"], context["rows"], saved)
    if request.GET.get("copy") == "previous" and context["previous"] is not None:
        messages.info(request, _("Last period's values are filled in below. Check them, then save."))
    return _render_form(request, context, form)


@require_POST
def report_submit(request, slug, organization, period):
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
    if report is not None and report.status not in (Status.DRAFT, Status.RETURNED):
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
    """Someone saved this report while the user was typing: merge, keep their input, show both.

    Rows the user changed keep the user's figures; rows they left as they were take the other
    person's new figures, so saving again undoes nobody's work. Rows both changed are listed.
    """
    report = PartnerReport.objects.get(
        initiative=context["initiative"], organization=context["organization"], period=context["period"].key
    )
    context["report"] = context["working"] = report
    now = {(v.indicator_id, v.category_id): v for v in report.values.select_related("updated_by")}
    then = _values_at_version(report, form.cleaned_data["version"])
    changes, initial = [], {"version": report.version}
    for row in form.rows:
        before, after = then.get(row.key), now.get(row.key)
        typed = form.item(row)
        user_changed = _figures_of_item(typed) != _figures(before)
        other_changed = _figures(before) != _figures(after)
        if other_changed:
            changes.append((row, before, after, user_changed))
        source = typed if user_changed or not other_changed else (figures_of(after) if after else {})
        initial |= {f"{row.prefix}-{name}": value for name, value in _as_fields(source).items()}
        row.saved = after
    retry = ReportForm(None, report=report, rows=form.rows, version=report.version)
    retry.initial = initial
    messages.warning(
        request,
        _(
            "Someone else saved this report while you were typing. Their changes are listed and "
            "filled in below, except where you changed the same figure: check, then save again."
        ),
    )
    return _render_form(request, context, retry, status=409, conflict={"changes": changes, "report": report})


def _as_fields(item):
    """A row's figures (service or saved form) as the form's field suffixes."""
    return {
        "value": item.get("value"),
        "numerator": item.get("numerator"),
        "denominator": item.get("denominator"),
        "not_available": item.get("not_available", False),
        "reason": item.get("not_available_reason", item.get("reason", "")),
        "comment": item.get("comment", ""),
    }


def _figures_of_item(item):
    if not has_figures(item):
        return None
    return (
        item.get("value"),
        item.get("numerator"),
        item.get("denominator"),
        bool(item.get("not_available")),
        item.get("comment") or "",
    )


def _values_at_version(report, version):
    """The report's values as they were at ``version`` (none before the report existed)."""
    record = PartnerReport.history.filter(id=report.pk, version=version).order_by("-history_date").first()
    if record is None:
        return {}
    values = DataValue.history.as_of(record.history_date).filter(report_id=report.pk)
    return {(v.indicator_id, v.category_id): v for v in values}


def _figures(value):
    """Comparable figures of a saved value (None when nothing was reported)."""
    if value is None:
        return None
    return (value.value, value.numerator, value.denominator, value.not_available, value.comment or "")


@require_POST
def report_approve(request, slug, organization, period):
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
def report_return(request, slug, organization, period):
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
def report_reopen(request, slug, organization, period):
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
def report_history_page(request, slug, organization, period):
    membership, organization, period, report = get_report_for_user(request.user, slug, organization, period)
    if report is None:
        raise Http404("No report yet.")
    return render(
        request,
        "indicators/report_history.html",
        {
            "membership": membership,
            "initiative": membership.initiative,
            "organization": organization,
            "period": period,
            "report": report,
            "entries": report_history(report),
        },
    )


@require_GET
def review_queue(request, slug):
    membership = get_initiative_for_user(request.user, slug, coordinator=True)
    initiative = membership.initiative
    reports = (
        initiative.reports.filter(status=Status.SUBMITTED)
        .select_related("organization", "submitted_by")
        .annotate(value_count=Count("values"))
        .order_by("submitted_at")
    )
    recent = (
        initiative.reports.filter(status__in=[Status.APPROVED, Status.RETURNED], reviewed_at__isnull=False)
        .select_related("organization", "reviewed_by")
        .order_by("-reviewed_at")[:10]
    )
    reports, recent = list(reports), list(recent)
    for report in [*reports, *recent]:
        report.period_label = label_for_key(report.period, initiative.fiscal_year_start_month)
    counts = initiative.reports.aggregate(
        returned=Count("pk", filter=Q(status=Status.RETURNED)),
        drafts=Count("pk", filter=Q(status=Status.DRAFT)),
    )
    return render(
        request,
        "indicators/review_queue.html",
        {
            "membership": membership,
            "initiative": initiative,
            "reports": reports,
            "recent": recent,
            "counts": counts,
        },
    )


@require_http_methods(["GET", "POST"])
def values_upload(request, slug):
    """Import a spreadsheet of values: partners for their organization, the backbone for any."""
    membership = get_initiative_for_user(request.user, slug, write=request.method == "POST")
    if not (membership.is_coordinator or membership.partner_organizations):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None, membership=membership)
    errors = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_values(
                initiative=membership.initiative,
                membership=membership,
                user=request.user,
                data=upload.read(),
                filename=upload.name,
                organization=form.cleaned_data["organization"],
                submit=form.cleaned_data["submit"],
            )
        except ImportRefused as refused:
            errors = refused.errors
        except ValidationError as error:  # a rule only the services check
            errors = [(None, message) for message in error.messages]
        else:
            messages.success(
                request,
                ngettext(
                    "%(values)s values imported into %(reports)s report.",
                    "%(values)s values imported into %(reports)s reports.",
                    len(result.reports),
                )
                % {"values": result.values, "reports": len(result.reports)},
            )
            return redirect("reporting_home", slug)
    status = 400 if errors or form.errors else 200
    context = {"membership": membership, "initiative": membership.initiative, "form": form, "errors": errors}
    return render(request, "indicators/upload.html", context, status=status)


@require_GET
def values_download(request, slug, extension):
    """Every figure reported to the initiative, in the import's format: the backbone's copy of the data.

    The CSV is streamed as it is read; the Excel file is written row by row, then sent.
    """
    membership = get_initiative_for_user(request.user, slug, coordinator=True)
    initiative = membership.initiative
    if extension == "xlsx":
        count = DataValue.objects.filter(report__initiative=initiative).count()
        if count > XLSX_MAX_ROWS_ON_THE_SITE:
            messages.error(
                request,
                _(
                    "This initiative has %(count)s figures: too many to build an Excel file while you "
                    "wait. Download the CSV (Excel opens it), or ask your site administrator for the "
                    "Excel file (manage.py export_values --format xlsx)."
                )
                % {"count": format_number(Decimal(count))},
            )
            return redirect("reporting_home", slug)
        response = HttpResponse(
            values_xlsx(initiative),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = StreamingHttpResponse(values_csv(initiative), content_type="text/csv; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{initiative.slug}-values-{day}.{extension}"'
    return response


@require_GET
def upload_template(request, slug, extension):
    """A spreadsheet prefilled with the organization's indicators, next period and categories."""
    membership = get_initiative_for_user(request.user, slug)
    initiative = membership.initiative
    if membership.is_coordinator:
        organizations = list(
            Organization.objects.filter(assigned_indicators__initiative=initiative)
            .distinct()
            .order_by("slug")
        )
    else:
        organizations = list(membership.partner_organizations)
    if not organizations:
        raise PermissionDenied
    wanted = request.GET.get("organization")
    if wanted:
        organizations = [o for o in organizations if o.slug == wanted]
        if not organizations:
            raise Http404("No such organization here.")
    header, rows = template_rows(
        initiative,
        organizations,
        period_key=request.GET.get("period") or None,
        with_organization=membership.is_coordinator or len(organizations) > 1,
    )
    name = f"{initiative.slug}-{organizations[0].slug if len(organizations) == 1 else 'values'}"
    if extension == "xlsx":
        content = xlsx_bytes(header, rows)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = csv_bytes(header, rows, semicolons=reader_language() == "fr")
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response
