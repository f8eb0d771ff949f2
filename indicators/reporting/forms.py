"""Forms of partner reporting: the data-entry form of one report (fields fitting each row's measure)
and the spreadsheet upload."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import DecimalField, form_helper
from indicators.figures import category_overflows, entered, figure_problems, has_figures, overflow_message
from indicators.models import Indicator
from indicators.reporting.unusual import flag_unusual
from partners.models import Organization

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


def form_fields(item):
    """What was entered for a row (as the services take it) under the form's field names."""
    return {
        "value": item.get("value"),
        "numerator": item.get("numerator"),
        "denominator": item.get("denominator"),
        "not_available": item.get("not_available", False),
        "reason": item.get("not_available_reason", ""),
        "comment": item.get("comment", ""),
    }


def row_initial(row, item):
    """A row's fields filled with ``item`` (what was entered, as the services take it)."""
    return {f"{row.prefix}-{name}": value for name, value in form_fields(item).items()}


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
                item = entered(source)
                if source is row.previous:
                    item["comment"] = ""
                initial |= row_initial(row, item)
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
        figures = [
            (row.prefix, row.indicator, row.category, (items.get(row.key) or {}).get("value"))
            for row in self.rows
        ]
        for prefix, _indicator, dimension, parts, total in category_overflows(figures):
            self.add_error(f"{prefix}-value", overflow_message(dimension, parts, total))

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


MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (CSV or XLSX)"),
        help_text=gettext_lazy(
            "Comma or semicolon separated; UTF-8 or Windows-1252; a decimal point or a decimal comma."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt,text/csv"}),
    )
    organization = forms.ModelChoiceField(
        label=gettext_lazy("For the organization"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=gettext_lazy("Leave empty when the file has an organization column."),
    )
    submit = forms.BooleanField(
        label=gettext_lazy("Submit the reports for review once imported"),
        required=False,
        help_text=gettext_lazy("Otherwise they are saved as drafts you can check first."),
    )

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership
        if membership.is_coordinator:
            choices = Organization.objects.may_report_in(membership.initiative)
        else:
            choices = Organization.objects.filter(pk__in=[o.pk for o in membership.partner_organizations])
            self.fields["organization"].help_text = ""
            if len(membership.partner_organizations) == 1:
                self.fields["organization"].widget = forms.HiddenInput()
                self.fields["organization"].initial = membership.partner_organizations[0].pk
        self.fields["organization"].queryset = choices
        self.helper = form_helper("file", "organization", "submit", submit_label=None)
        self.helper.form_tag = False

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB; split it into several files."))
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload
