"""What the indicator page shows the backbone beyond the figures: who contributed what, and the
latest changes to baselines and targets."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.models import Baseline, DataValue, ReportStatus, Target
from indicators.periods import label_for_key

HISTORY_SHOWN = 20
# What a historical record of a baseline or target did, by its history type.
CHANGES = {"+": gettext_lazy("added"), "-": gettext_lazy("removed"), "~": gettext_lazy("changed")}


@dataclass
class PartnerRow:
    organization: object
    cells: list  # [DataValue or None], one per period


def partner_figures(indicator, periods):
    """Who contributed what: each organization's total for the given periods (approved, or awaiting
    review and marked so), in one query. For the backbone's eyes only."""
    keys = [period.key for period in periods]
    values = (
        DataValue.objects.filter(
            indicator=indicator,
            category=None,
            report__period__in=keys,
            report__status__in=[ReportStatus.APPROVED, ReportStatus.SUBMITTED],
        )
        .select_related("report__organization")
        .order_by("report__organization__name_en")
    )
    rows = {}
    for value in values:
        organization = value.report.organization
        row = rows.setdefault(
            organization.pk, PartnerRow(organization=organization, cells=[None] * len(keys))
        )
        row.cells[keys.index(value.report.period)] = value
    return sorted(rows.values(), key=lambda row: str(row.organization.name))


def milestone_changes(indicator):
    """Return the latest changes to the indicator's baselines and targets, newest first."""
    records = []
    for model, kind in ((Baseline, _("Baseline")), (Target, _("Target"))):
        history = model.history.filter(indicator_id=indicator.pk).select_related("history_user", "category")
        # One extra window of older records, so most shown changes can name the value they replaced.
        fetched = list(history.order_by("-history_date", "-history_id")[: 2 * HISTORY_SHOWN])
        newer_first = {}
        for record in fetched:
            newer_first.setdefault(record.id, []).append(record)
        for versions in newer_first.values():
            for newer, older in zip(versions, versions[1:] + [None], strict=True):
                newer.previous_value = older.value if older else None
        for record in fetched:
            record.kind = kind
            record.change_label = CHANGES[record.history_type]
            record.period_label = label_for_key(record.period, indicator.initiative.fiscal_year_start_month)
        records.extend(fetched)
    return sorted(records, key=lambda record: record.history_date, reverse=True)[:HISTORY_SHOWN]
