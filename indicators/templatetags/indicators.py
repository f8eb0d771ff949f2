"""Template helpers for indicators: figures as the indicator shows them, period labels, and how
many reports came in."""

from django import template
from django.utils.translation import ngettext

from indicators.formatting import describe_figures, format_figure, measure_hint
from indicators.periods import label_for_key

register = template.Library()


@register.filter
def figure(value, indicator):
    """Format a value as the indicator shows it: its decimals, grouping and unit (12.5%, 1 234 $)."""
    return format_figure(value, indicator)


@register.filter
def described(value, indicator):
    """Describe a reported value whole: "12 / 40 (30.0%)", "3.2 (n = 40)", "not available: …"."""
    return describe_figures(indicator, value)


@register.filter(name="measure_hint")
def measure_hint_filter(indicator):
    """What a partner enters for the indicator, in words."""
    return measure_hint(indicator)


@register.filter
def period_label(key, initiative):
    """Label a period key as users read it ("2026–27 Q1"), in the reader's language."""
    return label_for_key(key, initiative.fiscal_year_start_month)


@register.simple_tag
def completeness_summary(rows):
    """ "38 of 42 reports received · 2 late", over the completeness rows shown."""
    expected = sum(row.expected for row in rows)
    received = sum(row.received for row in rows)
    late = sum(row.late for row in rows)
    text = ngettext(
        "%(received)s of %(expected)s report received",
        "%(received)s of %(expected)s reports received",
        expected,
    ) % {"received": received, "expected": expected}
    if late:
        text += " · " + ngettext("%(late)s late", "%(late)s late", late) % {"late": late}
    return text
