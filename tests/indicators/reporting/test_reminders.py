import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from impact.access import get_membership
from indicators.models import Reminder
from indicators.reporting import services
from indicators.reporting.reminders import send_reminders
from tests.factories import IndicatorFactory

TODAY = datetime.date(2025, 7, 25)  # 2025-Q1 (April–June) is due on July 30


@pytest.fixture
def owing(world, django_capture_on_commit_callbacks):
    world.initiative.start_date = datetime.date(2025, 1, 1)  # 2024-Q4 is the first quarter
    world.initiative.save()
    indicator = IndicatorFactory(initiative=world.initiative, code="C1")
    indicator.reporting_organizations.add(world.partner_org)
    world.indicator = indicator
    return world


def remind(world, captured, days=7, today=TODAY):
    with captured(execute=True):
        return send_reminders(world.initiative, today, days)


def test_partners_are_reminded_of_reports_due_soon_and_late_in_one_email(
    owing, django_capture_on_commit_callbacks
):
    assert remind(owing, django_capture_on_commit_callbacks) == 1
    [email] = mail.outbox
    assert email.to == [owing.partner.email]
    assert "2024–25 Q4: late, it was due April 30, 2025" in email.body
    assert "2025–26 Q1: due July 30, 2025" in email.body


def test_a_second_run_the_same_day_sends_nothing(owing, django_capture_on_commit_callbacks):
    remind(owing, django_capture_on_commit_callbacks)
    assert remind(owing, django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 1


def test_a_report_due_soon_is_reminded_again_once_it_is_late(owing, django_capture_on_commit_callbacks):
    remind(owing, django_capture_on_commit_callbacks)
    remind(owing, django_capture_on_commit_callbacks, today=datetime.date(2025, 8, 2))
    assert len(mail.outbox) == 2
    assert "2025–26 Q1: late" in mail.outbox[1].body
    assert "2024–25 Q4" not in mail.outbox[1].body  # already reminded as late


def test_submitted_reports_and_far_away_due_dates_are_not_reminded(owing, django_capture_on_commit_callbacks):
    membership = get_membership(owing.partner, "ready")
    for period in ("2024-Q4", "2025-Q1"):
        report = services.report_get_or_create(
            initiative=owing.initiative, organization=owing.partner_org, period_key=period
        )
        report = services.report_values_save(
            report=report,
            membership=membership,
            user=owing.partner,
            values=[{"indicator": owing.indicator, "value": Decimal(3)}],
            version=report.version,
        )
        services.report_submit(report=report, membership=membership, user=owing.partner)
    mail.outbox.clear()
    assert remind(owing, django_capture_on_commit_callbacks, days=3) == 0
    assert mail.outbox == []


def test_the_command_reports_how_many_organizations_it_reminded(owing):
    out = StringIO()
    call_command("send_reminders", "--days", "7", stdout=out)
    assert "organization(s) reminded" in out.getvalue()


def test_a_reminder_the_mail_server_refused_is_not_recorded_and_goes_out_next_time(owing, settings):
    settings.EMAIL_BACKEND = "tests.helpers.BrokenEmailBackend"
    assert send_reminders(owing.initiative, TODAY, 7) == 0
    assert not Reminder.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_reminders(owing.initiative, TODAY, 7) == 1
    assert len(mail.outbox) == 1
