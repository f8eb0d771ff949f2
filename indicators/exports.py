"""The outcome export (DESIGN.md's format): approved data, one row per indicator, period and
category, as CSV or XLSX; the same bytes from the web and from manage.py export_report."""

import csv
import io
from decimal import Decimal

from django.utils.translation import gettext as _

from indicators.disclosure import Suppressed, suppress
from indicators.figures import plain
from indicators.outcomes import initiative_outcomes

COLUMNS = (
    "indicator_code",
    "indicator_name",
    "period",
    "dimension",
    "category",
    "value",
    "numerator",
    "denominator",
    "baseline",
    "target",
    "progress",
    "partners_reporting",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text):
    """A text cell a spreadsheet won't run as a formula: '=HYPERLINK(…)' becomes "'=HYPERLINK(…)"."""
    text = str(text or "")
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def figure(value, places=6):
    """A number as the export writes it: Decimal, rounded to ``places``, no trailing zeros."""
    if value is None:
        return None
    if isinstance(value, Suppressed):
        return value
    return Decimal(plain(round(value, places)))


def report_rows(initiative, *, first=None, last=None, small_cells=False):
    """Yield the export's rows as tuples of the COLUMNS, approved data only.

    ``small_cells`` hides small disaggregated figures (for readers outside the backbone, see
    disclosure.py): a small count reads "<5" (with the threshold), a figure hidden to protect it
    "x", and categories show no numerator or denominator.
    """
    outcomes = initiative_outcomes(initiative, first=first, last=last)
    for outcome in sorted(outcomes.values(), key=lambda o: (o.indicator.order, o.indicator.code)):
        indicator = outcome.indicator
        if small_cells:
            suppress(outcome, initiative.small_cell_threshold)
        for series in [outcome.total, *outcome.categories.values()]:
            category = series.category
            for point in series.points:
                if point.value is None:
                    continue
                yield (
                    safe_text(indicator.code),
                    safe_text(indicator.name),
                    point.period.key,
                    safe_text(category.dimension.code) if category else "",
                    safe_text(category.code) if category else "",
                    figure(point.value),
                    figure(point.numerator),
                    figure(point.denominator),
                    series.baseline_hidden or (figure(series.baseline.value) if series.baseline else None),
                    figure(point.target),
                    figure(point.progress, 4),
                    point.reporting,
                )


def cell(value):
    if value is None:
        return ""
    if isinstance(value, Suppressed):
        return value.code
    return str(value)


def report_csv(initiative, **kwargs):
    """The export as CSV bytes: UTF-8, comma separated, decimal point."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in report_rows(initiative, **kwargs):
        writer.writerow([cell(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def report_xlsx(initiative, **kwargs):
    """The export as an XLSX workbook: the same rows, with real numbers and a frozen header."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("data")[:31])
    sheet.freeze_panes = "A2"
    header = []
    for name in COLUMNS:
        heading = WriteOnlyCell(sheet, value=name)
        heading.font = Font(bold=True)
        header.append(heading)
    sheet.append(header)
    for row in report_rows(initiative, **kwargs):
        sheet.append([v.code if isinstance(v, Suppressed) else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
