"""What a partner may report for one indicator: the shape and range of a figure, by measure type.

The entry form, the spreadsheet import and the report services all ask here, so a figure is held
to the same rules whichever way it arrives. Problems come as (field, message) pairs so a form can
put each message next to its field.
"""

import functools
from decimal import ROUND_HALF_UP, Decimal, localcontext

from django.utils.formats import get_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.bilingual import reader_language
from indicators.models import Indicator

MeasureType = Indicator.MeasureType
FIGURES = ("value", "numerator", "denominator")


def figure_problems(indicator, item):
    """Return [(field, message)]: why ``item``'s figures cannot be stored for ``indicator``.

    ``item`` holds any of value, numerator, denominator, not_available, not_available_reason.
    For a mean, ``value`` is the mean and ``denominator`` its sample size n.
    """
    value, numerator, denominator = (item.get(name) for name in FIGURES)
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


def plain(number):
    """Write a Decimal without trailing zeros or exponent: 100.000000 -> 100."""
    return f"{number.normalize():f}"


def has_figures(item):
    """True when a row reports something: a figure, or "not available"."""
    return bool(item.get("not_available")) or any(item.get(name) is not None for name in FIGURES)


def ratio(indicator, numerator, denominator):
    """Return the percentage or rate a numerator and denominator give, or None."""
    if numerator is None or not denominator:
        return None
    scale = 100 if indicator.measure_type == MeasureType.PERCENTAGE else indicator.multiplier
    return scale * numerator / denominator


def format_number(number, decimals=None):
    """A number in the reader's format (1,234.5 or 1 234,5); without trailing zeros unless told."""
    if number is None:
        return "—"
    if decimals is None:
        normalized = number.normalize()
        decimals = max(0, -normalized.as_tuple().exponent)
    else:
        # Django's number_format cuts the extra decimals off (69.79 would read 69.7): round first.
        with localcontext(prec=60):
            number = Decimal(number).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if not number:
        number = abs(number)  # -0.001 rounded to 0 reads 0, not -0
    # Python groups by threes with "," and writes "." for decimals; swap in the reader's symbols.
    return f"{number:,.{decimals}f}".translate(separators(get_language()))


@functools.lru_cache(maxsize=8)
def separators(language):
    """A str.translate table from Python's "1,234.5" to ``language``'s way (1 234,5 in French),
    with the symbols Django's number_format uses; looked up once (reports format thousands)."""
    decimal_separator = get_format("DECIMAL_SEPARATOR", language)
    thousand_separator = get_format("THOUSAND_SEPARATOR", language)
    return str.maketrans({",": thousand_separator, ".": decimal_separator})


def format_figure(value, indicator):
    """Format a value as the indicator shows it: its decimals, grouping, and unit (12.5 %, 1 234)."""
    if value is None or value == "":
        return "—"
    if not isinstance(value, Decimal | int | float):
        return str(value)  # a hidden small cell says "fewer than 5"
    text = format_number(value, indicator.decimals)
    measure = indicator.measure_type
    if measure == MeasureType.PERCENTAGE:
        # Translators: French puts a (non-breaking) space before the percent sign: "12,5 %".
        return _("%(number)s%%") % {"number": text}
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
