"""Small cells: disaggregated figures too small to show outside the backbone (DESIGN.md).

A count below the initiative's threshold (default 5) in a category could single out a child or a
family. Outside the backbone:

- a category's count of 1 to threshold − 1 is replaced by "fewer than N"; and, whenever some are,
  so is the smallest other category of the same dimension and period (shown as "hidden"), so
  that the total minus the shown categories never adds up to only small hidden cells;
- for a cumulative count, the same rule applies to each period's flow (the growth of the running
  total), since two running totals in a row would give it away;
- a percentage or rate by category shows neither its numerator nor its denominator (counts), and
  no figure at all when either, or the rest of the denominator, is a small count;
- a hidden figure takes its progress along, and a small category baseline is hidden too.
"""

from dataclasses import dataclass

from django.utils.translation import gettext

from indicators.models import Indicator
from indicators.outcomes.equity import equity
from indicators.outcomes.progress import OutcomeStatus

MeasureType = Indicator.MeasureType


@dataclass(frozen=True)
class Suppressed:
    """Stands for a hidden figure: pages say "fewer than N" (or "hidden"), exports "<N" (or "x")."""

    threshold: int
    complement: bool = False  # hidden so that another, small, figure can't be worked out

    def __str__(self):
        if self.complement:
            return gettext("hidden")
        return gettext("fewer than %(threshold)s") % {"threshold": self.threshold}

    @property
    def code(self):
        return "x" if self.complement else f"<{self.threshold}"


def small(value, threshold):
    return value is not None and 0 < value < threshold


def hidden_in(figures, threshold):
    """Return {category: complement?} to hide among one dimension's figures of one period."""
    present = [(value, category) for value, category in figures if value is not None]
    tiny = [category for value, category in present if small(value, threshold)]
    if not tiny:
        return {}
    hidden = dict.fromkeys(tiny, False)
    others = sorted(
        (
            (value, category.pk, category)
            for value, category in present
            if category not in hidden and value > 0
        ),
        key=lambda item: (item[0], item[1]),
    )
    if others:
        hidden[others[0][2]] = True
    return hidden


def count_cells(outcome, threshold):
    """{(category id, period key): complement?} for a count indicator's categories."""
    cumulative = outcome.indicator.accumulation == Indicator.Accumulation.CUMULATIVE
    by_dimension = {}
    for category, series in outcome.categories.items():
        by_dimension.setdefault(category.dimension_id, []).append(series)
    hidden = {}
    for members in by_dimension.values():
        previous = {series.category: None for series in members}
        for index, point in enumerate(members[0].points):
            key = point.period.key
            figures = [(series.points[index].value, series.category) for series in members]
            for category, complement in hidden_in(figures, threshold).items():
                hidden[(category.pk, key)] = hidden.get((category.pk, key), True) and complement
            if cumulative:
                flows = []
                for value, category in figures:
                    before = previous[category]
                    flows.append(
                        (value - before if value is not None and before is not None else None, category)
                    )
                    if value is not None:
                        previous[category] = value
                for category, complement in hidden_in(flows, threshold).items():
                    hidden[(category.pk, key)] = hidden.get((category.pk, key), True) and complement
    return hidden


def ratio_cells(outcome, threshold):
    """{(category id, period key): False} for percentage and rate categories resting on small counts."""
    hidden = {}
    for category, series in outcome.categories.items():
        for point in series.points:
            numerator, denominator = point.numerator, point.denominator
            if numerator is None:
                continue
            rest = (
                denominator - numerator if outcome.indicator.measure_type == MeasureType.PERCENTAGE else None
            )
            if small(numerator, threshold) or small(denominator, threshold) or small(rest, threshold):
                hidden[(category.pk, point.period.key)] = False
    return hidden


def suppress(outcome, threshold):
    """Hide, in place, the category figures of ``outcome`` that readers outside the backbone may
    not see; return how many figures were hidden."""
    measure = outcome.indicator.measure_type
    if not outcome.categories or measure not in (MeasureType.COUNT, MeasureType.PERCENTAGE, MeasureType.RATE):
        return 0
    hidden = (
        count_cells(outcome, threshold) if measure == MeasureType.COUNT else ratio_cells(outcome, threshold)
    )
    for category, series in outcome.categories.items():
        if measure == MeasureType.COUNT and series.baseline and small(series.baseline.value, threshold):
            series.baseline_hidden = Suppressed(threshold)
        for point in series.points:
            point.numerator = point.denominator = None  # counts behind a category's figure
            complement = hidden.get((category.pk, point.period.key))
            if complement is None or point.value is None:
                continue
            point.value = Suppressed(threshold, complement=complement)
            point.progress = point.change = None
            point.status = OutcomeStatus.NO_DATA
    outcome.equity = equity(outcome.indicator, outcome.total, outcome.categories)  # without them
    return len(hidden)
