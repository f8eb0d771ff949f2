"""The rows of one report: a row per indicator and category, with its context.

A row is the total (no category) or one category of a disaggregated indicator. Its context — the
saved value, the previous period's, the baseline, a reviewer's comment, a warning — comes along so
the page can show it beside the inputs.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from impact.models import Category
from indicators.models import Baseline, DataValue, Indicator


@dataclass
class EntryRow:
    indicator: Indicator
    category: object = None
    saved: DataValue | None = None
    previous: DataValue | None = None
    baseline: Baseline | None = None
    warning: str = ""
    inputs: list = field(default_factory=list)  # bound fields of the figures, in order
    extras: dict = field(default_factory=dict)  # bound fields: not_available, reason, comment

    @property
    def prefix(self):
        return f"i{self.indicator.pk}-{self.category.pk if self.category else 'total'}"

    @property
    def key(self):
        return (self.indicator.pk, self.category.pk if self.category else None)

    @property
    def label(self):
        return self.category.name if self.category else _("Total")

    @property
    def has_errors(self):
        return any(bound.errors for bound in [*self.inputs, *self.extras.values()])


@dataclass
class EntryGroup:
    """An outcome and the assigned indicators that serve it (or the outcome itself)."""

    outcome: Indicator
    indicators: list = field(default_factory=list)  # [(indicator, [rows])]


def build_rows(report, indicators, previous_report):
    """Return the rows of a report's form, with their context, in a fixed number of queries."""
    saved = {(v.indicator_id, v.category_id): v for v in report.values.all()} if report.pk else {}
    previous = {}
    if previous_report is not None:
        previous = {(v.indicator_id, v.category_id): v for v in previous_report.values.all()}
    baselines = {
        (b.indicator_id, b.category_id): b for b in Baseline.objects.filter(indicator__in=indicators)
    }
    categories = {}
    for link in Indicator.dimensions.through.objects.filter(indicator__in=indicators).select_related(
        "dimension"
    ):
        categories.setdefault(link.indicator_id, []).append(link.dimension)
    dimension_ids = {d.pk for dims in categories.values() for d in dims}
    by_dimension = {}
    for category in Category.objects.filter(dimension__in=dimension_ids).select_related("dimension"):
        by_dimension.setdefault(category.dimension_id, []).append(category)
    rows = []
    for indicator in indicators:
        members = [None]
        for dimension in sorted(categories.get(indicator.pk, []), key=lambda d: (d.order, d.code)):
            members += by_dimension.get(dimension.pk, [])
        for category in members:
            key = (indicator.pk, category.pk if category else None)
            rows.append(
                EntryRow(
                    indicator=indicator,
                    category=category,
                    saved=saved.get(key),
                    previous=previous.get(key),
                    baseline=baselines.get(key),
                )
            )
    return rows


def group_rows(rows):
    """Group rows by indicator, and indicators under the outcome they serve, in the initiative's order."""
    groups = {}
    by_indicator = {}
    for row in rows:
        by_indicator.setdefault(row.indicator, []).append(row)
    for indicator, indicator_rows in by_indicator.items():
        outcome = indicator if indicator.is_outcome else indicator.outcome
        group = groups.setdefault(outcome.pk, EntryGroup(outcome=outcome))
        group.indicators.append((indicator, indicator_rows))
    return sorted(groups.values(), key=lambda g: (g.outcome.order, g.outcome.code))
