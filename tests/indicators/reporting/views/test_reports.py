"""Partners report through the form; the backbone reviews; nothing typed is lost."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from impact.access import get_membership
from indicators.models import DataValue, PartnerReport
from indicators.reporting import services
from tests.factories import CategoryFactory, DimensionFactory, IndicatorFactory


@pytest.fixture
def reporting(world):
    """A partner asked to report a count by age group, a percentage and a mean, each quarter."""
    age = DimensionFactory(initiative=world.initiative, code="age", name_en="Age group")
    young = CategoryFactory(dimension=age, code="young", name_en="Young")
    old = CategoryFactory(dimension=age, code="old", name_en="Old")
    families = IndicatorFactory(
        initiative=world.initiative, code="C1", name_en="Families served", unit_en="families"
    )
    families.dimensions.add(age)
    share = IndicatorFactory(
        initiative=world.initiative, code="P1", name_en="Children screened", measure_type="percentage"
    )
    reading = IndicatorFactory(
        initiative=world.initiative, code="M1", name_en="Reading days", measure_type="mean"
    )
    for indicator in (families, share, reading):
        indicator.reporting_organizations.add(world.partner_org)
    world.families, world.share, world.reading, world.young, world.old = families, share, reading, young, old
    return world


def url(name, period="2025-Q1", organization="partner-org"):
    return reverse(name, args=["ready", organization, period])


def figures(world, **overrides):
    """A complete, valid POST for the partner's 2025-Q1 report."""
    prefix = {
        "families": f"i{world.families.pk}-total",
        "young": f"i{world.families.pk}-{world.young.pk}",
        "old": f"i{world.families.pk}-{world.old.pk}",
        "share": f"i{world.share.pk}-total",
        "reading": f"i{world.reading.pk}-total",
    }
    data = {
        "version": "0",
        f"{prefix['families']}-value": "100",
        f"{prefix['young']}-value": "40",
        f"{prefix['old']}-value": "55",
        f"{prefix['share']}-numerator": "30",
        f"{prefix['share']}-denominator": "120",
        f"{prefix['reading']}-value": "3.5",
        f"{prefix['reading']}-denominator": "40",
    }
    for key, value in overrides.items():
        name, _sep, field = key.rpartition("__")
        data[f"{prefix[name]}-{field}"] = value
    return data


def report_of(world, period="2025-Q1"):
    return PartnerReport.objects.get(
        initiative=world.initiative, organization=world.partner_org, period=period
    )


def test_a_partner_with_one_organization_lands_on_its_reports(reporting, client_for):
    response = client_for(reporting.partner).get(reverse("reporting_home", args=["ready"]))
    assert response["Location"] == reverse("organization_reports", args=["ready", "partner-org"])


def test_the_reports_page_lists_each_period_newest_first_with_late_ones_flagged(reporting, client_for):
    response = client_for(reporting.partner).get(
        reverse("organization_reports", args=["ready", "partner-org"])
    )
    due = response.context["due"]
    assert [item.period.key for item in due[-2:]] == ["2024-Q2", "2024-Q1"]  # since the start, April 2024
    assert due[0].period.end >= datetime.date.today() >= due[0].period.start
    assert not due[0].is_late
    assert all(item.is_late for item in due[1:])  # nothing reported yet
    assert "Late" in response.content.decode()


def test_a_draft_can_be_incomplete_and_is_kept(reporting, client_for):
    client = client_for(reporting.partner)
    data = {"version": "0", f"i{reporting.families.pk}-total-value": "0"}
    response = client.post(url("report_page"), data)
    assert response.status_code == 302
    report = report_of(reporting)
    assert report.status == "draft"
    assert report.values.get().value == Decimal(0)  # an explicit 0 is a value
    page = client.get(url("report_page")).content.decode()
    assert (
        f'name="i{reporting.families.pk}-total-value" id="id_i{reporting.families.pk}-total-value" value="0"'
        in page
    )


def test_a_validation_error_keeps_everything_typed_and_writes_nothing(reporting, client_for):
    client = client_for(reporting.partner)
    response = client.post(
        url("report_page"), figures(reporting, share__numerator="130", families__value="12.5")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The numerator cannot be larger than the denominator." in page
    assert "A count is a whole number." in page
    assert 'value="130"' in page and 'value="3.5"' in page and 'value="55"' in page
    assert not PartnerReport.objects.exists()


def test_french_partners_type_decimal_commas(reporting, client_for):
    client = client_for(reporting.partner)
    response = client.post(
        url("report_page"), figures(reporting, reading__value="3,5"), HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 302
    assert report_of(reporting).values.get(indicator=reporting.reading).value == Decimal("3.5")


def test_categories_adding_up_to_more_than_the_total_are_refused(reporting, client_for):
    response = client_for(reporting.partner).post(url("report_page"), figures(reporting, old__value="70"))
    assert response.status_code == 400
    assert "categories add up to 110, more than the total 100" in response.content.decode()


def test_submitting_needs_every_figure_or_a_reason(reporting, client_for):
    client = client_for(reporting.partner)
    incomplete = figures(reporting, reading__value="", reading__denominator="")
    response = client.post(url("report_submit"), incomplete)
    assert response.status_code == 400
    assert "Enter a value, or mark it “not available”" in response.content.decode()
    assert not PartnerReport.objects.exists()
    explained = incomplete | {
        f"i{reporting.reading.pk}-total-not_available": "on",
        f"i{reporting.reading.pk}-total-reason": "Survey postponed",
    }
    assert client.post(url("report_submit"), explained).status_code == 302
    report = report_of(reporting)
    assert report.status == "submitted"
    assert report.values.get(indicator=reporting.reading).not_available_reason == "Survey postponed"


def test_a_submitted_report_notifies_the_backbone_and_is_read_only_for_the_partner(
    reporting, client_for, django_capture_on_commit_callbacks
):
    client = client_for(reporting.partner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("report_submit"), figures(reporting))
    assert [message.to for message in mail.outbox] == [[reporting.coordinator.email]]
    page = client.get(url("report_page"))
    assert page.templates[0].name == "indicators/reporting/report_detail.html"
    late = client.post(url("report_page"), figures(reporting, families__value="1"))
    assert late.status_code == 409
    assert "can no longer change" in late.content.decode()
    assert 'value="1"' in late.content.decode()  # what they typed is still there
    assert report_of(reporting).values.get(indicator=reporting.families, category=None).value == Decimal(100)


def test_an_unusual_value_is_a_warning_the_partner_confirms(reporting, client_for):
    membership = get_membership(reporting.coordinator, "ready")
    for quarter in ("2024-Q1", "2024-Q2", "2024-Q3"):
        report = services.report_get_or_create(
            initiative=reporting.initiative, organization=reporting.partner_org, period_key=quarter
        )
        report = services.report_values_save(
            report=report,
            membership=membership,
            user=reporting.coordinator,
            values=[
                {"indicator": reporting.families, "value": Decimal(100)},
                {"indicator": reporting.families, "category": reporting.young, "value": Decimal(40)},
                {"indicator": reporting.families, "category": reporting.old, "value": Decimal(55)},
                {"indicator": reporting.share, "numerator": Decimal(30), "denominator": Decimal(120)},
                {"indicator": reporting.reading, "value": Decimal("3.5"), "denominator": Decimal(40)},
            ],
            version=report.version,
        )
        report = services.report_submit(report=report, membership=membership, user=reporting.coordinator)
        services.report_approve(report=report, membership=membership, user=reporting.coordinator)
    client = client_for(reporting.partner)
    unusual = figures(reporting, families__value="1000")
    response = client.post(url("report_submit"), unusual)
    assert response.status_code == 400
    assert "more than 3 times this organization&#x27;s usual figure (100)" in response.content.decode()
    assert client.post(url("report_submit"), unusual | {"confirm_unusual": "on"}).status_code == 302
    assert report_of(reporting).status == "submitted"


def test_the_second_of_two_editors_is_told_and_keeps_their_input(reporting, client_for):
    first = client_for(reporting.partner)
    first.post(url("report_page"), figures(reporting))
    version = report_of(reporting).version
    # Someone else saves meanwhile...
    client_for(reporting.coordinator).post(
        url("report_page"), figures(reporting, families__value="101") | {"version": str(version)}
    )
    # ...and the partner, still on the old version, saves their own change.
    second = client_for(reporting.partner)
    response = second.post(
        url("report_page"), figures(reporting, share__numerator="33") | {"version": str(version)}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this report" in page
    assert "100\u00a0families" in page and "101\u00a0families" in page  # the other person's change
    assert 'value="33"' in page  # their own input, kept
    assert report_of(reporting).values.get(indicator=reporting.share).numerator == Decimal(30)
    # Saving again from the page as it is now keeps both people's changes.
    initial = response.context["form"].initial
    retry = {key: "" if value is None else str(value) for key, value in initial.items() if value is not False}
    assert Decimal(retry[f"i{reporting.families.pk}-total-value"]) == 101  # theirs, filled in
    assert Decimal(retry[f"i{reporting.share.pk}-total-numerator"]) == 33  # mine, kept
    assert second.post(url("report_page"), retry).status_code == 302
    saved = report_of(reporting).values
    assert saved.get(indicator=reporting.share).numerator == Decimal(33)
    assert saved.get(indicator=reporting.families, category=None).value == Decimal(101)


def test_a_reason_someone_else_gave_is_not_undone_by_the_second_editor(reporting, client_for):
    """The merge compares everything entered: a new reason for a figure not available is a change."""
    reading = f"i{reporting.reading.pk}-total"
    unavailable = {
        f"{reading}-value": "",
        f"{reading}-denominator": "",
        f"{reading}-not_available": "on",
        f"{reading}-reason": "The survey is late",
    }
    client_for(reporting.partner).post(url("report_page"), figures(reporting) | unavailable)
    version = str(report_of(reporting).version)
    client_for(reporting.coordinator).post(
        url("report_page"),
        figures(reporting)
        | unavailable
        | {f"{reading}-reason": "The survey moved to May", "version": version},
    )
    response = client_for(reporting.partner).post(
        url("report_page"), figures(reporting, share__numerator="33") | unavailable | {"version": version}
    )
    assert response.status_code == 409
    assert "The survey moved to May" in response.content.decode()  # listed among their changes
    assert response.context["form"].initial[f"{reading}-reason"] == "The survey moved to May"


def test_copying_last_periods_values_fills_the_form_without_saving(reporting, client_for):
    client = client_for(reporting.partner)
    client.post(url("report_page", "2025-Q1"), figures(reporting))
    response = client.get(url("report_page", "2025-Q2") + "?copy=previous")
    page = response.content.decode()
    assert 'value="100"' in page and 'value="3.5"' in page
    assert not PartnerReport.objects.filter(period="2025-Q2").exists()


def test_the_backbone_returns_with_comments_and_the_partner_sees_them_and_resubmits(
    reporting, client_for, django_capture_on_commit_callbacks
):
    partner = client_for(reporting.partner)
    partner.post(url("report_submit"), figures(reporting))
    value = report_of(reporting).values.get(indicator=reporting.share)
    mail.outbox.clear()
    coordinator = client_for(reporting.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(
            url("report_return"),
            {
                "comment": "Please check P1.",
                f"value-comment-{value.pk}": "120 looks like last year's cohort.",
            },
        )
    assert report_of(reporting).status == "returned"
    assert [message.to for message in mail.outbox] == [[reporting.partner.email]]
    page = client_for(reporting.partner).get(url("report_page")).content.decode()
    assert "Please check P1." in page and "120 looks like last year&#x27;s cohort." in page
    version = report_of(reporting).version
    fixed = figures(reporting, share__denominator="110") | {"version": str(version)}
    assert client_for(reporting.partner).post(url("report_submit"), fixed).status_code == 302
    client_for(reporting.coordinator).post(url("report_approve"))
    assert report_of(reporting).status == "approved"
    history = client_for(reporting.partner).get(url("report_history")).content.decode()
    for text in ("Submitted", "Returned", "Approved", "Please check P1.", "30 / 120", "30 / 110"):
        assert text in history, text


def test_only_the_backbone_reopens_an_approved_report_with_a_reason(reporting, client_for):
    client_for(reporting.partner).post(url("report_submit"), figures(reporting))
    coordinator = client_for(reporting.coordinator)
    coordinator.post(url("report_approve"))
    coordinator.post(url("report_reopen"), {"reason": ""})
    assert report_of(reporting).status == "approved"
    coordinator.post(url("report_reopen"), {"reason": "Typo in C1"})
    assert report_of(reporting).status == "returned"


def test_the_backbone_enters_data_on_behalf_of_a_partner_and_it_is_recorded(reporting, client_for):
    response = client_for(reporting.coordinator).get(url("report_page"))
    assert "on behalf of" in response.content.decode()
    client_for(reporting.coordinator).post(url("report_page"), figures(reporting))
    record = DataValue.history.filter(report_id=report_of(reporting).pk).first()
    assert record.history_user == reporting.coordinator
    assert "on behalf of" in record.history_change_reason


def test_a_period_the_organization_reports_nothing_for_is_not_found(reporting, client_for):
    client = client_for(reporting.partner)
    assert client.get(url("report_page", "2025")).status_code == 404
    assert client.get(url("report_page", "2025-Q9")).status_code == 404


def test_the_review_queue_lists_submitted_reports_oldest_first(reporting, client_for):
    client_for(reporting.partner).post(url("report_submit"), figures(reporting))
    page = client_for(reporting.coordinator).get(reverse("review_queue", args=["ready"])).content.decode()
    assert reporting.partner_org.name_en in page and "2025–26 Q1" in page


@pytest.mark.parametrize("extra_partners", [1, 12])
def test_reporting_pages_run_the_same_queries_whatever_the_number_of_partners(
    reporting, client_for, assert_queries, extra_partners
):
    from tests.factories import OrganizationFactory, ParticipationFactory

    for _ in range(extra_partners):
        organization = OrganizationFactory()
        ParticipationFactory(initiative=reporting.initiative, organization=organization)
        reporting.families.reporting_organizations.add(organization)
        more = IndicatorFactory(initiative=reporting.initiative)
        more.reporting_organizations.add(reporting.partner_org)
    partner = client_for(reporting.partner)
    partner.post(url("report_submit"), figures(reporting) | {"confirm_unusual": "on"})
    coordinator = client_for(reporting.coordinator)
    for page, count in (
        (reverse("organization_reports", args=["ready", "partner-org"]), 7),
        (url("report_page", "2025-Q2"), 12),
        (url("report_page"), 12),
        (reverse("review_queue", args=["ready"]), 6),
        (reverse("reporting_home", args=["ready"]), 7),
    ):
        with assert_queries(count):
            assert coordinator.get(page).status_code == 200, page


def test_a_review_decided_on_an_old_page_is_refused(reporting, client_for):
    client_for(reporting.partner).post(url("report_submit"), figures(reporting))
    old_version = report_of(reporting).version
    coordinator = client_for(reporting.coordinator)
    coordinator.post(url("report_return"), {"comment": "Check P1", "version": str(old_version)})
    version = report_of(reporting).version
    client_for(reporting.partner).post(
        url("report_submit"), figures(reporting, share__numerator="31") | {"version": str(version)}
    )
    coordinator = client_for(reporting.coordinator)  # one test client: log back in
    response = coordinator.post(url("report_approve"), {"version": str(old_version)}, follow=True)
    assert "changed since you opened it" in response.content.decode()
    assert report_of(reporting).status == "submitted"


def test_the_confirm_box_is_there_when_saved_values_are_already_unusual(reporting, client_for):
    membership = get_membership(reporting.coordinator, "ready")
    for quarter in ("2024-Q1", "2024-Q2", "2024-Q3"):
        report = services.report_get_or_create(
            initiative=reporting.initiative, organization=reporting.partner_org, period_key=quarter
        )
        services.report_values_save(
            report=report,
            membership=membership,
            user=reporting.coordinator,
            values=[{"indicator": reporting.share, "numerator": Decimal(30), "denominator": Decimal(100)}],
            version=report.version,
        )
        PartnerReport.objects.filter(pk=report.pk).update(status="approved")
    client = client_for(reporting.partner)
    client.post(url("report_page"), figures(reporting, share__numerator="99", share__denominator="100"))
    page = client.get(url("report_page")).content.decode()
    assert "Unusual:" in page
    assert "I have checked the values marked unusual" in page


def test_french_readers_see_saved_decimals_with_a_comma(reporting, client_for):
    client = client_for(reporting.partner)
    client.post(url("report_page"), figures(reporting))
    page = client.get(url("report_page"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert f'id="id_i{reporting.reading.pk}-total-value" value="3,5"' in page


def test_a_mail_server_that_is_down_does_not_undo_or_hide_a_submission(
    reporting, client_for, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.helpers.BrokenEmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(reporting.partner).post(url("report_submit"), figures(reporting))
    assert response.status_code == 302
    assert report_of(reporting).status == "submitted"


def test_a_report_whose_people_are_gone_still_opens_and_says_what_it_can(reporting, client_for):
    """Accounts deleted since (the report keeps its figures), or a command that worked as nobody."""
    client_for(reporting.partner).post(url("report_submit"), figures(reporting))
    client_for(reporting.coordinator).post(url("report_approve"))
    report = report_of(reporting)
    PartnerReport.objects.filter(pk=report.pk).update(submitted_by=None, reviewed_by=None)
    report.events.update(user=None)
    report.history.update(history_user=None)
    coordinator = client_for(reporting.coordinator)
    page = coordinator.get(url("report_page")).content.decode()
    assert "by the backbone" in page and "submitted " in page
    history = coordinator.get(url("report_history"))
    assert history.status_code == 200 and "Approved" in history.content.decode()
    client_for(reporting.coordinator).post(url("report_reopen"), {"reason": "Typo in C1"})
    PartnerReport.objects.filter(pk=report.pk).update(reviewed_by=None)
    returned = client_for(reporting.partner).get(url("report_page")).content.decode()
    assert "The backbone returned this report" in returned
