"""No IDOR: an identifier guessed from another initiative or organization never works here.

"ready" and "elsewhere" each have their own dimensions, indicators, partners, reports and stories.
Under /i/ready/, the codes, slugs, periods and ids that exist only in "elsewhere" answer 404 (or a
form error) and change nothing; a partner never reads or writes another partner's report (403),
whether through its pages, the upload or the review actions.
"""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from indicators.models import DataValue, Indicator, Narrative, PartnerReport, ReportStatus
from indicators.outcomes import rollups
from partners.models import Participation
from tests.factories import (
    CategoryFactory,
    DimensionFactory,
    IndicatorFactory,
    OrganizationFactory,
    ParticipationFactory,
    ReportFactory,
    ValueFactory,
)
from tests.helpers import formset_data, indicator_data
from tests.security.test_access_matrix import snapshot

# Words that exist only in what the neighbours wrote: a page that shows one leaks it.
SECRETS = ("far-secret", "Far-away measure", "far story", "other-partner-secret")


def submitted(report, by, **value):
    """Give ``report`` one value and submit it (by ``by``), as the review pages find it."""
    ValueFactory(report=report, **value)
    report.status = ReportStatus.SUBMITTED
    report.submitted_at, report.submitted_by = timezone.now(), by
    report.save()
    # As if typed through the pages: every history record names who made it.
    PartnerReport.history.filter(id=report.pk).update(history_user=by)
    DataValue.history.filter(report_id=report.pk).update(history_user=by)
    rollups.refresh_report(report)
    return report


@pytest.fixture
def neighbours(world):
    """ "ready" with two reporting partners; "elsewhere" with its own partner, dimension, indicator, story."""
    age = DimensionFactory(initiative=world.initiative, code="age")
    world.young = CategoryFactory(dimension=age, code="young")
    here = IndicatorFactory(initiative=world.initiative, code="R1")
    here.reporting_organizations.add(world.partner_org, world.partner_other_org)
    world.here = here
    world.own_report = submitted(
        ReportFactory(initiative=world.initiative, organization=world.partner_org, period="2025-Q1"),
        world.partner,
        indicator=here,
        value=Decimal("12"),
    )
    world.other_partner_report = submitted(
        ReportFactory(initiative=world.initiative, organization=world.partner_other_org, period="2025-Q1"),
        world.users["partner_other"],
        indicator=here,
        value=Decimal("34"),
        comment="other-partner-secret",
    )
    world.far_org = OrganizationFactory(slug="far-org")
    ParticipationFactory(initiative=world.other, organization=world.far_org, role=Participation.Role.PARTNER)
    region = DimensionFactory(initiative=world.other, code="region", name_en="Region")
    world.north = CategoryFactory(dimension=region, code="north", name_en="North")
    world.region = region
    far = IndicatorFactory(initiative=world.other, code="FAR", name_en="Far-away measure")
    far.dimensions.add(region)
    far.reporting_organizations.add(world.far_org)
    world.far = far
    world.far_report = submitted(
        ReportFactory(initiative=world.other, organization=world.far_org, period="2025-Q3"),
        world.users["coordinator_other"],
        indicator=far,
        value=Decimal("987654"),
        comment="far-secret",
    )
    world.far_value = world.far_report.values.get()
    Narrative.objects.create(indicator=far, period="2025-Q3", story_en="The far story.")
    return world


def ask(client, method, name, *args, data=None):
    return getattr(client, method)(reverse(name, args=["ready", *args]), data or {})


def leaks(response):
    content = response.content.decode(errors="replace")
    return [secret for secret in SECRETS if secret in content]


# Pages under /i/ready/ naming what exists only in "elsewhere". Every role that may see such a page
# at all gets 404; a role the page is not for may be refused first (403), which reveals nothing.
FOREIGN_PAGES = [
    ("indicator_detail", ["FAR"], "everyone"),
    ("indicator_edit", ["FAR"], "coordinators"),
    ("indicator_milestones", ["FAR"], "coordinators"),
    ("narrative_edit", ["FAR", "2025-Q3"], "coordinators"),
    ("dimension_edit", ["region"], "coordinators"),
    ("organization_reports", ["far-org"], "everyone"),
    ("report_page", ["far-org", "2025-Q3"], "everyone"),
    ("report_history", ["far-org", "2025-Q3"], "everyone"),
    # The neighbours' backbone does not report here either.
    ("organization_reports", ["coordinator_other-org"], "everyone"),
    ("report_page", ["coordinator_other-org", "2025-Q3"], "everyone"),
]


@pytest.mark.parametrize("role", ["coordinator", "partner", "funder"])
def test_codes_and_slugs_of_another_initiative_are_not_found_here(neighbours, client_for, role):
    client = client_for(neighbours.users[role])
    before = snapshot()
    wrong = []
    for name, args, audience in FOREIGN_PAGES:
        response = ask(client, "get", name, *args)
        expected = {404} if role == "coordinator" or audience == "everyone" else {403, 404}
        if response.status_code not in expected or leaks(response):
            wrong.append(f"{name} {args}: {response.status_code} {leaks(response)}")
    assert wrong == []
    assert snapshot() == before


def test_the_upload_template_of_an_organization_of_another_initiative_is_not_found(neighbours, client_for):
    client = client_for(neighbours.coordinator)
    response = client.get(reverse("upload_template_csv", args=["ready"]), {"organization": "far-org"})
    assert response.status_code == 404


def test_a_partner_cannot_download_another_partners_upload_template(neighbours, client_for):
    client = client_for(neighbours.partner)
    response = client.get(
        reverse("upload_template_csv", args=["ready"]), {"organization": "partner_other-org"}
    )
    assert response.status_code == 404


def test_a_contributing_measure_cannot_be_started_from_another_initiatives_outcome(neighbours, client_for):
    response = client_for(neighbours.coordinator).get(
        reverse("indicator_create", args=["ready"]), {"outcome": "FAR"}
    )
    assert response.status_code == 200
    assert response.context["form"].initial.get("outcome") is None
    assert leaks(response) == []


DIMENSION = {"code": "region", "name_en": "Mine", "name_fr": "À moi", "order": "0"}
STORY = {"story_en": "Rewritten here", "story_fr": "Réécrit ici"}
# (url name, arguments, body): changes aimed at what exists only in "elsewhere".
FOREIGN_ACTIONS = [
    ("dimension_edit", ["region"], DIMENSION | formset_data("categories", [])),
    ("dimension_delete", ["region"], {}),
    ("participant_role", ["far-org"], {"role": "backbone"}),
    ("participant_role", ["coordinator_other-org"], {"role": "partner"}),
    ("participant_remove", ["far-org"], {}),
    ("participant_remove", ["coordinator_other-org"], {}),
    ("indicator_edit", ["FAR"], {"code": "FAR", "name_en": "Mine", "name_fr": "À moi"}),
    ("indicator_milestones", ["FAR"], formset_data("baselines", []) | formset_data("targets", [])),
    ("narrative_edit", ["FAR", "2025-Q3"], STORY),
    ("narrative_publish", ["FAR", "2025-Q3"], STORY),
    ("narrative_unpublish", ["FAR", "2025-Q3"], STORY),
    ("report_page", ["far-org", "2025-Q3"], {"version": "1"}),
    ("report_submit", ["far-org", "2025-Q3"], {"version": "1"}),
    ("report_approve", ["far-org", "2025-Q3"], {}),
    ("report_return", ["far-org", "2025-Q3"], {"comment": "Wrong"}),
    ("report_reopen", ["far-org", "2025-Q3"], {"reason": "Wrong"}),
]


@pytest.mark.parametrize("role", ["coordinator", "partner"])
def test_actions_on_objects_of_another_initiative_are_not_found_and_change_nothing(
    neighbours, client_for, role
):
    client = client_for(neighbours.users[role])
    before = snapshot()
    answers = {
        (name, *args): ask(client, "post", name, *args, data=body).status_code
        for name, args, body in FOREIGN_ACTIONS
    }
    expected = {404} if role == "coordinator" else {403, 404}
    assert {action: status for action, status in answers.items() if status not in expected} == {}
    assert snapshot() == before


def test_the_review_actions_under_this_initiative_do_not_reach_another_initiatives_report(
    neighbours, client_for
):
    """The neighbours' report exists for far-org 2025-Q3; here, the same period names nothing."""
    client = client_for(neighbours.coordinator)
    before = snapshot()
    for name in ("report_approve", "report_return", "report_reopen"):
        assert ask(client, "post", name, "partner-org", "2025-Q3", data={"comment": "x"}).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize(
    ("field", "foreign"),
    [
        ("reporting_organizations", lambda world: [world.far_org.pk]),
        ("reporting_organizations", lambda world: [world.other_backbone.pk]),
        ("dimensions", lambda world: [world.region.pk]),
        ("outcome", lambda world: world.far.pk),
    ],
    ids=["partner-elsewhere", "backbone-elsewhere", "dimension-elsewhere", "outcome-elsewhere"],
)
def test_an_indicator_cannot_point_at_another_initiatives_objects(neighbours, client_for, field, foreign):
    client = client_for(neighbours.coordinator)
    before = snapshot()
    data = indicator_data(code="NEW", **{field: foreign(neighbours)})
    if field == "outcome":
        data["level"] = Indicator.Level.CONTRIBUTING
    created = ask(client, "post", "indicator_create", data=data)
    edited = ask(client, "post", "indicator_edit", "R1", data={**data, "code": "R1"})
    assert created.status_code == edited.status_code == 200
    assert field in created.context["form"].errors
    assert field in edited.context["form"].errors
    assert snapshot() == before


def test_a_baseline_cannot_use_a_category_of_another_initiative(neighbours, client_for):
    client = client_for(neighbours.coordinator)
    before = snapshot()
    data = formset_data("baselines", [{"category": neighbours.north.pk, "period": "2024-Q1", "value": "5"}])
    data |= formset_data("targets", []) | {"reason": "Census"}
    response = ask(client, "post", "indicator_milestones", "R1", data=data)
    assert response.status_code == 200
    assert snapshot() == before


def test_a_dimension_cannot_take_over_a_category_of_another_initiative(neighbours, client_for):
    """A category id from elsewhere in the formset is outside this dimension's: Django skips it."""
    north = neighbours.north
    before = list(type(north).objects.filter(pk=north.pk).values())
    data = {"code": "age", "name_en": "Age", "name_fr": "Âge", "order": "0"}
    data |= formset_data(
        "categories", [{"id": north.pk, "code": "stolen", "name_en": "Stolen", "order": "0"}], initial=1
    )
    response = ask(client_for(neighbours.coordinator), "post", "dimension_edit", "age", data=data)
    assert response.status_code in (200, 302)
    assert list(type(north).objects.filter(pk=north.pk).values()) == before
    assert not type(north).objects.filter(code="stolen").exists()


def test_an_organization_is_added_once_and_only_if_it_exists(neighbours, client_for):
    client = client_for(neighbours.coordinator)
    before = snapshot()
    for organization in (neighbours.partner_other_org.pk, neighbours.backbone.pk, 10**9):
        body = {"organization": organization, "role": "backbone"}
        assert ask(client, "post", "participant_add", data=body).status_code == 400
    assert snapshot() == before


def test_values_typed_for_another_initiatives_indicator_are_not_saved(neighbours, client_for):
    """The report form has fields for this organization's indicators only: others are ignored."""
    client = client_for(neighbours.partner)
    far, north = neighbours.far, neighbours.north
    body = {
        "version": "0",
        f"i{neighbours.here.pk}-total-value": "5",
        f"i{far.pk}-total-value": "666",
        f"i{far.pk}-{north.pk}-value": "666",
    }
    response = ask(client, "post", "report_page", "partner-org", "2025-Q2", data=body)
    assert response.status_code == 302
    assert not DataValue.objects.filter(indicator=far).exclude(report=neighbours.far_report).exists()
    assert not DataValue.objects.filter(report__initiative=neighbours.initiative, indicator=far).exists()
    assert not DataValue.objects.filter(category=north).exists()


def test_a_returned_report_comments_only_its_own_values(neighbours, client_for):
    far_value = neighbours.far_value
    other_value = neighbours.other_partner_report.values.get()
    body = {
        "comment": "Check these",
        f"value-comment-{far_value.pk}": "Overwritten?",
        f"value-comment-{other_value.pk}": "Overwritten?",
    }
    response = ask(
        client_for(neighbours.coordinator), "post", "report_return", "partner-org", "2025-Q1", data=body
    )
    assert response.status_code == 302
    for value in (far_value, other_value):
        value.refresh_from_db()
        assert value.review_comment == ""
    neighbours.far_report.refresh_from_db()
    neighbours.other_partner_report.refresh_from_db()
    assert neighbours.far_report.status == neighbours.other_partner_report.status == "submitted"


def upload(client, rows, **fields):
    text = "indicator_code,period,value,organization\n" + "".join(f"{','.join(row)}\n" for row in rows)
    body = {"file": SimpleUploadedFile("values.csv", text.encode()), **fields}
    return client.post(reverse("values_upload", args=["ready"]), body)


@pytest.mark.parametrize(
    ("role", "rows", "fields"),
    [
        ("coordinator", [("R1", "2025-Q2", "5", "far-org")], {}),
        ("coordinator", [("R1", "2025-Q2", "5", "coordinator_other-org")], {}),
        ("coordinator", [("FAR", "2025-Q3", "5", "partner-org")], {}),
        ("coordinator", [("R1", "2025-Q2", "5", "")], {"organization": "far_org"}),
        ("partner", [("R1", "2025-Q2", "5", "partner_other-org")], {}),
        ("partner", [("R1", "2025-Q2", "5", "far-org")], {}),
        ("partner", [("FAR", "2025-Q3", "5", "")], {}),
        ("partner", [("R1", "2025-Q2", "5", "")], {"organization": "partner_other_org"}),
        # One good row does not carry a foreign one: all or nothing.
        ("partner", [("R1", "2025-Q2", "5", ""), ("R1", "2025-Q2", "6", "partner_other-org")], {}),
    ],
    ids=[
        "coordinator-org-elsewhere",
        "coordinator-backbone-elsewhere",
        "coordinator-indicator-elsewhere",
        "coordinator-chooses-org-elsewhere",
        "partner-other-partner",
        "partner-org-elsewhere",
        "partner-indicator-elsewhere",
        "partner-chooses-other-partner",
        "partner-mixed-rows",
    ],
)
def test_an_upload_naming_someone_elses_organization_or_indicator_writes_nothing(
    neighbours, client_for, role, rows, fields
):
    fields = {name: getattr(neighbours, attribute).pk for name, attribute in fields.items()}
    client = client_for(neighbours.users[role])
    before = snapshot()
    response = upload(client, rows, **fields)
    assert response.status_code == 400
    assert snapshot() == before


# A partner and another partner's report (partner_other-org, 2025-Q1, submitted).
OTHER_PARTNER = ["partner_other-org", "2025-Q1"]


@pytest.mark.parametrize(
    ("method", "name", "args"),
    [
        ("get", "organization_reports", OTHER_PARTNER[:1]),
        ("get", "report_page", OTHER_PARTNER),
        ("get", "report_history", OTHER_PARTNER),
        ("post", "report_page", OTHER_PARTNER),
        ("post", "report_submit", OTHER_PARTNER),
        ("post", "report_approve", OTHER_PARTNER),
        ("post", "report_return", OTHER_PARTNER),
        ("post", "report_reopen", OTHER_PARTNER),
        # A period the other partner has not reported yet: still not this partner's to start.
        ("get", "report_page", ["partner_other-org", "2025-Q2"]),
        ("post", "report_page", ["partner_other-org", "2025-Q2"]),
    ],
)
def test_a_partner_never_reads_or_writes_another_partners_report(neighbours, client_for, method, name, args):
    client = client_for(neighbours.partner)
    before = snapshot()
    body = {"version": "1", f"i{neighbours.here.pk}-total-value": "1", "comment": "x", "reason": "x"}
    response = ask(client, method, name, *args, data=body if method == "post" else None)
    assert response.status_code == 403
    assert leaks(response) == []
    assert snapshot() == before


def test_the_other_partners_values_are_not_on_this_partners_pages(neighbours, client_for):
    client = client_for(neighbours.partner)
    for name, args in [
        ("organization_reports", ["partner-org"]),
        ("report_page", ["partner-org", "2025-Q1"]),
        ("report_history", ["partner-org", "2025-Q1"]),
        ("report_page", ["partner-org", "2025-Q3"]),
    ]:
        response = ask(client, "get", name, *args)
        assert response.status_code == 200, name
        assert leaks(response) == [], name


def test_only_the_backbone_sees_each_partners_figures_and_the_milestone_changes(neighbours, client_for):
    url = reverse("indicator_detail", args=["ready", "R1"])
    for role in ("coordinator", "partner", "funder"):
        response = client_for(neighbours.users[role]).get(url)
        assert response.status_code == 200
        shown = {key for key in ("partner_rows", "changes", "story_periods") if key in response.context}
        assert shown == ({"partner_rows", "changes", "story_periods"} if role == "coordinator" else set()), (
            role
        )


@pytest.fixture
def shared(neighbours):
    """partner-org takes part in "elsewhere" too, and reported there for 2025-Q2 and 2025-Q3."""
    world = neighbours
    ParticipationFactory(
        initiative=world.other, organization=world.partner_org, role=Participation.Role.PARTNER
    )
    world.far.reporting_organizations.add(world.partner_org)
    world.shared_reports = [
        submitted(
            ReportFactory(initiative=world.other, organization=world.partner_org, period=period),
            world.partner,
            indicator=world.far,
            value=Decimal("555"),
            comment="far-secret",
        )
        for period in ("2025-Q2", "2025-Q3")
    ]
    return world


@pytest.mark.parametrize("role", ["coordinator", "partner"])
def test_an_organization_in_both_initiatives_shows_here_only_what_it_reported_here(shared, client_for, role):
    client = client_for(shared.users[role])
    response = ask(client, "get", "report_page", "partner-org", "2025-Q3")
    assert response.status_code == 200
    assert response.context["report"] is None
    assert response.context["previous"] is None  # 2025-Q2 was reported elsewhere
    assert leaks(response) == []
    assert "?copy=previous" not in response.content.decode()
    assert ask(client, "get", "report_history", "partner-org", "2025-Q3").status_code == 404


def test_the_review_of_an_organization_in_both_initiatives_reaches_only_this_ones_reports(shared, client_for):
    client = client_for(shared.coordinator)
    before = snapshot()
    for name in ("report_approve", "report_return", "report_reopen"):
        body = {"comment": "x", "reason": "x"}
        assert ask(client, "post", name, "partner-org", "2025-Q3", data=body).status_code == 404, name
    assert snapshot() == before


def test_a_partner_in_both_initiatives_saves_here_without_touching_its_report_elsewhere(shared, client_for):
    elsewhere = list(PartnerReport.objects.filter(initiative=shared.other).values())
    far_values = list(DataValue.objects.filter(report__initiative=shared.other).values())
    body = {"version": "0", f"i{shared.here.pk}-total-value": "7"}
    response = ask(client_for(shared.partner), "post", "report_page", "partner-org", "2025-Q3", data=body)
    assert response.status_code == 302
    assert PartnerReport.objects.get(initiative=shared.initiative, period="2025-Q3").values.get().value == 7
    assert list(PartnerReport.objects.filter(initiative=shared.other).values()) == elsewhere
    assert list(DataValue.objects.filter(report__initiative=shared.other).values()) == far_values


def test_the_backbone_enters_figures_on_a_partners_behalf_and_a_partner_for_itself(neighbours, client_for):
    for role, on_behalf in (("coordinator", True), ("partner", False)):
        response = ask(client_for(neighbours.users[role]), "get", "report_page", "partner-org", "2025-Q2")
        assert response.status_code == 200
        assert response.context["on_behalf"] is on_behalf, role
