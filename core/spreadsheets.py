"""Spreadsheets partners fill in: a template prefilled with their indicators, periods and categories."""

import csv
import io

from django.utils import timezone

from indicators.models import PartnerReport
from indicators.reporting.forms import build_rows
from indicators.reporting.imports import COLUMNS, IGNORED
from indicators.reporting.selectors import assignments, reports_due
from reports.exports import safe_text, xlsx_value


def template_rows(initiative, organizations, *, period_key=None, with_organization=False):
    """Return (header, rows): a line per indicator and category of each organization's next report.

    Without ``period_key``, each organization gets its oldest report still open (not started,
    draft or returned) per frequency, or the running period when nothing is open.
    """
    header = (["organization"] if with_organization else []) + [*COLUMNS[:4], *IGNORED, *COLUMNS[4:]]
    rows = []
    due = reports_due(initiative, organizations, timezone.localdate())
    assigned = assignments(initiative, organizations)
    for organization in organizations:
        indicators = assigned.get(organization.pk, [])
        periods = {}
        for item in sorted((d for d in due if d.organization == organization), key=lambda d: d.period.end):
            frequency = item.period.frequency
            if period_key is not None:
                if item.period.key == period_key:
                    periods[frequency] = item.period
            elif item.can_edit and frequency not in periods:
                periods[frequency] = item.period
        for frequency, period in periods.items():
            chosen = [indicator for indicator in indicators if indicator.frequency == frequency]
            placeholder = PartnerReport(initiative=initiative, organization=organization, period=period.key)
            for row in build_rows(placeholder, chosen, None):
                category = row.category
                cells = [
                    row.indicator.code,
                    period.key,
                    category.dimension.code if category else "",
                    category.code if category else "",
                    row.indicator.name,
                    row.indicator.get_measure_type_display(),
                    "",
                    "",
                    "",
                    "",
                ]
                cells = ([organization.slug] if with_organization else []) + cells
                rows.append([safe_text(cell) for cell in cells])  # a name may start with "="
    return header, rows


def csv_bytes(header, rows, *, semicolons=False):
    """CSV in UTF-8 with a BOM, so Excel opens accents right; semicolons for French Excel."""
    return b"".join(csv_chunks(header, rows, semicolons=semicolons))


def csv_chunks(header, rows, *, semicolons=False, rows_per_chunk=1000):
    """The bytes of ``csv_bytes``, a thousand rows at a time, for files too big to build at once."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if semicolons else ",", lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(header)
    for count, row in enumerate(rows, start=1):
        writer.writerow(row)
        if count % rows_per_chunk == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def xlsx_bytes(header, rows, *, sheet_title="values"):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([xlsx_value(cell) for cell in row])
    sheet.freeze_panes = "A2"
    for index, name in enumerate(header, start=1):
        width = max([len(str(name))] + [len(str(row[index - 1])) for row in rows[:200]]) + 2
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = min(width, 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_stream_bytes(header, rows, *, widths, sheet_title="values"):
    """An XLSX file of any number of rows in constant memory (openpyxl's write-only mode).

    ``rows`` may be a generator; ``widths`` gives each column's width up front, as rows are
    written as they come and can't be measured afterwards.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    titles = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        titles.append(cell)
    sheet.append(titles)
    for row in rows:
        sheet.append([xlsx_value(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
