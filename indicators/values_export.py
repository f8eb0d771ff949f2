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

from indicators import notifications, services
from indicators.exports import safe_text
from indicators.figures import plain
from indicators.imports import COLUMNS, Importer, ImportRefused, read_table
from indicators.models import DataValue, PartnerReport

HEADER = ("organization", *COLUMNS, "status")
NOT_AVAILABLE = "NA"
Status = PartnerReport.Status


def value_rows(initiative, *, numbers=plain):
    """Return the export's rows: organization, the import's columns, then the report's status.

    ``numbers`` writes a figure (text for CSV; the XLSX keeps real numbers). A value marked not
    available reads "NA" with its reason as the comment, as the import takes it.
    """
    values = (
        DataValue.objects.filter(report__initiative=initiative)
        .select_related("report__organization", "indicator", "category__dimension")
        .order_by(
            "report__organization__slug",
            "report__period",
            "indicator__code",
            F("category__dimension__code").asc(nulls_first=True),  # each total before its parts
            "category__code",
        )
    )
    rows = []
    for item in values:
        category = item.category
        rows.append(
            [
                safe_text(item.report.organization.slug),
                safe_text(item.indicator.code),
                item.report.period,
                safe_text(category.dimension.code) if category else "",
                safe_text(category.code) if category else "",
                NOT_AVAILABLE if item.not_available else figure(item.value, numbers),
                figure(item.numerator, numbers),
                figure(item.denominator, numbers),
                safe_text(item.not_available_reason if item.not_available else item.comment),
                item.report.status,
            ]
        )
    return rows


def figure(number, numbers):
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
        if status in Status.values:
            by_status.setdefault(status, []).append((line, record))
        else:
            errors.append((line, _("status: one of %(statuses)s.") % {"statuses": ", ".join(Status.values)}))
    groups = {}
    for status, rows in by_status.items():
        importer = Importer(
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
            result = importer.write(checked, submit=status != Status.DRAFT)
            restored += result.values
            for report in result.reports:
                if status == Status.APPROVED:
                    services.report_approve(
                        report=report, membership=membership, user=user, comment=RESTORED_APPROVED
                    )
                elif status == Status.RETURNED:
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
