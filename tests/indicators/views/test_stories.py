"""The story behind the curve: coordinators write, publish and take back; every version is kept."""

import pytest
from django.urls import reverse

from indicators.models import Narrative, NarrativeStatus
from tests.factories import IndicatorFactory

TEXTS = {
    "story_en": "More families reach the programs.",
    "story_fr": "Plus de familles participent aux programmes.",
    "partners_en": "The library doubled its story hours.",
    "partners_fr": "",
    "next_steps_en": "Reach English-speaking families.",
    "next_steps_fr": "",
}


@pytest.fixture
def outcome(world):
    return IndicatorFactory(initiative=world.initiative, code="R1", frequency="annual")


def url(name, period="2025"):
    return reverse(name, args=["ready", "R1", period])


def test_a_coordinator_writes_a_draft_that_reports_do_not_show(world, outcome, client_for):
    client = client_for(world.coordinator)
    response = client.post(url("narrative_edit"), TEXTS)
    assert response.status_code == 302
    narrative = Narrative.objects.get(indicator=outcome, period="2025")
    assert narrative.status == NarrativeStatus.DRAFT
    assert narrative.story_fr == TEXTS["story_fr"]
    assert narrative.author.username == "coordinator"
    page = client.get(reverse("outcome_report", args=["ready"]) + "?to=2025").content.decode()
    assert TEXTS["story_en"] not in page


def test_publishing_puts_the_story_in_the_report_and_taking_it_back_removes_it(world, outcome, client_for):
    client = client_for(world.coordinator)
    client.post(url("narrative_edit"), TEXTS)
    assert client.post(url("narrative_publish"), TEXTS).status_code == 302
    narrative = Narrative.objects.get(indicator=outcome)
    assert narrative.status == NarrativeStatus.PUBLISHED and narrative.published_at is not None
    report = reverse("outcome_report", args=["ready"]) + "?to=2025"
    assert TEXTS["story_en"] in client_for(world.funder).get(report).content.decode()
    client_for(world.coordinator).post(url("narrative_unpublish"), TEXTS)
    narrative.refresh_from_db()
    assert narrative.status == NarrativeStatus.DRAFT and narrative.published_at is None
    assert TEXTS["story_en"] not in client_for(world.funder).get(report).content.decode()


def test_a_published_story_stays_published_when_corrected_and_every_version_is_kept(
    world, outcome, client_for
):
    client = client_for(world.coordinator)
    client.post(url("narrative_edit"), TEXTS)
    client.post(url("narrative_publish"), TEXTS)
    client.post(url("narrative_edit"), TEXTS | {"story_en": "Corrected: more families than ever."})
    narrative = Narrative.objects.get(indicator=outcome)
    assert narrative.status == NarrativeStatus.PUBLISHED
    versions = list(
        narrative.history.order_by("history_date").values_list("story_en", "status", "history_user__username")
    )
    assert versions == [
        (TEXTS["story_en"], "draft", "coordinator"),
        (TEXTS["story_en"], "published", "coordinator"),
        ("Corrected: more families than ever.", "published", "coordinator"),
    ]
    page = client.get(url("narrative_edit")).content.decode()
    assert "story (English)" in page  # the versions table says what changed


def test_a_story_needs_what_drives_the_curve(world, outcome, client_for):
    response = client_for(world.coordinator).post(
        url("narrative_edit"), TEXTS | {"story_en": " ", "story_fr": ""}
    )
    assert response.status_code == 400
    assert "Write what is driving the curve" in response.content.decode()
    assert not Narrative.objects.exists()


def test_publishing_saves_what_was_just_typed_or_keeps_it_on_an_error(world, outcome, client_for):
    client = client_for(world.coordinator)
    client.post(url("narrative_edit"), TEXTS)
    refused = client.post(
        url("narrative_publish"), TEXTS | {"story_en": "", "story_fr": "", "partners_en": "Kept."}
    )
    assert refused.status_code == 400
    assert "Kept." in refused.content.decode()  # what was typed comes back with the message
    assert Narrative.objects.get().status == NarrativeStatus.DRAFT
    client.post(url("narrative_publish"), TEXTS | {"story_en": "Typed just before publishing."})
    narrative = Narrative.objects.get()
    assert (narrative.status, narrative.story_en) == ("published", "Typed just before publishing.")
    assert narrative.history.count() == 2  # written, then saved and published in one version


def test_a_story_is_for_a_period_of_the_indicator(world, outcome, client_for):
    client = client_for(world.coordinator)
    assert client.get(url("narrative_edit", "2025-Q1")).status_code == 404  # R1 is annual
    assert client.get(url("narrative_edit", "someday")).status_code == 404
    assert client.post(url("narrative_publish", "2025-Q1"), TEXTS).status_code == 404


@pytest.mark.parametrize("role", ["partner", "funder"])
def test_only_the_backbone_writes_stories(world, outcome, client_for, role):
    client = client_for(world.users[role])
    assert client.get(url("narrative_edit")).status_code == 403
    assert client.post(url("narrative_edit"), TEXTS).status_code == 403
    assert not Narrative.objects.exists()


def test_the_indicator_page_shows_the_published_story_and_the_backbone_its_stories(
    world, outcome, client_for
):
    Narrative.objects.create(
        indicator=outcome, period="2025", story_en="Published words.", status="published"
    )
    Narrative.objects.create(indicator=outcome, period="2024", story_en="Older words.", status="published")
    partner_page = client_for(world.partner).get(outcome.get_absolute_url()).content.decode()
    assert "Published words." in partner_page and "Older words." not in partner_page
    assert "/story/" not in partner_page
