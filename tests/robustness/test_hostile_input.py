"""Hostile and broken spreadsheets: any bytes, any encoding, any cell, refused or imported whole.

Whatever arrives on the upload page, the import either writes the whole file or nothing (values,
reports and rollups exactly as before), never fails with a server error, and says what is wrong
with each line it refuses.
"""

import csv
import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from core.numbers import parse_number
from core.spreadsheets import ImportRefused, decode
from impact.access import get_membership
from indicators.models import DataValue, PartnerReport, Rollup
from indicators.reporting.imports import import_values, read_table
from tests.factories import CategoryFactory, DimensionFactory, IndicatorFactory

COLUMNS = [
    "indicator_code",
    "period",
    "dimension",
    "category",
    "value",
    "numerator",
    "denominator",
    "comment",
]
HOSTILE_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

NASTY_NUMBERS = [
    "1e400",
    "-1e400",
    "1E+400",
    str(10**50),
    "9" * 400,
    "0." + "1" * 40,
    "NaN",
    "-nan",
    "sNaN",
    "inf",
    "-inf",
    "Infinity",
    "∞",
    "-0",
    "-0.0",
    "+0",
    "0E-10",
    "1e-7",
    "1E+2",
    "1,234",
    "1.234,5",
    "1 234,5",
    "1,234.5",
    "1\u00a0234,5",
    "1\u202f234",
    "12,5",
    "-12,5",
    "1,2,3",
    "1.2.3",
    "=1+1",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    '=HYPERLINK("http://example.org")',
    "1_000",
    "١٢٣",
    "0x10",
    "1/2",
    "50%",
    "$12",
    "12 €",
    "(12)",
    ",5",
    "5,",
    ".",
    ",",
    "-",
    "--1",
    "1e",
    "\x00",
    "1\x002",
    "TRUE",
    "<script>alert(1)</script>",
    "'12",
    " 12 ",
    "\t12",
    "NA",
    "n/a",
    "non disponible",
    "",
    "0",
    "5",
    "12",
    "120",
]
HOSTILE_TEXTS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "=cmd|' /C calc'!A0",
    "+1",
    "@SUM(A1)",
    "a\x00b",
    "x" * 300,
    "é" * 2100,
    "line\r\nbreak",
    "\ufeff",
    "\u202egnp.exe",
    "😀 ÿ € œ",
    "%s %(x)s {0} {{ 7*7 }}",
    '"',
    "';--",
    "",
]

numbers = st.one_of(
    st.sampled_from(NASTY_NUMBERS),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(str),
    st.integers(min_value=-(10**60), max_value=10**60).map(str),
    st.text(max_size=8),
)
texts = st.one_of(st.sampled_from(HOSTILE_TEXTS), st.text(max_size=40))
rows = st.fixed_dictionaries(
    {
        "indicator_code": st.one_of(st.sampled_from(["C1", "P1", "M1", "c1", "XX"]), texts),
        "period": st.one_of(st.sampled_from(["2025-Q1", "2025-Q2", "2025", "2025-13", "2025-Q9"]), texts),
        "breakdown": st.one_of(
            st.sampled_from([("", ""), ("", ""), ("langue", "fr"), ("langue", "Anglais"), ("langue", "xx")]),
            st.tuples(texts, texts),
        ),
        "value": numbers,
        "numerator": numbers,
        "denominator": numbers,
        "comment": texts,
    }
)


class Rollback(Exception):
    """Raised at the end of each example to undo what it wrote."""


@pytest.fixture
def importing(world):
    return indicators_asked(world)


def indicators_asked(world):
    """A count by language, a percentage and a mean, asked of the partner."""
    language = DimensionFactory(initiative=world.initiative, code="langue", name_en="Language")
    CategoryFactory(dimension=language, code="fr", name_en="French", name_fr="Français")
    CategoryFactory(dimension=language, code="en", name_en="English", name_fr="Anglais", order=1)
    families = IndicatorFactory(initiative=world.initiative, code="C1")
    families.dimensions.add(language)
    share = IndicatorFactory(initiative=world.initiative, code="P1", measure_type="percentage")
    mean = IndicatorFactory(initiative=world.initiative, code="M1", measure_type="mean")
    for indicator in (families, share, mean):
        indicator.reporting_organizations.add(world.partner_org)
    return world


def snapshot():
    """Everything an import could write, comparable before and after."""
    return (
        sorted(
            DataValue.objects.values_list(
                "report_id",
                "indicator_id",
                "category_id",
                "value",
                "numerator",
                "denominator",
                "not_available",
                "not_available_reason",
                "comment",
            ),
            key=repr,
        ),
        sorted(PartnerReport.objects.values_list("id", "organization_id", "period", "status", "version")),
        sorted(
            Rollup.objects.values_list("indicator_id", "category_id", "period", "status", "total", "values"),
            key=repr,
        ),
    )


def to_csv(records, delimiter=",", encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for record in records:
        dimension, category = record["breakdown"]
        writer.writerow(
            [
                record["indicator_code"],
                record["period"],
                dimension,
                category,
                record["value"],
                record["numerator"],
                record["denominator"],
                record["comment"],
            ]
        )
    return buffer.getvalue().encode(encoding, errors="replace")


def xlsx(rows_of_cells, header=COLUMNS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for cells in rows_of_cells:
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(world, data, *, filename="values.csv", user=None):
    user = user or world.partner
    return import_values(
        initiative=world.initiative,
        membership=get_membership(user, "ready"),
        user=user,
        data=data,
        filename=filename,
    )


def assert_imported_whole_or_refused_clearly(world, data, filename="values.csv"):
    """The property every upload keeps: all of it written, or nothing and a message per problem."""
    before = snapshot()
    try:
        result = run(world, data, filename=filename)
    except ImportRefused as refused:
        assert refused.errors, "a refusal says why"
        for line, message in refused.errors:
            assert line is None or (isinstance(line, int) and line >= 1)
            assert isinstance(message, str) and message.strip()
        assert snapshot() == before, "a refused file writes nothing"
        return None
    assert result.values >= 1 and snapshot() != before
    return result


# Bytes and encodings -----------------------------------------------------------------------------


@HOSTILE_SETTINGS
@given(data=st.binary(max_size=400), filename=st.sampled_from(["values.csv", "values.xlsx", "values.txt"]))
@example(data=b"\xef\xbb\xbf\xff\xfe", filename="values.csv")
@example(data=b"\xef\xbb\xbfindicator_code,period,value\r\nC1,2025-Q1,\xff\r\n", filename="values.csv")
@example(data=b"PK\x03\x04not a zip at all", filename="values.csv")
@example(data=b"\x00" * 50, filename="values.csv")
def test_any_bytes_are_imported_whole_or_refused_with_a_message(importing, data, filename):
    try:
        with transaction.atomic():
            assert_imported_whole_or_refused_clearly(importing, data, filename)
            raise Rollback
    except Rollback:
        pass


@HOSTILE_SETTINGS
@given(
    records=st.lists(rows, min_size=1, max_size=5),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"]),
    damage=st.one_of(st.none(), st.tuples(st.integers(0, 2000), st.binary(min_size=1, max_size=3))),
    truncate=st.one_of(st.none(), st.integers(0, 2000)),
)
def test_hostile_csv_rows_are_imported_whole_or_refused_line_by_line(
    importing, records, delimiter, encoding, damage, truncate
):
    data = to_csv(records, delimiter, encoding)
    if damage is not None:
        position, junk = damage
        data = data[:position] + junk + data[position:]
    if truncate is not None:
        data = data[:truncate]
    try:
        with transaction.atomic():
            assert_imported_whole_or_refused_clearly(importing, data)
            raise Rollback
    except Rollback:
        pass


def storable_in_xlsx(cell):
    return not isinstance(cell, str) or not any(ord(c) < 32 and c not in "\t\n\r" for c in cell)


xlsx_cells = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False, places=8),
    st.datetimes(min_value=datetime.datetime(1900, 3, 1), max_value=datetime.datetime(2100, 1, 1)),
    st.sampled_from(["=1+1", "=1/0", "=NA()", "#DIV/0!", "#N/A", "+cmd", "-2+3", "@SUM(A1)"]),
    st.sampled_from(NASTY_NUMBERS),
    texts,
).filter(storable_in_xlsx)


@HOSTILE_SETTINGS
@given(
    cells=st.lists(
        st.tuples(
            st.sampled_from(["C1", "P1", "M1", "XX"]),
            st.one_of(st.sampled_from(["2025-Q1", "2025", 2025]), xlsx_cells),
            st.sampled_from([(None, None), ("langue", "fr"), ("langue", "en")]),
            xlsx_cells,
            xlsx_cells,
            xlsx_cells,
            xlsx_cells,
        ),
        min_size=1,
        max_size=4,
    ),
    truncate=st.one_of(st.none(), st.integers(0, 6000)),
)
def test_hostile_xlsx_cells_are_imported_whole_or_refused(importing, cells, truncate):
    data = xlsx(
        [
            [code, period, *breakdown, value, numerator, denominator, comment]
            for code, period, breakdown, value, numerator, denominator, comment in cells
        ]  # noqa: E501
    )
    if truncate is not None:
        data = data[:truncate]
    try:
        with transaction.atomic():
            assert_imported_whole_or_refused_clearly(importing, data, "values.xlsx")
            raise Rollback
    except Rollback:
        pass


VALID_ROWS = [
    ("C1", "2025-Q1", "", "", "12", "", "", "ok"),
    ("C1", "2025-Q1", "langue", "fr", "5", "", "", ""),
    ("P1", "2025-Q1", "", "", "", "3", "10", ""),
    ("M1", "2025-Q1", "", "", "4,5", "", "20", ""),
]


@HOSTILE_SETTINGS
@given(
    row=st.sampled_from(range(len(VALID_ROWS))),
    column=st.sampled_from(range(len(COLUMNS))),
    cell=st.one_of(st.sampled_from(NASTY_NUMBERS + HOSTILE_TEXTS), texts, numbers),
    delimiter=st.sampled_from([",", ";"]),
)
@example(row=0, column=7, cell="a\x00b", delimiter=",")
@example(row=0, column=4, cell="NA", delimiter=",")
@example(row=0, column=7, cell="é" * 2100, delimiter=";")
def test_one_hostile_cell_in_a_good_file_is_imported_whole_or_refused(
    importing, row, column, cell, delimiter
):
    records = [list(cells) for cells in VALID_ROWS]
    records[row][column] = cell
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerows([COLUMNS, *records])
    try:
        with transaction.atomic():
            assert_imported_whole_or_refused_clearly(importing, buffer.getvalue().encode())
            raise Rollback
    except Rollback:
        pass


@pytest.mark.parametrize(
    ("value", "comment"),
    [("12", "a\x00b"), ("NA", "r" * 251), ("NA", "closed\x00"), ("12", "x" * 100_000)],
    ids=["nul-in-comment", "long-reason", "nul-in-reason", "huge-comment"],
)
def test_a_comment_the_database_cannot_hold_is_refused_with_its_line(importing, value, comment):
    data = f"indicator_code,period,value,comment\r\nC1,2025-Q1,5,\r\nC1,2025-Q2,{value},{comment}\r\n"
    with pytest.raises(ImportRefused) as refused:
        run(importing, data.encode())
    assert [line for line, _message in refused.value.errors] == [3]
    assert not DataValue.objects.exists() and not PartnerReport.objects.exists()


def with_sheet_xml(cells_xml):
    """An XLSX file whose sheet holds ``cells_xml`` as its data rows, as any program may write it."""
    template = zipfile.ZipFile(io.BytesIO(xlsx([], header=["x"])))
    header = "".join(
        f'<c r="{letter}1" t="inlineStr"><is><t>{name}</t></is></c>'
        for letter, name in zip("ABCDEFGH", COLUMNS, strict=True)
    )
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        f'<row r="1">{header}</row>{cells_xml}</sheetData></worksheet>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as damaged:
        for name in template.namelist():
            damaged.writestr(name, sheet if name == "xl/worksheets/sheet1.xml" else template.read(name))
    return buffer.getvalue()


def data_row(value_xml):
    return (
        '<row r="2"><c r="A2" t="inlineStr"><is><t>C1</t></is></c>'
        f'<c r="B2" t="inlineStr"><is><t>2025-Q1</t></is></c>{value_xml}</row>'
    )


def zipped(**files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name.replace("__", "/"), content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"indicator_code,period,value\nC1,2025-Q1,5\n", id="a-csv-named-xlsx"),
        pytest.param(zipped(readme="hello"), id="a-zip-that-is-no-xlsx"),
        pytest.param(zipped(**{"[Content_Types].xml": "<Types/>"}), id="a-zip-with-half-an-xlsx"),
        pytest.param(xlsx([["C1", "2025-Q1", None, None, 5]])[:300], id="a-truncated-xlsx"),
        pytest.param(with_sheet_xml(data_row('<c r="E2"><v>NaN</v></c>')), id="nan-in-a-number-cell"),
        pytest.param(with_sheet_xml(data_row('<c r="E2"><v>inf</v></c>')), id="inf-in-a-number-cell"),
        pytest.param(with_sheet_xml(data_row('<c r="E2"><v>1E400</v></c>')), id="1e400-in-a-number-cell"),
        pytest.param(with_sheet_xml(data_row('<c r="E2"><v>12abc</v></c>')), id="text-in-a-number-cell"),
        pytest.param(with_sheet_xml(data_row('<c r="E2" t="s"><v>99</v></c>')), id="no-such-shared-string"),
        pytest.param(with_sheet_xml(data_row('<c r="E2" t="e"><v>#DIV/0!</v></c>')), id="an-error-cell"),
        pytest.param(with_sheet_xml(data_row('<c r="E2" t="b"><v>1</v></c>')), id="a-boolean"),
        pytest.param(with_sheet_xml(data_row('<c r="E2" t="d"><v>2025-13-45</v></c>')), id="a-bad-date"),
        pytest.param(with_sheet_xml(data_row('<c r="E2" t="d"><v>2025-01-01</v></c>')), id="a-date"),
        pytest.param(with_sheet_xml(data_row('<c r="E2"><f>1/0</f></c>')), id="a-formula-never-computed"),
        pytest.param(with_sheet_xml(data_row('<c r="E2" s="999"><v>5</v></c>')), id="no-such-style"),
        pytest.param(with_sheet_xml(data_row('<c r="ZZZZZ2"><v>5</v></c>')), id="a-column-past-the-last"),
        pytest.param(with_sheet_xml('<row r="2"><c r="A2"><v>1</v>'), id="unclosed-xml"),
        pytest.param(with_sheet_xml("<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>"), id="xxe"),
    ],
)
def test_a_broken_or_fake_xlsx_is_refused_with_a_message_or_read(importing, data):
    assert_imported_whole_or_refused_clearly(importing, data, "values.xlsx")


def test_a_formula_excel_computed_is_read_as_its_result(importing):
    data = with_sheet_xml(data_row('<c r="E2"><f>SUM(1,1)</f><v>2</v></c>'))
    run(importing, data, filename="values.xlsx")
    assert DataValue.objects.get().value == 2


# Through the upload page ----------------------------------------------------------------------------


def upload(client, data, name="values.csv", **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("values_upload", args=["ready"]), {"file": SimpleUploadedFile(name, data), **fields}
    )


def assert_page_imported_whole_or_refused_clearly(client, data, name="values.csv", **fields):
    before = snapshot()
    response = upload(client, data, name, **fields)
    assert response.status_code in (302, 400), response.status_code
    if response.status_code == 302:
        assert snapshot() != before
        return response
    assert snapshot() == before, "a refused upload writes nothing"
    page = response.content.decode()
    assert "Nothing was imported" in page or 'class="invalid-feedback' in page
    assert "<script>alert" not in page and "<img src=x" not in page
    return response


@HOSTILE_SETTINGS
@given(
    records=st.lists(rows, min_size=1, max_size=4),
    delimiter=st.sampled_from([",", ";"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
    as_coordinator=st.booleans(),
    name=st.sampled_from(["values.csv", "values.xlsx", "values.txt", "values.CSV"]),
)
def test_the_upload_page_never_fails_and_never_half_imports(
    importing, client_for, records, delimiter, encoding, as_coordinator, name
):
    user = importing.coordinator if as_coordinator else importing.partner
    client = client_for(user)
    fields = {"organization": importing.partner_org.pk} if as_coordinator else {}
    try:
        with transaction.atomic():
            assert_page_imported_whole_or_refused_clearly(
                client, to_csv(records, delimiter, encoding), name, **fields
            )
            raise Rollback
    except Rollback:
        pass


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"x" * (10 * 1024 * 1024 + 1), "values.csv", "larger than 10 MB"),
        (b"indicator_code,period,value\r\nC1,2025-Q1,5\r\n", "values.exe", "Upload a .csv or .xlsx file"),
        (b"", "values.csv", "The submitted file is empty"),
        (
            b"\xef\xbb\xbfindicator_code,period,value\r\nC1,2025-Q1,\xff\r\n",
            "values.csv",
            "save the file again",
        ),
        (b"indicator_code,period,value,comment\r\nC1,2025-Q1,5,a\x00b\r\n", "values.csv", "null character"),
        (b"PK\x03\x04garbage", "values.xlsx", "not a readable XLSX file"),
    ],
    ids=["too-large", "wrong-extension", "empty", "broken-utf8", "nul", "fake-xlsx"],
)
def test_the_upload_page_says_what_is_wrong_with_a_broken_file(importing, client_for, data, name, message):
    response = assert_page_imported_whole_or_refused_clearly(client_for(importing.partner), data, name)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_html_in_every_cell_is_shown_as_text_in_the_list_of_problems(importing, client_for):
    script, image = "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>'
    rows_of_cells = [
        [script, "2025-Q1", "", "", "5", "", "", ""],
        ["C1", image, "", "", "5", "", "", ""],
        ["C1", "2025-Q1", script, image, "5", "", "", ""],
        ["C1", "2025-Q1", "", "", script, "", "", ""],
        ["C1", "2025-Q2", "", "", "5", "", "", script],
    ]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["organization", *COLUMNS], *([image, *cells] for cells in rows_of_cells)])
    data = buffer.getvalue().encode()
    response = assert_page_imported_whole_or_refused_clearly(client_for(importing.coordinator), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in page


def test_a_comment_with_html_is_stored_as_text_and_shown_escaped(importing, client_for):
    script = "<script>alert(1)</script>"
    data = f'indicator_code,period,value,comment\r\nC1,2025-Q1,5,"{script}"\r\n'.encode()
    client = client_for(importing.partner)
    assert upload(client, data).status_code == 302
    assert DataValue.objects.get().comment == script
    page = client.get(reverse("report_page", args=["ready", importing.partner_org.slug, "2025-Q1"]))
    assert page.status_code == 200
    assert script not in page.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.content.decode()


def test_a_utf16_file_as_excel_saves_unicode_text_is_read(importing):
    data = "indicator_code\tperiod\tvalue\tcomment\r\nC1\t2025-Q1\t1 234\tété\r\n".encode("utf-16")
    run(importing, data, filename="values.txt")
    assert DataValue.objects.get().value == 1234
    assert DataValue.objects.get().comment == "été"


def test_a_tab_separated_file_refuses_a_comma_it_cannot_read_for_sure(importing):
    data = "indicator_code\tperiod\tvalue\r\nC1\t2025-Q1\t1,234\r\n".encode("utf-16")
    with pytest.raises(ImportRefused) as refused:
        run(importing, data, filename="values.txt")
    assert "could be a thousand-something" in refused.value.errors[0][1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-0", Decimal(0)),
        ("+5", Decimal(5)),
        ("1E+2", Decimal(100)),
        (" 12 ", Decimal(12)),
        ("1\u202f234,5", Decimal("1234.5")),
        (10**13, Decimal(10**13)),
        (0.1, Decimal("0.1")),
    ],
)
def test_odd_but_plain_numbers_are_read(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    "cell",
    [
        "1e400",
        str(10**50),
        "9" * 5000,
        "NaN",
        "-nan",
        "sNaN",
        "inf",
        "-Infinity",
        float("nan"),
        float("inf"),
        float("-inf"),
        10**50,
        1e308,
        "=1+1",
        "-2+3",
        "@SUM(A1)",
        "+cmd|' /C calc'!A0",
        "0E-10",
        "1,2,3",
        "\x00",
        True,
        datetime.date(2025, 1, 1),
    ],
)
def test_what_is_not_a_storable_number_is_refused_with_a_message(cell):
    with pytest.raises(ValueError) as refused:
        parse_number(cell)
    assert str(refused.value).strip()


@given(st.one_of(st.text(), st.decimals(), st.floats(), st.integers()))
@settings(max_examples=300, deadline=None)
def test_parse_number_returns_a_storable_number_or_says_why_not(cell):
    try:
        number = parse_number(cell)
    except ValueError as refused:
        assert str(refused).strip()
        return
    if number is not None:
        assert number.is_finite()
        assert abs(number) < Decimal(10) ** 14
        assert number.as_tuple().exponent >= -6


@given(st.binary(max_size=200))
@settings(max_examples=200, deadline=None)
def test_decode_reads_any_bytes_or_refuses_them_with_a_line(data):
    try:
        assert isinstance(decode(data), str)
    except ImportRefused as refused:
        assert refused.errors[0][0] >= 1 and refused.errors[0][1]


@given(st.binary(max_size=300), st.sampled_from(["values.csv", "values.xlsx"]))
@settings(max_examples=200, deadline=None)
def test_read_table_reads_any_bytes_or_refuses_them_with_a_message(data, filename):
    try:
        table, _decimal_comma = read_table(data, filename)
    except ImportRefused as refused:
        assert all(message.strip() for _line, message in refused.errors)
        return
    assert all(isinstance(line, int) for line, _record in table)
