"""Equity: the gap between the best and the worst category of a dimension, period by period."""

from dataclasses import dataclass, field
from decimal import Decimal

from impact.models import Category
from indicators.models import Indicator
from indicators.periods import Period

MeasureType = Indicator.MeasureType


@dataclass
class EquityPoint:
    period: Period
    values: dict  # {category: figure}
    best: Category | None
    worst: Category | None
    gap: Decimal | None  # between the best and the worst category, ≥ 0
    against_total: dict = field(default_factory=dict)  # {category: its figure minus the total's}


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
