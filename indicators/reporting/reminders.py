"""Reminders to partners whose reports are due soon or late: one email per organization and run,
and never twice about the same report for the same reason."""

import datetime
import logging

from django.db import transaction

from indicators.models import Reminder
from indicators.reporting import notifications
from indicators.reporting.selectors import reports_due
from partners.models import Organization

Kind = Reminder.Kind
logger = logging.getLogger(__name__)


def reminders_due(initiative, today, days):
    """Return {organization: [(DueReport, kind)]} not yet reminded, for one initiative."""
    organizations = list(Organization.objects.reporting_to(initiative).order_by("slug"))
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
    """Email each organization about its reports due within ``days`` days or late; return the count.

    An organization's reminders are recorded only once its email went out; a mail server that
    fails for one organization is logged and the others are still reminded.
    """
    wanted = reminders_due(initiative, today, days)
    members = notifications.members_by_organization(list(wanted))
    count = 0
    for organization, items in wanted.items():
        recipients = members.get(organization.pk, [])
        if not recipients:
            continue  # nobody to tell yet: remind them once someone joins
        try:
            with transaction.atomic():
                Reminder.objects.bulk_create(
                    [
                        Reminder(
                            initiative=initiative,
                            organization=organization,
                            period=item.period.key,
                            kind=kind,
                        )
                        for item, kind in items
                    ],
                    ignore_conflicts=True,
                )
                notifications.reminder(initiative, organization, items, recipients)
        except Exception:
            logger.exception("Could not remind %s; it will be tried again next run", organization)
            continue
        count += 1
    return count
