"""Spreadsheets partners fill in: a template prefilled with their indicators, periods and categories."""

from django.utils import timezone

from core.spreadsheets import safe_text
from indicators.models import PartnerReport
from indicators.reporting.imports import COLUMNS, IGNORED
from indicators.reporting.rows import build_rows
from indicators.reporting.selectors import assignments, reports_due


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
