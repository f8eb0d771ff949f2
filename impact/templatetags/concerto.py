"""Template helpers: figures formatted for the reader's language, period labels."""

from decimal import Decimal

from django import template
from django.utils.formats import localize_input

from indicators.figures import describe_figures, format_figure, plain
from indicators.periods import label_for_key

register = template.Library()


@register.filter
def figure(value, indicator):
    """Format a value as the indicator shows it: its decimals, grouping and unit (12.5%, 1 234 $)."""
    return format_figure(value, indicator)


@register.filter
def figures(value, indicator):
    """Describe a reported value whole: "12 / 40 (30.0%)", "3.2 (n = 40)", "not available: …"."""
    return describe_figures(indicator, value)


@register.filter
def number_input(value):
    """A figure as an input shows it: 12,5 in French, no grouping, no trailing zeros; text as typed."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return localize_input(Decimal(plain(value)))  # plain() drops zeros without an exponent
    return value


@register.filter
def period_label(key, initiative):
    """Label a period key as users read it ("2026–27 Q1"), in the reader's language."""
    return label_for_key(key, initiative.fiscal_year_start_month)
