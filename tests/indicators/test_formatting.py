"""Figures read the way the reader writes them, rounded (never cut) to the indicator's decimals."""

from decimal import Decimal

import pytest
from django.utils import translation

from core.numbers import format_number
from indicators.formatting import format_figure
from indicators.models import Indicator


def indicator(measure_type=Indicator.MeasureType.PERCENTAGE, decimals=1, unit_en=""):
    return Indicator(measure_type=measure_type, decimals=decimals, unit_en=unit_en)


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        ("69.795427", 1, "69.8"),  # Django's number_format alone would cut this to 69.7
        ("69.75", 1, "69.8"),
        ("69.74", 1, "69.7"),
        ("-2.45", 1, "-2.5"),
        ("1234.5", 0, "1,235"),
        ("0.005", 2, "0.01"),
        ("12", 2, "12.00"),
    ],
)
def test_figures_are_rounded_half_up_not_cut(value, decimals, shown):
    with translation.override("en"):
        assert format_number(Decimal(value), decimals) == shown


def test_a_percentage_shows_its_rounded_figure_in_both_languages():
    with translation.override("en"):
        assert format_figure(Decimal("69.795427"), indicator()) == "69.8%"
    with translation.override("fr"):
        assert format_figure(Decimal("69.795427"), indicator()).replace("\xa0", " ") in ("69,8 %", "69,8%")
