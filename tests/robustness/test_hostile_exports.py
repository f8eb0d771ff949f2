"""Exports of hostile names: no text a spreadsheet would run as a formula, numbers stay numbers.

Names are typed by people (pasted from Word, from a web page, or on purpose): whatever they hold,
the CSV and XLSX exports and the upload templates write them as text that no spreadsheet runs, and
write figures as numbers.
"""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from core.spreadsheets import FORMULA_STARTS, csv_bytes, safe_text, xlsx_bytes
from exchange.definition import export_definition, import_definition
from indicators.models import Baseline, DataValue, PartnerReport, Target
from indicators.outcomes import rollups
from indicators.reporting.spreadsheet_templates import template_rows
from reports.exports import report_csv, report_xlsx
from tests.factories import CategoryFactory, DimensionFactory, IndicatorFactory
from tests.robustness.test_hostile_input import Rollback

NUMBER_COLUMNS = ("value", "numerator", "denominator", "baseline", "target", "progress", "partners_reporting")
FORMULAS = [
    "=1+1",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    '=HYPERLINK("http://evil.example","click")',
    "\t=1+1",
    "\r=1+1",
    "=cmd\x0b|'/C calc'!A0",
    "Word\x0bsoft line break",
    "bell\x07and\x1bescape",
    "<script>alert(1)</script>",
    "'=already quoted",
    "-5 % de retard",
]
names = st.one_of(
    st.sampled_from(FORMULAS),
    st.tuples(st.sampled_from(FORMULA_STARTS + ("", " ", "'")), st.text(max_size=20)).map("".join),
).filter(lambda name: name.strip() and "\x00" not in name)
HOSTILE_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def build(world, name, category_name=None):
    """Two indicators named ``name``, with approved figures, a baseline and a target."""
    age = DimensionFactory(initiative=world.initiative, code="age", name_en=category_name or name)
    young = CategoryFactory(dimension=age, code="young", name_en=category_name or name)
    count = IndicatorFactory(
        initiative=world.initiative, code="C1", name_en=name, unit_en=name, frequency="annual"
    )
    count.dimensions.add(age)
    share = IndicatorFactory(
        initiative=world.initiative, code="P1", name_en=name, measure_type="percentage", frequency="annual"
    )
    for indicator in (count, share):
        indicator.reporting_organizations.add(world.partner_org)
    Baseline.objects.create(indicator=share, period="2024", value=Decimal(50), note=name)
    Target.objects.create(indicator=share, period="2026", value=Decimal(70), note=name)
    report = PartnerReport.objects.create(
        initiative=world.initiative,
        organization=world.partner_org,
        period="2025",
        status="approved",
        due_date=datetime.date(2026, 7, 30),
    )
    DataValue.objects.create(report=report, indicator=count, value=Decimal(-0), comment=name)
    DataValue.objects.create(report=report, indicator=count, category=young, value=Decimal("0"))
    DataValue.objects.create(report=report, indicator=share, numerator=Decimal(30), denominator=Decimal(45))
    rollups.refresh_report(report)
    world.initiative.name_en = name
    world.initiative.save()
    return world


def assert_csv_is_safe(content, number_columns=NUMBER_COLUMNS):
    text = content.decode("utf-8-sig")
    delimiter = ";" if text.split("\n", 1)[0].count(";") else ","
    table = list(csv.DictReader(io.StringIO(text), delimiter=delimiter))
    assert table
    for row in table:
        for column, cell in row.items():
            assert not cell.startswith(FORMULA_STARTS), (column, cell)
            if column in number_columns and cell not in ("", "x") and not cell.startswith("<"):
                Decimal(cell)  # a number, written plainly
    return table


def assert_xlsx_is_safe(content, number_columns=NUMBER_COLUMNS):
    workbook = load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        header = None
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_STARTS), (
                        sheet.title,
                        cell.coordinate,
                        cell.value,
                    )
            values = [cell.value for cell in row]
            if header is None and values and values[0] in ("indicator_code", "organization"):
                header = values
                continue
            if header is not None and sheet.title in ("data", "values"):
                for column, cell in zip(header, row, strict=False):
                    if column in number_columns and cell.value not in (None, "x"):
                        assert cell.data_type == "n" or str(cell.value).startswith("<"), (column, cell.value)
    return workbook


@HOSTILE_SETTINGS
@given(name=names)
@example(name="Word\x0bsoft line break")
@example(name="=1+1")
def test_exports_write_any_name_as_text_no_spreadsheet_runs(world, name):
    try:
        with transaction.atomic():
            build(world, name)
            assert_csv_is_safe(report_csv(world.initiative))
            assert_xlsx_is_safe(report_xlsx(world.initiative))
            assert_xlsx_is_safe(report_xlsx(world.initiative, small_cells=True))
            header, rows = template_rows(
                world.initiative, [world.partner_org], period_key="2026", with_organization=True
            )
            assert rows
            assert_csv_is_safe(csv_bytes(header, rows), number_columns=())
            assert_csv_is_safe(csv_bytes(header, rows, semicolons=True), number_columns=())
            assert_xlsx_is_safe(xlsx_bytes(header, rows), number_columns=())
            raise Rollback
    except Rollback:
        pass


@pytest.mark.parametrize("name", FORMULAS)
def test_the_export_pages_answer_with_any_name(world, client_for, name):
    build(world, name)
    client = client_for(world.coordinator)
    for url_name in ("report_csv", "report_xlsx"):
        response = client.get(reverse(url_name, args=["ready"]))
        assert response.status_code == 200
        content = b"".join(response) if response.streaming else response.content
        (assert_csv_is_safe if url_name == "report_csv" else assert_xlsx_is_safe)(content)
    for url_name in ("upload_template_csv", "upload_template_xlsx"):
        response = client.get(reverse(url_name, args=["ready"]), {"period": "2026"})
        assert response.status_code == 200
        check = assert_csv_is_safe if url_name.endswith("csv") else assert_xlsx_is_safe
        check(response.content, number_columns=())


def test_figures_stay_numbers_in_the_xlsx(world):
    build(world, "=1+1")
    workbook = load_workbook(io.BytesIO(report_xlsx(world.initiative)))
    sheet = workbook["data"]
    header = [cell.value for cell in sheet[1]]
    first = dict(zip(header, sheet[2], strict=True))
    assert first["indicator_name"].value == "'=1+1" and first["indicator_name"].data_type == "s"
    assert first["value"].data_type == "n" and first["value"].value == 0
    assert first["partners_reporting"].value == 1


def test_the_template_guard_is_read_back_on_import(world):
    """A name or code the template guarded with an apostrophe is read as it was written."""
    from impact.access import get_membership
    from indicators.reporting.imports import import_values
    from partners.models import Participation
    from tests.factories import OrganizationFactory, ParticipationFactory

    build(world, "=1+1")
    hyphenated = OrganizationFactory(slug="-maison")
    ParticipationFactory(
        initiative=world.initiative, organization=hyphenated, role=Participation.Role.PARTNER
    )
    world.initiative.indicators.get(code="C1").reporting_organizations.add(hyphenated)
    header, rows = template_rows(world.initiative, [hyphenated], period_key="2026", with_organization=True)
    assert header[:2] == ["organization", "indicator_code"] and header[-4:][0] == "value"
    total = next(row for row in rows if row[1] == "C1" and row[3] == "")
    assert total[0] == "'-maison" and total[5] == "'=1+1"
    data = csv_bytes(header, [[*total[:-4], "4", "", "", "'=ok"]])
    result = import_values(
        initiative=world.initiative,
        membership=get_membership(world.coordinator, "ready"),
        user=world.coordinator,
        data=data,
    )
    assert result.values == 1
    saved = DataValue.objects.get(report__organization=hyphenated)
    assert saved.value == 4 and saved.comment == "=ok"


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx", "plain", "", None, 12])
def test_safe_text_guards_what_a_spreadsheet_would_run(text):
    guarded = safe_text(text)
    assert isinstance(guarded, str) and not guarded.startswith(FORMULA_STARTS)
    assert guarded.removeprefix("'") == ("" if text is None else str(text))


def test_the_definition_export_keeps_hostile_names_as_they_are_and_imports_back(world):
    build(world, '"><img src=x onerror=alert(1)>')
    document = json.loads(json.dumps(export_definition(world.initiative)))
    assert document["indicators"][0]["name"]["en"] == '"><img src=x onerror=alert(1)>'
    copy = import_definition(document, slug="copy")
    assert copy.indicators.get(code="C1").name_en == '"><img src=x onerror=alert(1)>'
