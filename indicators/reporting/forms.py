"""The data-entry form of one report: a row per indicator and category, fields fitting the measure.

A row is the total (no category) or one category of a disaggregated indicator. Its context — the
saved value, the previous period's, the baseline, a reviewer's comment, a warning — comes along so
the page can show it beside the inputs.
"""

from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from impact.forms import DecimalField
from impact.models import Category
from indicators.figures import figure_problems, has_figures, plain
from indicators.models import Baseline, DataValue, Indicator
from indicators.reporting.unusual import comparable, organization_history, unusual

MeasureType = Indicator.MeasureType

# Which inputs each measure type takes, with their labels.
INPUTS = {
    MeasureType.COUNT: (("value", gettext_lazy("Number")),),
    MeasureType.AMOUNT: (("value", gettext_lazy("Amount")),),
    MeasureType.SINGLE: (("value", gettext_lazy("Value")),),
    MeasureType.PERCENTAGE: (
        ("numerator", gettext_lazy("Numerator")),
        ("denominator", gettext_lazy("Denominator")),
    ),
    MeasureType.RATE: (
        ("numerator", gettext_lazy("Numerator")),
        ("denominator", gettext_lazy("Denominator")),
    ),
    MeasureType.MEAN: (("value", gettext_lazy("Mean")), ("denominator", gettext_lazy("Sample size (n)"))),
}


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


def figures_of(value):
    """The figures of a saved DataValue as form initial data."""
    return {
        "value": value.value,
        "numerator": value.numerator,
        "denominator": value.denominator,
        "not_available": value.not_available,
        "reason": value.not_available_reason,
        "comment": value.comment,
    }


def flag_unusual(report, rows, items):
    """Return {row key: warning} for figures far from the organization's own history; mark the rows."""
    history = organization_history(report, list({row.indicator for row in rows}))
    warnings = {}
    for row in rows:
        item = items.get(row.key)
        if not item or not has_figures(item):
            continue
        reason = unusual(comparable(row.indicator, item), history.get(row.key, []))
        if reason:
            row.warning = _("Unusual: %(reason)s.") % {"reason": reason}
            warnings[row.key] = row.warning
    return warnings


class ReportForm(forms.Form):
    """Every figure of one report. ``submitting`` asks for a complete report; a draft may have gaps."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    confirm_unusual = forms.BooleanField(
        required=False, label=gettext_lazy("I have checked the values marked unusual: they are right.")
    )

    def __init__(self, data=None, *, report, rows, version, copy_from_previous=False, submitting=False):
        initial = {"version": version}
        for row in rows:
            source = row.saved or (row.previous if copy_from_previous else None)
            if source is not None:
                figures = figures_of(source)
                if source is row.previous:
                    figures["comment"] = ""
                initial |= {f"{row.prefix}-{name}": value for name, value in figures.items()}
        super().__init__(data, initial=initial)
        self.report = report
        self.rows = rows
        self.submitting = submitting
        self.warnings = {}
        for row in rows:
            self.add_row_fields(row)
        for row in rows:
            row.inputs = [self[f"{row.prefix}-{name}"] for name, _label in INPUTS[row.indicator.measure_type]]
            row.extras = {
                name: self[f"{row.prefix}-{name}"] for name in ("not_available", "reason", "comment")
            }

    def add_row_fields(self, row):
        indicator = row.indicator
        for name, label in INPUTS[indicator.measure_type]:
            self.fields[f"{row.prefix}-{name}"] = DecimalField(
                label=label,
                required=False,
                max_digits=20,
                decimal_places=6,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
            self.fields[f"{row.prefix}-{name}"].role = name  # value, numerator or denominator
        self.fields[f"{row.prefix}-not_available"] = forms.BooleanField(
            required=False, label=_("Not available")
        )
        self.fields[f"{row.prefix}-reason"] = forms.CharField(
            required=False, max_length=250, label=_("Why not available")
        )
        self.fields[f"{row.prefix}-comment"] = forms.CharField(
            required=False, max_length=2000, label=_("Comment")
        )

    def item(self, row):
        """The cleaned figures of a row, as the report services take them."""
        data = self.cleaned_data
        item = {
            "indicator": row.indicator,
            "category": row.category,
            "not_available": data.get(f"{row.prefix}-not_available", False),
            "not_available_reason": (data.get(f"{row.prefix}-reason") or "").strip(),
            "comment": (data.get(f"{row.prefix}-comment") or "").strip(),
        }
        for name, _label in INPUTS[row.indicator.measure_type]:
            item[name] = data.get(f"{row.prefix}-{name}")
        return item

    def clean_version(self):
        """The version of the report the page showed; 0 when there is no report to conflict with.

        A page of a report removed since shows its old version: saving creates the report anew.
        """
        return self.cleaned_data["version"] if self.report.pk else 0

    def clean(self):
        cleaned = super().clean()
        if "version" in self.errors:  # a hidden field: its own error would show nowhere
            self.add_error(
                None, _("The page's version of the report could not be read: open the report again.")
            )
        items = {}
        for row in self.rows:
            if any(
                f"{row.prefix}-{name}" in self.errors for name, _label in INPUTS[row.indicator.measure_type]
            ):
                continue  # a field that is not a number already says so
            item = self.item(row)
            items[row.key] = item
            if not has_figures(item):
                if self.submitting:
                    first_input = INPUTS[row.indicator.measure_type][0][0]
                    self.add_error(
                        f"{row.prefix}-{first_input}",
                        _("Enter a value, or mark it “not available” and say why."),
                    )
                continue
            for name, message in figure_problems(row.indicator, item):
                target = {"not_available_reason": "reason"}.get(name, name)
                self.add_error(f"{row.prefix}-{target}", message)
        self.check_category_totals(items)
        self.check_unusual(items)
        return cleaned

    def check_category_totals(self, items):
        """Categories of one dimension may not add up to more than the total (counts and amounts)."""
        totals = {}
        for row in self.rows:
            if row.category is None or row.indicator.measure_type not in (
                MeasureType.COUNT,
                MeasureType.AMOUNT,
            ):
                continue
            value = (items.get(row.key) or {}).get("value")
            if value is not None:
                key = (row.indicator.pk, row.category.dimension_id)
                totals.setdefault(key, [row.category.dimension, 0])[1] += value
        for row in self.rows:
            if row.category is not None:
                continue
            total = (items.get(row.key) or {}).get("value")
            for (indicator_id, _dimension_id), (dimension, parts) in totals.items():
                if indicator_id == row.indicator.pk and total is not None and parts > total:
                    self.add_error(
                        f"{row.prefix}-value",
                        _("The %(dimension)s categories add up to %(parts)s, more than the total %(total)s.")
                        % {"dimension": dimension.name.lower(), "parts": plain(parts), "total": plain(total)},
                    )

    def check_unusual(self, items):
        """Flag values far from the organization's own history; a submission must confirm them."""
        self.warnings = flag_unusual(self.report, self.rows, items)
        if self.warnings and self.submitting and not self.cleaned_data.get("confirm_unusual"):
            self.add_error(
                "confirm_unusual",
                _("Some values are unusual for your organization: check them, then tick this box to submit."),
            )

    def values(self):
        """Every row's figures, for report_values_save: empty rows remove what was saved there."""
        return [self.item(row) for row in self.rows]
