"""Writes to the indicator framework: indicators, their baselines and targets, and the stories
behind their curves; one transaction each."""

from django.db import transaction
from django.utils import timezone

from indicators.models import Indicator, Narrative


@transaction.atomic
def indicator_save(*, form) -> Indicator:
    """Save an indicator and its dimensions and reporting organizations together."""
    return form.save()


@transaction.atomic
def milestones_save(*, baselines, targets, reason, user) -> None:
    """Save valid baseline and target formsets; the reason goes with every historical record."""
    for formset in (baselines, targets):
        for form in formset.forms:
            form.instance._change_reason = reason or None
            form.instance._history_user = user
        formset.save()


@transaction.atomic
def narrative_save(*, indicator, period_key, form, user, status=None) -> Narrative:
    """Save the story of ``indicator`` for a period from a valid NarrativeForm; with ``status``,
    publish it or take it back to a draft in the same save (one version in its history). Without,
    a published story stays published."""
    narrative = form.instance
    narrative.indicator = indicator
    narrative.period = period_key
    if narrative.author_id is None:
        narrative.author = user
    if status is not None and status != narrative.status:
        narrative.status = status
        narrative.published_at = timezone.now() if status == Narrative.Status.PUBLISHED else None
    narrative._history_user = user
    narrative.save()
    return narrative
