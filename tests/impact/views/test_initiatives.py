import pytest
from django.urls import reverse

from impact.models import Initiative
from partners.models import Participation
from tests.factories import (
    DimensionFactory,
    IndicatorFactory,
    MemberFactory,
    OrganizationFactory,
    ParticipationFactory,
    ReportFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def initiative_data(**overrides):
    data = {
        "name_en": "Healthy Start",
        "name_fr": "",
        "issue_en": "Too many babies are born early.",
        "agenda_en": "Fewer preterm births by 2030.",
        "start_date": "2025-04-01",
        "fiscal_year_start_month": "4",
        "report_due_days": "30",
        "small_cell_threshold": "5",
        "status": "active",
    }
    return data | overrides


def test_a_coordinator_starts_another_initiative_led_by_their_backbone(client):
    user = UserFactory()
    organization = OrganizationFactory()
    MemberFactory(user=user, organization=organization)
    ParticipationFactory(organization=organization, role=Participation.Role.BACKBONE)
    client.force_login(user)
    response = client.post(
        reverse("initiative_create"),
        initiative_data(slug="healthy-start", backbone=organization.pk),
    )
    assert response.status_code == 302
    initiative = Initiative.objects.get(slug="healthy-start")
    assert initiative.participations.get().organization == organization
    assert initiative.participations.get().role == Participation.Role.BACKBONE
    assert initiative.population is not None
    assert client.get(reverse("initiative_edit", args=["healthy-start"])).status_code == 200


def test_nobody_can_make_an_organization_they_do_not_belong_to_the_backbone(world, client):
    stranger = OrganizationFactory()
    client.force_login(world.coordinator)
    response = client.post(reverse("initiative_create"), initiative_data(slug="grab", backbone=stranger.pk))
    assert response.status_code == 200
    assert "backbone" in response.context["form"].errors
    assert not Initiative.objects.filter(slug="grab").exists()


@pytest.mark.parametrize("username", ["outsider", "partner", "funder"])
def test_only_coordinators_and_site_admins_start_initiatives(world, client_for, username):
    client = client_for(world.users[username])
    assert client.get(reverse("initiative_create")).status_code == 403
    assert "Start an initiative" not in client.get(reverse("home")).content.decode()


def test_a_site_admin_starts_an_initiative_for_any_organization(world, client_for):
    newcomer = OrganizationFactory(slug="newcomer")
    response = client_for(world.admin).post(
        reverse("initiative_create"), initiative_data(slug="new-one", backbone=newcomer.pk)
    )
    assert response.status_code == 302
    assert Initiative.objects.get(slug="new-one").participations.get().organization == newcomer


def test_an_initiative_needs_a_name_in_at_least_one_language(world, client_for):
    client = client_for(world.coordinator)
    response = client.post(
        reverse("initiative_edit", args=["ready"]), initiative_data(name_en="", name_fr="")
    )
    assert response.status_code == 200
    assert "Enter this in English, in French, or both." in response.context["form"].errors["name_en"]
    world.initiative.refresh_from_db()
    assert world.initiative.name_en == "Ready for school"


def test_a_name_given_only_in_french_is_shown_to_english_readers(world, client_for):
    client = client_for(world.coordinator)
    client.post(
        reverse("initiative_edit", args=["ready"]),
        initiative_data(name_en="", name_fr="Bon départ"),
    )
    response = client.get(reverse("initiative_overview", args=["ready"]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Bon départ" in response.content.decode()


def test_readers_see_names_in_their_own_language(world, client_for):
    client = client_for(world.partner)
    english = client.get(reverse("initiative_overview", args=["ready"]), HTTP_ACCEPT_LANGUAGE="en")
    french = client.get(reverse("initiative_overview", args=["ready"]), HTTP_ACCEPT_LANGUAGE="fr")
    assert "<h1" in english.content.decode()
    assert "Ready for school" in english.content.decode()
    assert "Prêts pour l&#x27;école" in french.content.decode()


def test_the_fiscal_year_cannot_change_once_partners_have_reported(world, client_for):
    ReportFactory(initiative=world.initiative, organization=world.partner_org)
    client = client_for(world.coordinator)
    response = client.post(
        reverse("initiative_edit", args=["ready"]), initiative_data(fiscal_year_start_month="1")
    )
    assert "fiscal_year_start_month" in response.context["form"].errors
    world.initiative.refresh_from_db()
    assert world.initiative.fiscal_year_start_month == 4


def test_the_coordinator_describes_the_target_population(world, client_for):
    client = client_for(world.coordinator)
    response = client.post(
        reverse("population_edit", args=["ready"]),
        {
            "description_en": "Francophone children 0–6",
            "description_fr": "Enfants francophones de 0 à 6 ans",
            "estimated_size": "9850",
            "size_as_of": "2021-05-11",
        },
    )
    assert response.status_code == 302
    world.initiative.population.refresh_from_db()
    assert world.initiative.population.estimated_size == 9850


def test_the_overview_shows_every_role_the_issue_agenda_population_partners_and_indicators(world, client_for):
    outcome = IndicatorFactory(initiative=world.initiative, code="R1", name_en="Children ready for school")
    IndicatorFactory(
        initiative=world.initiative,
        code="C1",
        name_en="Families served",
        level="contributing",
        outcome=outcome,
    )
    for user in (world.coordinator, world.partner, world.funder):
        page = client_for(user).get(reverse("initiative_overview", args=["ready"])).content.decode()
        for text in (
            "Too many children start school vulnerable.",
            "Every child ready for school by 2030.",
            "Children aged 0 to 6",
            world.partner_org.name_en,
            world.funder_org.name_en,
            "Children ready for school",
            "Families served",
        ):
            assert text in page, (user.username, text)


def test_only_coordinators_see_edit_controls_on_the_overview(world, client_for):
    edit_url = reverse("initiative_edit", args=["ready"])
    assert (
        edit_url
        in client_for(world.coordinator).get(reverse("initiative_overview", args=["ready"])).content.decode()
    )
    for user in (world.partner, world.funder):
        page = client_for(user).get(reverse("initiative_overview", args=["ready"])).content.decode()
        assert edit_url not in page
        assert "Add an indicator" not in page


def test_the_overview_runs_the_same_number_of_queries_however_many_indicators(
    world, client_for, assert_queries
):
    client = client_for(world.coordinator)
    DimensionFactory(initiative=world.initiative)  # without any, there are no categories to read
    for _ in range(3):
        outcome = IndicatorFactory(initiative=world.initiative)
        IndicatorFactory(initiative=world.initiative, level="contributing", outcome=outcome)
    with assert_queries(10):
        client.get(reverse("initiative_overview", args=["ready"]))
    for _ in range(20):
        outcome = IndicatorFactory(initiative=world.initiative)
        IndicatorFactory(initiative=world.initiative, level="contributing", outcome=outcome)
        DimensionFactory(initiative=world.initiative)
    with assert_queries(10):
        client.get(reverse("initiative_overview", args=["ready"]))


def test_home_lists_each_initiative_with_the_users_role(world, client_for):
    MemberFactory(user=world.partner, organization=world.other_backbone)
    page = client_for(world.partner).get(reverse("home")).content.decode()
    assert "Ready for school" in page and "Elsewhere" in page
    assert "Partner" in page and "Backbone" in page


def test_home_does_not_list_initiatives_the_user_has_no_part_in(world, client_for):
    page = client_for(world.partner).get(reverse("home")).content.decode()
    assert "Ready for school" in page
    assert "Elsewhere" not in page


@pytest.mark.parametrize(("username", "count"), [("coordinator", 5), ("partner", 5), ("funder", 4)])
def test_home_runs_a_fixed_number_of_queries(world, client_for, assert_queries, username, count):
    client = client_for(world.users[username])
    with assert_queries(count):
        assert client.get(reverse("home")).status_code in (200, 302)  # a funder of one goes to its report
