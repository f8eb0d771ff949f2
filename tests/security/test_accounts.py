import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name", ["login", "password_reset", "password_reset_done", "password_reset_complete"]
)
def test_login_and_reset_pages_are_open_to_anonymous_visitors(client, name):
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("path", ["/", "/i/anything/", "/initiatives/new/", "/accounts/password_change/"])
def test_everything_else_sends_anonymous_visitors_to_the_login_page(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_a_user_logs_in_and_lands_on_their_initiatives(client):
    UserFactory(username="claire")
    response = client.post(reverse("login"), {"username": "claire", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "My initiatives" in response.content.decode()


def test_a_wrong_password_is_told_without_saying_which_part_was_wrong(client):
    UserFactory(username="claire")
    response = client.post(reverse("login"), {"username": "claire", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_logging_out_takes_a_post_and_ends_the_session(client):
    client.force_login(UserFactory())
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_a_user_changes_their_password(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-passphrase",
            "new_password2": "another-long-passphrase",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another-long-passphrase")


def test_a_password_reset_sends_a_link_by_email(client):
    UserFactory(email="claire@example.org")
    client.post(reverse("password_reset"), {"email": "claire@example.org"})
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_the_language_switch_remembers_french(client):
    client.post(reverse("set_language"), {"language": "fr", "next": "/accounts/login/"})
    response = client.get(reverse("login"))
    assert '<html lang="fr">' in response.content.decode()
