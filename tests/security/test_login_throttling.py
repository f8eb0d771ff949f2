"""Guessing passwords stops after a few tries: the name is locked for a while from that address.

django-axes counts failed logins per (name, address) pair (decision 52): the fifth failure
locks the pair for 15 minutes with a page that says so; the right password does not get in
during the pause; other addresses and other names are not affected; success clears the count.
"""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import override_settings
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "a-long-enough-password"
SECURITY = "concerto.security"


@pytest.fixture
def member(db):
    user = UserFactory(username="partner")
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(client, password, *, username="partner", address="203.0.113.7", **headers):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def fail(client, times, **kwargs):
    return [log_in(client, "wrong-guess", **kwargs).status_code for _ in range(times)]


def test_the_fifth_failure_pauses_logging_in_with_a_page_that_says_for_how_long(member, client):
    assert fail(client, 4) == [200, 200, 200, 200]  # the form again, with its error
    locked = log_in(client, "wrong-guess")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Logging in is paused" in page
    assert "paused for 15 minutes" in page
    assert reverse("password_reset") in page


def test_the_right_password_does_not_get_in_during_the_pause(member, client):
    fail(client, 5)
    assert log_in(client, PASSWORD).status_code == 429
    assert client.get(reverse("home")).status_code == 302  # still anonymous: sent to log in
    assert "_auth_user_id" not in client.session


def test_the_pause_ends_after_its_cool_off(member, client):
    fail(client, 5)
    [attempt] = AccessAttempt.objects.all()
    attempt.attempt_time -= timedelta(minutes=16)
    attempt.save()
    assert log_in(client, PASSWORD).status_code == 302


def test_another_address_and_another_name_are_not_paused(member, client):
    UserFactory(username="coordinator").set_password(PASSWORD)
    fail(client, 5)
    assert log_in(client, PASSWORD, address="198.51.100.9").status_code == 302
    client.logout()
    assert fail(client, 1, username="coordinator") == [200]


def test_a_successful_login_clears_the_failures_before_it(member, client):
    fail(client, 4)
    assert log_in(client, PASSWORD).status_code == 302
    client.logout()
    assert fail(client, 4) == [200, 200, 200, 200]


def test_the_pause_is_explained_in_french(member, client):
    fail(client, 4)
    page = log_in(client, "wrong-guess", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "La connexion est suspendue" in page
    assert "15 minutes" in page


def test_a_lockout_is_in_the_security_log(member, client, caplog):
    caplog.set_level(logging.INFO, logger=SECURITY)
    fail(client, 5)
    [lockout] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("login_locked_out")]
    assert lockout == "login_locked_out user='anonymous' address='203.0.113.7' username='partner'"


@override_settings(TRUSTED_PROXIES=1)
def test_behind_a_proxy_each_client_is_counted_by_the_address_the_proxy_saw(member, client):
    proxy = "10.0.0.2"
    fail(client, 5, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")
    # Another client behind the same proxy is not paused...
    assert log_in(client, PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 302
    client.logout()
    # ...and the locked-out one cannot escape by claiming another address in front of the real one.
    forged = log_in(client, PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.7")
    assert forged.status_code == 429
