"""Emails about reports: to the backbone when one is submitted, to the partner when it is reviewed.

Sent after the transaction commits, so nobody is told about a change that was rolled back.
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.functional import lazy

from impact.languages import language_of
from indicators.models import ReportStatus
from indicators.periods import label_for_key
from partners.models import OrganizationMember, Participation

logger = logging.getLogger(__name__)
EMAILS = "indicators/reporting/emails/{}.txt"  # subject, blank line, body
_muted = ContextVar("notifications_muted", default=False)


@contextmanager
def muted():
    """Send nothing inside this block (the demo data replays years of reports)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def after_commit(notify, report):
    """Call ``notify(report)`` once the transaction commits, unless muted when the change was made."""
    if not _muted.get():
        transaction.on_commit(lambda: notify(report))


def members_of(organizations):
    """Active users with an email address in any of ``organizations``."""
    return list(
        get_user_model()
        .objects.filter(memberships__organization__in=organizations, is_active=True)
        .exclude(email="")
        .select_related("profile")
        .distinct()
    )


def members_by_organization(organizations):
    """{organization id: [its active members with an email address]}, in one query."""
    by_organization = {}
    memberships = OrganizationMember.objects.filter(
        organization__in=organizations, user__is_active=True
    ).exclude(user__email="")
    for membership in memberships.select_related("user__profile"):
        by_organization.setdefault(membership.organization_id, []).append(membership.user)
    return by_organization


def backbone_members(initiative):
    backbones = initiative.participations.filter(role=Participation.Role.BACKBONE).values("organization")
    return members_of(backbones)


# A period's label is in the reader's language: read when each recipient's email is written.
lazy_label = lazy(label_for_key, str)


def report_url(report):
    path = reverse("report_page", args=[report.initiative.slug, report.organization.slug, report.period])
    return settings.SITE_URL.rstrip("/") + path


def send(template, recipients, context, *, raise_errors=False):
    """Render the email ``template`` (EMAILS: subject, blank line, body) and send one email per
    recipient, each in their own language (lazy values in ``context`` are read in it too).

    A mail server that fails is logged, not raised: the report's change is already committed
    and the person who made it must not see an error for it. Reminders ask to be told, so that
    a reminder that wasn't sent isn't recorded as sent.
    """
    if _muted.get():
        return
    messages = []
    try:
        for user in recipients:
            with translation.override(language_of(user)):
                text = render_to_string(EMAILS.format(template), context | {"user": user}).strip()
            # The subject runs to the first blank line: a name holding a line break stays in it,
            # on one line, so it can neither cut the subject short nor add a header.
            subject, _blank, body = text.partition("\n\n")
            subject = " ".join(subject.split())
            messages.append((subject, body.strip() + "\n", settings.DEFAULT_FROM_EMAIL, [user.email]))
        if messages:
            send_mass_mail(messages, fail_silently=False)
    except Exception:
        if raise_errors:
            raise
        logger.exception("Could not send the %s email to %s", template, [user.email for user in recipients])


def report_context(report):
    return {
        "report": report,
        "initiative": report.initiative,
        "organization": report.organization,
        "period": lazy_label(report.period, report.initiative.fiscal_year_start_month),
        "url": report_url(report),
    }


def report_submitted(report):
    send("report_submitted", backbone_members(report.initiative), report_context(report))


def report_reviewed(report):
    """Tell the reporting organization its report was approved, or returned (and why)."""
    template = "report_approved" if report.status == ReportStatus.APPROVED else "report_returned"
    context = report_context(report) | {
        "value_comments": report.values.exclude(review_comment="").select_related("indicator", "category")
    }
    send(template, members_of([report.organization]), context)


def reminder(initiative, organization, items, recipients):
    """Remind an organization's members of the reports it owes, late ones first."""
    url = settings.SITE_URL.rstrip("/") + reverse(
        "organization_reports", args=[initiative.slug, organization.slug]
    )
    ordered = sorted(items, key=lambda pair: (pair[1] != "late", pair[0].due_date))
    context = {"initiative": initiative, "organization": organization, "items": ordered, "url": url}
    send("reminder", recipients, context, raise_errors=True)
