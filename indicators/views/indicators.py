"""Indicator pages: the definition for every role; creation, edits, baselines and targets for coordinators."""

from itertools import chain

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from impact.access import get_initiative_for_user
from indicators.access import get_indicator_for_user
from indicators.forms import BaselineFormSet, ChangeReasonForm, IndicatorForm, TargetFormSet
from indicators.models import Baseline, Indicator, Narrative, Target
from indicators.outcomes.disclosure import suppress
from indicators.outcomes.engine import initiative_outcomes
from indicators.periods import label_for_key, parse_period
from indicators.reporting import services
from reports import charts
from reports.selectors.dashboard import partner_figures

HISTORY_SHOWN = 20


@require_http_methods(["GET", "POST"])
def indicator_create(request, slug):
    membership = get_initiative_for_user(request.user, slug, coordinator=True)
    initiative = membership.initiative
    initial = {}
    if outcome_code := request.GET.get("outcome"):
        outcome = initiative.indicators.filter(code=outcome_code, level=Indicator.Level.OUTCOME).first()
        if outcome:
            initial = {"level": Indicator.Level.CONTRIBUTING, "outcome": outcome}
    form = IndicatorForm(
        request.POST or None,
        instance=Indicator(initiative=initiative),
        initiative=initiative,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        indicator = services.indicator_save(form=form)
        messages.success(request, _("The indicator is created. Set its baseline and targets now."))
        return redirect("indicator_milestones", slug, indicator.code)
    return render(
        request,
        "indicators/indicator_form.html",
        {"membership": membership, "initiative": initiative, "form": form},
    )


@require_http_methods(["GET", "POST"])
def indicator_edit(request, slug, code):
    membership, indicator = get_indicator_for_user(request.user, slug, code, coordinator=True)
    form = IndicatorForm(request.POST or None, instance=indicator, initiative=membership.initiative)
    if request.method == "POST" and form.is_valid():
        indicator = services.indicator_save(form=form)
        messages.success(request, _("The indicator is saved."))
        return redirect("indicator_detail", slug, indicator.code)
    return render(
        request,
        "indicators/indicator_form.html",
        {
            "membership": membership,
            "initiative": membership.initiative,
            "form": form,
            "indicator": indicator,
        },
    )


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
    figures = {"main": charts.outcome_figure(outcome, height=420)}
    disaggregation = []
    for dimension in indicator.dimensions.all():
        figures[f"dimension-{dimension.pk}"] = charts.category_figure(outcome, dimension)
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
        "charts": figures,
        "disaggregation": disaggregation,
        "hidden_cells": hidden,
        "baselines": baselines,
        "targets": targets,
        "dimensions": indicator.dimensions.prefetch_related("categories"),
        "reporting_organizations": indicator.reporting_organizations.all(),
        "contributing": indicator.contributing_measures.select_related("initiative"),
    }
    narratives = {n.period: n for n in indicator.narratives.all()}
    published = [n for n in narratives.values() if n.status == Narrative.Status.PUBLISHED]
    context["story"] = max(published, key=lambda n: parse_period(n.period, fiscal).end, default=None)
    if context["story"]:
        context["story_period"] = label_for_key(context["story"].period, fiscal)
    if membership.is_coordinator:
        reported = [point.period for point in whole.total.points if point.value is not None]
        context["story_periods"] = [
            (period, narratives.get(period.key)) for period in reversed(reported[-6:])
        ]
        context["changes"] = _milestone_changes(indicator)
        recent = [point.period for point in outcome.total.points][-6:]
        context["partner_periods"] = recent
        context["partner_rows"] = partner_figures(indicator, recent)
    return render(request, "indicators/indicator_detail.html", context)


def _chosen_period(key, choices):
    """The period a range selector names, if it is one of the series' periods."""
    if not key:
        return None
    return next((period for period in choices if period.key == key), None)


def _milestone_changes(indicator):
    """Return the latest changes to the indicator's baselines and targets, newest first."""
    records = []
    for model, kind in ((Baseline, _("Baseline")), (Target, _("Target"))):
        history = model.history.filter(indicator_id=indicator.pk).select_related("history_user", "category")
        # One extra window of older records, so most shown changes can name the value they replaced.
        fetched = list(history.order_by("-history_date", "-history_id")[: 2 * HISTORY_SHOWN])
        newer_first = {}
        for record in fetched:
            newer_first.setdefault(record.id, []).append(record)
        for versions in newer_first.values():
            for newer, older in zip(versions, versions[1:] + [None], strict=True):
                newer.previous_value = older.value if older else None
        for record in fetched:
            record.kind = kind
            record.period_label = label_for_key(record.period, indicator.initiative.fiscal_year_start_month)
        records.extend(fetched)
    return sorted(records, key=lambda record: record.history_date, reverse=True)[:HISTORY_SHOWN]


@require_http_methods(["GET", "POST"])
def indicator_milestones(request, slug, code):
    membership, indicator = get_indicator_for_user(request.user, slug, code, coordinator=True)
    data = request.POST or None
    baselines = BaselineFormSet(data, instance=indicator, prefix="baselines")
    targets = TargetFormSet(data, instance=indicator, prefix="targets")
    reason_required = bool(data) and (baselines.changes_saved_values() or targets.changes_saved_values())
    reason = ChangeReasonForm(data, reason_required=reason_required)
    if request.method == "POST" and all([baselines.is_valid(), targets.is_valid(), reason.is_valid()]):
        services.milestones_save(
            baselines=baselines,
            targets=targets,
            reason=reason.cleaned_data["reason"],
            user=request.user,
        )
        messages.success(request, _("The baseline and targets are saved."))
        return redirect("indicator_detail", slug, indicator.code)
    return render(
        request,
        "indicators/milestones_form.html",
        {
            "membership": membership,
            "initiative": membership.initiative,
            "indicator": indicator,
            "baselines": baselines,
            "targets": targets,
            "reason": reason,
        },
    )
