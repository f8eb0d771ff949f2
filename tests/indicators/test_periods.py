import datetime

import pytest
from django.utils import translation

from indicators.periods import Frequency, Period, PeriodError, parse_period, periods_between

APRIL = 4


def test_a_month_key_is_a_calendar_month_whatever_the_fiscal_year():
    period = parse_period("2026-03", APRIL)
    assert (period.frequency, period.start, period.end) == (
        Frequency.MONTHLY,
        datetime.date(2026, 3, 1),
        datetime.date(2026, 3, 31),
    )


def test_a_year_key_names_the_fiscal_year_that_starts_in_it():
    period = parse_period("2026", APRIL)
    assert (period.start, period.end) == (datetime.date(2026, 4, 1), datetime.date(2027, 3, 31))


def test_quarters_of_an_april_fiscal_year_cross_into_the_next_calendar_year():
    quarters = [parse_period(f"2026-Q{n}", APRIL) for n in range(1, 5)]
    assert [(q.start, q.end) for q in quarters] == [
        (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30)),
        (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)),
        (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31)),
        (datetime.date(2027, 1, 1), datetime.date(2027, 3, 31)),
    ]


def test_a_calendar_fiscal_year_keeps_quarters_in_the_same_year():
    period = parse_period("2026-Q4", 1)
    assert (period.start, period.end) == (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))


def test_a_fiscal_year_starting_in_november_spans_two_calendar_years():
    year = parse_period("2025", 11)
    first_quarter = parse_period("2025-Q1", 11)
    assert (year.start, year.end) == (datetime.date(2025, 11, 1), datetime.date(2026, 10, 31))
    assert (first_quarter.start, first_quarter.end) == (
        datetime.date(2025, 11, 1),
        datetime.date(2026, 1, 31),
    )


def test_february_ends_on_the_29th_in_a_leap_year():
    assert parse_period("2028-02").end == datetime.date(2028, 2, 29)


@pytest.mark.parametrize(
    ("day", "frequency", "key"),
    [
        (datetime.date(2027, 2, 15), Frequency.QUARTERLY, "2026-Q4"),
        (datetime.date(2027, 2, 15), Frequency.ANNUAL, "2026"),
        (datetime.date(2026, 4, 1), Frequency.QUARTERLY, "2026-Q1"),
        (datetime.date(2026, 3, 31), Frequency.ANNUAL, "2025"),
        (datetime.date(2026, 3, 31), Frequency.MONTHLY, "2026-03"),
    ],
)
def test_the_period_containing_a_day_follows_the_fiscal_year(day, frequency, key):
    period = Period.containing(day, frequency, APRIL)
    assert period.key == key
    assert period.start <= day <= period.end


def test_labels_name_the_fiscal_year_as_users_read_it():
    with translation.override("en"):
        assert parse_period("2026", APRIL).label() == "2026–27"
        assert parse_period("2026-Q1", APRIL).label() == "2026–27 Q1"
        assert parse_period("2026", 1).label() == "2026"
        assert parse_period("2026-Q3", 1).label() == "2026 Q3"
        assert parse_period("2026-03", APRIL).label() == "March 2026"


def test_french_labels_spell_the_fiscal_year_in_full():
    with translation.override("fr"):
        assert parse_period("2026", APRIL).label() == "2026–2027"
        assert parse_period("2026-03", APRIL).label() == "mars 2026"


def test_the_fiscal_year_label_of_1999_rolls_over_to_2000():
    with translation.override("en"):
        assert parse_period("1999", APRIL).label() == "1999–00"


def test_a_report_is_due_a_set_number_of_days_after_its_period_ends():
    assert parse_period("2026-Q4", APRIL).due_date(30) == datetime.date(2027, 4, 30)


def test_stepping_through_periods_crosses_year_boundaries():
    assert parse_period("2026-Q4", APRIL).next().key == "2027-Q1"
    assert parse_period("2026-01").previous().key == "2025-12"
    keys = [p.key for p in periods_between(parse_period("2025-11"), parse_period("2026-02"))]
    assert keys == ["2025-11", "2025-12", "2026-01", "2026-02"]


def test_a_lower_case_quarter_key_is_read_and_written_back_in_capitals():
    assert parse_period(" 2026-q2 ", APRIL).key == "2026-Q2"


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("2026-13", "months run from 01 to 12"),
        ("2026-00", "months run from 01 to 12"),
        ("2026-Q5", "quarters run from Q1 to Q4"),
        ("2026-Q0", "quarters run from Q1 to Q4"),
        ("2026-3", "is not a period"),
        ("26", "is not a period"),
        ("Q1 2026", "is not a period"),
        ("", "is not a period"),
        ("1850", "between 1900 and 2200"),
    ],
)
def test_a_bad_key_is_refused_with_a_message_that_says_why(key, message):
    with translation.override("en"), pytest.raises(PeriodError, match=message):
        parse_period(key, APRIL)


def test_a_key_of_another_frequency_is_refused_when_the_indicator_says_which():
    with (
        translation.override("en"),
        pytest.raises(PeriodError, match="reported quarterly.*2026-Q1"),
    ):
        parse_period("2026-03", APRIL, Frequency.QUARTERLY)
