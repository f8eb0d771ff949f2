"""Indicators set up by coordinators: creation, edits, baselines and targets."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.forms import formset_changes, model_fields
from impact.access import get_initiative_for_user
from indicators import services
from indicators.access import get_indicator_for_user
from indicators.forms import BaselineFormSet, ChangeReasonForm, IndicatorForm, TargetFormSet
from indicators.models import Indicator


@require_http_methods(["GET", "POST"])
def create_indicator(request, slug):
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
        indicator = services.indicator_save(indicator=form.instance, fields=model_fields(form))
        messages.success(request, _("The indicator is created. Set its baseline and targets now."))
        return redirect("indicator_milestones", slug, indicator.code)
    return render(
        request,
        "indicators/indicator_form.html",
        {"membership": membership, "initiative": initiative, "form": form},
    )


@require_http_methods(["GET", "POST"])
def edit_indicator(request, slug, code):
    membership, indicator = get_indicator_for_user(request.user, slug, code, coordinator=True)
    form = IndicatorForm(request.POST or None, instance=indicator, initiative=membership.initiative)
    if request.method == "POST" and form.is_valid():
        indicator = services.indicator_save(indicator=indicator, fields=model_fields(form))
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


@require_http_methods(["GET", "POST"])
def edit_milestones(request, slug, code):
    membership, indicator = get_indicator_for_user(request.user, slug, code, coordinator=True)
    data = request.POST or None
    baselines = BaselineFormSet(data, instance=indicator, prefix="baselines")
    targets = TargetFormSet(data, instance=indicator, prefix="targets")
    reason_required = bool(data) and (baselines.changes_saved_values() or targets.changes_saved_values())
    reason = ChangeReasonForm(data, reason_required=reason_required)
    if request.method == "POST" and all([baselines.is_valid(), targets.is_valid(), reason.is_valid()]):
        services.milestones_save(
            indicator=indicator,
            changes=formset_changes(baselines) + formset_changes(targets),
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
