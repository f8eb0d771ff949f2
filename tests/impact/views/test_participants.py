import pytest
from django.urls import reverse

from partners.models import Organization, Participation
from tests.factories import IndicatorFactory, OrganizationFactory, ReportFactory


def test_a_coordinator_adds_an_existing_organization_as_a_partner(world, client_for):
    organization = OrganizationFactory(slug="library")
    response = client_for(world.coordinator).post(
        reverse("participant_add", args=["ready"]),
        {"organization": organization.pk, "role": "partner"},
    )
    assert response.status_code == 302
    assert Participation.objects.get(initiative=world.initiative, organization=organization).role == "partner"


def test_an_organization_already_taking_part_is_not_offered_again(world, client_for):
    response = client_for(world.coordinator).get(reverse("participant_list", args=["ready"]))
    assert world.partner_org not in response.context["add_form"].fields["organization"].queryset


def test_a_coordinator_registers_a_new_organization_and_adds_it_in_one_step(world, client_for):
    response = client_for(world.coordinator).post(
        reverse("organization_create", args=["ready"]),
        {
            "new-name_fr": "Bibliothèque publique",
            "new-slug": "bibliotheque",
            "new-sector": "public_institution",
            "new-role": "partner",
        },
    )
    assert response.status_code == 302
    organization = Organization.objects.get(slug="bibliotheque")
    assert organization.name == "Bibliothèque publique"
    assert organization.participations.get().initiative == world.initiative


def test_a_new_organization_with_a_taken_short_name_is_refused_with_the_page_kept(world, client_for):
    response = client_for(world.coordinator).post(
        reverse("organization_create", args=["ready"]),
        {
            "new-name_en": "Copy",
            "new-slug": "partner-org",
            "new-sector": "non_profit",
            "new-role": "partner",
        },
    )
    assert response.status_code == 400
    assert "slug" in response.context["create_form"].errors
    assert response.context["create_form"]["name_en"].value() == "Copy"


def test_the_last_backbone_cannot_be_demoted_or_removed(world, client_for):
    client = client_for(world.coordinator)
    slug = world.backbone.slug
    client.post(reverse("participant_role", args=["ready", slug]), {"role": "partner"})
    client.post(reverse("participant_remove", args=["ready", slug]))
    assert (
        Participation.objects.get(initiative=world.initiative, organization=world.backbone).role == "backbone"
    )


def test_an_organization_that_has_reported_stays_on_record(world, client_for):
    ReportFactory(initiative=world.initiative, organization=world.partner_org)
    response = client_for(world.coordinator).post(
        reverse("participant_remove", args=["ready", world.partner_org.slug]), follow=True
    )
    assert "cannot be removed" in response.content.decode()
    assert Participation.objects.filter(initiative=world.initiative, organization=world.partner_org).exists()


def test_removing_a_partner_also_stops_expecting_its_reports(world, client_for):
    indicator = IndicatorFactory(initiative=world.initiative)
    indicator.reporting_organizations.add(world.partner_other_org)
    client_for(world.coordinator).post(
        reverse("participant_remove", args=["ready", world.partner_other_org.slug])
    )
    assert not indicator.reporting_organizations.exists()
    assert not Participation.objects.filter(organization=world.partner_other_org).exists()


def test_a_partner_turned_funder_is_no_longer_asked_to_report(world, client_for):
    indicator = IndicatorFactory(initiative=world.initiative)
    indicator.reporting_organizations.add(world.partner_other_org)
    client_for(world.coordinator).post(
        reverse("participant_role", args=["ready", world.partner_other_org.slug]),
        {"role": "funder"},
    )
    assert not indicator.reporting_organizations.exists()


@pytest.mark.parametrize("size", [3, 30])
def test_the_organizations_page_runs_the_same_queries_however_many_organizations(
    world, client_for, assert_queries, size
):
    for _ in range(size):
        Participation.objects.create(
            initiative=world.initiative, organization=OrganizationFactory(), role="partner"
        )
    client = client_for(world.coordinator)
    with assert_queries(6):
        assert client.get(reverse("participant_list", args=["ready"])).status_code == 200
