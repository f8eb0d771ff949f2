"""Writes to the indicator framework: indicators, their baselines and targets, and the stories
behind their curves; one transaction each."""

from django.db import transaction
from django.utils import timezone

from indicators.models import Indicator, Narrative, NarrativeStatus

# Lists of an indicator's form, set once the indicator is saved (in this order, as a form would).
RELATED = ("dimensions", "reporting_organizations")


@transaction.atomic
def indicator_save(*, indicator, fields) -> Indicator:
    """Save an indicator with ``fields``, its dimensions and reporting organizations among them."""
    for name, value in fields.items():
        if name not in RELATED:
            setattr(indicator, name, value)
    indicator.save()
    for name in RELATED:
        if name in fields:
            getattr(indicator, name).set(fields[name])
    return indicator


@transaction.atomic
def milestones_save(*, indicator, changes, reason, user) -> None:
    """Write changes to baselines and targets ([(milestone, fields, or None to delete it)]); the
    reason goes with every historical record."""
    for milestone, fields in changes:
        milestone._change_reason = reason or None
        milestone._history_user = user
        if fields is None:
            milestone.delete()
            continue
        for name, value in fields.items():
            setattr(milestone, name, value)
        milestone.indicator = indicator
        milestone.save()


@transaction.atomic
def narrative_save(*, narrative, indicator, period_key, fields, user, status=None) -> Narrative:
    """Save the story of ``indicator`` for a period (``narrative``, or a new one when None) with
    the texts in ``fields``; with ``status``, publish it or take it back to a draft in the same
    save (one version in its history). Without, a published story stays published."""
    narrative = narrative or Narrative()
    for name, value in fields.items():
        setattr(narrative, name, value)
    narrative.indicator = indicator
    narrative.period = period_key
    if narrative.author_id is None:
        narrative.author = user
    if status is not None and status != narrative.status:
        narrative.status = status
        narrative.published_at = timezone.now() if status == NarrativeStatus.PUBLISHED else None
    narrative._history_user = user
    narrative.save()
    return narrative
