"""Every figure partners reported to an initiative, in the import's own format, and back again.

The values export is the outcome export's raw material: one row per reported value of every
report that has values, whatever its status, with the organization and the report's status. It
is what a coordinator keeps as a copy of the data, and it imports again: with the definition
export, it restores an initiative (docs/operations.md). ``restore_values`` reads the status
column and gives each report its status again through the report services, so the restore is
in the reports' history like any other review.
"""

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from core.numbers import plain
from core.spreadsheets import ImportRefused, csv_chunks, safe_text, xlsx_stream_bytes
from indicators.models import DataValue, ReportStatus
from indicators.reporting import notifications, services
from indicators.reporting.imports import COLUMNS, ValuesImporter, read_table

HEADER = ("organization", *COLUMNS, "status")
# Column widths of the Excel file: organization, indicator, period, dimension, category, value,
# numerator, denominator, comment, status.
WIDTHS = (24, 14, 10, 14, 14, 12, 12, 12, 40, 11)
NOT_AVAILABLE = "NA"
ROWS_PER_READ = 2000
# An Excel file is built whole before it is sent: about 9 s per 100,000 rows on two cores. Past
# this, the site offers the CSV (which Excel opens) and the command makes the Excel file.
XLSX_MAX_ROWS_ON_THE_SITE = 200_000


def value_rows(initiative, *, numbers=plain):
    """Yield the export's rows: organization, the import's columns, then the report's status.

    ``numbers`` writes a figure (text for CSV; the XLSX keeps real numbers). A value marked not
    available reads "NA" with its reason as the comment, as the import takes it. Values are read
    a few thousand at a time: an initiative's whole history never sits in memory at once.
    """
    values = (
        DataValue.objects.filter(report__initiative=initiative)
        .order_by(
            "report__organization__slug",
            "report__period",
            "indicator__code",
            F("category__dimension__code").asc(nulls_first=True),  # each total before its parts
            "category__code",
        )
        .values_list(
            "report__organization__slug",
            "indicator__code",
            "report__period",
            "category__dimension__code",
            "category__code",
            "not_available",
            "value",
            "numerator",
            "denominator",
            "not_available_reason",
            "comment",
            "report__status",
        )
    )
    for row in values.iterator(chunk_size=ROWS_PER_READ):
        organization, code, period, dimension, category, not_available, *figures, reason, comment, status = (
            row
        )
        value, numerator, denominator = (written(number, numbers) for number in figures)
        yield [
            safe_text(organization),
            safe_text(code),
            period,
            safe_text(dimension or ""),
            safe_text(category or ""),
            NOT_AVAILABLE if not_available else value,
            numerator,
            denominator,
            safe_text(reason if not_available else comment),
            status,
        ]


def values_xlsx(initiative):
    """The values export as an Excel file, written row by row (real numbers, guarded texts)."""
    return xlsx_stream_bytes(
        list(HEADER), value_rows(initiative, numbers=lambda number: number), widths=WIDTHS
    )


def values_csv(initiative):
    """The values export as CSV, in pieces as they are read (UTF-8 with a BOM)."""
    return csv_chunks(HEADER, value_rows(initiative))


def written(number, numbers):
    return "" if number is None else numbers(number)


def restore_values(*, initiative, membership, user, data, filename=""):
    """Import a values export and give each report the status it had, all or nothing.

    Drafts are imported as drafts; the other reports are imported and submitted, then approved
    or returned by ``user`` (a coordinator) with a comment saying they come from a restore.
    Return the number of values restored; raise ImportRefused, writing nothing, if the file is bad.
    """
    table, decimal_comma = read_table(data, filename)
    by_status, errors = {}, []
    for line, record in table:
        status = str(record.pop("status", "")).strip().lower()
        if status in ReportStatus.values:
            by_status.setdefault(status, []).append((line, record))
        else:
            errors.append(
                (line, _("status: one of %(statuses)s.") % {"statuses": ", ".join(ReportStatus.values)})
            )
    groups = {}
    for status, rows in by_status.items():
        importer = ValuesImporter(
            initiative=initiative, membership=membership, user=user, decimal_comma=decimal_comma
        )
        groups[status] = (importer, importer.check(rows))
        errors += importer.errors
    if errors:
        raise ImportRefused(sorted(errors, key=lambda error: error[0] or 0))
    restored = 0
    # A restore replays reviews that happened long ago: nobody is emailed about them again.
    with notifications.muted(), transaction.atomic():
        for status, (importer, checked) in groups.items():
            result = importer.write(checked, submit=status != ReportStatus.DRAFT)
            restored += result.values
            for report in result.reports:
                if status == ReportStatus.APPROVED:
                    services.report_approve(
                        report=report, membership=membership, user=user, comment=RESTORED_APPROVED
                    )
                elif status == ReportStatus.RETURNED:
                    services.report_return(
                        report=report, membership=membership, user=user, comment=RESTORED_RETURNED
                    )
    return restored


# Stored in the reports' history as written, so in both languages.
RESTORED_APPROVED = (
    "Approved when exported; restored from a values export. "
    "/ Approuvé lors de l’export ; restauré depuis un export des valeurs."
)
RESTORED_RETURNED = (
    "Returned to the partner when exported; restored from a values export. "
    "/ Renvoyé au partenaire lors de l’export ; restauré depuis un export des valeurs."
)
