"""Reminders to partners whose reports are due soon or late: one email per organization and run,
and never twice about the same report for the same reason."""

import datetime

from django.db import transaction

from indicators import notifications
from indicators.models import Reminder
from indicators.reporting import reports_due
from partners.models import Organization

Kind = Reminder.Kind


def reminders_due(initiative, today, days):
    """Return {organization: [(DueReport, kind)]} not yet reminded, for one initiative."""
    organizations = list(
        Organization.objects.filter(assigned_indicators__initiative=initiative).distinct().order_by("slug")
    )
    sent = set(
        Reminder.objects.filter(initiative=initiative).values_list("organization_id", "period", "kind")
    )
    horizon = today + datetime.timedelta(days=days)
    wanted = {}
    for item in reports_due(initiative, organizations, today):
        if not item.can_edit or not item.indicators:
            continue
        if item.is_late:
            kind = Kind.LATE
        elif today <= item.due_date <= horizon:
            kind = Kind.DUE_SOON
        else:
            continue
        if (item.organization.pk, item.period.key, kind) not in sent:
            wanted.setdefault(item.organization, []).append((item, kind))
    return wanted


def send_reminders(initiative, today, days):
    """Email each organization about its reports due within ``days`` days or late; return the count."""
    count = 0
    for organization, items in reminders_due(initiative, today, days).items():
        recipients = notifications.members_of([organization])
        if not recipients:
            continue  # nobody to tell yet: remind them once someone joins
        with transaction.atomic():
            Reminder.objects.bulk_create(
                [
                    Reminder(
                        initiative=initiative, organization=organization, period=item.period.key, kind=kind
                    )
                    for item, kind in items
                ],
                ignore_conflicts=True,
            )
            transaction.on_commit(
                lambda organization=organization, items=items, recipients=recipients: notifications.reminder(
                    initiative, organization, items, recipients
                )
            )
        count += 1
    return count
