"""The security log names the event, the user, the source address and what changed."""

import logging

from django.urls import reverse

SECURITY = "concerto.security"


def lines(caplog):
    return [record.getMessage() for record in caplog.records if record.name == SECURITY]


def test_a_failed_login_is_logged_with_the_name_tried_and_the_address_never_the_password(
    world, client, caplog
):
    caplog.set_level(logging.INFO, logger=SECURITY)
    client.post(
        reverse("login"),
        {"username": "partner", "password": "not-the-password"},
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )
    [line] = lines(caplog)
    assert line.startswith("login_failed user='anonymous' address='203.0.113.7' forwarded_for='198.51.100.4'")
    assert "username='partner'" in line
    assert "not-the-password" not in line


def test_a_refused_request_is_logged_with_its_user_method_and_path(world, client_for, caplog):
    caplog.set_level(logging.INFO, logger=SECURITY)
    url = reverse("participant_add", args=["ready"])
    client_for(world.funder).post(url, {"organization": world.partner_org.pk, "role": "partner"})
    [line] = lines(caplog)
    assert line.startswith("permission_denied user='funder' address='127.0.0.1'")
    assert f"method='POST' path='{url}'" in line


def test_every_change_of_who_takes_part_and_in_which_role_is_logged(world, client_for, caplog):
    caplog.set_level(logging.INFO, logger=SECURITY)
    client = client_for(world.coordinator)
    slug = world.partner_other_org.slug
    client.post(reverse("participant_role", args=["ready", slug]), {"role": "funder"})
    client.post(reverse("participant_remove", args=["ready", slug]))
    client.post(
        reverse("participant_add", args=["ready"]),
        {"organization": world.partner_other_org.pk, "role": "partner"},
    )
    changed, removed, added = lines(caplog)
    assert changed == (
        f"participation_role_changed user='coordinator' address='127.0.0.1' initiative='ready' "
        f"organization='{slug}' role_before='partner' role='funder'"
    )
    assert removed.startswith("participation_removed user='coordinator'")
    assert f"organization='{slug}' role='funder'" in removed
    assert added.endswith(f"organization='{slug}' role='partner'")


def test_a_refused_role_change_is_not_logged_as_a_change(world, client_for, caplog):
    caplog.set_level(logging.INFO, logger=SECURITY)
    # The only backbone cannot stop being one.
    client_for(world.coordinator).post(
        reverse("participant_role", args=["ready", world.backbone.slug]), {"role": "partner"}
    )
    assert lines(caplog) == []
