"""What a partner may report for one indicator: the shape and range of a figure, by measure type.

The entry form, the spreadsheet import and the report services all ask here, so a figure is held
to the same rules whichever way it arrives. Problems come as (field, message) pairs so a form can
put each message next to its field.
"""

from django.utils.translation import gettext as _

from core.numbers import plain
from indicators.models import Indicator
from indicators.outcomes.pooling import ratio

MeasureType = Indicator.MeasureType
# What a partner reports for an indicator and category: the figures, then whether they are not
# available (and why) and a comment. A mean is its value and, as denominator, its sample size n.
FIGURE_FIELDS = ("value", "numerator", "denominator")
ENTERED_FIELDS = (*FIGURE_FIELDS, "not_available", "not_available_reason", "comment")


def figure_problems(indicator, item):
    """Return [(field, message)]: why ``item``'s figures cannot be stored for ``indicator``.

    ``item`` holds any of value, numerator, denominator, not_available, not_available_reason.
    For a mean, ``value`` is the mean and ``denominator`` its sample size n.
    """
    value, numerator, denominator = (item.get(name) for name in FIGURE_FIELDS)
    if item.get("not_available"):
        if any(figure is not None for figure in (value, numerator, denominator)):
            return [("not_available", _("A figure marked “not available” cannot also have a value."))]
        if not (item.get("not_available_reason") or "").strip():
            return [("not_available_reason", _("Say why the figure is not available."))]
        return []
    if indicator.measure_type in (MeasureType.PERCENTAGE, MeasureType.RATE):
        return ratio_problems(indicator, value, numerator, denominator)
    if value is None:
        return [("value", _("Enter a value."))]
    problems = []
    if numerator is not None:
        problems.append(("numerator", _("This indicator takes a single value, not a numerator.")))
    if indicator.measure_type == MeasureType.MEAN:
        if denominator is None or denominator <= 0:
            problems.append(("denominator", _("Give the sample size n (more than 0) of the mean.")))
        elif denominator != denominator.to_integral_value():
            problems.append(("denominator", _("A sample size is a whole number.")))
    elif denominator is not None:
        problems.append(("denominator", _("This indicator takes a single value, not a denominator.")))
    if indicator.measure_type == MeasureType.COUNT and value != value.to_integral_value():
        problems.append(("value", _("A count is a whole number.")))
    problems += [("value", message) for message in range_problems(indicator, value)]
    return problems


def ratio_problems(indicator, value, numerator, denominator):
    if value is not None:
        return [
            (
                "value",
                _("Enter the numerator and the denominator: the initiative pools them, never percentages."),
            )
        ]
    if numerator is None and denominator is None:
        return [("numerator", _("Enter both the numerator and the denominator."))]
    if numerator is None:
        return [("numerator", _("Enter the numerator too."))]
    if denominator is None:
        return [("denominator", _("Enter the denominator too."))]
    problems = []
    if denominator <= 0:
        problems.append(("denominator", _("The denominator must be more than 0.")))
    if numerator < 0:
        problems.append(("numerator", _("The numerator cannot be negative.")))
    if indicator.measure_type == MeasureType.PERCENTAGE and numerator > denominator:
        problems.append(("numerator", _("The numerator cannot be larger than the denominator.")))
    if not problems:
        result = ratio(indicator, numerator, denominator)
        problems += [
            ("numerator", message)
            for message in range_problems(
                indicator,
                result,
                lambda: _("The resulting %(kind)s") % {"kind": indicator.get_measure_type_display().lower()},
            )
        ]
    return problems


def range_problems(indicator, value, what=None):
    """Say so when ``value`` (the figure, or the percentage or rate it makes) is out of range.

    ``what`` names the figure in the message: a function, called only when there is one (an
    import checks thousands of figures).
    """
    low, high = indicator.valid_range()
    if low is not None and value < low:
        return [_("%(what)s cannot be below %(low)s.") % {"what": _named(what), "low": plain(low)}]
    if high is not None and value > high:
        return [_("%(what)s cannot be above %(high)s.") % {"what": _named(what), "high": plain(high)}]
    return []


def _named(what):
    return what() if what else _("The value")


def entered(value):
    """What was entered for a saved DataValue (or a historical record of one), as the services take it."""
    return {name: getattr(value, name) for name in ENTERED_FIELDS}


def has_figures(item):
    """True when a row reports something: a figure, or "not available"."""
    return bool(item.get("not_available")) or any(item.get(name) is not None for name in FIGURE_FIELDS)


SUMMED = (MeasureType.COUNT, MeasureType.AMOUNT)


def category_overflows(figures):
    """Return where the categories of one dimension add up to more than the total (DESIGN.md: for
    counts and amounts), in the order the categories come.

    ``figures`` are (key, indicator, category or None for the total, value) of one report; each
    overflow is (the total's key, indicator, dimension, the categories' sum, the total).
    """
    totals, parts = {}, {}
    for key, indicator, category, value in figures:
        if value is None or indicator.measure_type not in SUMMED:
            continue
        if category is None:
            totals[indicator.pk] = (key, value)
        else:
            part = parts.setdefault((indicator.pk, category.dimension_id), [indicator, category.dimension, 0])
            part[2] += value
    return [
        (totals[indicator.pk][0], indicator, dimension, total_of_parts, totals[indicator.pk][1])
        for indicator, dimension, total_of_parts in parts.values()
        if indicator.pk in totals and total_of_parts > totals[indicator.pk][1]
    ]


def overflow_message(dimension, parts, total):
    """Say that a dimension's categories add up to more than the total."""
    return _("The %(dimension)s categories add up to %(parts)s, more than the total %(total)s.") % {
        "dimension": dimension.name.lower(),
        "parts": plain(parts),
        "total": plain(total),
    }
