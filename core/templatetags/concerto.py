"""Template helpers every page uses: people's names, numbers in inputs and in words, sparklines."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import localize_input
from django.utils.html import format_html

from core.numbers import format_percent, plain

register = template.Library()


@register.filter
def person(user):
    """A person's full name, else their username; "" for nobody (an account deleted since, a command)."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


@register.filter
def number_input(value):
    """A figure as an input shows it: 12,5 in French, no grouping, no trailing zeros; text as typed."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return localize_input(Decimal(plain(value)))  # plain() drops zeros without an exponent
    return value


@register.filter
def percent_of_way(progress):
    """Progress as a whole percentage for a progress bar: 0 to 100, whatever overshoots."""
    if progress is None:
        return 0
    return max(0, min(100, round(progress * 100)))


@register.filter
def as_percent(progress):
    """Progress as the reader writes a percentage: 45% (French: 45 %)."""
    if progress is None:
        return "—"
    return format_percent((Decimal(progress) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP), 0)


@register.simple_tag
def sparkline(series, width=120, height=32):
    """A small trend line of a series as inline SVG (decorative: the card says the figures)."""
    values = [
        (index, float(point.value)) for index, point in enumerate(series.points) if point.value is not None
    ]
    if len(values) < 2:
        return ""
    low = min(v for _i, v in values)
    high = max(v for _i, v in values)
    spread = (high - low) or 1
    last = len(series.points) - 1 or 1
    points = " ".join(
        f"{2 + (width - 4) * index / last:.1f},{height - 3 - (height - 6) * (value - low) / spread:.1f}"
        for index, value in values
    )
    x, y = points.split(" ")[-1].split(",")
    return format_html(
        '<svg class="sparkline" width="{}" height="{}" viewBox="0 0 {} {}" '
        'aria-hidden="true" focusable="false">'
        '<polyline points="{}" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/>'
        '<circle cx="{}" cy="{}" r="3" fill="currentColor"/></svg>',
        width,
        height,
        width,
        height,
        points,
        x,
        y,
    )
