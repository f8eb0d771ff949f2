"""Shared users (one initiative seen from every role, a second initiative next door) and the
exact query counts pages are pinned to."""

from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
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


def pytest_collection_modifyitems(items):
    """Mark hypothesis's property tests "property", so the inner loop can leave them out."""
    for item in items:
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.property)


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


@pytest.fixture
def assert_queries(db):
    """Pin the exact number of queries a block runs: ``with assert_queries(12): client.get(…)``.

    Another count fails the test and prints every query the block ran, numbered, so the one
    that appeared (or went away) is found at a glance (Zulip's assert_database_query_count).
    """

    @contextmanager
    def exactly(count):
        with CaptureQueriesContext(connection) as captured:
            yield captured
        if len(captured) != count:
            listed = "\n".join(
                f"{number:3}. {query['sql']}" for number, query in enumerate(captured.captured_queries, 1)
            )
            pytest.fail(f"{len(captured)} queries ran, not {count}:\n{listed}", pytrace=False)

    return exactly
