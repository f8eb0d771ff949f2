"""Which reports an organization owes, and in what state they are (reads, a fixed number of queries)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator, PartnerReport
from indicators.periods import Period, parse_period, periods_between
from partners.models import Organization

NOT_STARTED = "not_started"
STATUS_LABELS = {NOT_STARTED: _("Not started"), **dict(PartnerReport.Status.choices)}
OPEN_STATUSES = {NOT_STARTED, PartnerReport.Status.DRAFT, PartnerReport.Status.RETURNED}


@dataclass
class DueReport:
    """One period an organization reports for: the report if it exists, else what it will hold."""

    organization: object
    period: Period
    due_date: object
    report: PartnerReport | None = None
    indicators: list = field(default_factory=list)
    today: object = None

    @property
    def status(self):
        return self.report.status if self.report else NOT_STARTED

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def is_late(self):
        return self.status in OPEN_STATUSES and self.due_date < self.today

    @property
    def is_open(self):
        """True while the period is still running: data may be entered early, nothing is due yet."""
        return self.period.end >= self.today

    @property
    def can_edit(self):
        return self.status in OPEN_STATUSES


def assignments(initiative, organizations):
    """Return {organization id: [indicators it is asked to report]}, in the initiative's order."""
    through = Indicator.reporting_organizations.through.objects.filter(
        indicator__initiative=initiative, organization__in=organizations
    ).select_related("indicator__outcome")
    by_organization = {}
    for link in sorted(through, key=lambda link: (link.indicator.order, link.indicator.code)):
        by_organization.setdefault(link.organization_id, []).append(link.indicator)
    return by_organization


def reports_due(initiative, organizations, today):
    """Return the DueReports of ``organizations``, newest period first.

    Every period of each assigned indicator's frequency from the initiative's start to the period
    running today, plus any report that exists outside that span (history before the start).
    """
    fiscal = initiative.fiscal_year_start_month
    assigned = assignments(initiative, organizations)
    existing = {
        (report.organization_id, report.period): report
        for report in initiative.reports.filter(organization__in=organizations)
    }
    due = []
    for organization in organizations:
        indicators = assigned.get(organization.pk, [])
        by_frequency = {}
        for indicator in indicators:
            by_frequency.setdefault(indicator.frequency, []).append(indicator)
        keys = set()
        for frequency in by_frequency:
            first = Period.containing(initiative.start_date, frequency, fiscal)
            current = Period.containing(today, frequency, fiscal)
            keys |= {period.key for period in periods_between(first, current)}
        keys |= {period for org_id, period in existing if org_id == organization.pk}
        for key in keys:
            period = parse_period(key, fiscal)
            report = existing.get((organization.pk, key))
            due.append(
                DueReport(
                    organization=organization,
                    period=period,
                    due_date=report.due_date if report else period.due_date(initiative.report_due_days),
                    report=report,
                    indicators=by_frequency.get(period.frequency, []),
                    today=today,
                )
            )
    return sorted(due, key=lambda d: (d.period.end, d.period.frequency), reverse=True)


@dataclass
class CompletenessRow:
    organization: object
    cells: list  # [DueReport or None (not expected)], one per column
    expected: int = 0
    received: int = 0  # submitted or approved
    approved: int = 0
    late: int = 0


def completeness(initiative, today, *, recent=6):
    """Return {frequency: (columns, rows)}: for the last ``recent`` periods of each frequency that
    have ended, each reporting organization's report state (expected, received, approved, late)."""
    organizations = list(
        Organization.objects.filter(assigned_indicators__initiative=initiative).distinct().order_by("name_en")
    )
    due = [item for item in reports_due(initiative, organizations, today) if item.indicators]
    grids = {}
    for frequency in sorted(
        {item.period.frequency for item in due}, key=lambda f: ("monthly", "quarterly", "annual").index(f)
    ):
        ended = sorted(
            {item.period for item in due if item.period.frequency == frequency and not item.is_open},
            key=lambda period: period.ordinal,
        )[-recent:]
        cells = {(item.organization.pk, item.period.key): item for item in due}
        rows = []
        for organization in organizations:
            row = CompletenessRow(
                organization=organization, cells=[cells.get((organization.pk, p.key)) for p in ended]
            )
            if not any(row.cells):
                continue
            for cell in filter(None, row.cells):
                row.expected += 1
                row.received += cell.status in (PartnerReport.Status.SUBMITTED, PartnerReport.Status.APPROVED)
                row.approved += cell.status == PartnerReport.Status.APPROVED
                row.late += cell.is_late
            rows.append(row)
        grids[frequency] = (ended, rows)
    return grids
