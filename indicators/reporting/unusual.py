"""Warnings, not errors: a value far outside the organization's own history asks to be confirmed."""

from decimal import Decimal
from statistics import median

from django.utils.translation import gettext as _

from core.numbers import format_number
from indicators.figures import has_figures
from indicators.models import DataValue, Indicator, ReportStatus
from indicators.outcomes.pooling import ratio

MINIMUM_HISTORY = 3
TIMES_MEDIAN = 3
ROBUST_Z = Decimal("3.5")
# The median absolute deviation of a normal distribution is 0.6745 of its standard deviation.
MAD_SCALE = Decimal("0.6745")


def comparable(indicator, item):
    """Return the one number to compare over time: the value, or the percentage or rate."""
    if indicator.measure_type in (Indicator.MeasureType.PERCENTAGE, Indicator.MeasureType.RATE):
        return ratio(indicator, item.get("numerator"), item.get("denominator"))
    return item.get("value")


def organization_history(report, indicators):
    """Return {(indicator id, category id): [numbers]} from the organization's other approved reports."""
    values = DataValue.objects.filter(
        report__initiative=report.initiative_id,
        report__organization=report.organization_id,
        report__status=ReportStatus.APPROVED,
        indicator__in=indicators,
        not_available=False,
    ).exclude(report=report.pk)
    by_indicator = {indicator.pk: indicator for indicator in indicators}
    history = {}
    for value in values.only("indicator_id", "category_id", "value", "numerator", "denominator"):
        figures = {"value": value.value, "numerator": value.numerator, "denominator": value.denominator}
        number = comparable(by_indicator[value.indicator_id], figures)
        if number is not None:
            history.setdefault((value.indicator_id, value.category_id), []).append(number)
    return history


def unusual(number, past):
    """Return why ``number`` stands out from ``past`` (the organization's own history), or None."""
    if number is None or len(past) < MINIMUM_HISTORY:
        return None
    middle = median(past)
    usual = format_number(round(middle, 2))
    if middle > 0 and number > TIMES_MEDIAN * middle:
        return _("more than %(times)s times this organization's usual figure (%(usual)s)") % {
            "times": TIMES_MEDIAN,
            "usual": usual,
        }
    if middle > 0 and number * TIMES_MEDIAN < middle:
        # A history that never varies gives no spread to judge by; a tenth of it is still a slip.
        return _("less than a third of this organization's usual figure (%(usual)s)") % {"usual": usual}
    spread = median(abs(x - middle) for x in past)
    if spread > 0 and abs(MAD_SCALE * (number - middle) / spread) > ROBUST_Z:
        return _("far from this organization's usual figure (%(usual)s)") % {"usual": usual}
    return None


def flag_unusual(report, rows, items):
    """Return {row key: warning} for figures far from the organization's own history; mark the rows."""
    history = organization_history(report, list({row.indicator for row in rows}))
    warnings = {}
    for row in rows:
        item = items.get(row.key)
        if not item or not has_figures(item):
            continue
        reason = unusual(comparable(row.indicator, item), history.get(row.key, []))
        if reason:
            row.warning = _("Unusual: %(reason)s.") % {"reason": reason}
            warnings[row.key] = row.warning
    return warnings
