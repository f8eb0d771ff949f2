"""The security log names the event, the user, the source address and what changed."""

import logging

from django.urls import reverse

from partners.models import OrganizationMember
from tests.factories import OrganizationFactory, UserFactory

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


# Changes of access made in the Django admin are logged like the pages' own.


def test_a_participation_added_in_the_admin_is_logged(world, client_for, caplog):
    caplog.set_level(logging.INFO, logger=SECURITY)
    organization = OrganizationFactory(slug="newcomer")
    response = client_for(world.admin).post(
        reverse("admin:partners_participation_add"),
        {"organization": organization.pk, "initiative": world.initiative.pk, "role": "partner"},
    )
    assert response.status_code == 302
    [line] = lines(caplog)
    assert line == (
        "participation_added user='admin' address='127.0.0.1' initiative='ready' "
        "organization='newcomer' role='partner' via='admin'"
    )


def test_people_added_to_and_removed_from_organizations_in_the_admin_are_logged(world, client_for, caplog):
    caplog.set_level(logging.INFO, logger=SECURITY)
    client = client_for(world.admin)
    newcomer = UserFactory(username="newcomer")
    client.post(
        reverse("admin:partners_organizationmember_add"),
        {"user": newcomer.pk, "organization": world.backbone.pk},
    )
    member = OrganizationMember.objects.get(user=newcomer)
    client.post(reverse("admin:partners_organizationmember_delete", args=[member.pk]), {"post": "yes"})
    added, removed = lines(caplog)
    assert added == (
        f"membership_added user='admin' address='127.0.0.1' person='newcomer' "
        f"organization='{world.backbone.slug}' via='admin'"
    )
    assert removed.startswith("membership_removed user='admin'")
    assert not OrganizationMember.objects.filter(user=newcomer).exists()


def test_making_someone_a_site_admin_and_their_memberships_on_the_user_page_are_logged(
    world, client_for, caplog
):
    caplog.set_level(logging.INFO, logger=SECURITY)
    person = world.users["outsider"]
    [membership] = person.memberships.all()
    response = client_for(world.admin).post(
        reverse("admin:auth_user_change", args=[person.pk]),
        {
            "username": person.username,
            "is_active": "on",
            "is_superuser": "on",
            "date_joined_0": "2026-01-05",
            "date_joined_1": "09:00:00",
            "memberships-TOTAL_FORMS": "2",
            "memberships-INITIAL_FORMS": "1",
            "memberships-0-id": membership.pk,
            "memberships-0-user": person.pk,
            "memberships-0-organization": membership.organization_id,
            "memberships-0-DELETE": "on",
            "memberships-1-user": person.pk,
            "memberships-1-organization": world.backbone.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    logged = lines(caplog)
    assert "membership_added user='admin' address='127.0.0.1' person='outsider' organization=" in logged[0]
    assert logged[1].startswith("membership_removed user='admin'")
    assert "organization='outsider-org'" in logged[1]
    assert logged[2] == (
        "user_access_changed user='admin' address='127.0.0.1' person='outsider' via='admin' "
        "is_superuser='True'"
    )
