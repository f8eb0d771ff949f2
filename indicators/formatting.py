"""Figures as readers see them: an indicator's decimals, unit and the reader's separators, and a
reported value described whole ("12 / 40 (30.0%)", "3.2 (n = 40)", "not available: …")."""

from decimal import Decimal

from django.utils.translation import gettext as _

from core.bilingual import reader_language
from core.numbers import format_number, format_percent
from indicators.models import Indicator
from indicators.outcomes.pooling import ratio

MeasureType = Indicator.MeasureType


def format_figure(value, indicator):
    """Format a value as the indicator shows it: its decimals, grouping, and unit (12.5 %, 1 234)."""
    if value is None or value == "":
        return "—"
    if not isinstance(value, Decimal | int | float):
        return str(value)  # a hidden small cell says "fewer than 5"
    measure = indicator.measure_type
    if measure == MeasureType.PERCENTAGE:
        return format_percent(value, indicator.decimals)
    text = format_number(value, indicator.decimals)
    if measure == MeasureType.RATE and indicator.multiplier:
        return _("%(number)s per %(per)s") % {"number": text, "per": format_number(indicator.multiplier, 0)}
    if indicator.unit == "$" and reader_language() == "en":
        return f"${text}"  # Canadian English puts the dollar sign first; French after: 1 234 $
    if indicator.unit:
        return f"{text}\u00a0{indicator.unit}"
    return text


def describe_figures(indicator, value):
    """Describe a reported value (anything with value, numerator, denominator…) as users read it."""
    if value is None:
        return ""
    if value.not_available:
        return _("not available: %(reason)s") % {"reason": value.not_available_reason}
    if indicator.measure_type in (MeasureType.PERCENTAGE, MeasureType.RATE):
        result = ratio(indicator, value.numerator, value.denominator)
        numerator, denominator = format_number(value.numerator), format_number(value.denominator)
        return f"{numerator} / {denominator} ({format_figure(result, indicator)})"
    if indicator.measure_type == MeasureType.MEAN:
        return _("%(mean)s (n = %(n)s)") % {
            "mean": format_figure(value.value, indicator),
            "n": format_number(value.denominator),
        }
    return format_figure(value.value, indicator)


def measure_hint(indicator):
    """What a partner enters for the indicator, in words: "a whole number", "one value"…"""
    hints = {
        MeasureType.COUNT: _("a whole number"),
        MeasureType.AMOUNT: _("an amount"),
        MeasureType.PERCENTAGE: _(
            "how many (numerator) out of how many (denominator); the percentage is computed"
        ),
        MeasureType.MEAN: _("the mean and the number it was computed on (n)"),
    }
    if indicator.measure_type == MeasureType.RATE:
        per = format_number(indicator.multiplier.normalize(), 0)
        hint = _("numerator and denominator; the rate per %(per)s is computed") % {"per": per}
    else:
        hint = hints.get(indicator.measure_type, _("one value"))
    if indicator.accumulation == Indicator.Accumulation.CUMULATIVE:
        hint += " — " + _("this period's figure only: the running total is computed")
    return hint
