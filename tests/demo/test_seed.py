import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from demo import seed as demo
from impact.access import get_membership
from impact.models import Initiative
from indicators.models import DataValue, Indicator, PartnerReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    return Initiative.objects.get(slug="early-years")


def test_the_demo_runs_twice_without_error_or_duplicates(seeded, settings):
    counts = (
        PartnerReport.objects.count(),
        DataValue.objects.count(),
        get_user_model().objects.count(),
    )
    call_command("seed_demo")
    assert (
        PartnerReport.objects.count(),
        DataValue.objects.count(),
        get_user_model().objects.count(),
    ) == counts
    assert Initiative.objects.filter(slug="early-years").count() == 1


def test_the_demo_refuses_to_run_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert not Initiative.objects.exists()
    call_command("seed_demo", "--force")
    assert Initiative.objects.filter(slug="early-years").exists()


def test_the_demo_covers_every_measure_type_and_has_outcomes_with_contributing_measures(seeded):
    indicators = seeded.indicators.all()
    assert indicators.count() >= 8
    assert set(indicators.values_list("measure_type", flat=True)) == set(Indicator.MeasureType.values)
    outcomes = indicators.filter(level="outcome")
    assert outcomes.count() >= 2
    assert all(outcome.contributing_measures.exists() for outcome in outcomes)
    assert seeded.dimensions.count() == 2
    assert all(i.baselines.exists() and i.targets.exists() for i in indicators)


def test_the_demo_has_five_partners_a_funder_and_reports_in_every_state(seeded):
    roles = list(seeded.participations.values_list("role", flat=True))
    assert roles.count("partner") >= 5 and roles.count("funder") >= 1 and roles.count("backbone") == 1
    statuses = set(seeded.reports.values_list("status", flat=True))
    assert statuses == {"draft", "submitted", "approved", "returned"}
    late = seeded.reports.get(status="draft")
    assert late.due_date.isoformat() == "2026-10-30"
    returned = seeded.reports.get(status="returned")
    assert returned.review_comment and returned.events.filter(action="return").exists()


def test_the_demo_holds_three_years_of_approved_data(seeded):
    approved_periods = set(seeded.reports.approved().values_list("period", flat=True))
    assert {"2023", "2024", "2025"} <= approved_periods
    assert {"2023-Q1", "2024-Q1", "2025-Q1", "2026-Q1"} <= approved_periods


def test_every_demo_status_change_is_recorded_as_a_report_event(seeded):
    for report in seeded.reports.exclude(status="draft"):
        assert report.events.filter(action="submit").exists()
    for report in seeded.reports.filter(status="approved"):
        assert report.events.filter(action="approve").exists()


def test_a_single_indicator_has_exactly_one_reporting_organization(seeded):
    for indicator in seeded.indicators.filter(measure_type="single"):
        assert indicator.reporting_organizations.count() == 1


@pytest.mark.parametrize(
    ("username", "role"),
    [
        ("coordinator", "backbone"),
        ("partner", "partner"),
        ("partner2", "partner"),
        ("funder", "funder"),
        ("admin", None),
    ],
)
def test_each_demo_login_lands_on_its_roles_view_of_early_years(seeded, client, username, role):
    logged_in = client.post(reverse("login"), {"username": username, "password": demo.PASSWORD})
    assert logged_in.status_code == 302
    home = client.get(reverse("home"), follow=True)  # a funder of one initiative goes to its report
    assert "Ready for School" in home.content.decode()
    user = get_user_model().objects.get(username=username)
    assert get_membership(user, "early-years").role == role
    assert client.get(reverse("initiative_overview", args=["early-years"])).status_code == 200
