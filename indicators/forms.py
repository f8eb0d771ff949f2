"""Forms for indicators, their baselines and targets, and the stories behind their curves."""

from crispy_forms.layout import Column, Fieldset, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BilingualFormMixin, DecimalField, bilingual_row, form_helper
from impact.models import Category
from indicators.models import Baseline, Indicator, Narrative, Target
from indicators.periods import PeriodError, parse_period
from partners.models import Organization


class IndicatorForm(BilingualFormMixin, forms.ModelForm):
    bilingual_required = ("name",)

    class Meta:
        model = Indicator
        fields = [
            "code",
            "order",
            "name_en",
            "name_fr",
            "definition_en",
            "definition_fr",
            "level",
            "outcome",
            "measure_type",
            "direction",
            "frequency",
            "accumulation",
            "multiplier",
            "unit_en",
            "unit_fr",
            "decimals",
            "min_value",
            "max_value",
            "data_source_en",
            "data_source_fr",
            "dimensions",
            "reporting_organizations",
        ]
        widgets = {
            "definition_en": forms.Textarea(attrs={"rows": 3}),
            "definition_fr": forms.Textarea(attrs={"rows": 3}),
            "dimensions": forms.CheckboxSelectMultiple,
            "reporting_organizations": forms.CheckboxSelectMultiple,
            "accumulation": forms.RadioSelect,
        }
        field_classes = {
            "multiplier": DecimalField,
            "min_value": DecimalField,
            "max_value": DecimalField,
        }

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.initiative = initiative
        self.has_values = bool(self.instance.pk) and self.instance.values.exists()
        self.fields["outcome"].queryset = initiative.indicators.filter(level=Indicator.Level.OUTCOME).exclude(
            pk=self.instance.pk
        )
        self.fields["outcome"].help_text = _("Required for a contributing measure.")
        self.fields["dimensions"].queryset = initiative.dimensions.all()
        # Anyone but a funder may be asked to report: partners, and the backbone for figures it
        # collects itself (a census count, say).
        self.fields["reporting_organizations"].queryset = Organization.objects.may_report_in(initiative)
        if self.has_values:
            for name in ("measure_type", "frequency"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Fixed: partners have reported values for this indicator.")
        self.helper = form_helper(
            Row(Column("code", css_class="col-md-8"), Column("order", css_class="col-md-4")),
            bilingual_row("name"),
            bilingual_row("definition"),
            Fieldset(
                _("How it is measured"),
                Row(Column("level", css_class="col-md-6"), Column("outcome", css_class="col-md-6")),
                Row(
                    Column("measure_type", css_class="col-md-4"),
                    Column("direction", css_class="col-md-4"),
                    Column("frequency", css_class="col-md-4"),
                ),
                "accumulation",
                Row(
                    Column("multiplier", css_class="col-md-4"),
                    Column("decimals", css_class="col-md-4"),
                ),
                bilingual_row("unit"),
                Row(
                    Column("min_value", css_class="col-md-6"),
                    Column("max_value", css_class="col-md-6"),
                ),
                bilingual_row("data_source"),
            ),
            Fieldset(
                _("Disaggregation and reporting"),
                Row(
                    Column("dimensions", css_class="col-md-6"),
                    Column("reporting_organizations", css_class="col-md-6"),
                ),
            ),
            submit_label=_("Save the indicator"),
        )

    def clean_code(self):
        code = self.cleaned_data["code"]
        clash = self.initiative.indicators.filter(code__iexact=code).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Another indicator of this initiative already uses this code."))
        return code

    def clean(self):
        cleaned = super().clean()
        level = cleaned.get("level")
        measure_type = cleaned.get("measure_type")
        if level == Indicator.Level.OUTCOME:
            cleaned["outcome"] = None
        elif level == Indicator.Level.CONTRIBUTING:
            if not cleaned.get("outcome"):
                self.add_error(
                    "outcome", _("Choose the population-level outcome this measure contributes to.")
                )
            if self.instance.pk and self.instance.contributing_measures.exists():
                self.add_error(
                    "level",
                    _("Other measures contribute to this outcome; move them to another outcome first."),
                )
        if cleaned.get("accumulation") == Indicator.Accumulation.CUMULATIVE and measure_type not in (
            Indicator.MeasureType.COUNT,
            Indicator.MeasureType.AMOUNT,
        ):
            self.add_error(
                "accumulation",
                _(
                    "Only counts and amounts can be cumulative: ratios and means cannot be added up "
                    "over time."
                ),
            )
        if measure_type == Indicator.MeasureType.RATE:
            multiplier = cleaned.get("multiplier")
            if multiplier is None or multiplier <= 0:
                self.add_error(
                    "multiplier",
                    _("A rate needs a multiplier above zero, e.g. 1000 for a rate per 1,000."),
                )
        else:
            cleaned["multiplier"] = None
        organizations = cleaned.get("reporting_organizations")
        if (
            measure_type == Indicator.MeasureType.SINGLE
            and organizations is not None
            and len(organizations) > 1
        ):
            self.add_error(
                "reporting_organizations",
                _("A single value is reported by exactly one organization; choose only one."),
            )
        low, high = cleaned.get("min_value"), cleaned.get("max_value")
        if low is not None and high is not None and low > high:
            self.add_error("max_value", _("The highest valid value must not be below the lowest."))
        if self.instance.pk and "dimensions" in cleaned:
            self.check_removed_dimensions(set(self.instance.dimensions.all()) - set(cleaned["dimensions"]))
        if self.instance.pk:
            self.check_milestones_still_fit(cleaned)
        return cleaned

    def check_removed_dimensions(self, removed):
        """Keep a breakdown that reported values, baselines or targets are given by."""
        in_use = [
            records.filter(category__dimension__in=removed).exists()
            for records in (self.instance.values, self.instance.baselines, self.instance.targets)
        ]
        if removed and any(in_use):
            self.add_error(
                "dimensions",
                _(
                    "Values, baselines or targets are given by %(dimensions)s: remove them first, "
                    "or keep this breakdown."
                )
                % {"dimensions": ", ".join(str(d) for d in removed)},
            )

    def check_milestones_still_fit(self, cleaned):
        """Refuse a new frequency or measure type that the saved baselines and targets don't fit."""
        changed = {
            name
            for name in ("frequency", "measure_type", "min_value", "max_value")
            if name in self.changed_data
        }
        if not changed:
            return
        candidate = Indicator(
            initiative=self.initiative,
            **{name: cleaned.get(name) for name in ("frequency", "measure_type", "min_value", "max_value")},
        )
        low, high = candidate.valid_range()
        for milestone in [*self.instance.baselines.all(), *self.instance.targets.all()]:
            try:
                parse_period(milestone.period, self.initiative.fiscal_year_start_month, candidate.frequency)
            except PeriodError:
                fits = False
            else:
                fits = (low is None or milestone.value >= low) and (high is None or milestone.value <= high)
            if not fits:
                self.add_error(
                    None,
                    _(
                        "The baseline or a target (%(period)s: %(value)s) does not fit this frequency, "
                        "measure type or range: change them first."
                    )
                    % {"period": milestone.period, "value": f"{milestone.value.normalize():f}"},
                )
                return


class MilestoneForm(forms.ModelForm):
    """A baseline or a target: a category (blank for the total), a period and a value."""

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.fields["category"].queryset = Category.objects.filter(
            dimension__in=indicator.dimensions.all()
        ).select_related("dimension")
        self.fields["category"].empty_label = _("Total")
        self.fields["category"].label_from_instance = lambda c: f"{c.dimension.name}: {c.name}"
        self.fields["period"].widget.attrs["placeholder"] = {
            "monthly": "2026-03",
            "quarterly": "2026-Q1",
            "annual": "2026",
        }[indicator.frequency]

    def clean_period(self):
        try:
            period = parse_period(
                self.cleaned_data["period"],
                self.indicator.initiative.fiscal_year_start_month,
                self.indicator.frequency,
            )
        except PeriodError as error:
            raise forms.ValidationError(str(error)) from error
        return period.key

    def clean_value(self):
        value = self.cleaned_data["value"]
        low, high = self.indicator.valid_range()
        if low is not None and value < low:
            raise forms.ValidationError(_("The value cannot be below %(low)s.") % {"low": low})
        if high is not None and value > high:
            raise forms.ValidationError(_("The value cannot be above %(high)s.") % {"high": high})
        return value


class BaselineForm(MilestoneForm):
    class Meta:
        model = Baseline
        fields = ["category", "period", "value", "note"]
        field_classes = {"value": DecimalField}


class TargetForm(MilestoneForm):
    class Meta:
        model = Target
        fields = ["category", "period", "value", "note"]
        field_classes = {"value": DecimalField}


class BaseMilestoneFormSet(forms.BaseInlineFormSet):
    """Rows of baselines or targets; ``unique_by`` names what may not repeat."""

    unique_by = ()
    duplicate_message = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.queryset = self.queryset.select_related("category__dimension")

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "indicator": self.instance}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            indicator=self.instance,
        )
        self.add_fields(form, None)
        return form

    def live_forms(self):
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            if not form.has_changed() and not form.instance.pk:
                continue
            yield form

    def clean(self):
        super().clean()
        seen = set()
        for form in self.live_forms():
            key = tuple(form.cleaned_data.get(name) for name in self.unique_by)
            if key in seen:
                form.add_error(None, self.duplicate_message)
            seen.add(key)

    def changes_saved_values(self):
        """True when the submission changes or deletes a baseline or target that was already saved."""
        return any(
            form.instance.pk and (form.has_changed() or (self.can_delete and form["DELETE"].value()))
            for form in self.forms
        )


class BaseBaselineFormSet(BaseMilestoneFormSet):
    unique_by = ("category",)
    duplicate_message = _("There is already a baseline for this category (or for the total).")


class BaseTargetFormSet(BaseMilestoneFormSet):
    unique_by = ("category", "period")
    duplicate_message = _("There is already a target for this category and period.")


BaselineFormSet = forms.inlineformset_factory(
    Indicator, Baseline, form=BaselineForm, formset=BaseBaselineFormSet, extra=1, can_delete=True
)
TargetFormSet = forms.inlineformset_factory(
    Indicator, Target, form=TargetForm, formset=BaseTargetFormSet, extra=3, can_delete=True
)


class ChangeReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=250,
        help_text=_("Required when you change or remove a baseline or target that was already saved."),
    )

    def __init__(self, *args, reason_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason_required = reason_required

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if self.reason_required and not reason:
            raise forms.ValidationError(
                _(
                    "Say why you change a baseline or target that was already set: the reason is kept "
                    "with the change."
                )
            )
        return reason


class NarrativeForm(forms.ModelForm):
    """The story behind the curve: three short texts, each in English, French or both."""

    class Meta:
        model = Narrative
        fields = ["story_en", "story_fr", "partners_en", "partners_fr", "next_steps_en", "next_steps_fr"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}
        help_texts = {
            "story_en": _("What is driving the curve up or down: causes, conditions, what the figures say."),
            "partners_en": _("Which partners are doing what to turn the curve."),
            "next_steps_en": _("What the partners will do next, and what would help."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            bilingual_row("story"), bilingual_row("partners"), bilingual_row("next_steps"), submit_label=None
        )
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        for name in self.Meta.fields:
            cleaned[name] = (cleaned.get(name) or "").strip()
        if not (cleaned.get("story_en") or cleaned.get("story_fr")):
            self.add_error("story_en", _("Write what is driving the curve, in English, in French or both."))
        return cleaned
