"""French and English: the reader's language by default, a switch that is remembered, numbers
written and read the reader's way, and emails in the language their reader uses."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from core.forms import DecimalField
from core.numbers import format_number
from impact.access import get_membership
from impact.models import Profile
from indicators.formatting import format_figure
from indicators.periods import label_for_key
from indicators.reporting import services
from tests.factories import MemberFactory, UserFactory
from tests.indicators.reporting.views.test_reports import figures, report_of, reporting, url  # noqa: F401

pytestmark = pytest.mark.django_db


def french(text):
    with translation.override("fr"):
        translated = translation.gettext(text)
    assert translated != text, f"{text!r} has no French translation"
    return translated


def test_the_browsers_language_is_the_default(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9,en;q=0.5")
    html = page.content.decode()
    assert '<html lang="fr"' in html
    assert french("Password") in html and french("Log in") in html
    assert '<html lang="en"' in client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-CA").content.decode()


def test_the_switch_is_remembered_across_pages_and_for_the_account(world, client_for):
    client = client_for(world.coordinator)
    answer = client.post(reverse("set_language"), {"language": "fr", "next": reverse("home")})
    assert answer.status_code == 302 and answer.url == reverse("home")
    home = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="fr"' in home and french("My initiatives") in home
    assert Profile.objects.get(user=world.coordinator).language == "fr"
    client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert Profile.objects.get(user=world.coordinator).language == "en"


def test_an_unknown_language_changes_nothing(world, client_for):
    client = client_for(world.coordinator)
    client.post(reverse("set_language"), {"language": "xx", "next": reverse("home")})
    assert Profile.objects.get(user=world.coordinator).language == "en"  # as when logging in
    assert '<html lang="en"' in client.get(reverse("home")).content.decode()


def test_logging_in_records_the_language_it_was_done_in(world, client):
    world.partner.set_password("a long enough password")
    world.partner.save()
    client.cookies["django_language"] = "fr"
    answer = client.post(reverse("login"), {"username": "partner", "password": "a long enough password"})
    assert answer.status_code == 302
    assert Profile.objects.get(user=world.partner).language == "fr"


def test_figures_are_written_the_readers_way():
    percentage = SimpleNamespace(measure_type="percentage", decimals=1, unit="", multiplier=None)
    with translation.override("fr"):
        assert format_figure(Decimal("12.5"), percentage) == "12,5\u00a0%"
        assert format_number(Decimal("1234")) == "1\u00a0234"
        assert format_number(Decimal("69.795"), 2) == "69,80"
    with translation.override("en"):
        assert format_figure(Decimal("12.5"), percentage) == "12.5%"
        assert format_number(Decimal("1234")) == "1,234"


@pytest.mark.parametrize(
    ("language", "typed", "read"),
    [
        ("fr", "12,5", "12.5"),
        ("fr", "1 234,5", "1234.5"),
        ("fr", "1\u00a0234", "1234"),
        ("fr", "1.234", "1.234"),  # French never groups with a point: this is a decimal
        ("en", "1,234.5", "1234.5"),
        ("en", "12.5", "12.5"),
        ("en", " 1 234 ", "1234"),
    ],
)
def test_numbers_are_read_as_typed_in_the_readers_language(language, typed, read):
    with translation.override(language):
        assert DecimalField(required=False).clean(typed) == Decimal(read)


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("en", "1,5"),
        ("en", "0,125"),  # a French decimal typed on an English page is not 125
        ("en", "12 5"),  # nor are stray spaces read as grouping
        ("en", "1\t2"),
        ("fr", "12 5"),
        ("fr", "1.234,5"),
        ("fr", "douze"),
    ],
)
def test_an_ambiguous_number_is_refused_with_a_message_in_the_readers_language(language, typed):
    with translation.override(language):
        with pytest.raises(ValidationError) as refused:
            DecimalField(required=False).clean(typed)
        message = " ".join(refused.value.messages)
        assert message == str(translation.gettext("Enter a number."))


def test_emails_are_written_in_each_readers_language(
    reporting,  # noqa: F811
    client_for,
    django_capture_on_commit_callbacks,
):
    partner = client_for(reporting.partner)  # logging in records the language: set them after
    Profile.objects.update_or_create(user=reporting.partner, defaults={"language": "fr"})
    Profile.objects.update_or_create(user=reporting.coordinator, defaults={"language": "en"})
    with django_capture_on_commit_callbacks(execute=True):
        partner.post(url("report_submit"), figures(reporting))
    (submitted,) = mail.outbox
    assert submitted.to == [reporting.coordinator.email]
    assert "submitted" in submitted.subject.lower() and "2025" in submitted.subject

    mail.outbox.clear()
    report = report_of(reporting)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_return(
            report=report,
            membership=get_membership(reporting.coordinator, "ready"),
            user=reporting.coordinator,
            comment="Vérifiez P1.",
        )
    (returned,) = mail.outbox
    assert returned.to == [reporting.partner.email]
    with translation.override("fr"):
        period = label_for_key(report.period, reporting.initiative.fiscal_year_start_month)
    assert period in returned.subject
    assert french("Fix it and submit it again here:") in returned.body
    assert "Vérifiez P1." in returned.body
    assert "Hello" not in returned.body and "report" not in returned.subject.lower()


def test_each_recipient_of_one_event_gets_their_own_language(
    reporting,  # noqa: F811
    client_for,
    django_capture_on_commit_callbacks,
):
    francophone = UserFactory(username="coordonnatrice", email="coordonnatrice@example.org")
    MemberFactory(user=francophone, organization=reporting.backbone)
    partner = client_for(reporting.partner)
    Profile.objects.update_or_create(user=reporting.coordinator, defaults={"language": "en"})
    Profile.objects.update_or_create(user=francophone, defaults={"language": "fr"})
    with django_capture_on_commit_callbacks(execute=True):
        partner.post(url("report_submit"), figures(reporting))
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert set(subjects) == {reporting.coordinator.email, francophone.email}
    assert "submitted" in subjects[reporting.coordinator.email]
    with translation.override("fr"):
        period = label_for_key("2025-Q1", reporting.initiative.fiscal_year_start_month)
    assert period in subjects[francophone.email] and "submitted" not in subjects[francophone.email]


def test_a_later_login_keeps_the_language_the_person_chose(world, client):
    Profile.objects.create(user=world.partner, language="fr")
    world.partner.set_password("a long enough password")
    world.partner.save()
    client.cookies["django_language"] = "en"  # the last person on this computer read English
    client.post(reverse("login"), {"username": "partner", "password": "a long enough password"})
    assert Profile.objects.get(user=world.partner).language == "fr"
