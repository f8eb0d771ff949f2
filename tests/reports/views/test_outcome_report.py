"""The outcome report: approved data for every reader, the stories behind the curves, the range,
small cells hidden outside the backbone, exports that match, and nothing a funder can change."""

import datetime
import io
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from indicators.models import Baseline, DataValue, Narrative, PartnerReport, Target
from indicators.outcomes import rollups
from indicators.periods import Period
from reports.selectors.outcome_report import last_complete_period
from tests.factories import (
    CategoryFactory,
    DimensionFactory,
    IndicatorFactory,
    InitiativeFactory,
    MemberFactory,
    ParticipationFactory,
)

SECRET = "777"  # the numerator of a submitted report: it must never show


def annual(offset):
    """The key of an annual period of an April fiscal year, counted from the one running today."""
    period = Period.containing(datetime.date.today(), "annual", 4)
    return period.shifted(offset).key


def report(world, organization, key, status, rows):
    made = PartnerReport.objects.create(
        initiative=world.initiative,
        organization=organization,
        period=key,
        status=status,
        due_date=datetime.date(2020, 1, 1),
        submitted_at=datetime.datetime(2026, 5, 1, 12, tzinfo=datetime.UTC),
    )
    for indicator, category, figures in rows:
        DataValue.objects.create(report=made, indicator=indicator, category=category, **figures)
    rollups.refresh_report(made)
    return made


@pytest.fixture
def funded(world):
    """R1 (a percentage by language) served by C1 (a count), with two partners: the last ended
    year and the one before approved for one partner, the other partner's last year submitted only,
    and the running year approved (outside the default range)."""
    language = DimensionFactory(initiative=world.initiative, code="language", name_en="Language")
    fr = CategoryFactory(dimension=language, code="fr", name_en="French")
    en = CategoryFactory(dimension=language, code="en", name_en="English")
    r1 = IndicatorFactory(
        initiative=world.initiative,
        code="R1",
        name_en="Children ready for school",
        measure_type="percentage",
        frequency="annual",
        decimals=1,
    )
    c1 = IndicatorFactory(
        initiative=world.initiative,
        code="C1",
        name_en="Families in programs",
        level="contributing",
        outcome=r1,
        frequency="annual",
    )
    r1.dimensions.add(language)
    c1.dimensions.add(language)
    r1.reporting_organizations.add(world.partner_org, world.partner_other_org)
    c1.reporting_organizations.add(world.partner_org)
    Baseline.objects.create(indicator=r1, period=annual(-3), value=D(50))
    Target.objects.create(indicator=r1, period=annual(2), value=D(80))
    ratio = lambda n, d: {"numerator": D(n), "denominator": D(d)}  # noqa: E731
    report(
        world,
        world.partner_org,
        annual(-2),
        "approved",
        [
            (r1, None, ratio(48, 100)),
            (r1, fr, ratio(45, 70)),
            (r1, en, ratio(3, 30)),
            (c1, None, {"value": D(40)}),
        ],
    )
    report(
        world,
        world.partner_org,
        annual(-1),
        "approved",
        [
            (r1, None, ratio(66, 100)),
            (r1, fr, ratio(51, 70)),
            (r1, en, ratio(15, 30)),
            (c1, None, {"value": D(50)}),
        ],
    )
    report(world, world.partner_other_org, annual(-1), "submitted", [(r1, None, ratio(SECRET, 1000))])
    report(world, world.partner_org, annual(0), "approved", [(r1, None, ratio(90, 100))])
    stories = [
        (annual(-2), "published", "An older story."),
        (annual(-1), "published", "What drives the curve this year."),
        (annual(0), "published", "A story of the year still running."),
    ]
    for key, status, text in stories:
        Narrative.objects.create(indicator=r1, period=key, status=status, story_en=text)
    Narrative.objects.create(
        indicator=c1, period=annual(-1), status="draft", story_en="A draft nobody reads."
    )
    world.r1, world.c1, world.fr, world.en = r1, c1, fr, en
    return world


def page(client, query=""):
    response = client.get(reverse("outcome_report", args=["ready"]) + query)
    assert response.status_code == 200
    return response, response.content.decode()


def test_every_reader_gets_approved_figures_only(funded, client_for):
    for user in (funded.funder, funded.partner, funded.coordinator):
        response, html = page(client_for(user))
        outcome = response.context["report"].sections[0].outcome
        assert outcome.latest.value == D(66)  # the submitted 777 / 1000 is not counted
        assert SECRET not in html
        assert "66.0%" in html


def test_a_figure_resting_on_fewer_partners_than_expected_says_so(funded, client_for):
    _response, html = page(client_for(funded.funder))
    assert "1 of 2 partners" in html


def test_by_default_the_report_stops_at_the_last_complete_period(funded, client_for):
    response, html = page(client_for(funded.funder))
    report = response.context["report"]
    assert report.last.key == Period.containing(datetime.date.today(), "annual", 4).previous().key
    assert [p.period.key for p in report.sections[0].outcome.total.points if p.value is not None] == [
        annual(-2),
        annual(-1),
    ]
    assert "90.0%" not in html  # the running year's figure waits for its year to end


def test_a_chosen_range_shows_its_periods_and_its_newest_story(funded, client_for):
    client = client_for(funded.funder)
    _response, later = page(client, f"?to={annual(0)}")
    assert "90.0%" in later
    assert "A story of the year still running." in later
    response, earlier = page(client, f"?from={annual(-2)}&to={annual(-2)}")
    assert "An older story." in earlier
    assert "What drives the curve this year." not in earlier
    assert "66.0%" not in earlier
    assert response.context["export_query"] == f"from={annual(-2)}&to={annual(-2)}"


def test_a_period_that_is_not_one_is_set_aside_with_a_message(funded, client_for):
    response, html = page(client_for(funded.funder), "?from=someday")
    assert response.context["report"].first is None
    assert "“someday” is not a period" in html


def test_only_published_stories_appear_in_the_report(funded, client_for):
    _response, html = page(client_for(funded.funder))
    assert "What drives the curve this year." in html
    assert "A draft nobody reads." not in html
    assert "An older story." not in html  # the newest published story in the range only


def test_small_counts_are_hidden_outside_the_backbone(funded, client_for):
    response, html = page(client_for(funded.funder))
    english = response.context["report"].sections[0].outcome.categories[funded.en]
    hidden = [point.value for point in english.points if point.period.key == annual(-2)][0]
    assert str(hidden) == "fewer than 5"  # 3 of 30: the numerator would single children out
    assert "fewer than 5" in html
    _response, backbone = page(client_for(funded.coordinator))
    assert "fewer than 5" not in backbone.split("Data quality")[0]
    assert "10.0%" in backbone  # 3 / 30


def test_the_report_offers_the_exports_of_its_range(funded, client_for):
    client = client_for(funded.funder)
    _response, html = page(client, f"?from={annual(-2)}&to={annual(-1)}")
    csv_url = f"{reverse('report_csv', args=['ready'])}?from={annual(-2)}&amp;to={annual(-1)}"
    assert csv_url in html
    csv = client.get(csv_url.replace("&amp;", "&")).content.decode()
    assert SECRET not in csv
    rows = [line.split(",") for line in csv.splitlines()]
    assert [row[2] for row in rows if row[0] == "R1" and row[3] == ""] == [annual(-2), annual(-1)]
    assert "<5" in csv  # the funder's export hides the same small cell


def test_the_xlsx_opens_on_a_formatted_summary_then_the_tidy_data(funded, client_for):
    url = reverse("report_xlsx", args=["ready"]) + f"?to={annual(-1)}"
    workbook = load_workbook(io.BytesIO(client_for(funded.funder).get(url).content))
    assert workbook.sheetnames == ["Summary", "data"]
    summary = workbook["Summary"]
    assert summary["A1"].value == "Ready for school"
    header = [cell.value for cell in summary[5]]
    assert header[:6] == ["Code", "Indicator", "Level", "Baseline", "Baseline period", "Latest"]
    r1 = next(row for row in summary.iter_rows(min_row=6, values_only=True) if row[0] == "R1")
    assert r1[3] == 50 and r1[5] == 66 and r1[7] == 80
    assert r1[9] == pytest.approx(0.5333)  # (66 − 50) / (80 − 50)
    assert r1[11] == "1 / 2"
    progress_cell = next(row for row in summary.iter_rows(min_row=6) if row[0].value == "R1")[9]
    assert progress_cell.number_format == "0%"
    data = workbook["data"]
    assert data.freeze_panes == "A2"
    cells = [cell for row in workbook["data"].iter_rows(values_only=True) for cell in row]
    cells += [cell for row in summary.iter_rows(values_only=True) for cell in row]
    assert not any(SECRET in str(cell) for cell in cells if cell is not None)


def test_a_funder_of_one_initiative_lands_on_its_report(funded, client_for):
    response = client_for(funded.funder).get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("outcome_report", args=["ready"])


def test_a_funder_of_several_initiatives_chooses_a_report_from_home(funded, client_for):
    second = InitiativeFactory(slug="second", name_en="Second initiative")
    ParticipationFactory(initiative=second, organization=funded.funder_org, role="funder")
    html = client_for(funded.funder).get(reverse("home")).content.decode()
    assert reverse("outcome_report", args=["ready"]) in html
    assert reverse("outcome_report", args=["second"]) in html
    assert "Read the outcome report" in html


def test_a_funder_never_sees_a_control_that_changes_anything(funded, client_for):
    client = client_for(funded.funder)
    pages = [
        reverse("outcome_report", args=["ready"]),
        reverse("dashboard", args=["ready"]),
        reverse("initiative_overview", args=["ready"]),
        reverse("indicator_detail", args=["ready", "R1"]),
        reverse("indicator_detail", args=["ready", "C1"]),
    ]
    allowed_actions = {reverse("set_language"), reverse("logout")}
    for url in pages:
        html = client.get(url).content.decode()
        actions = re.findall(
            r'<form[^>]*method="post"[^>]*action="([^"]*)"|<form[^>]*action="([^"]*)"[^>]*method="post"', html
        )
        assert {a or b for a, b in actions} <= allowed_actions, url
        assert not re.search(r'<form(?![^>]*action=)[^>]*method="post"', html), url
        for name in (
            "initiative_edit",
            "indicator_create",
            "values_upload",
            "review_queue",
            "reporting_home",
        ):
            assert reverse(name, args=["ready"]) not in html, (url, name)
        for name in ("indicator_edit", "indicator_milestones"):
            assert reverse(name, args=["ready", "R1"]) not in html, (url, name)
        assert "/story/" not in html, url


def test_a_funder_who_is_also_a_partner_may_still_do_a_partners_work(funded, client_for):
    partner_org = ParticipationFactory(initiative=funded.initiative, role="partner").organization
    MemberFactory(user=funded.funder, organization=partner_org)
    response = client_for(funded.funder).post(reverse("values_upload", args=["ready"]), {})
    assert response.status_code == 200  # the form answers (no file given), not a refusal


def test_the_report_of_another_initiative_is_not_there(funded, client_for):
    assert client_for(funded.funder).get(reverse("outcome_report", args=["elsewhere"])).status_code == 404


@pytest.mark.parametrize(
    ("frequencies", "expected"),
    [
        (["annual"], "2025"),  # April 2025 – March 2026: the fiscal year 2026–27 is still running
        (["annual", "quarterly"], "2026-Q2"),  # July – September 2026
        (["quarterly", "monthly"], "2026-10"),
    ],
)
def test_the_last_complete_period_is_taken_at_the_finest_frequency(world, frequencies, expected):
    for frequency in frequencies:
        IndicatorFactory(initiative=world.initiative, frequency=frequency)
    assert last_complete_period(world.initiative, datetime.date(2026, 11, 28)).key == expected
