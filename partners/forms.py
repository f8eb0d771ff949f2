"""Forms to bring organizations into an initiative and to set their role."""

from crispy_forms.layout import Column, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BilingualFormMixin, bilingual_row, form_helper
from partners.models import Organization, Participation


class ParticipationAddForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.none())
    role = forms.ChoiceField(
        label=_("Role"), choices=Participation.Role.choices, initial=Participation.Role.PARTNER
    )

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.exclude(
            participations__initiative=initiative
        )
        self.helper = form_helper(
            Row(Column("organization", css_class="col-md-7"), Column("role", css_class="col-md-5")),
            submit_label=_("Add to the initiative"),
        )
        self.helper.form_id = "add-organization"


class OrganizationCreateForm(BilingualFormMixin, forms.ModelForm):
    bilingual_required = ("name",)
    role = forms.ChoiceField(
        label=_("Role in this initiative"),
        choices=Participation.Role.choices,
        initial=Participation.Role.PARTNER,
    )

    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organization
        fields = ["name_en", "name_fr", "slug", "sector", "website"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="new", **kwargs)
        self.helper = form_helper(
            bilingual_row("name"),
            Row(
                Column("slug", css_class="col-md-4"),
                Column("sector", css_class="col-md-4"),
                Column("role", css_class="col-md-4"),
            ),
            "website",
            submit_label=_("Register and add"),
        )
        self.helper.form_id = "new-organization"


class ParticipationRoleForm(forms.ModelForm):
    class Meta:
        model = Participation
        fields = ["role"]
