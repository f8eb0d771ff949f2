"""Spreadsheets: importing values, the prefilled templates, and the backbone's copy of every figure."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from core.bilingual import reader_language
from core.downloads import attachment
from core.numbers import format_number
from core.spreadsheets import ImportRefused, csv_bytes, xlsx_bytes
from impact.access import get_initiative_for_user
from indicators.models import DataValue
from indicators.reporting.backup import XLSX_MAX_ROWS_ON_THE_SITE, values_csv, values_xlsx
from indicators.reporting.forms import UploadForm
from indicators.reporting.imports import import_values
from indicators.reporting.spreadsheet_templates import template_rows
from partners.models import Organization


@require_http_methods(["GET", "POST"])
def upload_values(request, slug):
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
    return render(request, "indicators/reporting/upload.html", context, status=status)


@require_GET
def download_values(request, slug, extension):
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
        content = values_xlsx(initiative)
    else:
        content = values_csv(initiative)  # pieces, as they are read
    day = timezone.localdate().isoformat()
    return attachment(content, f"{initiative.slug}-values-{day}.{extension}")


@require_GET
def download_upload_template(request, slug, extension):
    """A spreadsheet prefilled with the organization's indicators, next period and categories."""
    membership = get_initiative_for_user(request.user, slug)
    initiative = membership.initiative
    if membership.is_coordinator:
        organizations = list(Organization.objects.reporting_to(initiative).order_by("slug"))
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
    else:
        content = csv_bytes(header, rows, semicolons=reader_language() == "fr")
    return attachment(content, f"{name}.{extension}")
