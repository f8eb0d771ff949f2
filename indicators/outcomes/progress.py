"""Progress and status: how far a figure has come from its baseline toward its target, and whether
it is on track for this period's target, direction-aware."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator
from indicators.periods import Period

# "On track": the actual is at least as good as the period's target, less this share of the whole
# way from the baseline to the final target.
TOLERANCE = Decimal("0.10")


class OutcomeStatus:
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"
    NOT_SET = "not_set"
    HISTORY = "history"
    LABELS = {
        ACHIEVED: _("Achieved"),
        ON_TRACK: _("On track"),
        OFF_TRACK: _("Off track"),
        NO_DATA: _("No data"),
        NOT_SET: _("No baseline or target"),
        HISTORY: _("Before the baseline"),
    }
    # Beside the label in a badge (decorative: the label says it); any other status shows "–".
    SYMBOLS = {ACHIEVED: "★", ON_TRACK: "✓", OFF_TRACK: "!"}
    # How a summary counts outcomes in each status: "3 achieved", "1 without data".
    COUNTED = {
        ACHIEVED: _("achieved"),
        ON_TRACK: _("on track"),
        OFF_TRACK: _("off track"),
        NOT_SET: _("without baseline or target"),
        HISTORY: _("with no figure since the baseline"),
        NO_DATA: _("without data"),
    }


class Change:
    IMPROVING = "improving"
    WORSENING = "worsening"
    UNCHANGED = "unchanged"
    LABELS = {IMPROVING: _("Improving"), WORSENING: _("Worsening"), UNCHANGED: _("Unchanged")}


@dataclass
class PeriodValue:
    """A baseline or a target as the engine reads it: the value set for one period."""

    period: Period
    value: Decimal


def target_for(period, baseline, targets):
    """Return (target, interpolated?) for ``period``: a target set for it, else a straight line
    between the milestones around it (the baseline is the first); None before the baseline or
    after the last target."""
    for target in targets:
        if target.period == period:
            return target.value, False
    path = ([baseline] if baseline else []) + targets
    for start, end in zip(path, path[1:], strict=False):
        if start.period.ordinal < period.ordinal < end.period.ordinal:
            share = Decimal(period.ordinal - start.period.ordinal) / (
                end.period.ordinal - start.period.ordinal
            )
            return start.value + share * (end.value - start.value), True
    if baseline and period == baseline.period:
        return baseline.value, True
    return None, False


def better(indicator, a, b):
    """True when ``a`` is at least as good as ``b`` for this indicator's direction."""
    return a <= b if indicator.direction == Indicator.Direction.DECREASE else a >= b


def judge(indicator, actual, baseline, period_target, final_target):
    """Return (progress, status, change) of one actual figure.

    Progress is the share of the way from the baseline to the final target; the status compares
    the actual with the period's target, less a tolerance of the whole way; the change compares it
    with the baseline. Direction-aware throughout.
    """
    if actual is None:
        return None, OutcomeStatus.NO_DATA, None
    change = None
    if baseline is not None:
        if actual == baseline.value:
            change = Change.UNCHANGED
        else:
            change = Change.IMPROVING if better(indicator, actual, baseline.value) else Change.WORSENING
    if baseline is None or final_target is None:
        return None, OutcomeStatus.NOT_SET, change
    distance = final_target.value - baseline.value
    progress = (actual - baseline.value) / distance if distance else None
    if better(indicator, actual, final_target.value):
        return progress, OutcomeStatus.ACHIEVED, change
    if period_target is None:
        return progress, OutcomeStatus.OFF_TRACK, change
    allowance = TOLERANCE * abs(distance)
    leeway = (
        period_target - allowance
        if indicator.direction == Indicator.Direction.INCREASE
        else period_target + allowance
    )
    status = OutcomeStatus.ON_TRACK if better(indicator, actual, leeway) else OutcomeStatus.OFF_TRACK
    return progress, status, change
