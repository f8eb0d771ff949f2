"""The indicator page: its definition, baseline and targets, and its figures charted for every role."""

from itertools import chain

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from indicators.access import get_indicator_for_user
from indicators.models import Indicator, NarrativeStatus
from indicators.outcomes.disclosure import suppress
from indicators.outcomes.engine import initiative_outcomes
from indicators.periods import label_for_key, parse_period
from reports import charts
from reports.selectors.indicator_page import milestone_changes, partner_figures


@require_GET
def indicator_detail(request, slug, code):
    membership, indicator = get_indicator_for_user(request.user, slug, code)
    initiative = membership.initiative
    fiscal = initiative.fiscal_year_start_month
    baselines = list(indicator.baselines.select_related("category__dimension"))
    targets = list(indicator.targets.select_related("category__dimension").order_by("category", "period"))
    for milestone in chain(baselines, targets):
        milestone.period_label = label_for_key(milestone.period, fiscal)
    today = timezone.localdate()
    # The whole series first, for the range choices; then the chosen range.
    whole = initiative_outcomes(
        initiative, today=today, indicators=Indicator.objects.filter(pk=indicator.pk)
    )[indicator.pk]
    choices = [point.period for point in whole.total.points]
    first, last = (
        _chosen_period(request.GET.get("from"), choices),
        _chosen_period(request.GET.get("to"), choices),
    )
    outcome = whole
    if first or last:
        outcome = initiative_outcomes(
            initiative,
            today=today,
            first=first,
            last=last,
            indicators=Indicator.objects.filter(pk=indicator.pk),
        )[indicator.pk]
    hidden = 0 if membership.is_coordinator else suppress(outcome, initiative.small_cell_threshold)
    chart_specs = {"main": charts.outcome_figure(outcome, height=420)}
    disaggregation = []
    for dimension in indicator.dimensions.all():
        chart_specs[f"dimension-{dimension.pk}"] = charts.category_figure(outcome, dimension)
        disaggregation.append(
            {
                "dimension": dimension,
                "series": [(c, s) for c, s in outcome.categories.items() if c.dimension_id == dimension.pk],
                "equity": charts.equity_sentence(indicator, outcome.equity.get(dimension, [])),
            }
        )
    context = {
        "membership": membership,
        "initiative": initiative,
        "indicator": indicator,
        "outcome": outcome,
        "choices": choices,
        "first": first or (choices[0] if choices else None),
        "last": last or (choices[-1] if choices else None),
        "charts": chart_specs,
        "disaggregation": disaggregation,
        "hidden_cells": hidden,
        "baselines": baselines,
        "targets": targets,
        "dimensions": indicator.dimensions.prefetch_related("categories"),
        "reporting_organizations": indicator.reporting_organizations.all(),
        "contributing": indicator.contributing_measures.select_related("initiative"),
    }
    narratives = {n.period: n for n in indicator.narratives.all()}
    published = [n for n in narratives.values() if n.status == NarrativeStatus.PUBLISHED]
    context["story"] = max(published, key=lambda n: parse_period(n.period, fiscal).end, default=None)
    if context["story"]:
        context["story_period"] = label_for_key(context["story"].period, fiscal)
    if membership.is_coordinator:
        reported = [point.period for point in whole.total.points if point.value is not None]
        context["story_periods"] = [
            (period, narratives.get(period.key)) for period in reversed(reported[-6:])
        ]
        context["changes"] = milestone_changes(indicator)
        recent = [point.period for point in outcome.total.points][-6:]
        context["partner_periods"] = recent
        context["partner_rows"] = partner_figures(indicator, recent)
    return render(request, "reports/indicator_detail.html", context)


def _chosen_period(key, choices):
    """The period a range selector names, if it is one of the series' periods."""
    if not key:
        return None
    return next((period for period in choices if period.key == key), None)
