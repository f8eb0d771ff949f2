"""Which reports an organization owes, and in what state they are (reads, a fixed number of queries)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from indicators.models import EDITABLE_STATUSES, Indicator, PartnerReport, ReportStatus
from indicators.periods import Period, parse_period, periods_between
from partners.models import Organization

NOT_STARTED = "not_started"
STATUS_LABELS = {NOT_STARTED: _("Not started"), **dict(ReportStatus.choices)}
# A report's state in the completeness grid (decorative: the cell says it in words); late comes
# before every state but approved, and any other state shows "·".
SYMBOLS = {ReportStatus.APPROVED: "✓", ReportStatus.SUBMITTED: "…", ReportStatus.RETURNED: "↩"}
LATE_SYMBOL = "!"
ACTIONS = {NOT_STARTED: _("Enter data"), ReportStatus.RETURNED: _("Fix and resubmit")}  # else "Continue"
# Not started, or still open to the partner's changes: a report in these states past its due date is late.
OPEN_STATUSES = {NOT_STARTED, *EDITABLE_STATUSES}
# The completeness grid's legend: (the cell's classes, its symbol, what it means).
LEGEND = [
    ("heat-approved", SYMBOLS[ReportStatus.APPROVED], _("approved")),
    ("heat-submitted", SYMBOLS[ReportStatus.SUBMITTED], _("awaiting review")),
    ("heat-returned", SYMBOLS[ReportStatus.RETURNED], _("returned")),
    ("heat-not_started heat-late", LATE_SYMBOL, _("late")),
]


def is_late(status, due_date, today):
    """Late: not submitted yet (not started, a draft or returned) and past its due date."""
    return status in OPEN_STATUSES and due_date < today


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
    def symbol(self):
        if self.status != ReportStatus.APPROVED and self.is_late:
            return LATE_SYMBOL
        return SYMBOLS.get(self.status, "·")

    @property
    def is_late(self):
        return is_late(self.status, self.due_date, self.today)

    @property
    def is_open(self):
        """True while the period is still running: data may be entered early, nothing is due yet."""
        return self.period.end >= self.today

    @property
    def action_label(self):
        """What the button to the report's form says, while it can be edited."""
        return ACTIONS.get(self.status, _("Continue"))

    @property
    def can_edit(self):
        return self.status in OPEN_STATUSES


def assignments(initiative, organizations):
    """Return {organization id: [indicators it is asked to report]}, in the initiative's order.

    Each indicator is one object shared by the organizations that report it.
    """
    indicators = {
        indicator.pk: indicator
        for indicator in Indicator.objects.filter(initiative=initiative).select_related("outcome")
    }
    pairs = Indicator.reporting_organizations.through.objects.filter(
        indicator__initiative=initiative, organization__in=organizations
    ).values_list("organization_id", "indicator_id")
    by_organization = {}
    for organization_id, indicator_id in pairs:
        by_organization.setdefault(organization_id, []).append(indicators[indicator_id])
    for assigned in by_organization.values():
        assigned.sort(key=lambda indicator: (indicator.order, indicator.code))
    return by_organization


def since_start(initiative, frequency, today):
    """The periods of ``frequency`` from the initiative's start to the one running ``today``."""
    fiscal = initiative.fiscal_year_start_month
    return periods_between(
        Period.containing(initiative.start_date, frequency, fiscal),
        Period.containing(today, frequency, fiscal),
    )


def owed_periods(initiative, organizations, assigned, today, existing, keys=None):
    """Return {organization id: {period key: Period}}: the periods each organization reports for.

    Every period of each assigned indicator's frequency from the initiative's start to the period
    running today, plus the periods of its ``existing`` reports ((organization id, key) pairs),
    history before the start included; only those in ``keys``, when given.
    """
    fiscal = initiative.fiscal_year_start_month
    spans, own, owed = {}, {}, {}
    for organization_id, key in existing:
        own.setdefault(organization_id, set()).add(key)
    for organization in organizations:
        periods = {}
        for frequency in {indicator.frequency for indicator in assigned.get(organization.pk, [])}:
            if frequency not in spans:
                spans[frequency] = {
                    period.key: period for period in since_start(initiative, frequency, today)
                }
            periods.update(spans[frequency])
        for key in own.get(organization.pk, ()):
            periods[key] = parse_period(key, fiscal)
        if keys is not None:
            periods = {key: period for key, period in periods.items() if key in keys}
        owed[organization.pk] = periods
    return owed


def reports_due(initiative, organizations, today, *, keys=None, assigned=None):
    """Return the DueReports of ``organizations`` (see ``owed_periods``), newest period first.

    ``assigned`` is ``assignments()``, if already read; ``keys`` limits the periods.
    """
    if assigned is None:
        assigned = assignments(initiative, organizations)
    reports = initiative.reports.filter(organization__in=organizations)
    if keys is not None:
        reports = reports.filter(period__in=keys)
    existing = {(report.organization_id, report.period): report for report in reports}
    owed = owed_periods(initiative, organizations, assigned, today, existing, keys)
    due = []
    for organization in organizations:
        by_frequency = {}
        for indicator in assigned.get(organization.pk, []):
            by_frequency.setdefault(indicator.frequency, []).append(indicator)
        for key, period in owed[organization.pk].items():
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


def recent_periods(initiative, organizations, assigned, today, recent):
    """Return {frequency: the last ``recent`` ended periods some organization reports for}, without
    reading the reports themselves (a ten-year initiative has thousands)."""
    spans = set()
    for frequency in {indicator.frequency for indicators in assigned.values() for indicator in indicators}:
        spans |= {period.key for period in since_start(initiative, frequency, today)}
    # Only reports outside the initiative's span (history before its start) add periods.
    history = (
        initiative.reports.filter(organization__in=organizations)
        .exclude(period__in=spans)
        .values_list("organization_id", "period")
    )
    owed = owed_periods(initiative, organizations, assigned, today, history)
    ended = {}
    for organization in organizations:
        frequencies = {indicator.frequency for indicator in assigned.get(organization.pk, [])}
        for period in owed[organization.pk].values():
            if period.frequency in frequencies and period.end < today:
                ended.setdefault(period.frequency, set()).add(period)
    return {
        frequency: sorted(periods, key=lambda period: period.ordinal)[-recent:]
        for frequency, periods in ended.items()
    }


def completeness(initiative, today, *, recent=6):
    """Return {frequency: (columns, rows)}: for the last ``recent`` periods of each frequency that
    have ended, each reporting organization's report state (expected, received, approved, late).

    Reads only the reports of those periods, so it costs the same in year ten as in year one.
    """
    organizations = list(Organization.objects.reporting_to(initiative).order_by("name_en"))
    assigned = assignments(initiative, organizations)
    columns = recent_periods(initiative, organizations, assigned, today, recent)
    keys = {period.key for periods in columns.values() for period in periods}
    due = [
        item
        for item in reports_due(initiative, organizations, today, keys=keys, assigned=assigned)
        if item.indicators
    ]
    cells = {(item.organization.pk, item.period.key): item for item in due}
    grids = {}
    for frequency in sorted(columns, key=lambda f: ("monthly", "quarterly", "annual").index(f)):
        ended = columns[frequency]
        rows = []
        for organization in organizations:
            row = CompletenessRow(
                organization=organization, cells=[cells.get((organization.pk, p.key)) for p in ended]
            )
            if not any(row.cells):
                continue
            for cell in filter(None, row.cells):
                row.expected += 1
                row.received += cell.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
                row.approved += cell.status == ReportStatus.APPROVED
                row.late += cell.is_late
            rows.append(row)
        grids[frequency] = (ended, rows)
    return grids
