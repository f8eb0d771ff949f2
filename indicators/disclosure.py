"""Small cells: disaggregated counts too small to show outside the backbone (DESIGN.md).

A count below the initiative's threshold (default 5) in a category could single out a child or a
family. Outside the backbone such a figure is replaced by "fewer than N", and so is the next
smallest category of the same dimension and period when only one was hidden, so that the total
minus the other categories cannot reveal it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext

from indicators.models import Indicator

SUPPRESSIBLE = (Indicator.MeasureType.COUNT,)


@dataclass(frozen=True)
class Suppressed:
    """Stands for a hidden figure: templates and charts show "fewer than N", or nothing."""

    threshold: int

    def __str__(self):
        return gettext("fewer than %(threshold)s") % {"threshold": self.threshold}


def hidden_cells(outcome, threshold):
    """Return {(category id, period key)} of the figures to hide in ``outcome``'s categories."""
    if outcome.indicator.measure_type not in SUPPRESSIBLE or not outcome.categories:
        return set()
    hidden = set()
    by_dimension = {}
    for category, series in outcome.categories.items():
        by_dimension.setdefault(category.dimension_id, []).append(series)
    for members in by_dimension.values():
        for index, point in enumerate(members[0].points):
            key = point.period.key
            figures = [
                (s.points[index].value, s.category) for s in members if s.points[index].value is not None
            ]
            small = [category for value, category in figures if value < threshold]
            if len(small) == 1:
                # One hidden cell could be recovered from the total: hide the next smallest too.
                others = sorted(
                    (value, category.pk, category) for value, category in figures if category not in small
                )
                if others:
                    small.append(others[0][2])
            hidden |= {(category.pk, key) for category in small}
    return hidden


def suppress(outcome, threshold):
    """Replace hidden category figures of ``outcome`` (in place) by Suppressed; return how many."""
    hidden = hidden_cells(outcome, threshold)
    marker = Suppressed(threshold)
    for category, series in outcome.categories.items():
        for point in series.points:
            if (category.pk, point.period.key) in hidden:
                point.value = marker
                point.numerator = point.denominator = None
    return len(hidden)
