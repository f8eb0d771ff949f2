"""The outcome report of an initiative: what funders, partners and the backbone read, approved data only."""

from dataclasses import dataclass, field

from django.db.models import Max

from indicators.models import Indicator, Narrative, NarrativeStatus, ReportStatus
from indicators.outcomes.disclosure import suppress
from indicators.outcomes.engine import RECENT_ROWS, initiative_outcomes, trim, within
from indicators.periods import Frequency, Period, parse_period
from indicators.reporting.selectors import NOT_STARTED, assignments, is_late, owed_periods
from partners.models import Organization, Participation
from reports import charts


@dataclass
class Section:
    """One population-level outcome: its figures, its story, its categories, its contributing measures."""

    outcome: object
    narrative: Narrative | None
    # [{"dimension", "chart", "series": [(category, Series)], "rows", "earlier", "equity": sentence}]
    disaggregation: list
    measures: list  # the contributing measures' Outcomes


@dataclass
class QualityRow:
    organization: Organization
    expected: int = 0
    received: int = 0
    approved: int = 0
    late: int = 0


@dataclass
class OutcomeReport:
    initiative: object
    first: Period | None
    last: Period | None
    sections: list
    other_measures: list  # contributing measures that serve no population outcome
    participants: dict  # {role: [organizations]}
    quality: list
    last_received: object  # when the newest approved figures were submitted, or None
    charts: dict
    hidden_cells: int
    choices: list = field(default_factory=list)  # every period the range selector offers

    @property
    def expected(self):
        return sum(row.expected for row in self.quality)

    @property
    def approved(self):
        return sum(row.approved for row in self.quality)


def finest_frequency(initiative):
    """The shortest reporting frequency among the initiative's indicators (annual without any)."""
    frequencies = set(initiative.indicators.values_list("frequency", flat=True))
    return next((f for f in Frequency.values if f in frequencies), Frequency.ANNUAL)


def last_complete_period(initiative, today):
    """The report's default end: the last period that has ended, at the finest frequency reported,
    so that a year still running is left out but last quarter's figures are in."""
    frequency = finest_frequency(initiative)
    return Period.containing(today, frequency, initiative.fiscal_year_start_month).previous()


def range_choices(outcomes):
    """Every period of every series, in order of their end: what the range selector offers."""
    periods = {point.period for outcome in outcomes.values() for point in outcome.total.points}
    return sorted(periods, key=lambda period: (period.end, period.start))


def published_narratives(initiative, first, last):
    """{indicator id: the newest published story whose period lies in the range}, in one query."""
    fiscal = initiative.fiscal_year_start_month
    newest = {}
    narratives = Narrative.objects.filter(
        indicator__initiative=initiative, status=NarrativeStatus.PUBLISHED
    ).select_related("author")
    for narrative in narratives:
        period = parse_period(narrative.period, fiscal)
        if not within(period, first, last):
            continue
        known = newest.get(narrative.indicator_id)
        if known is None or period.end > known.period_object.end:
            narrative.period_object = period
            newest[narrative.indicator_id] = narrative
    return newest


def reporting_quality(initiative, today, first, last):
    """Per reporting organization: the reports of ended periods in the range, and how many came in.

    Counts from the reports' states alone (no report objects): a ten-year initiative has
    thousands of reports.
    """
    organizations = list(Organization.objects.reporting_to(initiative).order_by("name_en"))
    assigned = assignments(initiative, organizations)
    states = {
        (organization_id, key): (status, due_date)
        for organization_id, key, status, due_date in initiative.reports.filter(
            organization__in=organizations
        ).values_list("organization_id", "period", "status", "due_date")
    }
    owed = owed_periods(initiative, organizations, assigned, today, states)
    rows = []
    for organization in organizations:
        frequencies = {indicator.frequency for indicator in assigned.get(organization.pk, [])}
        row = QualityRow(organization=organization)
        for key, period in owed[organization.pk].items():
            if period.frequency not in frequencies or period.end >= today or not within(period, first, last):
                continue
            status, due_date = states.get((organization.pk, key), (NOT_STARTED, None))
            row.expected += 1
            row.received += status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
            row.approved += status == ReportStatus.APPROVED
            late_after = due_date or period.due_date(initiative.report_due_days)
            row.late += is_late(status, late_after, today)
        if row.expected:
            rows.append(row)
    return sorted(rows, key=lambda row: str(row.organization.name))


def category_rows(outcome, series):
    """Return ([(total point, [each category's figure])], how many earlier rows are left out): the
    latest RECENT_ROWS periods with a total figure."""
    by_period = [{point.period.key: point.value for point in one.points} for one in series]
    rows = [
        (point, [values.get(point.period.key) for values in by_period])
        for point in outcome.total.points
        if point.value is not None
    ]
    return rows[-RECENT_ROWS:], max(0, len(rows) - RECENT_ROWS)


def build_outcome_report(initiative, *, today, first=None, last=None, backbone=False):
    """Return the OutcomeReport for [first, last]: approved data only, whoever reads it.

    Outside the backbone (``backbone=False``) small disaggregated counts are hidden, in the
    figures, the charts and the equity gaps alike (indicators/outcomes/disclosure.py).
    """
    # Categories are shown for the population-level outcomes; the measures give their totals.
    outcome_ids = set(
        initiative.indicators.filter(level=Indicator.Level.OUTCOME).values_list("pk", flat=True)
    )
    outcomes = initiative_outcomes(initiative, today=today, categories_of=outcome_ids)
    choices = range_choices(outcomes)  # from the whole series, before the range trims them
    if first is not None or last is not None:
        for outcome in outcomes.values():
            trim(outcome, first, last)
    threshold = initiative.small_cell_threshold
    hidden = 0
    if not backbone:
        for outcome in outcomes.values():
            hidden += suppress(outcome, threshold)
    narratives = published_narratives(initiative, first, last)
    ordered = sorted(outcomes.values(), key=lambda o: (o.indicator.order, o.indicator.code))
    sections = {
        o.indicator.pk: Section(
            outcome=o,
            narrative=narratives.get(o.indicator.pk),
            disaggregation=[],
            measures=[],
        )
        for o in ordered
        if o.indicator.is_outcome
    }
    others = []
    for outcome in ordered:
        indicator = outcome.indicator
        if indicator.is_outcome:
            continue
        section = sections.get(indicator.outcome_id)
        (section.measures if section else others).append(outcome)
    chart_specs = {}
    for pk, section in sections.items():
        outcome = section.outcome
        chart_specs[f"outcome-{pk}"] = charts.outcome_figure(outcome, height=380)
        for dimension in outcome.indicator.dimensions.all():
            name = f"outcome-{pk}-dimension-{dimension.pk}"
            chart_specs[name] = charts.category_figure(outcome, dimension, height=280)
            series = [(c, s) for c, s in outcome.categories.items() if c.dimension_id == dimension.pk]
            rows, earlier = category_rows(outcome, [s for _category, s in series])
            section.disaggregation.append(
                {
                    "dimension": dimension,
                    "chart": name,
                    "series": series,
                    "rows": rows,
                    "earlier": earlier,
                    "equity": charts.equity_sentence(outcome.indicator, outcome.equity.get(dimension, [])),
                }
            )
    participants = {}
    for participation in (
        Participation.objects.filter(initiative=initiative)
        .select_related("organization")
        .order_by("organization__name_en")
    ):
        participants.setdefault(participation.role, []).append(participation.organization)
    shown = {point.period.key for outcome in outcomes.values() for point in outcome.total.points}
    last_received = (
        initiative.reports.approved().filter(period__in=shown).aggregate(newest=Max("submitted_at"))["newest"]
    )
    return OutcomeReport(
        initiative=initiative,
        first=first,
        last=last,
        sections=list(sections.values()),
        other_measures=others,
        participants={role: participants.get(role, []) for role in Participation.Role.values},
        quality=reporting_quality(initiative, today, first, last),
        last_received=last_received,
        charts=chart_specs,
        hidden_cells=hidden,
        choices=choices,
    )
