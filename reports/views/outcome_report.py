"""The outcome report: read by funders, partners and the backbone; printable; approved data only."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.downloads import attachment
from impact.access import get_initiative_for_user
from indicators.periods import PeriodError, parse_period
from reports.exports import report_csv, report_xlsx
from reports.selectors.outcome_report import build_outcome_report, last_complete_period


def _chosen_range(request, initiative, today):
    """Return (first, last) from ?from=KEY&to=KEY; by default everything up to the last complete
    period. A key that doesn't parse is left out, and the reader told."""
    chosen = {}
    for name in ("from", "to"):
        key = request.GET.get(name, "").strip()
        if not key:
            continue
        try:
            chosen[name] = parse_period(key, initiative.fiscal_year_start_month)
        except PeriodError:
            messages.warning(
                request, _("“%(key)s” is not a period; the report shows its default range.") % {"key": key}
            )
    first = chosen.get("from")
    last = chosen.get("to", last_complete_period(initiative, today))
    if first and last and first.start > last.end:
        messages.warning(
            request, _("The range ends before it starts; the report shows it the other way round.")
        )
        first, last = last, first
    return first, last


@require_GET
def outcome_report(request, slug):
    membership = get_initiative_for_user(request.user, slug)
    initiative = membership.initiative
    today = timezone.localdate()
    first, last = _chosen_range(request, initiative, today)
    report = build_outcome_report(
        initiative, today=today, first=first, last=last, backbone=membership.is_coordinator
    )
    query = urlencode({key: period.key for key, period in (("from", first), ("to", last)) if period})
    return render(
        request,
        "reports/outcome_report.html",
        {
            "membership": membership,
            "initiative": initiative,
            "population": getattr(initiative, "population", None),
            "report": report,
            "export_query": query,
            "today": today,
        },
    )


@require_GET
def download_outcome_report(request, slug, extension):
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
    content = report_xlsx(initiative, **options) if extension == "xlsx" else report_csv(initiative, **options)
    return attachment(content, f"{initiative.slug}-report.{extension}")
