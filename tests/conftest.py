"""Shared users: one initiative seen from every role, and a second initiative next door."""

from types import SimpleNamespace

import pytest
from django.utils import translation

from partners.models import Participation
from tests.factories import (
    InitiativeFactory,
    MemberFactory,
    OrganizationFactory,
    ParticipationFactory,
    UserFactory,
)

Role = Participation.Role


@pytest.fixture(autouse=True)
def english_unless_told():
    """Each test starts in the site's language: a French request must not leak into the next test."""
    translation.activate("en")
    yield
    translation.deactivate()


def member_of(initiative, role, username):
    """Return a user in a new organization taking part in ``initiative`` with ``role``."""
    organization = OrganizationFactory(slug=f"{username}-org")
    ParticipationFactory(initiative=initiative, organization=organization, role=role)
    user = UserFactory(username=username)
    MemberFactory(user=user, organization=organization)
    return user, organization


@pytest.fixture
def world(db):
    """An initiative with a coordinator, two partners and a funder; another with its own coordinator."""
    initiative = InitiativeFactory(slug="ready", name_en="Ready for school", name_fr="Prêts pour l'école")
    other = InitiativeFactory(slug="elsewhere", name_en="Elsewhere", name_fr="Ailleurs")
    coordinator, backbone = member_of(initiative, Role.BACKBONE, "coordinator")
    partner, partner_org = member_of(initiative, Role.PARTNER, "partner")
    partner_other, partner_other_org = member_of(initiative, Role.PARTNER, "partner_other")
    funder, funder_org = member_of(initiative, Role.FUNDER, "funder")
    coordinator_other, other_backbone = member_of(other, Role.BACKBONE, "coordinator_other")
    outsider = UserFactory(username="outsider")
    MemberFactory(user=outsider, organization=OrganizationFactory(slug="outsider-org"))
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    return SimpleNamespace(
        initiative=initiative,
        other=other,
        backbone=backbone,
        partner_org=partner_org,
        partner_other_org=partner_other_org,
        funder_org=funder_org,
        other_backbone=other_backbone,
        users={
            "anonymous": None,
            "outsider": outsider,
            "partner": partner,
            "partner_other": partner_other,
            "funder": funder,
            "coordinator_other": coordinator_other,
            "coordinator": coordinator,
            "admin": admin,
        },
        coordinator=coordinator,
        partner=partner,
        funder=funder,
        admin=admin,
    )


@pytest.fixture
def client_for(client):
    """Return a test client logged in as the given user (anonymous for None)."""

    def log_in(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return log_in
