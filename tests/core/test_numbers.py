"""Numbers written in the reader's language, as Django itself would write them."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation
from django.utils.formats import number_format
from hypothesis import given, settings
from hypothesis import strategies as st

from core.numbers import format_number
from core.templatetags.concerto import as_percent


def test_progress_rounds_half_up_like_a_spreadsheet():
    with translation.override("en"):
        assert as_percent(Decimal("0.405")) == "41%"
        assert as_percent(Decimal("0.4135")) == "41%"
        assert as_percent(Decimal("-0.005")) == "-1%"


@settings(max_examples=300, deadline=None)
@given(
    number=st.decimals(min_value=-(10**14), max_value=10**14, places=6, allow_nan=False),
    decimals=st.one_of(st.none(), st.integers(0, 6)),
    language=st.sampled_from(["en", "fr"]),
)
def test_numbers_read_as_djangos_own_formatting_would_write_them(number, decimals, language):
    """format_number writes its own separators (fast, for pages of thousands of figures): the same
    text as Django's number_format, once rounded half up."""
    with translation.override(language):
        if decimals is None:
            places = max(0, -number.normalize().as_tuple().exponent)
            expected = number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)
        else:
            rounded = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
            expected = number_format(rounded, decimal_pos=decimals, use_l10n=True, force_grouping=True)
        assert format_number(number, decimals) == expected
