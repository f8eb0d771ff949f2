"""The outcome engine: what the partners' approved figures add up to, period by period.

Plain functions and dataclasses over querysets; every number the dashboards, reports and
exports show is computed here, and only here (DESIGN.md: measure types, accumulation, progress,
status, turn the curve, equity). Partners' figures combine by their measure, never by averaging
percentages:

    count, amount   sum
    percentage      100 · Σ numerator / Σ denominator
    rate            multiplier · Σ numerator / Σ denominator
    mean            Σ (mean · n) / Σ n
    single          the one organization's value

Over time, per-period indicators are flows, cumulative ones a running total from the baseline,
"latest" ones a level. All indicators of an initiative are computed together in a fixed number
of queries, whatever the number of partners, indicators and periods.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from impact.models import Category
from indicators.models import Baseline, Indicator, PartnerReport, Rollup, Target
from indicators.periods import Period, parse_period, periods_between

MeasureType = Indicator.MeasureType
Accumulation = Indicator.Accumulation
ReportStatus = PartnerReport.Status

# Summing-up pages (the dashboard, the outcome report) list this many latest periods in their
# tables; the charts, the indicator page and the exports keep every period (decision 50).
RECENT_ROWS = 12

# "On track": the actual is at least as good as the period's target, less this share of the whole
# way from the baseline to the final target.
TOLERANCE = Decimal("0.10")


class Status:
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"
    NOT_SET = "not_set"
    HISTORY = "history"
    LABELS = {
        ACHIEVED: _("Achieved"),
        ON_TRACK: _("On track"),
        OFF_TRACK: _("Off track"),
        NO_DATA: _("No data"),
        NOT_SET: _("No baseline or target"),
        HISTORY: _("Before the baseline"),
    }


class Change:
    IMPROVING = "improving"
    WORSENING = "worsening"
    UNCHANGED = "unchanged"
    LABELS = {IMPROVING: _("Improving"), WORSENING: _("Worsening"), UNCHANGED: _("Unchanged")}


class Verdict:
    TURNED = "turned"
    NOT_YET = "not_yet"
    TOO_LITTLE_HISTORY = "too_little_history"
    LABELS = {
        TURNED: _(
            "The curve has turned: the results are beyond what the trend before the baseline forecast."
        ),
        NOT_YET: _("Not yet: the results are within what the trend before the baseline forecast."),
        TOO_LITTLE_HISTORY: _(
            "Too little history before the baseline to forecast the trend (3 periods needed)."
        ),
    }


# Aggregation -----------------------------------------------------------------------------------


@dataclass
class Pooled:
    """What the reporting organizations' figures add up to for one indicator, period and category."""

    total: Decimal | None = None  # Σ value (counts, amounts, single values)
    numerator: Decimal | None = None  # Σ numerator
    denominator: Decimal | None = None  # Σ denominator (Σ n for a mean)
    weighted: Decimal | None = None  # Σ (mean · n)
    organizations: int = 0
    pending: int = 0  # figures from submitted, not yet approved, reports


def pooled_figures(indicators, *, include_pending=False, categories_of=None):
    """Return {(indicator id, period key, category id): Pooled}, in one query over the rollups.

    Approved reports only, unless ``include_pending`` adds submitted ones (a coordinator's
    preview). Figures marked not available don't count, and neither do organizations that sent
    them. The database adds the two statuses' sums, exactly (PostgreSQL's numeric). Categories
    of every indicator, or only of those in ``categories_of`` (ids), when given.
    """
    statuses = [ReportStatus.APPROVED] + ([ReportStatus.SUBMITTED] if include_pending else [])
    wanted = Q(indicator__in=indicators, status__in=statuses)
    if categories_of is not None:
        wanted &= Q(category__isnull=True) | Q(indicator__in=categories_of)
    rows = (
        Rollup.objects.filter(wanted)
        .values("indicator_id", "period", "category_id")
        .annotate(
            total_sum=Sum("total"),
            numerator_sum=Sum("numerator"),
            denominator_sum=Sum("denominator"),
            weighted_sum=Sum("weighted"),
            organization_count=Sum("organizations"),
            pending=Sum("values", filter=Q(status=ReportStatus.SUBMITTED)),
        )
        .order_by()
    )
    return {
        (row["indicator_id"], row["period"], row["category_id"]): Pooled(
            total=row["total_sum"],
            numerator=row["numerator_sum"],
            denominator=row["denominator_sum"],
            weighted=row["weighted_sum"],
            organizations=row["organization_count"],
            pending=row["pending"] or 0,
        )
        for row in rows
    }


def combine(indicator, pooled):
    """Return the initiative's figure for one period from the pooled figures, by measure type."""
    if pooled is None or pooled.organizations == 0:
        return None
    measure = indicator.measure_type
    if measure in (MeasureType.COUNT, MeasureType.AMOUNT):
        return pooled.total
    if measure == MeasureType.SINGLE:
        # Exactly one organization reports it; two would make "that value" meaningless.
        return pooled.total if pooled.organizations == 1 else None
    if measure == MeasureType.MEAN:
        return pooled.weighted / pooled.denominator if pooled.denominator else None
    if not pooled.denominator:
        return None
    scale = Decimal(100) if measure == MeasureType.PERCENTAGE else indicator.multiplier
    return scale * pooled.numerator / pooled.denominator


def combine_span(indicator, pooled_by_period, periods):
    """Return the figure for a longer span (a year of quarters, say) as the indicator accumulates.

    ``pooled_by_period`` maps period keys to Pooled. Per-period indicators add their flows
    (ratios pool numerators and denominators, means pool by n); "latest" ones take the last
    period reported; cumulative ones are handled by the series (a running total at the span's
    end), not here.
    """
    reported = [pooled_by_period[p.key] for p in periods if p.key in pooled_by_period]
    if not reported:
        return None
    if indicator.accumulation == Accumulation.LATEST:
        return combine(indicator, reported[-1])
    merged = Pooled(organizations=max(p.organizations for p in reported))
    for part in reported:
        for name in ("total", "numerator", "denominator", "weighted"):
            value = getattr(part, name)
            if value is not None:
                setattr(merged, name, (getattr(merged, name) or 0) + value)
    return combine(indicator, merged)


# Baselines and targets -------------------------------------------------------------------------


@dataclass
class Milestone:
    period: Period
    value: Decimal


def target_for(period, baseline, targets):
    """Return (target, interpolated?) for ``period``: a target set for it, else a straight line
    between the milestones around it (the baseline is the first); None before the baseline or
    after the last target."""
    for target in targets:
        if target.period == period:
            return target.value, False
    path = ([baseline] if baseline else []) + targets
    for start, end in zip(path, path[1:], strict=False):
        if start.period.ordinal < period.ordinal < end.period.ordinal:
            share = Decimal(period.ordinal - start.period.ordinal) / (
                end.period.ordinal - start.period.ordinal
            )
            return start.value + share * (end.value - start.value), True
    if baseline and period == baseline.period:
        return baseline.value, True
    return None, False


def better(indicator, a, b):
    """True when ``a`` is at least as good as ``b`` for this indicator's direction."""
    return a <= b if indicator.direction == Indicator.Direction.DECREASE else a >= b


def judge(indicator, actual, baseline, period_target, final_target):
    """Return (progress, status, change) of one actual figure.

    Progress is the share of the way from the baseline to the final target; the status compares
    the actual with the period's target, less a tolerance of the whole way; the change compares it
    with the baseline. Direction-aware throughout.
    """
    if actual is None:
        return None, Status.NO_DATA, None
    change = None
    if baseline is not None:
        if actual == baseline.value:
            change = Change.UNCHANGED
        else:
            change = Change.IMPROVING if better(indicator, actual, baseline.value) else Change.WORSENING
    if baseline is None or final_target is None:
        return None, Status.NOT_SET, change
    distance = final_target.value - baseline.value
    progress = (actual - baseline.value) / distance if distance else None
    if better(indicator, actual, final_target.value):
        return progress, Status.ACHIEVED, change
    if period_target is None:
        return progress, Status.OFF_TRACK, change
    allowance = TOLERANCE * abs(distance)
    leeway = (
        period_target - allowance
        if indicator.direction == Indicator.Direction.INCREASE
        else period_target + allowance
    )
    status = Status.ON_TRACK if better(indicator, actual, leeway) else Status.OFF_TRACK
    return progress, status, change


# Series ----------------------------------------------------------------------------------------


@dataclass
class Point:
    period: Period
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    reporting: int = 0
    expected: int = 0
    pending: bool = False
    missing_earlier: bool = False  # a running total lacking some partner's figure of an earlier period
    target: Decimal | None = None
    target_interpolated: bool = False
    progress: Decimal | None = None
    status: str = Status.NO_DATA
    change: str | None = None

    @property
    def status_label(self):
        return Status.LABELS[self.status]

    @property
    def incomplete(self):
        """True when the figure rests on fewer organizations than are asked to report it (for a
        running total, in this period or an earlier one)."""
        return self.value is not None and (self.reporting < self.expected or self.missing_earlier)


@dataclass
class Forecast:
    """Where the curve was heading: a least-squares line through the history up to the baseline."""

    points: list  # [(Period, forecast, low, high)] after the baseline
    slope: Decimal
    history: int  # how many periods it was fitted on
    verdict: str

    @property
    def verdict_label(self):
        return Verdict.LABELS[self.verdict]


@dataclass
class Series:
    indicator: Indicator
    category: Category | None
    baseline: Milestone | None
    targets: list
    points: list = field(default_factory=list)
    baseline_hidden: object = None  # a small category baseline readers outside the backbone don't see

    @property
    def final_target(self):
        return self.targets[-1] if self.targets else None

    @property
    def latest(self):
        """The last point every expected organization reported; else the last with any figure.

        A newer figure that rests on fewer organizations than expected would understate a sum, so
        the headline waits for it to be complete (``newer_partial`` says it is coming).
        """
        reported = [point for point in self.points if point.value is not None]
        complete = [point for point in reported if not point.incomplete]
        return (complete or reported or [None])[-1]

    @property
    def newer_partial(self):
        """A point newer than ``latest`` with a figure from only some organizations, or None."""
        latest = self.latest
        if latest is None:
            return None
        newer = [p for p in self.points if p.value is not None and p.period.ordinal > latest.period.ordinal]
        return newer[-1] if newer else None


@dataclass
class EquityPoint:
    period: Period
    values: dict  # {category: figure}
    best: Category | None
    worst: Category | None
    gap: Decimal | None  # between the best and the worst category, ≥ 0
    against_total: dict = field(default_factory=dict)  # {category: its figure minus the total's}


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


def build_series(indicator, category, pooled, baseline, targets, expected, periods, origin=None):
    """Return the Series of one indicator (and category) over ``periods``, accumulated as it says.

    A cumulative series is a running total from its baseline (the stock before the initiative,
    often 0): only the flows of the periods after the baseline period add to it. A category
    without a baseline of its own starts at ``origin``, the total's baseline period, from 0, so
    that its running total counts the same flows as the total's. A running total carries what
    its earlier periods lacked: a partner missing once, or a figure awaiting review.
    """
    series = Series(indicator=indicator, category=category, baseline=baseline, targets=targets)
    final = series.final_target
    cumulative = indicator.accumulation == Accumulation.CUMULATIVE
    start = baseline.period if baseline else origin
    running = baseline.value if (cumulative and baseline) else Decimal(0)
    missing_earlier = pending_earlier = False
    for period in periods:
        figures = pooled.get(period.key)
        value = combine(indicator, figures)
        reporting = figures.organizations if figures else 0
        pending = bool(figures and figures.pending)
        carried_missing = carried_pending = False
        if cumulative:
            if start is not None and period.ordinal < start.ordinal:
                value = None  # "since the start" means nothing before the start
            elif start is not None and period == start:
                value = baseline.value if baseline else None
            else:
                running += value or 0
                carried_missing, carried_pending = missing_earlier, pending_earlier
                missing_earlier = missing_earlier or reporting < expected
                pending_earlier = pending_earlier or pending
                value = running if figures else None
        target, interpolated = target_for(period, baseline, targets)
        if baseline is not None and period.ordinal < baseline.period.ordinal and value is not None:
            progress, status, change = None, Status.HISTORY, None  # the history the baseline ends
        else:
            progress, status, change = judge(indicator, value, baseline, target, final)
        series.points.append(
            Point(
                period=period,
                value=value,
                numerator=figures.numerator if figures else None,
                denominator=figures.denominator if figures else None,
                reporting=reporting,
                expected=expected,
                pending=pending or (carried_pending and value is not None),
                missing_earlier=carried_missing and value is not None,
                target=target,
                target_interpolated=interpolated,
                progress=progress,
                status=status,
                change=change,
            )
        )
    return series


# Turn the curve --------------------------------------------------------------------------------

# Two-sided 95% Student t quantiles by degrees of freedom.
T_975 = {
    1: "12.706", 2: "4.303", 3: "3.182", 4: "2.776", 5: "2.571", 6: "2.447", 7: "2.365", 8: "2.306",
    9: "2.262", 10: "2.228", 11: "2.201", 12: "2.179", 13: "2.160", 14: "2.145", 15: "2.131",
    16: "2.120", 17: "2.110", 18: "2.101", 19: "2.093", 20: "2.086", 21: "2.080", 22: "2.074",
    23: "2.069", 24: "2.064", 25: "2.060", 26: "2.056", 27: "2.052", 28: "2.048", 29: "2.045",
    30: "2.042",
}  # fmt: skip


def t_quantile(degrees):
    """The 97.5% quantile of Student's t; between tabulated values, the wider (safer) one."""
    if degrees in T_975:
        return Decimal(T_975[degrees])
    if degrees <= 40:
        return Decimal("2.042")  # t(30)
    if degrees <= 60:
        return Decimal("2.021")  # t(40)
    return Decimal("2.000") if degrees <= 120 else Decimal("1.980")  # t(60), t(120)


MINIMUM_HISTORY = 3


def forecast(series):
    """Fit a straight line through the history up to the baseline period (at least 3 figures) and
    forecast the periods after it, each with a 95% prediction interval; None without the history.

    The verdict: the curve has turned when the latest two figures leave the interval on the good
    side, in two periods in a row.
    """
    baseline = series.baseline
    if baseline is None:
        return None
    history = [
        (Decimal(point.period.ordinal), point.value)
        for point in series.points
        if point.value is not None and point.period.ordinal <= baseline.period.ordinal
    ]
    if len(history) < MINIMUM_HISTORY:
        return None
    n = len(history)
    mean_x = sum(x for x, _y in history) / n
    mean_y = sum(y for _x, y in history) / n
    sxx = sum((x - mean_x) ** 2 for x, _y in history)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in history) / sxx
    intercept = mean_y - slope * mean_x
    residuals = sum((y - intercept - slope * x) ** 2 for x, y in history)
    spread = (residuals / (n - 2)).sqrt()
    t = t_quantile(n - 2)
    points, beyond = [], []
    indicator = series.indicator
    for point in series.points:
        if point.period.ordinal <= baseline.period.ordinal:
            continue
        x = Decimal(point.period.ordinal)
        expected = intercept + slope * x
        half = t * spread * (1 + Decimal(1) / n + (x - mean_x) ** 2 / sxx).sqrt()
        low, high = expected - half, expected + half
        points.append((point.period, expected, low, high))
        if point.value is None or point.incomplete:
            # A missing period, or a partner missing from it, can't show a turn (a lower sum
            # would pass for an improvement).
            beyond.append(None)
            continue
        good = (
            point.value < low if indicator.direction == Indicator.Direction.DECREASE else point.value > high
        )
        beyond.append(good)
    # The curve has turned when the latest two periods with figures are both beyond the range on
    # the good side, one after the other; an earlier turn that faded is "not yet" again.
    reported = [index for index, good in enumerate(beyond) if good is not None]
    verdict = Verdict.NOT_YET
    if len(reported) >= 2:
        last, before = reported[-1], reported[-2]
        if last - before == 1 and beyond[last] and beyond[before]:
            verdict = Verdict.TURNED
    return Forecast(points=points, slope=slope, history=n, verdict=verdict)


# Equity ----------------------------------------------------------------------------------------

EQUITY_MEASURES = (MeasureType.PERCENTAGE, MeasureType.RATE, MeasureType.MEAN)


def equity(indicator, total, categories):
    """Return {dimension: [EquityPoint]}: per period, each category's figure, and the gap between
    the best and the worst category (direction-aware).

    Only for percentages, rates and means: comparing the counts of groups of different sizes
    says nothing about equity.
    """
    if indicator.measure_type not in EQUITY_MEASURES:
        return {}
    by_dimension = {}
    for category, series in categories.items():
        by_dimension.setdefault(category.dimension, []).append(series)
    result = {}
    for dimension, members in by_dimension.items():
        points = []
        for index, point in enumerate(total.points):
            # Only figures: a small cell hidden from this reader stays out of the comparison too.
            values = {
                s.category: s.points[index].value
                for s in members
                if isinstance(s.points[index].value, Decimal)
            }
            against = (
                {c: v - point.value for c, v in values.items()} if isinstance(point.value, Decimal) else {}
            )
            if len(values) < 2:
                points.append(
                    EquityPoint(
                        period=point.period,
                        values=values,
                        best=None,
                        worst=None,
                        gap=None,
                        against_total=against,
                    )
                )
                continue
            ordered = sorted(values, key=lambda c: values[c])
            if indicator.direction == Indicator.Direction.INCREASE:
                ordered.reverse()
            best, worst = ordered[0], ordered[-1]
            points.append(
                EquityPoint(
                    period=point.period,
                    values=values,
                    best=best,
                    worst=worst,
                    gap=abs(values[best] - values[worst]),
                    against_total=against,
                )
            )
        result[dimension] = points
    return result


# The whole initiative --------------------------------------------------------------------------


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
        baselines[(baseline.indicator_id, baseline.category_id)] = Milestone(
            parse_period(baseline.period, fiscal), baseline.value
        )
    for target in Target.objects.filter(indicator__in=indicators):
        targets.setdefault((target.indicator_id, target.category_id), []).append(
            Milestone(parse_period(target.period, fiscal), target.value)
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
