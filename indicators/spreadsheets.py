"""Spreadsheets partners fill in: a template prefilled with their indicators, periods and categories."""

import csv
import io

from django.utils import timezone

from indicators.entry import build_rows
from indicators.exports import safe_text, xlsx_value
from indicators.imports import COLUMNS, IGNORED
from indicators.models import PartnerReport
from indicators.reporting import assignments, reports_due


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
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if semicolons else ",", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


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
