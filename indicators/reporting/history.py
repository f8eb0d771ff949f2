"""A report's history: every status change and every change of a value, who made it and why."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from indicators.figures import entered
from indicators.formatting import describe_figures
from indicators.models import DataValue


@dataclass
class HistoryEntry:
    at: object
    user: object
    kind: str  # "status" or "value"
    what: str
    before: str = ""
    after: str = ""
    reason: str = ""


def history_entries(report):
    """Return the report's history, newest first, in three queries whatever its length."""
    entries = [
        HistoryEntry(
            at=event.at,
            user=event.user,
            kind="status",
            what=event.get_action_display(),
            before=event.get_from_status_display(),
            after=event.get_to_status_display(),
            reason=event.comment,
        )
        for event in report.events.select_related("user")
    ]
    records = DataValue.history.filter(report_id=report.pk).select_related(
        "history_user", "indicator", "category"
    )
    last_seen = {}
    for record in records.order_by("history_date", "history_id"):
        before = last_seen.get(record.id)
        if record.history_type == "~" and before is not None and _same(before, record):
            last_seen[record.id] = record
            continue  # a change of the reviewer's comment only
        what = f"{record.indicator.code} – {record.category.name if record.category else _('Total')}"
        entries.append(
            HistoryEntry(
                at=record.history_date,
                user=record.history_user,
                kind="value",
                what=what,
                before=describe_figures(record.indicator, before)
                if before and record.history_type != "+"
                else "",
                after="" if record.history_type == "-" else describe_figures(record.indicator, record),
                reason=record.history_change_reason or "",
            )
        )
        last_seen[record.id] = record
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


def _same(a, b):
    return entered(a) == entered(b)
