"""Series: one indicator's figures (total, or one category) period by period, accumulated as the
indicator says, each judged against its baseline and target."""

from dataclasses import dataclass, field
from decimal import Decimal

from impact.models import Category
from indicators.models import Indicator
from indicators.outcomes.pooling import combine
from indicators.outcomes.progress import OutcomeStatus, PeriodValue, judge, target_for
from indicators.periods import Period

Accumulation = Indicator.Accumulation


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
    status: str = OutcomeStatus.NO_DATA
    change: str | None = None

    @property
    def status_label(self):
        return OutcomeStatus.LABELS[self.status]

    @property
    def status_symbol(self):
        return OutcomeStatus.SYMBOLS.get(self.status, "–")

    @property
    def incomplete(self):
        """True when the figure rests on fewer organizations than are asked to report it (for a
        running total, in this period or an earlier one)."""
        return self.value is not None and (self.reporting < self.expected or self.missing_earlier)


@dataclass
class Series:
    indicator: Indicator
    category: Category | None
    baseline: PeriodValue | None
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
        pooled_period = pooled.get(period.key)
        value = combine(indicator, pooled_period)
        reporting = pooled_period.organizations if pooled_period else 0
        pending = bool(pooled_period and pooled_period.pending)
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
                value = running if pooled_period else None
        target, interpolated = target_for(period, baseline, targets)
        if baseline is not None and period.ordinal < baseline.period.ordinal and value is not None:
            progress, status, change = None, OutcomeStatus.HISTORY, None  # the history the baseline ends
        else:
            progress, status, change = judge(indicator, value, baseline, target, final)
        series.points.append(
            Point(
                period=period,
                value=value,
                numerator=pooled_period.numerator if pooled_period else None,
                denominator=pooled_period.denominator if pooled_period else None,
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
