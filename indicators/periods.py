"""Reporting periods: keys, fiscal years, labels and due dates.

Keys (DESIGN.md): ``2026-03`` is the calendar month March 2026; ``2026-Q1`` and ``2026`` are the
first quarter and the whole of the fiscal year that *starts* in 2026, whatever the initiative's
fiscal-year start month. With an April start, ``2026`` runs April 2026 to March 2027 ("2026–27")
and ``2026-Q4`` is January to March 2027.
"""

import datetime
import functools
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from core.bilingual import reader_language


class Frequency(models.TextChoices):
    MONTHLY = "monthly", gettext_lazy("Monthly")
    QUARTERLY = "quarterly", gettext_lazy("Quarterly")
    ANNUAL = "annual", gettext_lazy("Annual")


PERIODS_PER_YEAR = {Frequency.MONTHLY: 12, Frequency.QUARTERLY: 4, Frequency.ANNUAL: 1}
MONTHS_PER_PERIOD = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.ANNUAL: 12}
EXAMPLE_KEYS = {
    Frequency.MONTHLY: "2026-03",
    Frequency.QUARTERLY: "2026-Q1",
    Frequency.ANNUAL: "2026",
}

KEY_PATTERNS = (
    (Frequency.MONTHLY, re.compile(r"^(\d{4})-(\d{2})$")),
    (Frequency.QUARTERLY, re.compile(r"^(\d{4})-[Qq](\d)$")),
    (Frequency.ANNUAL, re.compile(r"^(\d{4})$")),
)


class PeriodError(ValueError):
    """A period key that cannot be read; the message says why, in the user's language."""


def add_months(day, months):
    """Return the first of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True, order=True)
class Period:
    """One monthly, quarterly or annual period of an initiative's calendar.

    ``number`` is the month (1–12) for a monthly period, the quarter (1–4) of the fiscal year for
    a quarterly one, and 1 for a year. Periods of one frequency order by ``(year, number)``.
    """

    frequency: str
    year: int
    number: int = 1
    fiscal_start_month: int = 1

    @classmethod
    def containing(cls, day, frequency, fiscal_start_month=1):
        """Return the period of ``frequency`` that contains ``day``."""
        if frequency == Frequency.MONTHLY:
            return cls(Frequency.MONTHLY, day.year, day.month, fiscal_start_month)
        fiscal_year = day.year if day.month >= fiscal_start_month else day.year - 1
        months_into_year = (day.month - fiscal_start_month) % 12
        number = months_into_year // 3 + 1 if frequency == Frequency.QUARTERLY else 1
        return cls(Frequency(frequency), fiscal_year, number, fiscal_start_month)

    @functools.cached_property
    def key(self):
        if self.frequency == Frequency.MONTHLY:
            return f"{self.year:04d}-{self.number:02d}"
        if self.frequency == Frequency.QUARTERLY:
            return f"{self.year:04d}-Q{self.number}"
        return f"{self.year:04d}"

    @functools.cached_property
    def start(self):
        if self.frequency == Frequency.MONTHLY:
            return datetime.date(self.year, self.number, 1)
        year_start = datetime.date(self.year, self.fiscal_start_month, 1)
        return add_months(year_start, (self.number - 1) * MONTHS_PER_PERIOD[self.frequency])

    @functools.cached_property
    def end(self):
        """Return the last day of the period."""
        next_start = add_months(self.start, MONTHS_PER_PERIOD[self.frequency])
        return next_start - datetime.timedelta(days=1)

    @functools.cached_property
    def ordinal(self):
        """Return a counter that grows by one from each period to the next of its frequency."""
        return self.year * PERIODS_PER_YEAR[self.frequency] + self.number - 1

    def shifted(self, steps):
        """Return the period ``steps`` periods later (earlier when negative)."""
        ordinal = self.ordinal + steps
        per_year = PERIODS_PER_YEAR[self.frequency]
        return Period(self.frequency, ordinal // per_year, ordinal % per_year + 1, self.fiscal_start_month)

    def next(self):
        return self.shifted(1)

    def previous(self):
        return self.shifted(-1)

    def due_date(self, days_after_end):
        """Return the day a report for this period is due."""
        return self.end + datetime.timedelta(days=days_after_end)

    def fiscal_year_label(self):
        if self.fiscal_start_month == 1:
            return f"{self.year}"
        if reader_language() == "fr":
            return f"{self.year}–{self.year + 1}"
        return f"{self.year}–{(self.year + 1) % 100:02d}"

    def label(self):
        """Return the period as users read it: "March 2026", "2026–27 Q1", "2026–27"."""
        return _label(self, get_language())

    def _label(self):
        if self.frequency == Frequency.MONTHLY:
            return date_format(self.start, "YEAR_MONTH_FORMAT")
        if self.frequency == Frequency.QUARTERLY:
            # Translators: a quarter of a fiscal year, e.g. "2026–27 Q1" (French: "2026–2027 T1").
            return _("%(year)s Q%(quarter)s") % {
                "year": self.fiscal_year_label(),
                "quarter": self.number,
            }
        return self.fiscal_year_label()

    def __str__(self):
        return self.key


def match_key(text):
    """Return (frequency, regex match) for a period key's shape, or raise PeriodError."""
    for frequency, pattern in KEY_PATTERNS:
        if match := pattern.match(text):
            return frequency, match
    raise PeriodError(
        _("“%(key)s” is not a period. Use 2026-03 for a month, 2026-Q1 for a quarter or 2026 for a year.")
        % {"key": text}
    )


def parse_period(key, fiscal_start_month=1, frequency=None):
    """Return the Period a key names; raise PeriodError with a clear message if it names none.

    When ``frequency`` is given, a key of another frequency is refused too. Periods are
    immutable, so a key read once is not parsed again (pages read thousands).
    """
    return _parse_period(key, fiscal_start_month, frequency)


@functools.lru_cache(maxsize=16384)
def _parse_period(key, fiscal_start_month, frequency):
    text = (key or "").strip()
    key_frequency, match = match_key(text)
    year = int(match.group(1))
    number = int(match.group(2)) if key_frequency != Frequency.ANNUAL else 1
    if not 1900 <= year <= 2200:
        raise PeriodError(_("“%(key)s”: the year must be between 1900 and 2200.") % {"key": text})
    if key_frequency == Frequency.MONTHLY and not 1 <= number <= 12:
        raise PeriodError(_("“%(key)s”: months run from 01 to 12.") % {"key": text})
    if key_frequency == Frequency.QUARTERLY and not 1 <= number <= 4:
        raise PeriodError(_("“%(key)s”: quarters run from Q1 to Q4.") % {"key": text})
    if frequency and key_frequency != frequency:
        raise PeriodError(
            _(
                "“%(key)s” is a %(given)s period, but this indicator is reported %(expected)s "
                "(e.g. %(example)s)."
            )
            % {
                "key": text,
                "given": Frequency(key_frequency).label.lower(),
                "expected": Frequency(frequency).label.lower(),
                "example": EXAMPLE_KEYS[Frequency(frequency)],
            }
        )
    return Period(key_frequency, year, number, fiscal_start_month)


@functools.lru_cache(maxsize=8192)
def _label(period, language):
    """A period's label in ``language`` (the active one): pages show thousands of them."""
    return period._label()


def label_for_key(key, fiscal_start_month=1):
    """Label a stored period key for readers; a key that no longer parses is shown as it is."""
    try:
        return parse_period(key, fiscal_start_month).label()
    except PeriodError:
        return key


def periods_between(first, last):
    """Return the periods from ``first`` to ``last`` inclusive (empty if ``last`` comes first)."""
    return [first.shifted(step) for step in range(last.ordinal - first.ordinal + 1)]


def validate_period_key(value):
    """Model-field validator: the key must be a well-formed period of some frequency."""
    try:
        parse_period(value)
    except PeriodError as error:
        raise ValidationError(str(error), code="invalid_period") from error
