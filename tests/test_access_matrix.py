"""Every page and action × every role: who gets in, who is refused, and how.

Outsiders (and coordinators of other initiatives) get 404 as if the initiative did not exist;
members without the right role get 403; funders never write; anonymous visitors go to the login
page; a POST-only action answers GET with 405. A URL pattern missing from the matrix fails.
"""

import pytest
from django.urls import get_resolver, reverse

from impact.models import Initiative
from indicators.models import Baseline, DataValue, Indicator, Narrative, PartnerReport, Target
from partners.models import Participation
from tests.factories import CategoryFactory, DimensionFactory, IndicatorFactory, ReportFactory

ROLES = [
    "anonymous",
    "outsider",
    "partner",
    "partner_other",
    "funder",
    "coordinator_other",
    "coordinator",
    "admin",
]

EVERY_MEMBER = {"outsider": 404, "coordinator_other": 404, "anonymous": 302}
COORDINATORS_ONLY = {
    "outsider": 404,
    "coordinator_other": 404,
    "anonymous": 302,
    "partner": 403,
    "partner_other": 403,
    "funder": 403,
}


# (url name, kwargs, GET expectations, POST expectations); None means "method not allowed" (405).
def matrix():
    read = {role: EVERY_MEMBER.get(role, 200) for role in ROLES}
    coordinator_page = {role: COORDINATORS_ONLY.get(role, 200) for role in ROLES}
    # A valid-looking POST from a coordinator either redirects after saving or re-renders (200/400).
    coordinator_post = {role: COORDINATORS_ONLY.get(role, "ok") for role in ROLES}
    post_only = {role: (302 if role == "anonymous" else 405) for role in ROLES}
    reporters = coordinator_page | {"partner": 200}
    reporters_post = coordinator_post | {"partner": "ok"}
    reporting_home = coordinator_page | {"partner": 302, "partner_other": 302}
    uploaders = coordinator_page | {"partner": 200, "partner_other": 200}
    uploaders_post = coordinator_post | {"partner": "ok", "partner_other": "ok"}
    slug = {"slug": "ready"}
    own = slug | {"organization": "partner-org"}
    period = {"period": "2025-Q1"}
    story = slug | {"code": "R1", "period": "2025-Q1"}
    rows = [
        ("initiative_overview", slug, read, post_only),
        ("initiative_edit", slug, coordinator_page, coordinator_post),
        ("population_edit", slug, coordinator_page, coordinator_post),
        ("definition_export", slug, coordinator_page, post_only),
        ("dimension_list", slug, coordinator_page, post_only),
        ("dimension_create", slug, coordinator_page, coordinator_post),
        ("dimension_edit", slug | {"code": "age"}, coordinator_page, coordinator_post),
        ("dimension_delete", slug | {"code": "age"}, post_only, coordinator_post),
        ("participant_list", slug, coordinator_page, post_only),
        ("participant_add", slug, post_only, coordinator_post),
        ("organization_create", slug, post_only, coordinator_post),
        ("participant_role", slug | {"organization": "partner-org"}, post_only, coordinator_post),
        (
            "participant_remove",
            slug | {"organization": "partner_other-org"},
            post_only,
            coordinator_post,
        ),
        ("indicator_create", slug, coordinator_page, coordinator_post),
        ("indicator_detail", slug | {"code": "R1"}, read, post_only),
        ("indicator_edit", slug | {"code": "R1"}, coordinator_page, coordinator_post),
        ("indicator_milestones", slug | {"code": "R1"}, coordinator_page, coordinator_post),
        # Reporting: an organization's own members and the backbone; other partners and funders 403.
        ("reporting_home", slug, reporting_home, post_only),
        ("organization_reports", own, reporters, post_only),
        ("report_page", own | period, reporters, reporters_post),
        ("report_submit", own | period, post_only, reporters_post),
        ("report_history", own | period, reporters, post_only),
        ("report_approve", own | period, post_only, coordinator_post),
        ("report_return", own | period, post_only, coordinator_post),
        ("report_reopen", own | period, post_only, coordinator_post),
        ("review_queue", slug, coordinator_page, post_only),
        ("dashboard", slug, read, post_only),
        ("report_csv", slug, read, post_only),
        ("report_xlsx", slug, read, post_only),
        ("values_upload", slug, uploaders, uploaders_post),
        ("upload_template_csv", slug, uploaders, post_only),
        ("upload_template_xlsx", slug, uploaders, post_only),
        ("narrative_edit", story, coordinator_page, coordinator_post),
        ("narrative_publish", story, post_only, coordinator_post),
        ("narrative_unpublish", story, post_only, coordinator_post),
        ("outcome_report", slug, read, post_only),
    ]
    # Before any view runs (impact/middleware.py), a POST to an initiative is refused to funders
    # (they change nothing) and to outsiders, who learn nothing: 404 as for a missing initiative.
    before_any_view = {"funder": 403, "outsider": 404, "coordinator_other": 404}
    return [(name, kwargs, on_get, on_post | before_any_view) for name, kwargs, on_get, on_post in rows]


# Pages outside any initiative, with their own rules (tested in their own modules).
OUTSIDE_INITIATIVES = {
    "home",
    "healthz",
    "set_language",
    "initiative_create",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


def named_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            if getattr(pattern, "app_name", None) == "admin":
                continue
            names |= named_patterns(pattern)
        elif pattern.name:
            names.add(pattern.name)
    return names


def test_every_url_pattern_has_an_entry_in_the_matrix():
    covered = {name for name, *_ in matrix()} | OUTSIDE_INITIATIVES
    assert named_patterns() - covered == set()


@pytest.fixture
def furnished(world):
    dimension = DimensionFactory(initiative=world.initiative, code="age")
    CategoryFactory(dimension=dimension, code="0-2")
    indicator = IndicatorFactory(initiative=world.initiative, code="R1")
    indicator.reporting_organizations.add(world.partner_org, world.partner_other_org)
    ReportFactory(initiative=world.initiative, organization=world.partner_org, period="2025-Q1")
    Narrative.objects.create(indicator=indicator, period="2025-Q1", story_en="Why the curve bends.")
    return world


def check(response, expected, role):
    if expected == "ok":
        assert response.status_code in (200, 302, 400), f"{role}: {response.status_code}"
    elif expected == 302 and role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], role
    else:
        assert response.status_code == expected, f"{role}: expected {expected}, got {response.status_code}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "kwargs", "on_get", "on_post"), matrix(), ids=[m[0] for m in matrix()])
def test_each_role_gets_the_answer_its_role_allows(
    furnished, client_for, role, name, kwargs, on_get, on_post
):
    client = client_for(furnished.users[role])
    url = reverse(name, kwargs=kwargs)
    check(client.get(url), on_get[role], role)
    check(client.post(url, {}), on_post[role], role)


# What each URL converter's name stands for in the furnished initiative.
SAMPLE_KWARGS = {"slug": "ready", "code": "R1", "organization": "partner-org", "period": "2025-Q1"}


def initiative_urls(resolver=None, prefix=""):
    """Every URL under an initiative, straight from the URLconf (not from the matrix above)."""
    resolver = resolver or get_resolver()
    urls = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if hasattr(pattern, "url_patterns"):
            urls += initiative_urls(pattern, route)
        elif route.startswith("i/<slug:slug>/"):
            kwargs = {name: SAMPLE_KWARGS[name] for name in pattern.pattern.converters}
            kwargs |= {"slug": "ready"}
            urls.append((pattern.name, kwargs))
    return urls


def test_the_url_walk_finds_every_initiative_page():
    walked = {name for name, _kwargs in initiative_urls()}
    assert walked == {name for name, *_ in matrix()}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize(("name", "kwargs"), initiative_urls(), ids=[u[0] for u in initiative_urls()])
def test_a_funder_can_change_nothing_anywhere(furnished, client_for, method, name, kwargs):
    client = client_for(furnished.funder)
    before = snapshot()
    response = getattr(client, method)(reverse(name, kwargs=kwargs), {"role": "backbone", "name_en": "x"})
    assert response.status_code == 403
    assert snapshot() == before


def snapshot():
    """Counts and stamps of everything a funder could try to change."""
    return [
        (model.__name__, model.objects.count(), str(model.objects.order_by("-pk").values().first()))
        for model in (
            Initiative,
            Participation,
            Indicator,
            PartnerReport,
            DataValue,
            Narrative,
            Baseline,
            Target,
        )
    ]


def test_an_initiative_that_does_not_exist_looks_like_one_you_cannot_see(furnished, client_for):
    client = client_for(furnished.coordinator)
    missing = client.get(reverse("initiative_overview", kwargs={"slug": "no-such-thing"}))
    hidden = client.get(reverse("initiative_overview", kwargs={"slug": "elsewhere"}))
    assert missing.status_code == hidden.status_code == 404


def test_objects_of_another_initiative_are_not_reachable_through_this_one(furnished, client_for):
    IndicatorFactory(initiative=furnished.other, code="SECRET")
    DimensionFactory(initiative=furnished.other, code="hidden")
    client = client_for(furnished.coordinator)
    assert client.get(reverse("indicator_detail", args=["ready", "SECRET"])).status_code == 404
    assert client.get(reverse("dimension_edit", args=["ready", "hidden"])).status_code == 404
    response = client.post(
        reverse("participant_role", args=["ready", "coordinator_other-org"]), {"role": "funder"}
    )
    assert response.status_code == 404
