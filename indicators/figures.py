"""What a partner may report for one indicator: the shape and range of a figure, by measure type.

Used by the report services before anything is written, and by the entry forms and imports that
build on them, so a figure is held to the same rules whichever way it arrives.
"""

from django.utils.translation import gettext as _

from indicators.models import Indicator

MeasureType = Indicator.MeasureType
FIGURES = ("value", "numerator", "denominator")


def figure_problems(indicator, item):
    """Return the reasons (possibly none) why ``item``'s figures cannot be stored for ``indicator``.

    ``item`` holds any of value, numerator, denominator, not_available, not_available_reason.
    For a mean, ``value`` is the mean and ``denominator`` its sample size n.
    """
    value, numerator, denominator = (item.get(name) for name in FIGURES)
    if item.get("not_available"):
        if any(figure is not None for figure in (value, numerator, denominator)):
            return [_("A figure marked “not available” cannot also have a value.")]
        if not (item.get("not_available_reason") or "").strip():
            return [_("Say why the figure is not available.")]
        return []
    measure = indicator.measure_type
    if measure in (MeasureType.PERCENTAGE, MeasureType.RATE):
        return ratio_problems(indicator, value, numerator, denominator)
    problems = []
    if value is None:
        return [_("Enter a value.")]
    if numerator is not None:
        problems.append(_("This indicator takes a single value, not a numerator."))
    if measure == MeasureType.MEAN:
        if denominator is None or denominator <= 0:
            problems.append(_("Give the sample size n (more than 0) of the mean."))
    elif denominator is not None:
        problems.append(_("This indicator takes a single value, not a denominator."))
    if measure == MeasureType.COUNT and value != value.to_integral_value():
        problems.append(_("A count is a whole number."))
    problems += range_problems(indicator, value)
    return problems


def ratio_problems(indicator, value, numerator, denominator):
    if value is not None:
        return [_("Enter the numerator and the denominator: the initiative pools them, never percentages.")]
    if numerator is None or denominator is None:
        return [_("Enter both the numerator and the denominator.")]
    problems = []
    if denominator <= 0:
        problems.append(_("The denominator must be more than 0."))
    if numerator < 0:
        problems.append(_("The numerator cannot be negative."))
    if indicator.measure_type == MeasureType.PERCENTAGE and numerator > denominator:
        problems.append(_("The numerator cannot be larger than the denominator."))
    return problems


def range_problems(indicator, value):
    low, high = indicator.valid_range()
    if low is not None and value < low:
        return [_("The value cannot be below %(low)s.") % {"low": low}]
    if high is not None and value > high:
        return [_("The value cannot be above %(high)s.") % {"high": high}]
    return []
