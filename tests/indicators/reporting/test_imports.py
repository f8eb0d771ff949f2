"""Spreadsheet upload: French Excel files, XLSX, all-or-nothing, every bad row named."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core.numbers import parse_number
from core.spreadsheets import ImportRefused
from impact.access import get_membership
from indicators.models import DataValue, PartnerReport
from indicators.reporting.imports import import_values
from tests.factories import (
    CategoryFactory,
    DimensionFactory,
    IndicatorFactory,
    OrganizationFactory,
    ParticipationFactory,
)

HEADER = "indicator_code;period;dimension;category;value;numerator;denominator;comment"


@pytest.fixture
def importing(world):
    """Families served by first official language (count), and a share of children screened."""
    language = DimensionFactory(
        initiative=world.initiative, code="langue", name_en="Language", name_fr="Langue"
    )
    CategoryFactory(dimension=language, code="fr", name_en="French", name_fr="Français")
    CategoryFactory(dimension=language, code="en", name_en="English", name_fr="Anglais", order=1)
    families = IndicatorFactory(initiative=world.initiative, code="C1")
    families.dimensions.add(language)
    share = IndicatorFactory(initiative=world.initiative, code="P1", measure_type="percentage")
    for indicator in (families, share):
        indicator.reporting_organizations.add(world.partner_org, world.partner_other_org)
    return world


def run(world, text, *, user=None, encoding="utf-8", **kwargs):
    user = user or world.partner
    return import_values(
        initiative=world.initiative,
        membership=get_membership(user, "ready"),
        user=user,
        data=text.encode(encoding) if isinstance(text, str) else text,
        filename=kwargs.pop("filename", "values.csv"),
        **kwargs,
    )


FRENCH_CSV = "\r\n".join(
    [
        HEADER,
        "C1;2025-Q1;;;1 234;;;Total des familles",
        "C1;2025-Q1;langue;Français;1000;;;Familles francophones",
        "C1;2025-Q1;langue;en;200;;;",
        "P1;2025-Q1;;;;45,5;120;Dépistage réalisé à l'école",
    ]
)


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("cp1252", b""), ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf")],
    ids=["windows-1252", "utf-8", "utf-8-bom"],
)
def test_a_french_excel_csv_is_read_whatever_its_encoding(importing, encoding, prefix):
    result = run(importing, prefix + FRENCH_CSV.encode(encoding))
    assert (result.values, len(result.reports)) == (4, 1)
    values = {(v.indicator.code, v.category.code if v.category else None): v for v in DataValue.objects.all()}
    assert values[("C1", None)].value == Decimal(1234)
    assert values[("C1", "fr")].comment == "Familles francophones"
    assert values[("P1", None)].numerator == Decimal("45.5")
    assert values[("P1", None)].comment == "Dépistage réalisé à l'école"
    assert PartnerReport.objects.get().status == "draft"


def test_a_comma_separated_file_with_decimal_points_is_read_too(importing):
    text = HEADER.replace(";", ",") + "\nP1,2025-Q1,,,,45.5,120,\n"
    assert run(importing, text).values == 1


def test_an_xlsx_file_with_real_numbers_is_read(importing):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    sheet.append(["C1", "2025-Q1", None, None, 12, None, None, "ok"])
    sheet.append(["P1", "2025-Q1", None, None, None, 4.5, 10, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = run(importing, buffer.getvalue(), filename="values.xlsx")
    assert result.values == 2
    assert DataValue.objects.get(indicator__code="P1").numerator == Decimal("4.5")


def test_1_234_means_what_the_files_convention_says_and_is_refused_where_nothing_tells():
    assert parse_number("1,234", decimal_comma=True) == Decimal("1.234")
    assert parse_number("1,234", decimal_comma=False) == Decimal(1234)
    assert parse_number("1,234,567") == Decimal(1234567)
    with pytest.raises(ValueError, match="could be a thousand-something or a decimal"):
        parse_number("1,234")


def test_a_month_excel_turned_into_a_date_is_read_as_that_month(importing):
    import datetime

    monthly = IndicatorFactory(initiative=importing.initiative, code="M1", frequency="monthly")
    monthly.reporting_organizations.add(importing.partner_org)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    sheet.append(["M1", datetime.datetime(2025, 3, 1), None, None, 7, None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    run(importing, buffer.getvalue(), filename="values.xlsx")
    assert PartnerReport.objects.get().period == "2025-03"


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1234,5", "1234.5"),
        ("1 234,5", "1234.5"),
        ("1\u00a0234,5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("1.234,5", "1234.5"),
        ("0", "0"),
        ("-3", "-3"),
        ("", None),
    ],
)
def test_numbers_are_read_as_people_type_them(text, number):
    assert parse_number(text) == (Decimal(number) if number is not None else None)


@pytest.mark.parametrize("text", ["NaN", "inf", "12abc", "1e400", "0.0000001"])
def test_things_that_are_not_plain_numbers_are_refused(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_every_bad_row_is_named_with_its_line_and_nothing_is_written(importing):
    text = "\n".join(
        [
            HEADER,
            "C1;2025-Q1;;;10;;;",  # 2: fine
            "XX;2025-Q1;;;10;;;",  # 3: unknown indicator
            "C1;2025-13;;;10;;;",  # 4: bad period
            "C1;2025-Q2;langue;;10;;;",  # 5: category missing
            "C1;2025-Q3;;;douze;;;",  # 6: not a number
            "P1;2025-Q1;;;;130;120;",  # 7: numerator above denominator
            "C1;2025-Q1;;;11;;;",  # 8: the same as line 2
            "C1;2025-Q1;langue;fr;8;;;",  # 9
            "C1;2025-Q1;langue;en;7;;;",  # 10: with line 9, more than line 2's total
        ]
    )
    with pytest.raises(ImportRefused) as refused:
        run(importing, text)
    lines = {line for line, _message in refused.value.errors}
    assert lines == {2, 3, 4, 5, 6, 7, 8}
    messages = dict(refused.value.errors)
    assert "No indicator “XX”" in messages[3]
    assert (
        "months run from 01 to 12" in messages[4]
        or "quarters" in messages[4]
        or "not a period" in messages[4]
    )
    assert "line 2" in messages[8]
    assert "add up to 15, more than the total 10" in messages[2]
    assert not PartnerReport.objects.exists() and not DataValue.objects.exists()


def test_a_bad_row_in_the_middle_of_ten_thousand_writes_nothing(importing):
    organizations = [OrganizationFactory() for _ in range(20)]
    indicators = [IndicatorFactory(initiative=importing.initiative) for _ in range(20)]
    for organization in organizations:
        ParticipationFactory(initiative=importing.initiative, organization=organization)
        for indicator in indicators:
            indicator.reporting_organizations.add(organization)
    rows = ["organization;" + HEADER]
    quarters = [f"{year}-Q{q}" for year in range(2019, 2026) for q in range(1, 5)][:25]
    for organization in organizations:
        for quarter in quarters:
            for indicator in indicators:
                rows.append(f"{organization.slug};{indicator.code};{quarter};;;{len(rows)};;;")
    assert len(rows) == 10_001
    rows[5_000] = rows[5_000].replace(f";{5000};", ";-5;")
    with pytest.raises(ImportRefused) as refused:
        run(importing, "\n".join(rows), user=importing.coordinator)
    assert [line for line, _message in refused.value.errors] == [5_001]
    assert "cannot be below 0" in refused.value.errors[0][1]
    assert not PartnerReport.objects.exists()


def test_a_partner_cannot_import_for_another_organization(importing):
    text = "organization;" + HEADER + "\npartner_other-org;C1;2025-Q1;;;10;;;"
    with pytest.raises(ImportRefused) as refused:
        run(importing, text)
    assert "You cannot report for" in refused.value.errors[0][1]


def complete(organization, total="10"):
    """Every row a complete 2025-Q1 report of the fixture needs."""
    return [
        f"{organization};C1;2025-Q1;;;{total};;;",
        f"{organization};C1;2025-Q1;langue;fr;5;;;",
        f"{organization};C1;2025-Q1;langue;en;NA;;;Not collected",
        f"{organization};P1;2025-Q1;;;;3;10;",
    ]


def test_the_backbone_imports_for_several_organizations_at_once_and_may_submit(importing):
    text = "\n".join(
        ["organization;" + HEADER, *complete("partner-org"), *complete("partner_other-org", "20")]
    )
    result = run(importing, text, user=importing.coordinator, submit=True)
    assert (len(result.reports), result.submitted) == (2, 2)
    assert set(PartnerReport.objects.values_list("status", flat=True)) == {"submitted"}


def test_an_incomplete_file_cannot_submit_and_writes_nothing(importing):
    text = "organization;" + HEADER + "\npartner-org;C1;2025-Q1;;;10;;;"
    with pytest.raises(ImportRefused) as refused:
        run(importing, text, user=importing.coordinator, submit=True)
    assert "not complete. Missing: C1 (French), C1 (English), P1" in refused.value.errors[0][1]
    assert not PartnerReport.objects.exists()


def test_values_of_a_submitted_report_cannot_be_overwritten_by_an_import(importing):
    rows = [row.removeprefix("partner-org;") for row in complete("partner-org")]
    run(importing, "\n".join([HEADER, *rows]), submit=True)
    with pytest.raises(ImportRefused) as refused:
        run(importing, HEADER + "\nC1;2025-Q1;;;11;;;")
    assert "is submitted: its values cannot change" in refused.value.errors[0][1]
    assert DataValue.objects.get(indicator__code="C1", category=None).value == Decimal(10)


def test_not_available_is_written_na_with_the_reason_as_comment(importing):
    run(importing, HEADER + "\nC1;2025-Q1;;;NA;;;Programme fermé pour travaux")
    value = DataValue.objects.get()
    assert value.not_available and value.not_available_reason == "Programme fermé pour travaux"


def test_blank_template_rows_are_skipped(importing):
    result = run(importing, HEADER + "\nC1;2025-Q1;;;;;;\nC1;2025-Q1;langue;fr;;;;\nP1;2025-Q1;;;;3;10;")
    assert result.values == 1


def test_the_upload_page_lists_bad_rows_and_keeps_nothing(importing, client_for):
    client = client_for(importing.partner)
    upload = io.BytesIO((HEADER + "\nC1;2025-Q1;;;-1;;;").encode("cp1252"))
    upload.name = "valeurs.csv"
    response = client.post(reverse("values_upload", args=["ready"]), {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported" in page and "cannot be below 0" in page
    assert not DataValue.objects.exists()


def test_the_upload_page_imports_and_says_how_much(importing, client_for):
    client = client_for(importing.partner)
    upload = io.BytesIO(FRENCH_CSV.encode("cp1252"))
    upload.name = "valeurs.csv"
    response = client.post(reverse("values_upload", args=["ready"]), {"file": upload}, follow=True)
    assert "4 values imported into 1 report." in response.content.decode()


def test_a_file_that_is_not_a_spreadsheet_is_refused_with_a_message(importing, client_for):
    client = client_for(importing.partner)
    upload = io.BytesIO(b"\x89PNG\r\n")
    upload.name = "photo.png"
    response = client.post(reverse("values_upload", args=["ready"]), {"file": upload})
    assert "Upload a .csv or .xlsx file." in response.content.decode()


def test_the_template_lists_the_organizations_indicators_and_categories_and_comes_back_in(
    importing, client_for
):
    client = client_for(importing.partner)
    response = client.get(reverse("upload_template_xlsx", args=["ready"]) + "?period=2025-Q1")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("indicator_code", "period", "dimension", "category")
    assert [(r[0], r[2], r[3]) for r in rows[1:]] == [
        ("C1", None, None),
        ("C1", "langue", "fr"),
        ("C1", "langue", "en"),
        ("P1", None, None),
    ]
    sheet.cell(row=2, column=7).value = 12  # C1 total, in the value column
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    assert run(importing, buffer.getvalue(), filename="filled.xlsx").values == 1


def test_the_csv_template_uses_semicolons_for_french_readers(importing, client_for):
    client = client_for(importing.partner)
    response = client.get(reverse("upload_template_csv", args=["ready"]), HTTP_ACCEPT_LANGUAGE="fr")
    text = response.content.decode("utf-8-sig")
    assert text.startswith("indicator_code;period;dimension;category;")


def test_the_command_imports_and_exits_non_zero_with_the_row_errors(importing, tmp_path):
    good = tmp_path / "good.csv"
    good.write_bytes(FRENCH_CSV.encode("cp1252"))
    call_command(
        "import_values", str(good), "--initiative", "ready", "--organization", "partner-org", "--submit"
    )
    assert PartnerReport.objects.get().status == "submitted"
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "\nC1;2025-Q2;;;-4;;;\n")
    with pytest.raises(CommandError, match=r"line 2: C1: The value cannot be below 0"):
        call_command("import_values", str(bad), "--initiative", "ready", "--organization", "partner-org")
    assert not PartnerReport.objects.filter(period="2025-Q2").exists()
