"""Form helpers every app's forms use: bilingual fields side by side, crispy layouts, numbers as
people type them in their language, and date pickers."""

import re
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row, Submit
from django import forms
from django.forms.formsets import DELETION_FIELD_NAME
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

from core.bilingual import pair


def bilingual_row(field, **attrs):
    """Lay the English and French variants of ``field`` side by side (stacked on phones)."""
    english, french = pair(field)
    return Row(
        Column(Field(english, **attrs), css_class="col-md-6"),
        Column(Field(french, lang="fr", **attrs), css_class="col-md-6"),
    )


class BilingualFormMixin:
    """Require each field in ``bilingual_required`` in at least one of the two languages."""

    bilingual_required = ()

    def clean(self):
        cleaned = super().clean()
        for field in self.bilingual_required:
            english, french = pair(field)
            if english in self.fields and not (cleaned.get(english) or cleaned.get(french)):
                self.add_error(english, _("Enter this in English, in French, or both."))
        return cleaned


SAVE = _("Save")


def form_helper(*layout, submit_label=SAVE):
    """Return a crispy helper laying out ``layout``, with a submit button unless the label is None."""
    helper = FormHelper()
    helper.layout = Layout(*layout)
    if submit_label:
        helper.layout.append(Submit("save", submit_label, css_class="mt-2"))
    return helper


# Digits grouped by threes, as people type 1,234.5 (English) or 1 234,5 (French, any space).
_GROUPED_WITH_COMMAS = re.compile(r"^[-+]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?$")
_GROUPED_WITH_SPACES = re.compile(r"^[-+]?[1-9]\d{0,2}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?$")


class DecimalField(forms.DecimalField):
    """A decimal field that shows 412 rather than the stored 412.000000, in the reader's format.

    It reads what people type in their language: 12,5 and 1 234,5 in French, 12.5 and 1,234.5 in
    English. Only spaces between groups of three digits are dropped: "12 5" is refused, not read
    as 125. A French "1.234" stays the decimal 1.234: Canadian French groups digits with spaces,
    never with points; an English "0,5" is refused rather than read as 5.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
            if _GROUPED_WITH_SPACES.match(value):
                value = re.sub(r"[ \u00a0\u202f]", "", value)
            if get_format("DECIMAL_SEPARATOR") == "." and _GROUPED_WITH_COMMAS.match(value):
                value = value.replace(",", "")
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            value = value.normalize()
            value = value.quantize(Decimal(1)) if value == value.to_integral() else value
        return super().prepare_value(value)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def model_fields(form):
    """A valid model form's cleaned values of its model's fields: the plain data services take."""
    return {name: form.cleaned_data[name] for name in form._meta.fields if name in form.cleaned_data}


def formset_changes(formset):
    """What a valid model formset asks for: [(instance, its fields, or None to delete it)], in
    the order Django's ``formset.save()`` would write them (saved rows first, then new ones)."""
    changes = []
    deleted = formset.deleted_forms
    for form in formset.initial_forms:
        if form.instance.pk is None:
            continue
        if form in deleted:
            changes.append((form.instance, None))
        elif form.has_changed():
            changes.append((form.instance, model_fields(form)))
    for form in formset.extra_forms:
        if form.has_changed() and not (formset.can_delete and form.cleaned_data.get(DELETION_FIELD_NAME)):
            changes.append((form.instance, model_fields(form)))
    return changes
