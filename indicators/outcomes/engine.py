"""The outcome engine: what the partners' approved figures add up to, period by period.

Plain functions and dataclasses over querysets; every number the dashboards, reports and
exports show is computed in this package, and only here (DESIGN.md: measure types, accumulation,
progress, status, turn the curve, equity): pooling.py combines partners' figures by measure,
series.py accumulates them over time, progress.py judges them against baselines and targets,
forecast.py tells whether the curve turned, equity.py measures the gaps between categories and
disclosure.py hides small cells from readers outside the backbone. This module computes all
indicators of an initiative together, in a fixed number of queries whatever the number of
partners, indicators and periods.
"""

from dataclasses import dataclass

from indicators.models import Baseline, Indicator, Target
from indicators.outcomes.equity import equity
from indicators.outcomes.forecast import Forecast, Verdict, forecast
from indicators.outcomes.pooling import pooled_figures
from indicators.outcomes.progress import PeriodValue
from indicators.outcomes.series import Series, build_series
from indicators.periods import Period, parse_period, periods_between

# Summing-up pages (the dashboard, the outcome report) list this many latest periods in their
# tables; the charts, the indicator page and the exports keep every period (decision 50).
RECENT_ROWS = 12


@dataclass
class Outcome:
    """Everything the engine knows about one indicator."""

    indicator: Indicator
    total: Series
    categories: dict  # {Category: Series}
    forecast: Forecast | None
    equity: dict  # {Dimension: [EquityPoint]}

    @property
    def latest(self):
        return self.total.latest

    @property
    def verdict(self):
        return self.forecast.verdict if self.forecast else Verdict.TOO_LITTLE_HISTORY

    @property
    def verdict_label(self):
        return Verdict.LABELS[self.verdict]

    @property
    def table(self):
        """[(point, (forecast, low, high) or None)]: the total's points with their forecast."""
        forecasts = {period.key: rest for period, *rest in (self.forecast.points if self.forecast else [])}
        return [(point, forecasts.get(point.period.key)) for point in self.total.points]

    @property
    def recent_table(self):
        """The last RECENT_ROWS rows of ``table``: what a page that sums up shows in words."""
        return self.table[-RECENT_ROWS:]

    @property
    def earlier_rows(self):
        """How many periods ``recent_table`` leaves out."""
        return max(0, len(self.total.points) - RECENT_ROWS)


def span(indicator, keys, baseline, fiscal_start, today):
    """The periods a series covers: from its baseline or first figure to its last figure, or to
    the last period that has ended, whichever is later."""
    periods = [parse_period(key, fiscal_start) for key in keys]
    if baseline is not None:
        periods.append(baseline.period)
    if not periods:
        return []
    start = min(periods, key=lambda p: p.ordinal)
    end = max(periods, key=lambda p: p.ordinal)
    if today is not None:
        ended = Period.containing(today, indicator.frequency, fiscal_start).previous()
        if ended.ordinal > end.ordinal:
            end = ended
    return periods_between(start, end)


def within(period, first, last):
    """True when ``period`` lies inside [first, last] (Periods of any frequency, or None)."""
    return (first is None or period.start >= first.start) and (last is None or period.end <= last.end)


def trim(outcome, first, last):
    """Keep only the points inside [first, last]; computed on the whole series first, so running
    totals and the forecast still rest on the whole history."""
    for series in [outcome.total, *outcome.categories.values()]:
        series.points = [point for point in series.points if within(point.period, first, last)]
    if outcome.forecast:
        outcome.forecast.points = [p for p in outcome.forecast.points if within(p[0], first, last)]
    outcome.equity = equity(outcome.indicator, outcome.total, outcome.categories)


def initiative_outcomes(
    initiative,
    *,
    include_pending=False,
    today=None,
    first=None,
    last=None,
    indicators=None,
    categories_of=None,
):
    """Return {indicator id: Outcome} for the initiative's indicators, in a fixed number of queries.

    ``include_pending`` adds submitted reports to approved ones (a coordinator's preview; points
    built on them say so). ``first`` and ``last`` (Periods, of any frequency) keep only the
    periods inside them, once the whole series is computed. ``categories_of`` (indicator ids)
    limits the category series to those indicators: a page that shows only totals skips the rest.
    """
    fiscal = initiative.fiscal_year_start_month
    if indicators is None:
        indicators = initiative.indicators.all()
    indicators = list(indicators.prefetch_related("dimensions__categories"))
    expected = {}
    for indicator_id in Indicator.reporting_organizations.through.objects.filter(
        indicator__in=indicators
    ).values_list("indicator_id", flat=True):
        expected[indicator_id] = expected.get(indicator_id, 0) + 1
    baselines, targets = {}, {}
    for baseline in Baseline.objects.filter(indicator__in=indicators):
        baselines[(baseline.indicator_id, baseline.category_id)] = PeriodValue(
            parse_period(baseline.period, fiscal), baseline.value
        )
    for target in Target.objects.filter(indicator__in=indicators):
        targets.setdefault((target.indicator_id, target.category_id), []).append(
            PeriodValue(parse_period(target.period, fiscal), target.value)
        )
    for milestones in targets.values():
        milestones.sort(key=lambda m: m.period.ordinal)
    pooled, reported_periods = {}, {}
    for (indicator_id, period, category_id), figures in pooled_figures(
        indicators, include_pending=include_pending, categories_of=categories_of
    ).items():
        pooled.setdefault((indicator_id, category_id), {})[period] = figures
        reported_periods.setdefault(indicator_id, set()).add(period)
    outcomes = {}
    for indicator in indicators:
        own = pooled.get((indicator.pk, None), {})
        baseline = baselines.get((indicator.pk, None))
        keys = reported_periods.get(indicator.pk, set())
        periods = span(indicator, keys, baseline, fiscal, today)
        assigned = expected.get(indicator.pk, 0)
        total = build_series(
            indicator, None, own, baseline, targets.get((indicator.pk, None), []), assigned, periods
        )
        categories = {}
        broken_down = categories_of is None or indicator.pk in categories_of
        for dimension in indicator.dimensions.all() if broken_down else ():
            for category in dimension.categories.all():
                key = (indicator.pk, category.pk)
                categories[category] = build_series(
                    indicator,
                    category,
                    pooled.get(key, {}),
                    baselines.get(key),
                    targets.get(key, []),
                    assigned,
                    periods,
                    origin=baseline.period if baseline else None,
                )
        outcomes[indicator.pk] = Outcome(
            indicator=indicator,
            total=total,
            categories=categories,
            forecast=forecast(total),
            equity=equity(indicator, total, categories),
        )
        if first is not None or last is not None:
            trim(outcomes[indicator.pk], first, last)
    return outcomes
