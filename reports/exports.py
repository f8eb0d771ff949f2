"""The outcome export (DESIGN.md's format): approved data, one row per indicator, period and
category, as CSV or XLSX; the same bytes from the web and from manage.py export_report."""

import csv
import io
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from core.numbers import plain
from core.spreadsheets import safe_text, xlsx_value
from indicators.outcomes.disclosure import Suppressed, suppress
from indicators.outcomes.engine import initiative_outcomes

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


def export_number(value, places=6):
    """A number as the export writes it: Decimal, rounded to ``places``, no trailing zeros."""
    if value is None:
        return None
    if isinstance(value, Suppressed):
        return value
    return Decimal(plain(round(value, places)))


def export_outcomes(initiative, *, first=None, last=None, small_cells=False):
    """The outcomes the export shows, in the initiative's order: approved data only.

    ``small_cells`` hides small disaggregated figures (for readers outside the backbone, see
    indicators/outcomes/disclosure.py): a small count reads "<5" (with the threshold), a figure
    hidden to protect it "x", and categories show no numerator or denominator.
    """
    outcomes = initiative_outcomes(initiative, first=first, last=last)
    ordered = sorted(outcomes.values(), key=lambda o: (o.indicator.order, o.indicator.code))
    if small_cells:
        for outcome in ordered:
            suppress(outcome, initiative.small_cell_threshold)
    return ordered


def rows_of(outcomes):
    """Yield the export's rows as tuples of the COLUMNS."""
    for outcome in outcomes:
        indicator = outcome.indicator
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
                    export_number(point.value),
                    export_number(point.numerator),
                    export_number(point.denominator),
                    series.baseline_hidden
                    or (export_number(series.baseline.value) if series.baseline else None),
                    export_number(point.target),
                    export_number(point.progress, 4),
                    point.reporting,
                )


def report_rows(initiative, **kwargs):
    """Yield the export's rows as tuples of the COLUMNS, approved data only (see export_outcomes)."""
    yield from rows_of(export_outcomes(initiative, **kwargs))


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


def report_xlsx(initiative, *, first=None, last=None, small_cells=False, today=None):
    """The export as an XLSX workbook: a formatted summary sheet for people, then the tidy data
    sheet (the CSV's rows, real numbers, frozen header) for tools."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    outcomes = export_outcomes(initiative, first=first, last=last, small_cells=small_cells)
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)

    def styled(sheet, value, **style):
        written = WriteOnlyCell(sheet, value=xlsx_value(value))
        for name, setting in style.items():
            setattr(written, name, setting)
        return written

    summary = workbook.create_sheet(_("Summary")[:31])
    summary.freeze_panes = "A6"
    for column, width in zip(
        "ABCDEFGHIJKLM", (8, 46, 22, 12, 12, 12, 12, 12, 12, 10, 16, 12, 34), strict=True
    ):
        summary.column_dimensions[column].width = width
    summary.append([styled(summary, safe_text(initiative.name), font=Font(bold=True, size=14))])
    summary.append([_("Outcome report, %(range)s") % {"range": range_label(first, last)}])
    summary.append(
        [
            _("Approved figures only. Exported on %(date)s.")
            % {"date": (today or timezone.localdate()).isoformat()}
        ]
    )
    summary.append([])
    headings = (
        _("Code"),
        _("Indicator"),
        _("Level"),
        _("Baseline"),
        _("Baseline period"),
        _("Latest"),
        _("Latest period"),
        _("Target"),
        _("Target period"),
        _("Progress"),
        _("Status"),
        _("Partners reporting"),
        _("Turn the curve"),
    )
    fill = PatternFill("solid", fgColor="DCE3F2")
    summary.append(
        [styled(summary, h, font=bold, fill=fill, alignment=Alignment(wrap_text=True)) for h in headings]
    )
    for outcome in outcomes:
        indicator, series, latest = outcome.indicator, outcome.total, outcome.latest
        places = "0" if not indicator.decimals else "0." + "0" * indicator.decimals
        number_format = f"#,##0{places[1:]}"
        baseline, final = series.baseline, series.final_target

        def number(value, places=6, number_format=number_format):
            return styled(summary, export_number(value, places), number_format=number_format)

        summary.append(
            [
                xlsx_value(indicator.code),
                xlsx_value(indicator.name),
                str(indicator.get_level_display()),
                number(baseline.value if baseline else None),
                baseline.period.label() if baseline else None,
                number(latest.value if latest else None),
                latest.period.label() if latest else None,
                number(final.value if final else None),
                final.period.label() if final else None,
                styled(summary, export_number(latest.progress, 4) if latest else None, number_format="0%"),
                str(latest.status_label) if latest and latest.value is not None else str(_("No data")),
                f"{latest.reporting} / {latest.expected}" if latest and latest.value is not None else None,
                str(outcome.verdict_label) if indicator.is_outcome else None,
            ]
        )

    sheet = workbook.create_sheet(_("data")[:31])
    sheet.freeze_panes = "A2"
    sheet.append([styled(sheet, name, font=bold) for name in COLUMNS])
    for row in rows_of(outcomes):
        sheet.append([v.code if isinstance(v, Suppressed) else xlsx_value(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def range_label(first, last):
    """ "2018–19 to 2025–26 Q2", "from the start to 2025–26", "every period"."""
    if first is None and last is None:
        return _("every period")
    start = first.label() if first else _("the start")
    end = last.label() if last else _("the latest period")
    return _("%(start)s to %(end)s") % {"start": start, "end": end}
