"""The values export: every reported figure in the import's format with its report's status, for
the backbone only, and `import_values --restore` reads it back with the same statuses."""

import csv
import io
from decimal import Decimal as D

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from indicators.models import DataValue, PartnerReport, ReportEvent
from indicators.outcomes import rollups
from tests.factories import CategoryFactory, DimensionFactory, IndicatorFactory, ReportFactory

HEADER = [
    "organization",
    "indicator_code",
    "period",
    "dimension",
    "category",
    "value",
    "numerator",
    "denominator",
    "comment",
    "status",
]


def report(world, organization, period, status):
    return ReportFactory(initiative=world.initiative, organization=organization, period=period, status=status)


@pytest.fixture
def reported(world):
    """Counts by age and a percentage; an approved, a returned and a draft report."""
    age = DimensionFactory(initiative=world.initiative, code="age")
    young = CategoryFactory(dimension=age, code="0-4")
    served = IndicatorFactory(initiative=world.initiative, code="C1", frequency="annual")
    served.dimensions.add(age)
    ready = IndicatorFactory(
        initiative=world.initiative, code="R1", measure_type="percentage", frequency="annual"
    )
    for indicator in (served, ready):
        indicator.reporting_organizations.add(world.partner_org, world.partner_other_org)
    approved = report(world, world.partner_org, "2025", "approved")
    DataValue.objects.create(report=approved, indicator=served, value=D(20), comment="=1+1 as typed")
    DataValue.objects.create(report=approved, indicator=served, category=young, value=D(12))
    DataValue.objects.create(report=approved, indicator=ready, numerator=D(30), denominator=D(50))
    returned = report(world, world.partner_other_org, "2025", "returned")
    DataValue.objects.create(report=returned, indicator=served, value=D(7))
    DataValue.objects.create(report=returned, indicator=served, category=young, value=D(2))
    DataValue.objects.create(
        report=returned, indicator=ready, not_available=True, not_available_reason="Survey moved to spring"
    )
    draft = report(world, world.partner_org, "2026", "draft")
    DataValue.objects.create(report=draft, indicator=served, value=D(3))
    rollups.rebuild(world.initiative)
    return world


def rows_of(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_backbone_downloads_every_figure_with_its_organization_and_status(reported, client_for):
    response = client_for(reported.coordinator).get(reverse("values_csv", args=["ready"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="ready-values-')
    assert rows_of(b"".join(response.streaming_content)) == [
        HEADER,
        ["partner-org", "C1", "2025", "", "", "20", "", "", "'=1+1 as typed", "approved"],
        ["partner-org", "C1", "2025", "age", "0-4", "12", "", "", "", "approved"],
        ["partner-org", "R1", "2025", "", "", "", "30", "50", "", "approved"],
        ["partner-org", "C1", "2026", "", "", "3", "", "", "", "draft"],
        ["partner_other-org", "C1", "2025", "", "", "7", "", "", "", "returned"],
        ["partner_other-org", "C1", "2025", "age", "0-4", "2", "", "", "", "returned"],
        ["partner_other-org", "R1", "2025", "", "", "NA", "", "", "Survey moved to spring", "returned"],
    ]


def test_the_excel_download_keeps_numbers_as_numbers_and_text_as_text(reported, client_for):
    response = client_for(reported.coordinator).get(reverse("values_xlsx", args=["ready"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    first = list(next(sheet.iter_rows(min_row=2, max_row=2)))
    assert [cell.value for cell in sheet[1]] == HEADER
    assert first[5].value == 20 and first[5].data_type == "n"
    assert first[8].value == "'=1+1 as typed" and first[8].data_type == "s"


@pytest.mark.parametrize("role", ["partner", "funder"])
def test_partners_and_funders_cannot_download_everyones_figures(reported, client_for, role):
    client = client_for(reported.users[role])
    assert client.get(reverse("values_csv", args=["ready"])).status_code == 403
    assert client.get(reverse("values_xlsx", args=["ready"])).status_code == 403


def test_the_command_writes_what_the_site_gives(reported, client_for, tmp_path):
    call_command("export_values", "ready", "-o", str(tmp_path / "values.csv"), stderr=io.StringIO())
    site = b"".join(
        client_for(reported.coordinator).get(reverse("values_csv", args=["ready"])).streaming_content
    )
    assert (tmp_path / "values.csv").read_bytes() == site


def exported_then_emptied(tmp_path):
    """The values export of "ready" in a file, and no report or value left behind it."""
    path = tmp_path / "values.csv"
    call_command("export_values", "ready", "-o", str(path), stderr=io.StringIO())
    DataValue.objects.all().delete()
    PartnerReport.objects.all().delete()
    return str(path)


def snapshot(initiative):
    return sorted(
        DataValue.objects.filter(report__initiative=initiative).values_list(
            "report__organization__slug",
            "report__period",
            "report__status",
            "indicator__code",
            "category__code",
            "value",
            "numerator",
            "denominator",
            "not_available",
            "not_available_reason",
            "comment",
        ),
        key=str,
    )


def test_a_restore_gives_each_report_its_figures_and_status_again_through_the_review(
    reported, tmp_path, django_capture_on_commit_callbacks
):
    initiative = reported.initiative
    before = snapshot(initiative)
    path = exported_then_emptied(tmp_path)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command(
            "import_values",
            path,
            "--initiative=ready",
            "--restore",
            "--user=coordinator",
            stdout=out,
        )
    assert callbacks == [] and mail.outbox == []  # reviews replayed from the past email nobody
    assert "Restored 7 values" in out.getvalue()
    assert snapshot(initiative) == before
    # Approved and returned by the coordinator through the review, which says it was a restore.
    approval = ReportEvent.objects.get(
        report__period="2025", report__organization=reported.partner_org, action="approve"
    )
    assert approval.user == reported.coordinator
    assert "restored from a values export" in approval.comment
    call_command("rollups", stdout=io.StringIO())  # they agree with the values


def test_a_restore_with_an_unknown_status_writes_nothing_and_names_the_line(reported, tmp_path):
    content = (
        "organization,indicator_code,period,value,status\n"
        "partner-org,C1,2027,5,approved\n"
        "partner-org,C1,2028,6,accepted\n"
    )
    (tmp_path / "values.csv").write_text(content)
    before = snapshot(reported.initiative)
    with pytest.raises(CommandError, match=r"line 3: status: one of draft, submitted, approved, returned"):
        call_command(
            "import_values",
            str(tmp_path / "values.csv"),
            "--initiative=ready",
            "--restore",
            "--user=coordinator",
        )
    assert snapshot(reported.initiative) == before


def test_an_ordinary_import_of_the_export_reads_the_figures_and_ignores_the_statuses(reported, tmp_path):
    path = exported_then_emptied(tmp_path)
    call_command(
        "import_values",
        path,
        "--initiative=ready",
        "--user=coordinator",
        stdout=io.StringIO(),
    )
    assert set(PartnerReport.objects.values_list("status", flat=True)) == {"draft"}
    assert DataValue.objects.count() == 7


def test_a_long_export_streams_in_pieces_that_add_up_to_the_whole_file():
    from core.spreadsheets import csv_chunks

    rows = [
        [f"org-{n}", "C1", "2025", "", "", str(n), "", "", 'é, "quoted"', "approved"] for n in range(2500)
    ]
    chunks = list(csv_chunks(HEADER, iter(rows)))
    assert len(chunks) == 3  # 1,000 rows, 1,000 rows, the last 500
    assert rows_of(b"".join(chunks)) == [HEADER, *rows]
    assert b"".join(chunks).startswith("\ufefforganization,".encode())


def test_too_many_figures_for_an_excel_file_on_the_site_say_so_and_offer_the_csv(
    reported, client_for, monkeypatch
):
    monkeypatch.setattr("indicators.reporting.views.files.XLSX_MAX_ROWS_ON_THE_SITE", 6)
    client = client_for(reported.coordinator)
    response = client.get(reverse("values_xlsx", args=["ready"]), follow=True)
    assert response.redirect_chain == [(reverse("reporting_home", args=["ready"]), 302)]
    assert "This initiative has 7 figures: too many to build an Excel file" in response.content.decode()
    assert client.get(reverse("values_csv", args=["ready"])).status_code == 200
