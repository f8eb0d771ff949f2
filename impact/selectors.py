"""Reads for the initiative pages, each a fixed number of queries whatever the initiative's size."""

from dataclasses import dataclass, field

from impact.access import ROLE_PRECEDENCE, Role
from impact.models import Initiative, TargetPopulation
from partners.models import Participation


@dataclass
class IndicatorSummary:
    """An indicator with its total baseline and its last total target, ready for a listing."""

    indicator: object
    baseline: object = None
    final_target: object = None
    contributing: list = field(default_factory=list)


@dataclass
class Overview:
    initiative: Initiative
    population: TargetPopulation | None
    organizations_by_role: dict
    dimensions: list
    outcomes: list
    unlinked: list


def summarize(indicator):
    baseline = next((b for b in indicator.baselines.all() if b.category_id is None), None)
    targets = [t for t in indicator.targets.all() if t.category_id is None]
    final_target = max(targets, key=lambda t: t.period) if targets else None
    return IndicatorSummary(indicator=indicator, baseline=baseline, final_target=final_target)


def indicator_tree(initiative):
    """Return (outcomes, others): outcome summaries with their contributing measures beneath them.

    ``others`` lists contributing measures whose outcome is missing, which constraints make rare
    but an admin edit could cause; they are shown rather than silently dropped.
    """
    indicators = list(
        initiative.indicators.prefetch_related("baselines", "targets").order_by("order", "code")
    )
    summaries = {indicator.pk: summarize(indicator) for indicator in indicators}
    outcomes = [summaries[i.pk] for i in indicators if i.is_outcome]
    others = []
    for indicator in indicators:
        if indicator.is_outcome:
            continue
        parent = summaries.get(indicator.outcome_id)
        (parent.contributing if parent else others).append(summaries[indicator.pk])
    return outcomes, others


def initiative_summary(initiative):
    population = TargetPopulation.objects.filter(initiative=initiative).first()
    organizations_by_role = {role: [] for role in Participation.Role}
    for participation in initiative.participations.select_related("organization").order_by(
        "organization__name_en", "organization__name_fr"
    ):
        organizations_by_role[participation.role].append(participation.organization)
    outcomes, unlinked = indicator_tree(initiative)
    return Overview(
        initiative=initiative,
        population=population,
        organizations_by_role=organizations_by_role,
        dimensions=list(initiative.dimensions.prefetch_related("categories")),
        outcomes=outcomes,
        unlinked=unlinked,
    )


def home_initiatives(user):
    """Return [(initiative, roles)]: the initiatives the user sees and their roles in each.

    Roles come strongest first (backbone, partner, funder); a site admin sees every initiative,
    with no role in those their organizations don't take part in.
    """
    roles = {}
    for participation in Participation.objects.filter(organization__members__user=user):
        roles.setdefault(participation.initiative_id, set()).add(participation.role)
    initiatives = Initiative.objects.all() if user.is_superuser else Initiative.objects.filter(pk__in=roles)
    return sorted(
        (
            (initiative, [Role(r) for r in ROLE_PRECEDENCE if r in roles.get(initiative.pk, ())])
            for initiative in initiatives
        ),
        key=lambda item: str(item[0].name).lower(),
    )
