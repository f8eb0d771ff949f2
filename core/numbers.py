"""Numbers as people read and type them: the reader's separators (1 234,5 in French), no trailing
zeros unless asked, half-up rounding; and numbers typed in spreadsheets, whichever way they wrote them."""

import functools
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from django.utils.formats import get_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _


def plain(number):
    """Write a Decimal without trailing zeros or exponent: 100.000000 -> 100."""
    return f"{number.normalize():f}"


def format_number(number, decimals=None):
    """A number in the reader's format (1,234.5 or 1 234,5); without trailing zeros unless told."""
    if number is None:
        return "—"
    if decimals is None:
        normalized = number.normalize()
        decimals = max(0, -normalized.as_tuple().exponent)
    else:
        # Django's number_format cuts the extra decimals off (69.79 would read 69.7): round first.
        with localcontext(prec=60):
            number = Decimal(number).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if not number:
        number = abs(number)  # -0.001 rounded to 0 reads 0, not -0
    # Python groups by threes with "," and writes "." for decimals; swap in the reader's symbols.
    return f"{number:,.{decimals}f}".translate(separators(get_language()))


@functools.lru_cache(maxsize=8)
def separators(language):
    """A str.translate table from Python's "1,234.5" to ``language``'s way (1 234,5 in French),
    with the symbols Django's number_format uses; looked up once (reports format thousands)."""
    decimal_separator = get_format("DECIMAL_SEPARATOR", language)
    thousand_separator = get_format("THOUSAND_SEPARATOR", language)
    return str.maketrans({",": thousand_separator, ".": decimal_separator})


def format_percent(number, decimals):
    """A percentage as the reader writes it: 12.5% (French: 12,5 %)."""
    # Translators: French puts a (non-breaking) space before the percent sign: "12,5 %".
    return _("%(number)s%%") % {"number": format_number(number, decimals)}


THOUSANDS_OR_DECIMAL = re.compile(r"-?\d{1,3},\d{3}")
COMMA_GROUPED = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")


def parse_number(cell, decimal_comma=None):
    """Read a number as people type it: 1234.5, 1234,5, 1 234,5, 1,234.5, 1.234,5; None if empty.

    A lone comma is a decimal comma, except "1,234": in a semicolon file (French Excel) it is a
    decimal comma, in a comma file a thousands one, and where nothing tells (``decimal_comma``
    None) it is refused rather than guessed. Raises ValueError with a message.
    """
    if cell is None or cell == "":
        return None
    if isinstance(cell, bool):
        raise ValueError(_("“%(text)s” is not a number.") % {"text": cell})
    if isinstance(cell, int | float | Decimal):
        number = Decimal(str(cell))
    else:
        text = re.sub(r"[\s\u00a0\u202f']", "", str(cell))
        if not text:
            return None
        if "," in text and "." in text:
            # The last separator is the decimal one: 1,234.5 or 1.234,5.
            thousands = "," if text.rfind(".") > text.rfind(",") else "."
            text = text.replace(thousands, "").replace(",", ".")
        elif THOUSANDS_OR_DECIMAL.fullmatch(text):
            if decimal_comma is None:
                raise ValueError(
                    _(
                        "“%(text)s” could be a thousand-something or a decimal: write it without "
                        "the comma, or with more decimals."
                    )
                    % {"text": cell}
                )
            text = text.replace(",", "." if decimal_comma else "")
        elif COMMA_GROUPED.fullmatch(text):
            text = text.replace(",", "")
        elif text.count(",") == 1:
            text = text.replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(_("“%(text)s” is not a number.") % {"text": cell}) from None
    if not number.is_finite():
        raise ValueError(_("“%(text)s” is not a number.") % {"text": cell})
    if abs(number) >= Decimal(10) ** 14 or number.as_tuple().exponent < -6:
        raise ValueError(_("“%(text)s” is too large or has more than 6 decimals.") % {"text": cell})
    return number
