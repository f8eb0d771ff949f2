"""Template helpers: figures formatted for the reader's language, period labels."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from impact.bilingual import reader_language
from indicators.periods import label_for_key

register = template.Library()


@register.filter
def figure(value, indicator):
    """Format a value as the indicator shows it: its decimals, grouping, and unit (12.5 %, 1 234)."""
    if value is None or value == "":
        return "—"
    text = number_format(value, decimal_pos=indicator.decimals, use_l10n=True, force_grouping=True)
    measure = indicator.measure_type
    if measure == "percentage":
        # Translators: French puts a (non-breaking) space before the percent sign: "12,5 %".
        return _("%(number)s%%") % {"number": text}
    if measure == "rate" and indicator.multiplier:
        per = number_format(
            indicator.multiplier.normalize(), decimal_pos=0, use_l10n=True, force_grouping=True
        )
        return _("%(number)s per %(per)s") % {"number": text, "per": per}
    if indicator.unit == "$" and reader_language() == "en":
        return f"${text}"  # Canadian English puts the dollar sign first; French after: 1 234 $
    if indicator.unit:
        return f"{text}\u00a0{indicator.unit}"
    return text


@register.filter
def period_label(key, initiative):
    """Label a period key as users read it ("2026–27 Q1"), in the reader's language."""
    return label_for_key(key, initiative.fiscal_year_start_month)
