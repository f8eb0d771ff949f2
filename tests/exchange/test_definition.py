"""The initiative definition (JSON): export, import, and a round trip that changes nothing."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from demo import seed as demo
from exchange.definition import DefinitionError, export_definition, import_definition
from impact.models import Initiative
from partners.models import Organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def early_years(settings):
    settings.DEBUG = True
    initiative, _created = demo.seed_demo()
    return initiative


def without_volatile(document):
    return {key: value for key, value in document.items() if key != "exported_at"}


def test_a_round_trip_reproduces_the_same_framework(early_years):
    original = export_definition(early_years)
    copy = import_definition(json.loads(json.dumps(original)), slug="early-years-copy")
    exported_again = export_definition(copy)
    exported_again["initiative"]["slug"] = "early-years"
    assert without_volatile(exported_again) == without_volatile(original)


def test_the_export_holds_every_part_of_the_framework(early_years):
    document = export_definition(early_years)
    assert document["format"] == "concerto.initiative" and document["version"] == 1
    assert document["initiative"]["name"]["fr"] == "Prêts pour l'école — Est ontarien"
    assert document["population"]["estimated_size"] == 9850
    assert {d["code"] for d in document["dimensions"]} == {"age", "language"}
    assert {o["role"] for o in document["organizations"]} == {"backbone", "partner", "funder"}
    r1 = next(i for i in document["indicators"] if i["code"] == "R1")
    assert r1["baselines"][0] == {
        "dimension": None,
        "category": None,
        "period": "2022",
        "value": "62.6",
        "note": "",
    }
    assert {
        "dimension": "language",
        "category": "fr",
        "period": "2028",
        "value": "82",
        "note": "",
    } in r1["targets"]
    c5 = next(i for i in document["indicators"] if i["code"] == "C5")
    assert (c5["measure_type"], c5["multiplier"], c5["outcome"]) == ("rate", "1000", "R2")


def test_the_commands_round_trip_through_a_file(early_years, tmp_path):
    path = tmp_path / "definition.json"
    call_command("export_initiative", "early-years", "-o", str(path))
    call_command("import_initiative", str(path), "--slug", "restored")
    restored = Initiative.objects.get(slug="restored")
    assert restored.indicators.count() == early_years.indicators.count()
    assert restored.participations.count() == early_years.participations.count()


def test_importing_reuses_organizations_that_exist_rather_than_duplicating_them(early_years):
    before = Organization.objects.count()
    import_definition(export_definition(early_years), slug="second")
    assert Organization.objects.count() == before


def test_an_existing_slug_is_refused_and_nothing_is_created(early_years):
    before = Initiative.objects.count()
    with pytest.raises(DefinitionError, match="exists already"):
        import_definition(export_definition(early_years))
    assert Initiative.objects.count() == before


def test_a_file_with_errors_creates_nothing_and_lists_every_error(early_years):
    document = export_definition(early_years)
    document["indicators"][0]["measure_type"] = "median"
    document["indicators"][3]["targets"][0]["period"] = "2026-Q9"
    document["organizations"].append(
        {"slug": "new-org", "name": {"en": "New"}, "sector": "nonsense", "role": "partner"}
    )
    with pytest.raises(DefinitionError) as raised:
        import_definition(document, slug="broken")
    messages = "\n".join(raised.value.messages)
    assert "indicators[0] (R1).measure_type" in messages
    assert "2026-Q9" in messages
    assert "organizations[8].sector" in messages
    assert not Initiative.objects.filter(slug="broken").exists()
    assert not Organization.objects.filter(slug="new-org").exists()


def test_a_contributing_measure_must_name_an_outcome_present_in_the_file(early_years):
    document = export_definition(early_years)
    document["indicators"] = [i for i in document["indicators"] if i["code"] != "R2"]
    with pytest.raises(DefinitionError, match="no population-level outcome “R2”"):
        import_definition(document, slug="orphans")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json at all", "not valid JSON"),
        ('{"format": "something-else"}', "not a Concerto initiative definition"),
        ('{"format": "concerto.initiative", "version": 99}', "unsupported version"),
        ("[1, 2, 3]", "not a Concerto initiative definition"),
    ],
)
def test_the_import_command_refuses_a_malformed_file_with_a_clear_message(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(CommandError, match=message):
        call_command("import_initiative", str(path))
    assert not Initiative.objects.exists()


def test_the_export_command_refuses_an_unknown_slug():
    with pytest.raises(CommandError, match="No initiative"):
        call_command("export_initiative", "nope")


def test_a_coordinator_downloads_the_definition_from_the_overview(world, client_for):
    response = client_for(world.coordinator).get(reverse("definition_export", args=["ready"]))
    assert response["Content-Disposition"] == 'attachment; filename="ready-definition.json"'
    assert json.loads(response.content)["initiative"]["slug"] == "ready"


def test_an_initiative_without_a_backbone_is_refused(early_years):
    document = export_definition(early_years)
    document["organizations"] = [o for o in document["organizations"] if o["role"] != "backbone"]
    with pytest.raises(DefinitionError, match="backbone"):
        import_definition(document, slug="leaderless")
    assert not Initiative.objects.filter(slug="leaderless").exists()


def test_the_stories_behind_the_curves_travel_with_the_definition(early_years):
    document = export_definition(early_years)
    r1 = next(i for i in document["indicators"] if i["code"] == "R1")
    [published] = [story for story in r1["stories"] if story["status"] == "published"][-1:]
    assert published["story"]["en"] and published["story"]["fr"]
    assert published["published_at"]
    copy = import_definition(json.loads(json.dumps(document)), slug="early-years-copy")
    narrative = copy.indicators.get(code="R1").narratives.get(period=published["period"])
    assert (narrative.status, narrative.story_en) == ("published", published["story"]["en"])
    assert narrative.published_at.isoformat(timespec="seconds") == published["published_at"]


def test_a_story_for_a_period_the_indicator_does_not_have_is_refused(early_years):
    document = export_definition(early_years)
    r1 = next(i for i in document["indicators"] if i["code"] == "R1")
    r1["stories"] = [
        {"period": "2025-Q1", "status": "published", "story": {"en": "Quarterly?"}},
        {"period": "2025", "status": "shouted", "story": {"en": "Loud"}},
        {"period": "2024", "status": "draft", "story": {}},
    ]
    with pytest.raises(DefinitionError) as raised:
        import_definition(document, slug="broken")
    messages = "\n".join(raised.value.messages)
    assert "stories[0].period: “2025-Q1” is not a period of this indicator" in messages
    assert "stories[1].status: must be one of draft, published" in messages
    assert "stories[2].story_en: Write what is driving the curve" in messages
    assert not Initiative.objects.filter(slug="broken").exists()
