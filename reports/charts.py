"""Plotly figures for the dashboard and the indicator page, built from the outcome engine's results.

Figures go to the page as JSON (``json_script``) and are drawn by static/js/charts.js with the
plotly.js of our own static files. Each chart has a data table beside it as its text alternative.
They are plain dicts in plotly.js's own schema: building them through plotly.py's graph objects
validated every property and cost a page about 30 ms a chart (docs/benchmarks.md).
"""

import html
from decimal import Decimal

from django.utils.translation import gettext as _

from core.bilingual import reader_language
from core.numbers import format_number
from indicators.formatting import format_figure
from indicators.models import Indicator
from indicators.periods import periods_between

INK = "#1f2a44"
COLORS = {
    "actual": "#2b4c9b",
    "pending": "#b35c00",
    "baseline": "#5b6478",
    "target": "#0f7b6c",
    "forecast": "#7a4d00",
    "band": "rgba(122, 77, 0, 0.13)",
}


def trace(kind, **properties):
    """One plotly.js trace: its type and properties, as plotly.js reads them."""
    return {"type": kind, **properties}


def plotly_figure(traces, layout):
    return {"data": traces, "layout": layout}


CATEGORY_COLORS = ["#2b4c9b", "#0f7b6c", "#b35c00", "#7b3f98", "#a0234e", "#3d6f1f", "#5b6478"]


def number(value):
    """A figure for Plotly; a hidden small cell (or no figure) is a gap."""
    return float(value) if isinstance(value, Decimal | int | float) else None


def layout(indicator, *, height, legend=True, periods=()):
    """The look every chart shares: our font and colours, the reader's decimal separator."""
    french = reader_language() == "fr"
    labels = [period.label() for period in periods]
    suffix = ""
    if indicator.measure_type == Indicator.MeasureType.PERCENTAGE:
        suffix = "\u00a0%" if french else "%"  # 12,5 % in French
    return {
        "height": height,
        "margin": {"l": 48, "r": 12, "t": 8, "b": 8},
        "font": {
            "family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
            "size": 13,
            "color": INK,
        },
        "separators": ",\u00a0" if french else ".,",  # decimal mark, then thousands
        "showlegend": legend,
        # Above the plot: period labels below it turn when they are long (French fiscal years,
        # phones) and would run into a legend placed under them.
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0, "font": {"size": 12}},
        "hovermode": "x unified",
        "xaxis": {
            "type": "category",
            "categoryorder": "array",
            "categoryarray": labels,
            "showgrid": False,
            "automargin": True,
        },
        # Not from zero: a curve bending by a few points must show as bending.
        "yaxis": {"gridcolor": "#e1e5ee", "zeroline": False, "ticksuffix": suffix, "automargin": True},
        "plot_bgcolor": "rgba(0,0,0,0)",
        "paper_bgcolor": "rgba(0,0,0,0)",
    }


def chart_periods(series):
    """Every period the chart shows: the series', and on to the last target."""
    periods = [point.period for point in series.points]
    final = series.final_target
    if periods and final and final.period.ordinal > periods[-1].ordinal:
        periods += periods_between(periods[-1].next(), final.period)
    elif not periods and series.baseline and final:
        periods = periods_between(series.baseline.period, final.period)
    return periods


def plotly_text(value):
    """A name or figure as plotly.js should show it: it reads <b>, <a href=…> and the like in
    labels as markup, and turns &lt; back into "<", so a name is shown exactly as typed."""
    return html.escape(str(value), quote=False)


def hover(indicator, values):
    return [plotly_text(format_figure(value, indicator)) if value is not None else "" for value in values]


def equity_sentence(indicator, points):
    """Say the latest equity gap in words: "In 2025–26, French (75%) was 25 points ahead of …"."""
    latest = next((p for p in reversed(points) if p.gap is not None), None)
    if latest is None:
        return ""
    if indicator.measure_type == Indicator.MeasureType.PERCENTAGE:
        gap = _("%(gap)s percentage points") % {"gap": format_number(round(latest.gap, 1))}
    else:
        gap = format_figure(latest.gap, indicator)
    return _("In %(period)s, %(best)s (%(best_value)s) was %(gap)s ahead of %(worst)s (%(worst_value)s).") % {
        "period": latest.period.label(),
        "best": latest.best.name,
        "best_value": format_figure(latest.values[latest.best], indicator),
        "gap": gap,
        "worst": latest.worst.name,
        "worst_value": format_figure(latest.values[latest.worst], indicator),
    }


def outcome_figure(outcome, *, height=380, legend=True):
    """The actual series, pending points, baseline, targets and the forecast with its interval."""
    indicator, series = outcome.indicator, outcome.total
    periods = chart_periods(series)
    label = {period.key: period.label() for period in periods}
    traces = []
    forecast = outcome.forecast
    if forecast and forecast.points:
        xs = [label.get(p.key, p.label()) for p, *_rest in forecast.points]
        traces += [
            trace(
                "scatter",
                x=xs,
                y=[number(high) for *_rest, high in forecast.points],
                mode="lines",
                line={"width": 0},
                hoverinfo="skip",
                showlegend=False,
            ),
            trace(
                "scatter",
                x=xs,
                y=[number(low) for _p, _f, low, _h in forecast.points],
                mode="lines",
                line={"width": 0},
                fill="tonexty",
                fillcolor=COLORS["band"],
                name=_("Forecast range (95%)"),
                hoverinfo="skip",
            ),
            trace(
                "scatter",
                x=xs,
                y=[number(expected) for _p, expected, *_rest in forecast.points],
                mode="lines",
                line={"color": COLORS["forecast"], "dash": "dash", "width": 2},
                name=_("Forecast from the trend before the baseline"),
                hovertext=hover(indicator, [expected for _p, expected, *_r in forecast.points]),
                hoverinfo="text+name",
            ),
        ]
    if series.baseline:
        traces.append(
            trace(
                "scatter",
                x=[label[p.key] for p in periods],
                y=[number(series.baseline.value)] * len(periods),
                mode="lines",
                line={"color": COLORS["baseline"], "dash": "dot", "width": 1.5},
                name=_("Baseline (%(period)s)") % {"period": series.baseline.period.label()},
                hoverinfo="skip",
            )
        )
    if series.targets:
        # The target path as the chart's periods see it: each shown period's target (set, or
        # interpolated), then the milestones after the last one; markers on set targets only.
        path = [
            (p.period, p.target, not p.target_interpolated) for p in series.points if p.target is not None
        ]
        last = series.points[-1].period.ordinal if series.points else None
        path += [(m.period, m.value, True) for m in series.targets if last is None or m.period.ordinal > last]
        traces.append(
            trace(
                "scatter",
                x=[label.get(period.key, period.label()) for period, _value, _set in path],
                y=[number(value) for _period, value, _set in path],
                mode="lines+markers",
                line={"color": COLORS["target"], "dash": "dash", "width": 1.5},
                marker={"symbol": "diamond", "size": [10 if is_set else 0 for _p, _v, is_set in path]},
                name=_("Targets"),
                hovertext=hover(indicator, [value for _period, value, _set in path]),
                hoverinfo="text+name",
            )
        )
    pending = [p for p in series.points if p.value is not None and p.pending]
    traces.append(
        trace(
            "scatter",
            x=[label[p.period.key] for p in series.points],
            y=[number(p.value) if not p.pending else None for p in series.points],
            mode="lines+markers",
            connectgaps=False,
            line={"color": COLORS["actual"], "width": 3},
            marker={"size": 7},
            name=_("Actual (approved)"),
            hovertext=hover(indicator, [p.value if not p.pending else None for p in series.points]),
            hoverinfo="text+name",
        )
    )
    if pending:
        traces.append(
            trace(
                "scatter",
                x=[label[p.period.key] for p in pending],
                y=[number(p.value) for p in pending],
                mode="markers",
                marker={"size": 10, "color": "white", "line": {"color": COLORS["pending"], "width": 2.5}},
                name=_("Includes data awaiting review"),
                hovertext=hover(indicator, [p.value for p in pending]),
                hoverinfo="text+name",
            )
        )
    return plotly_figure(traces, layout(indicator, height=height, legend=legend, periods=periods))


def category_figure(outcome, dimension, *, height=300):
    """A line per category of one dimension, with the total for reference."""
    indicator = outcome.indicator
    periods = [p.period for p in outcome.total.points]
    labels = [p.label() for p in periods]
    traces = [
        trace(
            "scatter",
            x=labels,
            y=[number(p.value) for p in outcome.total.points],
            mode="lines",
            line={"color": "#9aa3b5", "width": 2, "dash": "dot"},
            name=_("Total"),
            hovertext=hover(indicator, [p.value for p in outcome.total.points]),
            hoverinfo="text+name",
        )
    ]
    members = [(c, s) for c, s in outcome.categories.items() if c.dimension_id == dimension.pk]
    for index, (category, series) in enumerate(members):
        traces.append(
            trace(
                "scatter",
                x=labels,
                y=[number(p.value) for p in series.points],
                mode="lines+markers",
                line={"color": CATEGORY_COLORS[index % len(CATEGORY_COLORS)], "width": 2.5},
                marker={"symbol": ["circle", "square", "diamond", "triangle-up", "x"][index % 5], "size": 7},
                name=plotly_text(category.name),
                hovertext=hover(indicator, [p.value for p in series.points]),
                hoverinfo="text+name",
            )
        )
    return plotly_figure(traces, layout(indicator, height=height, periods=periods))


def shorten(text, length):
    text = str(text)
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def contribution_figure(organizations, links, outcomes, *, height=460):
    """A Sankey: organizations → the contributing measures they report → the outcomes they serve.

    ``links`` is [(organization, measure)]; each link weighs one reporting assignment, and a
    measure passes on to its outcome as many as report it.
    """
    measures = sorted({measure for _org, measure in links}, key=lambda m: (m.order, m.code))
    # Short labels, so the measures' and the outcomes' don't overlap; the list beside says it all.
    nodes = (
        [plotly_text(shorten(o.name, 34)) for o in organizations]
        + [plotly_text(shorten(f"{m.code} {m.name}", 18)) for m in measures]
        + [plotly_text(shorten(f"{o.code} {o.name}", 28)) for o in outcomes]
    )
    index = {("org", o.pk): i for i, o in enumerate(organizations)}
    index |= {("measure", m.pk): len(organizations) + i for i, m in enumerate(measures)}
    index |= {("outcome", o.pk): len(organizations) + len(measures) + i for i, o in enumerate(outcomes)}
    sources, targets, values = [], [], []
    reporters = {}
    for organization, measure in links:
        sources.append(index[("org", organization.pk)])
        targets.append(index[("measure", measure.pk)])
        values.append(1)
        reporters[measure.pk] = reporters.get(measure.pk, 0) + 1
    for measure in measures:
        if measure.outcome_id and ("outcome", measure.outcome_id) in index:
            sources.append(index[("measure", measure.pk)])
            targets.append(index[("outcome", measure.outcome_id)])
            values.append(reporters[measure.pk])
    colors = (
        [COLORS["actual"]] * len(organizations)
        + [COLORS["target"]] * len(measures)
        + [COLORS["forecast"]] * len(outcomes)
    )
    return plotly_figure(
        [
            trace(
                "sankey",
                arrangement="snap",
                node={"label": nodes, "pad": 14, "thickness": 14, "color": colors, "line": {"width": 0}},
                link={
                    "source": sources,
                    "target": targets,
                    "value": values,
                    "color": "rgba(43, 76, 155, 0.18)",
                },
                hoverinfo="none",
            )
        ],
        {
            "height": height,
            "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
            "font": {
                "family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
                "size": 12,
                "color": INK,
            },
            "paper_bgcolor": "rgba(0,0,0,0)",
        },
    )
