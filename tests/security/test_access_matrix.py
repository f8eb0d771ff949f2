"""Every URL pattern × every role × GET and POST: who gets in, who is refused, and how.

Outsiders (and coordinators of other initiatives) get 404 as if the initiative did not exist;
members without the right role get 403; funders never write; anonymous visitors go to the login
page, except on the few public pages; a POST-only action answers GET with 405; the Django admin is
for site admins only, everyone else is sent to its own login page. The URLconf is walked, admin
included: a URL pattern missing from the matrix fails.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import override_settings
from django.urls import get_resolver, reverse
from simple_history.admin import SimpleHistoryAdmin

from impact.access import get_initiative_for_user
from impact.models import Profile
from indicators.models import Narrative
from partners.models import Organization
from tests.factories import CategoryFactory, DimensionFactory, IndicatorFactory, ReportFactory
from tests.helpers import indicator_data

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


class Redirect:
    """A 302 to the page named ``to`` (a query string such as ?next= is allowed)."""

    def __init__(self, to, **kwargs):
        self.to, self.kwargs = to, kwargs

    def __str__(self):
        return f"302 to {self.to}"

    def matches(self, response):
        if response.status_code != 302:
            return False
        return urlsplit(response["Location"]).path == reverse(self.to, kwargs=self.kwargs)


LOGIN = Redirect("login")
ADMIN_LOGIN = Redirect("admin:login")
# A write a role may attempt: saved and redirected, or refused by the form (200, 400, 409).
OK = "ok"


def each(answer, **exceptions):
    return dict.fromkeys(ROLES, answer) | exceptions


EVERY_MEMBER = {"outsider": 404, "coordinator_other": 404, "anonymous": LOGIN}
COORDINATORS_ONLY = {
    "outsider": 404,
    "coordinator_other": 404,
    "anonymous": LOGIN,
    "partner": 403,
    "partner_other": 403,
    "funder": 403,
}


# (url name, kwargs, GET expectations, POST expectations).
def initiative_rows():
    read = each(200) | EVERY_MEMBER
    coordinator_page = each(200) | COORDINATORS_ONLY
    coordinator_post = each(OK) | COORDINATORS_ONLY
    post_only = each(405, anonymous=LOGIN)
    reporters = coordinator_page | {"partner": 200}
    reporters_post = coordinator_post | {"partner": OK}
    reporting_home = coordinator_page | {
        "partner": Redirect("organization_reports", slug="ready", organization="partner-org"),
        "partner_other": Redirect("organization_reports", slug="ready", organization="partner_other-org"),
    }
    uploaders = coordinator_page | {"partner": 200, "partner_other": 200}
    uploaders_post = coordinator_post | {"partner": OK, "partner_other": OK}
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
        ("participant_remove", slug | {"organization": "partner_other-org"}, post_only, coordinator_post),
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
        ("values_csv", slug, coordinator_page, post_only),
        ("values_xlsx", slug, coordinator_page, post_only),
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


FUNDER_HOME = Redirect("outcome_report", slug="ready")


def outside_rows():
    """Pages outside any initiative: home, health check, language, accounts, a new initiative."""
    members = each(200, anonymous=LOGIN)
    # A site admin, or a member of a backbone (of any initiative), may start an initiative.
    backbones = each(403, anonymous=LOGIN, coordinator=200, coordinator_other=200, admin=200)
    backbones_post = backbones | {"coordinator": OK, "coordinator_other": OK, "admin": OK}
    return [
        # A funder of a single initiative lands on its outcome report.
        (
            "home",
            {},
            members | {"funder": Redirect("outcome_report", slug="ready")},
            each(405, anonymous=LOGIN),
        ),
        ("healthz", {}, each(200), each(405)),
        ("set_language", {}, each(Redirect("home")), each(Redirect("home"))),
        ("initiative_create", {}, backbones, backbones_post),
        ("login", {}, each(200), each(200)),
        ("logout", {}, each(405, anonymous=LOGIN), each(LOGIN)),
        ("password_change", {}, members, each(OK, anonymous=LOGIN)),
        ("password_change_done", {}, members, each(405, anonymous=LOGIN)),
        ("password_reset", {}, each(200), each(200)),
        ("password_reset_done", {}, each(200), each(405)),
        ("password_reset_confirm", {"uidb64": "MQ", "token": "not-a-token"}, each(200), each(200)),
        ("password_reset_complete", {}, each(200), each(405)),
    ]


@dataclass(frozen=True)
class First:
    """The primary key of the first ``model`` row (or of its first history record), found at test time."""

    model: type
    history: bool = False

    def resolve(self):
        manager = self.model.history if self.history else self.model.objects
        row = manager.order_by("pk").first()
        if row is None:
            return None
        return str(row.history_id if self.history else row.pk)


def admin_rows():
    """The Django admin's pages, from its registry: site admins only, the rest to its login page."""
    staff = each(ADMIN_LOGIN)
    not_staff_out = each(Redirect("admin:index"), anonymous=ADMIN_LOGIN)
    rows = [
        ("admin:index", {}, staff | {"admin": 200}, staff | {"admin": 200}),
        # The login page is public; a site admin already logged in goes on to the index.
        ("admin:login", {}, each(200, admin=Redirect("admin:index")), each(200)),
        # Logging out of an admin one is not logged in to: back to its index (then to its login).
        ("admin:logout", {}, not_staff_out | {"admin": 405}, not_staff_out | {"admin": LOGIN}),
        ("admin:password_change", {}, staff | {"admin": 200}, staff | {"admin": OK}),
        ("admin:password_change_done", {}, staff | {"admin": 200}, staff | {"admin": 405}),
        ("admin:jsi18n", {}, staff | {"admin": 200}, staff | {"admin": 405}),
        ("admin:autocomplete", {}, staff | {"admin": 403}, staff | {"admin": 405}),
        (
            "admin:view_on_site",
            {"content_type_id": "0", "object_id": "0"},
            staff | {"admin": 404},
            staff | {"admin": 404},
        ),
        (
            "admin:auth_user_password_change",
            {"id": First(get_user_model())},
            staff | {"admin": 200, "anonymous": LOGIN},
            staff | {"admin": OK, "anonymous": LOGIN},
        ),
    ]
    for app_label in sorted({model._meta.app_label for model in admin.site._registry}):
        rows.append(
            ("admin:app_list", {"app_label": app_label}, staff | {"admin": 200}, staff | {"admin": 200})
        )
    # Each model's pages are not public: LoginRequiredMiddleware sends anonymous visitors to the site's login.
    staff = staff | {"anonymous": LOGIN}
    for model, model_admin in admin.site._registry.items():
        base = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        obj = {"object_id": First(model)}
        may_add = 200 if model_admin.has_add_permission(SITE_ADMIN) else 403
        may_delete = 200 if model_admin.has_delete_permission(SITE_ADMIN) else 403
        rows += [
            (f"{base}_changelist", {}, staff | {"admin": 200}, staff | {"admin": OK}),
            (
                f"{base}_add",
                {},
                staff | {"admin": may_add},
                staff | {"admin": may_add if may_add == 403 else OK},
            ),
            (f"{base}_change", obj, staff | {"admin": 200}, staff | {"admin": OK}),
            (f"{base}_history", obj, staff | {"admin": 200}, staff | {"admin": 200}),
            (
                f"{base}_delete",
                obj,
                staff | {"admin": may_delete},
                staff | {"admin": OK if may_delete == 200 else 403},
            ),
        ]
        if isinstance(model_admin, SimpleHistoryAdmin):
            record = [First(model), First(model, history=True)]
            rows.append((f"{base}_simple_history", record, staff | {"admin": 200}, staff | {"admin": OK}))
    return rows


class SiteAdminRequest:
    """Just enough of a request for a ModelAdmin to say what a site admin may do."""

    class user:
        is_active = is_superuser = is_staff = True

        @staticmethod
        def has_perm(permission, obj=None):
            return True


SITE_ADMIN = SiteAdminRequest()


def matrix():
    return initiative_rows() + outside_rows() + admin_rows()


def walk(resolver=None, route="", namespace=""):
    """Yield (qualified name or None, route) of every URL pattern, through every include."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern, route + str(pattern.pattern), inner)
        else:
            yield (f"{namespace}{pattern.name}" if pattern.name else None), route + str(pattern.pattern)


def unnamed_admin_routes():
    """The admin's unnamed patterns: the old change-page redirect of each model, and its catch-all."""
    routes = {"admin/(?P<url>.*)$"}
    for model in admin.site._registry:
        routes.add(f"admin/{model._meta.app_label}/{model._meta.model_name}/<path:object_id>/")
    return routes


def test_every_url_pattern_has_an_entry_in_the_matrix():
    covered = {name for name, *_ in matrix()}
    named = {name for name, _route in walk() if name}
    unnamed = {route for name, route in walk() if not name}
    assert named - covered == set()
    assert unnamed - unnamed_admin_routes() == set(), "name every URL pattern and add it to the matrix"


def test_the_matrix_names_no_url_that_does_not_exist():
    assert {name for name, *_ in matrix()} - {name for name, _route in walk()} == set()


@pytest.fixture
def furnished(world):
    dimension = DimensionFactory(initiative=world.initiative, code="age")
    CategoryFactory(dimension=dimension, code="0-2")
    indicator = IndicatorFactory(initiative=world.initiative, code="R1")
    indicator.reporting_organizations.add(world.partner_org, world.partner_other_org)
    ReportFactory(initiative=world.initiative, organization=world.partner_org, period="2025-Q1")
    Narrative.objects.create(indicator=indicator, period="2025-Q1", story_en="Why the curve bends.")
    world.outsider_org = Organization.objects.get(slug="outsider-org")
    return world


def meets(response, expected):
    if expected == OK:
        return response.status_code in (200, 302, 400, 409) and not LOGIN.matches(response)
    if isinstance(expected, Redirect):
        return expected.matches(response)
    return response.status_code == expected


def resolve(kwargs):
    """Return (url arguments, whether every object they name exists)."""
    values = kwargs if isinstance(kwargs, list) else list(kwargs.values())
    resolved = [value.resolve() if isinstance(value, First) else value for value in values]
    found = None not in resolved
    resolved = ["0" if value is None else value for value in resolved]
    if isinstance(kwargs, list):
        return {"args": resolved}, found
    return {"kwargs": dict(zip(kwargs, resolved, strict=True))}, found


def wrong_answers(client_for, users, url, on_get, on_post):
    """Ask ``url`` as every role, each in a transaction rolled back after; return what went wrong."""
    wrong = []
    for role in ROLES:
        with transaction.atomic():
            client = client_for(users[role])
            for method, expected in (("get", on_get[role]), ("post", on_post[role])):
                response = getattr(client, method)(url, {})
                if not meets(response, expected):
                    where = f" to {response['Location']}" if response.status_code == 302 else ""
                    wrong.append(
                        f"{role} {method.upper()}: expected {expected}, got {response.status_code}{where}"
                    )
            transaction.set_rollback(True)
    return wrong


@pytest.mark.parametrize(("name", "kwargs", "on_get", "on_post"), matrix(), ids=[m[0] for m in matrix()])
def test_each_role_gets_the_answer_its_role_allows(furnished, client_for, name, kwargs, on_get, on_post):
    arguments, found = resolve(kwargs)
    if not found:
        # Nothing to open: the admin says the object may have been deleted and goes to its index.
        on_get = on_get | {"admin": Redirect("admin:index")}
        on_post = on_post | {"admin": OK}
    url = reverse(name, **arguments)
    wrong = wrong_answers(client_for, furnished.users, url, on_get, on_post)
    assert not wrong, f"{url}\n" + "\n".join(wrong)


def test_the_initiative_rows_are_every_page_under_an_initiative():
    """The funder and no-middleware tests below go through initiative_rows(): it misses none."""
    walked = {name for name, route in walk() if route.startswith("i/<slug:slug>/")}
    assert walked == {name for name, *_ in initiative_rows()}


def snapshot():
    """Every row of Concerto's own tables (history included) and of the users: what a write changes."""
    models = [get_user_model()]
    for label in ("impact", "partners", "indicators"):
        models += apps.get_app_config(label).get_models()
    return {model._meta.label: list(model._base_manager.order_by("pk").values()) for model in models}


def initiative_pages():
    """(name, kwargs) of every page under an initiative, naming objects that exist in ``furnished``."""
    return [(name, kwargs) for name, kwargs, *_ in initiative_rows()]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_funder_can_change_nothing_anywhere(furnished, client_for, method):
    client = client_for(furnished.funder)
    before = snapshot()
    answers = {
        name: getattr(client, method)(
            reverse(name, kwargs=kwargs), write_attempt(name, furnished)
        ).status_code
        for name, kwargs in initiative_pages()
    }
    assert {name for name, status in answers.items() if status != 403} == set()
    assert snapshot() == before


SECOND_LOCK = "impact.middleware.ReadOnlyMembersMiddleware"
WITHOUT_THE_SECOND_LOCK = [middleware for middleware in settings.MIDDLEWARE if middleware != SECOND_LOCK]


def coordinator_only_urls():
    return [(name, kwargs) for name, kwargs, _get, on_post in initiative_rows() if on_post["partner"] == 403]


@override_settings(MIDDLEWARE=WITHOUT_THE_SECOND_LOCK)
def test_views_refuse_every_change_a_funder_asks_for_even_without_the_middleware(furnished, client_for):
    client = client_for(furnished.funder)
    before = snapshot()
    wrong = []
    for name, kwargs in initiative_pages():
        response = client.post(reverse(name, kwargs=kwargs), write_attempt(name, furnished))
        if response.status_code not in (403, 404, 405):
            wrong.append(f"{name}: {response.status_code}")
    assert not wrong
    assert snapshot() == before


@override_settings(MIDDLEWARE=WITHOUT_THE_SECOND_LOCK)
def test_views_refuse_a_partner_the_coordinators_actions(furnished, client_for):
    client = client_for(furnished.partner)
    before = snapshot()
    wrong = []
    for name, kwargs in coordinator_only_urls():
        response = client.post(reverse(name, kwargs=kwargs), write_attempt(name, furnished))
        if response.status_code != 403:
            wrong.append(f"{name}: {response.status_code}")
    assert not wrong
    assert snapshot() == before


# Bodies that would change something if the view let the sender through (see the test after).
WRITE_ATTEMPTS = {
    "initiative_edit": {
        "name_en": "Taken over",
        "name_fr": "Pris",
        "issue_en": "x",
        "agenda_en": "x",
        "start_date": "2024-04-01",
        "fiscal_year_start_month": "4",
        "report_due_days": "30",
        "small_cell_threshold": "5",
        "status": "active",
    },
    "population_edit": {"description_en": "Everyone", "estimated_size": "1"},
    "dimension_create": {
        "code": "new",
        "name_en": "New",
        "name_fr": "Nouveau",
        "order": "0",
        "categories-TOTAL_FORMS": "0",
        "categories-INITIAL_FORMS": "0",
        "categories-MIN_NUM_FORMS": "0",
        "categories-MAX_NUM_FORMS": "1000",
    },
    "organization_create": {
        "new-name_en": "Mine",
        "new-name_fr": "La mienne",
        "new-slug": "mine",
        "new-sector": "non_profit",
        "new-role": "backbone",
    },
    "participant_role": {"role": "backbone"},
    "indicator_create": indicator_data(code="NEW"),
    "narrative_edit": {"story_en": "Rewritten", "story_fr": "Réécrit"},
    "narrative_publish": {"story_en": "Rewritten", "story_fr": "Réécrit"},
    "narrative_unpublish": {"story_en": "Rewritten", "story_fr": "Réécrit"},
}


def write_attempt(name, world):
    """The body sent to ``name``: one that would change something, where the matrix knows one."""
    if name == "participant_add":
        return {"organization": world.outsider_org.pk, "role": "backbone"}
    return WRITE_ATTEMPTS.get(name, {})


@pytest.mark.parametrize(
    "name", [*WRITE_ATTEMPTS, "participant_add", "participant_remove", "dimension_delete"]
)
def test_the_refused_bodies_are_ones_a_coordinator_could_save(furnished, client_for, name):
    kwargs = dict(initiative_pages())[name]
    before = snapshot()
    response = client_for(furnished.coordinator).post(
        reverse(name, kwargs=kwargs), write_attempt(name, furnished)
    )
    assert response.status_code == 302
    assert snapshot() != before


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_concertos_own_pages_answer_only_get_and_post(furnished, client_for, method):
    """Even to a site admin, whom no role check stops: the method check comes first (405)."""
    client = client_for(furnished.admin)
    before = snapshot()
    own = [(name, kwargs) for name, kwargs, *_ in initiative_rows()]
    own += [("home", {}), ("healthz", {}), ("initiative_create", {})]
    send = getattr(client, method)
    answers = {name: send(reverse(name, kwargs=kwargs)).status_code for name, kwargs in own}
    assert {name: status for name, status in answers.items() if status != 405} == {}
    assert snapshot() == before


def test_an_anonymous_language_switch_sets_the_cookie_and_writes_nothing(furnished, client_for):
    client = client_for(None)
    before = snapshot()
    response = client.post(reverse("set_language"), {"language": "fr"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert snapshot() == before


def test_a_members_language_switch_is_remembered_for_the_emails_written_to_them(furnished, client_for):
    client_for(furnished.partner).post(reverse("set_language"), {"language": "fr"})
    assert Profile.objects.get(user=furnished.partner).language == "fr"


def test_the_write_lock_refuses_a_funder_whichever_view_asks(furnished):
    """The lock a new view gets with write=True, even where its other checks would let a funder by."""
    assert get_initiative_for_user(furnished.funder, "ready").is_funder
    with pytest.raises(PermissionDenied):
        get_initiative_for_user(furnished.funder, "ready", write=True)
    assert get_initiative_for_user(furnished.partner, "ready", write=True).can_write


def test_the_navigation_offers_each_role_only_the_pages_it_may_open(furnished, client_for):
    reporting, review = reverse("reporting_home", args=["ready"]), reverse("review_queue", args=["ready"])
    for role, links in [
        ("coordinator", {reporting, review}),
        ("partner", {reporting}),
        ("funder", set()),
    ]:
        page = client_for(furnished.users[role]).get(reverse("initiative_overview", args=["ready"]))
        shown = {link for link in (reporting, review) if f'href="{link}"' in page.content.decode()}
        assert shown == links, role


def test_an_initiative_that_does_not_exist_looks_like_one_you_cannot_see(furnished, client_for):
    client = client_for(furnished.coordinator)
    missing = client.get(reverse("initiative_overview", kwargs={"slug": "no-such-thing"}))
    hidden = client.get(reverse("initiative_overview", kwargs={"slug": "elsewhere"}))
    assert missing.status_code == hidden.status_code == 404
