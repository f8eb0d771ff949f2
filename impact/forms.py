"""Forms for the initiative, its population and its dimensions."""

from crispy_forms.layout import Column, Row
from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from core.forms import BilingualFormMixin, DateInput, bilingual_row, form_helper
from impact.models import Category, Dimension, Initiative, TargetPopulation
from partners.models import Organization


class InitiativeForm(BilingualFormMixin, forms.ModelForm):
    bilingual_required = ("name",)

    class Meta:
        model = Initiative
        fields = [
            "name_en",
            "name_fr",
            "issue_en",
            "issue_fr",
            "agenda_en",
            "agenda_fr",
            "geography_en",
            "geography_fr",
            "start_date",
            "fiscal_year_start_month",
            "report_due_days",
            "small_cell_threshold",
            "status",
        ]
        widgets = {
            "start_date": DateInput(),
            "issue_en": forms.Textarea(attrs={"rows": 3}),
            "issue_fr": forms.Textarea(attrs={"rows": 3}),
            "agenda_en": forms.Textarea(attrs={"rows": 4}),
            "agenda_fr": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(*self.layout_fields())

    def layout_fields(self):
        return [
            bilingual_row("name"),
            bilingual_row("issue"),
            bilingual_row("agenda"),
            bilingual_row("geography"),
            Row(
                Column("start_date", css_class="col-md-6 col-lg-3"),
                Column("fiscal_year_start_month", css_class="col-md-6 col-lg-3"),
                Column("report_due_days", css_class="col-md-6 col-lg-3"),
                Column("small_cell_threshold", css_class="col-md-6 col-lg-3"),
            ),
            "status",
        ]

    def clean_fiscal_year_start_month(self):
        month = self.cleaned_data["fiscal_year_start_month"]
        initiative = self.instance
        if initiative.pk and month != initiative.fiscal_year_start_month and initiative.reports.exists():
            raise forms.ValidationError(
                _(
                    "Partners have already reported for this initiative: changing the fiscal year "
                    "would change what every period of their reports means."
                )
            )
        return month


class InitiativeCreateForm(InitiativeForm):
    backbone = forms.ModelChoiceField(
        label=_("Backbone organization"),
        queryset=Organization.objects.none(),
        help_text=_("Its members become the initiative's coordinators."),
    )

    class Meta(InitiativeForm.Meta):
        fields = ["slug", *InitiativeForm.Meta.fields]

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["backbone"].queryset = organizations
        if organizations.count() == 1:
            self.fields["backbone"].initial = organizations.first()
        self.helper = form_helper(
            Row(Column("slug", css_class="col-md-6"), Column("backbone", css_class="col-md-6")),
            *self.layout_fields(),
            submit_label=_("Create the initiative"),
        )


class PopulationForm(forms.ModelForm):
    class Meta:
        model = TargetPopulation
        fields = [
            "description_en",
            "description_fr",
            "area_en",
            "area_fr",
            "estimated_size",
            "size_as_of",
            "size_source_en",
            "size_source_fr",
        ]
        widgets = {
            "size_as_of": DateInput(),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "description_fr": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            bilingual_row("description"),
            bilingual_row("area"),
            Row(
                Column("estimated_size", css_class="col-md-6"),
                Column("size_as_of", css_class="col-md-6"),
            ),
            bilingual_row("size_source"),
        )


class DimensionForm(BilingualFormMixin, forms.ModelForm):
    bilingual_required = ("name",)

    class Meta:
        model = Dimension
        fields = ["code", "name_en", "name_fr", "order"]

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.initiative = initiative
        self.helper = form_helper(
            Row(Column("code", css_class="col-md-8"), Column("order", css_class="col-md-4")),
            bilingual_row("name"),
            submit_label=None,  # the page's one button saves the dimension and its categories
        )
        self.helper.form_tag = False

    def clean_code(self):
        code = self.cleaned_data["code"]
        clash = Dimension.objects.filter(initiative=self.initiative, code=code).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Another dimension of this initiative already uses this code."))
        return code


class CategoryForm(BilingualFormMixin, forms.ModelForm):
    bilingual_required = ("name",)

    class Meta:
        model = Category
        fields = ["code", "name_en", "name_fr", "order"]


class BaseCategoryFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        codes = set()
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            code = form.cleaned_data.get("code")
            if code in codes:
                form.add_error("code", _("Two categories cannot share a code."))
            codes.add(code)


CategoryFormSet = inlineformset_factory(
    Dimension,
    Category,
    form=CategoryForm,
    formset=BaseCategoryFormSet,
    extra=3,
    can_delete=True,
)
