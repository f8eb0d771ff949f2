"""What the dashboard and the indicator page show, read in a fixed number of queries."""

from dataclasses import dataclass, field

from indicators.models import Indicator, ReportStatus
from indicators.outcomes.engine import initiative_outcomes
from indicators.outcomes.progress import OutcomeStatus
from indicators.reporting.selectors import LEGEND, completeness
from partners.models import Organization
from reports import charts


@dataclass
class OutcomeGroup:
    outcome: object  # the population-level outcome's Outcome
    measures: list = field(default_factory=list)  # its contributing measures' Outcomes


@dataclass
class Dashboard:
    groups: list
    charts: dict
    completeness: dict
    contribution: dict | None
    contribution_list: list  # [(measure, "the organizations reporting it")], the diagram in words
    awaiting_review: int
    status_counts: dict
    preview: bool

    heat_legend = LEGEND  # what the completeness grid's symbols mean

    @property
    def status_summary(self):
        """[(status, count, "achieved")]: how many outcomes are in each status, in words."""
        return [
            (status, count, OutcomeStatus.COUNTED[status]) for status, count in self.status_counts.items()
        ]


def build_dashboard(initiative, *, today, preview=False, for_coordinator=False):
    # The dashboard charts totals only: no category series.
    outcomes = initiative_outcomes(initiative, include_pending=preview, today=today, categories_of=())
    ordered = sorted(outcomes.values(), key=lambda o: (o.indicator.order, o.indicator.code))
    groups = {o.indicator.pk: OutcomeGroup(outcome=o) for o in ordered if o.indicator.is_outcome}
    for outcome in ordered:
        if not outcome.indicator.is_outcome and outcome.indicator.outcome_id in groups:
            groups[outcome.indicator.outcome_id].measures.append(outcome)
    chart_specs = {f"outcome-{pk}": charts.outcome_figure(group.outcome) for pk, group in groups.items()}
    links = contribution_links(initiative)
    organizations = sorted({organization for organization, _measure in links}, key=lambda o: str(o.name))
    contribution = None
    if links:
        contribution = charts.contribution_figure(
            organizations, links, [group.outcome.indicator for group in groups.values()]
        )
    counts = {}
    for group in groups.values():
        latest = group.outcome.latest
        status = latest.status if latest else OutcomeStatus.NO_DATA
        counts[status] = counts.get(status, 0) + 1
    return Dashboard(
        groups=list(groups.values()),
        charts=chart_specs | ({"contribution": contribution} if contribution else {}),
        completeness=completeness(initiative, today, recent=6),
        contribution=contribution,
        contribution_list=contribution_list(links),
        awaiting_review=initiative.reports.filter(status=ReportStatus.SUBMITTED).count()
        if for_coordinator
        else 0,
        status_counts=counts,
        preview=preview,
    )


def contribution_links(initiative):
    """[(organization, contributing measure)]: who reports each measure that serves an outcome.

    Three small queries; each organization and measure is one object, however many links.
    """
    measures = {
        measure.pk: measure
        for measure in Indicator.objects.filter(
            initiative=initiative, level=Indicator.Level.CONTRIBUTING
        ).select_related("outcome")
    }
    pairs = list(
        Indicator.reporting_organizations.through.objects.filter(indicator_id__in=measures).values_list(
            "organization_id", "indicator_id"
        )
    )
    organizations = Organization.objects.in_bulk({organization_id for organization_id, _ in pairs})
    names = {pk: str(organization.name) for pk, organization in organizations.items()}
    pairs.sort(key=lambda pair: (names[pair[0]], measures[pair[1]].order, measures[pair[1]].code))
    return [(organizations[organization_id], measures[measure_id]) for organization_id, measure_id in pairs]


def contribution_list(links):
    """[(measure, "A, B, C")]: each contributing measure with the organizations that report it."""
    by_measure, names = {}, {}
    for organization, measure in links:
        if organization.pk not in names:
            names[organization.pk] = str(organization.name)
        by_measure.setdefault(measure, []).append(names[organization.pk])
    ordered = sorted(by_measure.items(), key=lambda item: (item[0].order, item[0].code))
    return [(measure, ", ".join(names)) for measure, names in ordered]
