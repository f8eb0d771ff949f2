"""The initiative's dashboard: its population-level outcomes against baselines and targets."""

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from impact.access import get_initiative_for_user
from indicators.periods import PeriodError, parse_period
from reports.exports import report_csv, report_xlsx
from reports.selectors.dashboard import build_dashboard


@require_GET
def dashboard(request, slug):
    """Every member sees approved data; a coordinator may preview submitted reports too."""
    membership = get_initiative_for_user(request.user, slug)
    initiative = membership.initiative
    preview = membership.is_coordinator and request.GET.get("preview") == "1"
    board = build_dashboard(
        initiative, today=timezone.localdate(), preview=preview, for_coordinator=membership.is_coordinator
    )
    return render(
        request,
        "indicators/dashboard.html",
        {"membership": membership, "initiative": initiative, "board": board},
    )


@require_GET
def report_export(request, slug, extension):
    """The outcome export of approved data for a period range (?from=KEY&to=KEY)."""
    membership = get_initiative_for_user(request.user, slug)
    initiative = membership.initiative
    try:
        bounds = {
            name: parse_period(request.GET[key], initiative.fiscal_year_start_month)
            if request.GET.get(key)
            else None
            for name, key in (("first", "from"), ("last", "to"))
        }
    except PeriodError as error:
        return HttpResponseBadRequest(str(error))
    # Outside the backbone, disaggregated counts under the threshold stay hidden here too.
    options = bounds | {"small_cells": not membership.is_coordinator}
    if extension == "xlsx":
        content = report_xlsx(initiative, **options)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = report_csv(initiative, **options)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{initiative.slug}-report.{extension}"'
    return response
