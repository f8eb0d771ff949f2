"""The outcome export: approved data in DESIGN.md's columns, the same from the web and the command."""

import csv
import datetime
import io
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from indicators.models import Baseline, DataValue, PartnerReport, Target
from indicators.outcomes import rollups
from tests.factories import CategoryFactory, DimensionFactory, IndicatorFactory


def approved(world, organization, period, status="approved"):
    return PartnerReport.objects.create(
        initiative=world.initiative,
        organization=organization,
        period=period,
        status=status,
        due_date=datetime.date(2027, 1, 1),
    )


@pytest.fixture
def exported(world):
    """A cumulative count by age group and a percentage, over two years, one report pending."""
    age = DimensionFactory(initiative=world.initiative, code="age")
    young = CategoryFactory(dimension=age, code="young", order=0)
    old = CategoryFactory(dimension=age, code="old", order=1)
    served = IndicatorFactory(
        initiative=world.initiative,
        code="C1",
        name_en='=HYPERLINK("http://evil")',
        frequency="annual",
        accumulation="cumulative",
    )
    served.dimensions.add(age)
    ready = IndicatorFactory(
        initiative=world.initiative, code="R1", name_en="Ready", measure_type="percentage", frequency="annual"
    )
    for indicator in (served, ready):
        indicator.reporting_organizations.add(world.partner_org, world.partner_other_org)
    Baseline.objects.create(indicator=ready, period="2024", value=D(50))
    Target.objects.create(indicator=ready, period="2026", value=D(70))
    Baseline.objects.create(indicator=served, period="2024", value=D(0))
    for year, total, small in (("2025", 40, 3), ("2026", 60, 12)):
        report = approved(world, world.partner_org, year)
        DataValue.objects.create(report=report, indicator=served, value=D(total))
        DataValue.objects.create(report=report, indicator=served, category=young, value=D(small))
        DataValue.objects.create(report=report, indicator=served, category=old, value=D(total - small - 20))
        DataValue.objects.create(report=report, indicator=ready, numerator=D(30), denominator=D(50))
    pending = approved(world, world.partner_other_org, "2026", status="submitted")
    DataValue.objects.create(report=pending, indicator=ready, numerator=D(0), denominator=D(1000))
    rollups.rebuild(world.initiative)
    world.young, world.old = young, old
    return world


def rows(content):
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def test_the_export_has_designs_columns_and_approved_figures_only(exported, client_for):
    response = client_for(exported.coordinator).get(reverse("report_csv", args=["ready"]))
    table = rows(response.content)
    assert list(table[0]) == [
        "indicator_code",
        "indicator_name",
        "period",
        "dimension",
        "category",
        "value",
        "numerator",
        "denominator",
        "baseline",
        "target",
        "progress",
        "partners_reporting",
    ]
    ready_2026 = next(r for r in table if r["indicator_code"] == "R1" and r["period"] == "2026")
    # 30/50 from the approved report; the submitted 0/1000 would have made it 2.857…%.
    assert (ready_2026["value"], ready_2026["numerator"], ready_2026["denominator"]) == ("60", "30", "50")
    assert (ready_2026["baseline"], ready_2026["target"], ready_2026["progress"]) == ("50", "70", "0.5")
    assert ready_2026["partners_reporting"] == "1"


def test_a_cumulative_value_is_the_running_total_to_the_end_of_the_period(exported, client_for):
    table = rows(client_for(exported.coordinator).get(reverse("report_csv", args=["ready"])).content)
    totals = [(r["period"], r["value"]) for r in table if r["indicator_code"] == "C1" and not r["category"]]
    assert totals == [("2024", "0"), ("2025", "40"), ("2026", "100")]
    young = [(r["period"], r["value"]) for r in table if r["category"] == "young"]
    assert young == [("2025", "3"), ("2026", "15")]


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_neutralised(exported, client_for):
    table = rows(client_for(exported.coordinator).get(reverse("report_csv", args=["ready"])).content)
    assert (
        next(r for r in table if r["indicator_code"] == "C1")["indicator_name"]
        == '\'=HYPERLINK("http://evil")'
    )


def test_the_command_writes_the_same_bytes_as_the_site(exported, client_for, tmp_path):
    web = (
        client_for(exported.coordinator)
        .get(reverse("report_csv", args=["ready"]) + "?from=2025&to=2026")
        .content
    )
    path = tmp_path / "report.csv"
    call_command("export_report", "ready", "--from", "2025", "--to", "2026", "-o", str(path))
    assert path.read_bytes() == web
    assert {r["period"] for r in rows(web)} == {"2025", "2026"}


def test_the_xlsx_has_real_numbers_and_a_frozen_header(exported, client_for):
    content = client_for(exported.coordinator).get(reverse("report_xlsx", args=["ready"])).content
    sheet = load_workbook(io.BytesIO(content))["data"]
    assert sheet.freeze_panes == "A2"
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    ready_2026 = next(row for row in values if row[0] == "R1" and row[2] == "2026")
    assert ready_2026[5] == 60 and isinstance(ready_2026[5], int | float)
    assert ready_2026[10] == 0.5


def test_outside_the_backbone_small_counts_and_the_cell_that_would_reveal_them_are_hidden(
    exported, client_for
):
    table = rows(client_for(exported.partner).get(reverse("report_csv", args=["ready"])).content)
    cells = {
        (r["period"], r["category"]): r["value"]
        for r in table
        if r["indicator_code"] == "C1" and r["category"]
    }
    # 2025: young (3) is under 5; old (17) is the next smallest, hidden too ("x"), so that no one
    # can work young out from the total. Running totals in 2026: young 3 + 12, old 17 + 28.
    assert cells[("2025", "young")] == "<5" and cells[("2025", "old")] == "x"
    assert cells[("2026", "young")] == "15" and cells[("2026", "old")] == "45"
    coordinator = rows(client_for(exported.coordinator).get(reverse("report_csv", args=["ready"])).content)
    assert next(r for r in coordinator if r["period"] == "2025" and r["category"] == "young")["value"] == "3"


def test_a_bad_period_in_the_range_is_a_clear_400(exported, client_for):
    response = client_for(exported.coordinator).get(reverse("report_csv", args=["ready"]) + "?from=2025-Q9")
    assert response.status_code == 400
    assert b"quarters run from Q1 to Q4" in response.content


@pytest.mark.parametrize("name", ["report_csv", "report_xlsx"])
def test_the_export_runs_a_fixed_number_of_queries(exported, client_for, assert_queries, name):
    client = client_for(exported.coordinator)
    with assert_queries(10):
        assert client.get(reverse(name, args=["ready"])).status_code == 200
