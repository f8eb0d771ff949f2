"""Hostile numbers and texts typed into a partner's report: a clear message and nothing saved, or saved."""

from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from indicators.models import DataValue
from tests.factories import ReportFactory
from tests.robustness.test_hostile_input import (
    HOSTILE_TEXTS,
    NASTY_NUMBERS,
    Rollback,
    indicators_asked,
    snapshot,
)

HOSTILE_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
numbers = st.one_of(
    st.sampled_from(NASTY_NUMBERS),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.text(max_size=6),
)
texts = st.one_of(st.sampled_from(HOSTILE_TEXTS), st.text(max_size=30))


@pytest.fixture
def importing(world):
    return indicators_asked(world)


versions = st.sampled_from(["0", "1", "2", "-1", "9" * 30, "9" * 5000, "abc", "", "NaN", "1e3", "<b>"])


def field_names(world):
    """The report form's fields for 2025-Q1: {name: kind}, kind one of number, flag, text."""
    names = {}
    for indicator in world.initiative.indicators.prefetch_related("dimensions__categories"):
        members = ["total"] + [c.pk for d in indicator.dimensions.all() for c in d.categories.all()]
        inputs = {
            "count": ["value"],
            "percentage": ["numerator", "denominator"],
            "mean": ["value", "denominator"],
        }[indicator.measure_type]
        for member in members:
            prefix = f"i{indicator.pk}-{member}"
            names |= {f"{prefix}-{name}": "number" for name in inputs}
            names |= {
                f"{prefix}-not_available": "flag",
                f"{prefix}-reason": "text",
                f"{prefix}-comment": "text",
            }
    return names


def post_report(client, world, data, *, submit=False):
    name = "report_submit" if submit else "report_page"
    return client.post(reverse(name, args=["ready", world.partner_org.slug, "2025-Q1"]), data)


def assert_saved_or_refused_clearly(client, world, data, *, submit=False, language="en"):
    before = snapshot()
    response = client.post(
        reverse(
            "report_submit" if submit else "report_page", args=["ready", world.partner_org.slug, "2025-Q1"]
        ),
        data,
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code in (302, 400, 409), response.status_code
    if response.status_code == 302:
        return response
    assert snapshot() == before, "a refused report saves nothing"
    page = response.content.decode()
    if response.status_code == 409:  # saved by someone else meanwhile, or an old page
        assert ("while you were typing" if language == "en" else "pendant votre saisie") in page
    else:
        assert "nothing was saved" in page or "alert-danger" in page
    assert "<script>alert" not in page and "<img src=x" not in page
    return response


@HOSTILE_SETTINGS
@given(
    figures=st.dictionaries(
        st.integers(0, 200), st.one_of(numbers, texts, st.sampled_from(["on", "", "true"])), max_size=12
    ),
    version=versions,
    submit=st.booleans(),
    language=st.sampled_from(["en", "fr"]),
    existing=st.booleans(),
)
@example(figures={0: "1e400"}, version="0", submit=False, language="en", existing=False)
@example(figures={0: "5"}, version="1", submit=False, language="en", existing=False)
@example(figures={0: "5"}, version="9" * 30, submit=False, language="en", existing=True)
def test_any_typed_report_is_saved_or_refused_with_a_message_and_nothing_saved(
    importing, client_for, figures, version, submit, language, existing
):
    names = sorted(field_names(importing))
    data = {names[index % len(names)]: text for index, text in figures.items()}
    data |= {"version": version, "confirm_unusual": "on"}
    client = client_for(importing.partner)
    try:
        with transaction.atomic():
            if existing:
                ReportFactory(
                    initiative=importing.initiative, organization=importing.partner_org, period="2025-Q1"
                )
            assert_saved_or_refused_clearly(client, importing, data, submit=submit, language=language)
            raise Rollback
    except Rollback:
        pass


@pytest.mark.parametrize(
    "typed",
    [
        "1e400",
        "-1e400",
        str(10**50),
        "9" * 400,
        "NaN",
        "inf",
        "-Infinity",
        "=1+1",
        "+cmd",
        "-2+3",
        "@SUM(A1)",
        "0.0000001",
        "<script>alert(1)</script>",
        "1\x002",
        "12,5",  # a decimal comma in English
    ],
)
def test_a_hostile_number_is_refused_next_to_its_field_and_nothing_is_saved(importing, client_for, typed):
    families = importing.initiative.indicators.get(code="C1")
    data = {f"i{families.pk}-total-value": typed, "version": "0"}
    response = assert_saved_or_refused_clearly(client_for(importing.partner), importing, data)
    assert response.status_code == 400
    assert "nothing was saved" in response.content.decode()
    assert not DataValue.objects.exists()


def test_french_decimal_commas_and_thousands_spaces_are_read(importing, client_for):
    mean = importing.initiative.indicators.get(code="M1")
    data = {f"i{mean.pk}-total-value": "1\u202f234,5", f"i{mean.pk}-total-denominator": "12", "version": "0"}
    response = assert_saved_or_refused_clearly(client_for(importing.partner), importing, data, language="fr")
    assert response.status_code == 302
    assert DataValue.objects.get().value == Decimal("1234.5")


@pytest.mark.parametrize(
    "text",
    ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "=cmd|' /C calc'!A0"],
)
def test_html_in_a_comment_is_stored_as_text_and_shown_escaped(importing, client_for, text):
    families = importing.initiative.indicators.get(code="C1")
    client = client_for(importing.partner)
    data = {f"i{families.pk}-total-value": "5", f"i{families.pk}-total-comment": text, "version": "0"}
    assert assert_saved_or_refused_clearly(client, importing, data).status_code == 302
    assert DataValue.objects.get().comment == text
    page = client.get(reverse("report_page", args=["ready", importing.partner_org.slug, "2025-Q1"]))
    assert escape(text) in page.content.decode()
    assert "<script>alert" not in page.content.decode() and "<img src=x" not in page.content.decode()


@pytest.mark.parametrize("comment", ["a\x00b", "x" * 2001])
def test_a_comment_the_form_refuses_saves_nothing_and_says_so(importing, client_for, comment):
    families = importing.initiative.indicators.get(code="C1")
    data = {f"i{families.pk}-total-value": "5", f"i{families.pk}-total-comment": comment, "version": "0"}
    response = assert_saved_or_refused_clearly(client_for(importing.partner), importing, data)
    assert response.status_code == 400
    assert "nothing was saved" in response.content.decode()


@pytest.mark.parametrize("comment", ["a\x00b", "x" * 2001])
def test_a_refused_comment_says_why_beside_the_field(importing, client_for, comment):
    families = importing.initiative.indicators.get(code="C1")
    data = {f"i{families.pk}-total-value": "5", f"i{families.pk}-total-comment": comment, "version": "0"}
    response = post_report(client_for(importing.partner), importing, data)
    assert f'id="id_i{families.pk}-total-comment-error"' in response.content.decode()


def test_a_version_the_page_could_not_have_shown_is_refused_with_a_message(importing, client_for):
    families = importing.initiative.indicators.get(code="C1")
    data = {f"i{families.pk}-total-value": "5", "version": "<b>"}
    response = assert_saved_or_refused_clearly(client_for(importing.partner), importing, data)
    assert response.status_code == 400
    assert "could not be read: open the report again" in response.content.decode()


def test_a_version_from_a_report_that_no_longer_exists_does_not_fail(importing, client_for):
    """The page showed version 3 of a report deleted since: there is nothing to conflict with."""
    families = importing.initiative.indicators.get(code="C1")
    data = {f"i{families.pk}-total-value": "5", "version": "3"}
    response = assert_saved_or_refused_clearly(client_for(importing.partner), importing, data)
    assert response.status_code == 302
    assert DataValue.objects.get().value == 5


def submitted_report(world):
    """The partner's 2025-Q1 report of C1 alone (its total), submitted for review."""
    from impact.access import get_membership
    from indicators.reporting import services

    for indicator in world.initiative.indicators.exclude(code="C1"):
        indicator.reporting_organizations.clear()
    families = world.initiative.indicators.get(code="C1")
    families.dimensions.clear()
    partner = get_membership(world.partner, "ready")
    report = services.report_get_or_create(
        initiative=world.initiative, organization=world.partner_org, period_key="2025-Q1"
    )
    values = [{"indicator": families, "category": None, "value": Decimal(5)}]
    report = services.report_values_save(
        report=report, membership=partner, user=world.partner, values=values, version=report.version
    )
    return services.report_submit(report=report, membership=partner, user=world.partner)


@pytest.mark.parametrize("field", ["comment", "value-comment"])
def test_a_null_character_in_a_review_comment_is_refused_with_a_message(importing, client_for, field):
    report = submitted_report(importing)
    name = f"value-comment-{report.values.get().pk}" if field == "value-comment" else "comment"
    before = snapshot()
    response = client_for(importing.coordinator).post(
        reverse("report_return", args=["ready", importing.partner_org.slug, "2025-Q1"]), {name: "a\x00b"}
    )
    assert response.status_code in (302, 400)
    assert snapshot() == before


def test_a_null_character_in_a_reason_to_reopen_is_refused_with_a_message(importing, client_for):
    from impact.access import get_membership
    from indicators.reporting import services

    report = submitted_report(importing)
    coordinator = get_membership(importing.coordinator, "ready")
    services.report_approve(report=report, membership=coordinator, user=importing.coordinator)
    before = snapshot()
    response = client_for(importing.coordinator).post(
        reverse("report_reopen", args=["ready", importing.partner_org.slug, "2025-Q1"]), {"reason": "a\x00b"}
    )
    assert response.status_code in (302, 400)
    assert snapshot() == before
