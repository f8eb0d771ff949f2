"""The rollups pages read must always equal what the values add up to.

Hypothesis drives random reporting histories through the real services (save, submit, approve,
return, reopen, in any order, for several organizations and periods) and checks, after every
step, that each rollup equals its values; at the end, that the outcome engine and every page
(dashboard, indicator pages, outcome report, CSV export) read the same from the rollups as from
an engine fed directly by the values.
"""

import re
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from impact.access import get_membership
from indicators.models import Baseline, DataValue, PartnerReport, ReportEvent, ReportStatus, Rollup, Target
from indicators.outcomes import engine as outcomes
from indicators.outcomes import pooling, rollups
from indicators.reporting import services
from partners.models import Participation
from tests.conftest import member_of
from tests.factories import CategoryFactory, DimensionFactory, IndicatorFactory

PERIODS = ("2023", "2024")
MOVES = ("forward", "forward", "forward", "back")


class Rollback(Exception):
    """Raised at the end of each example to undo its reports."""


def pooled_from_values(indicators, *, include_pending=False, categories_of=None):
    """The engine's pooled figures computed in Python from every value, without the rollups."""
    statuses = {ReportStatus.APPROVED} | ({ReportStatus.SUBMITTED} if include_pending else set())
    pooled, organizations = {}, {}
    values = DataValue.objects.filter(
        indicator__in=indicators, report__status__in=statuses, not_available=False
    ).select_related("report")
    for value in values:
        if categories_of is not None and value.category_id and value.indicator_id not in categories_of:
            continue
        key = (value.indicator_id, value.report.period, value.category_id)
        figures = pooled.setdefault(key, pooling.Pooled())
        weighted = value.value * value.denominator if None not in (value.value, value.denominator) else None
        for name, figure in (
            ("total", value.value),
            ("numerator", value.numerator),
            ("denominator", value.denominator),
            ("weighted", weighted),
        ):
            if figure is not None:
                setattr(figures, name, (getattr(figures, name) or 0) + figure)
        figures.pending += value.report.status == ReportStatus.SUBMITTED
        organizations.setdefault(key, set()).add(value.report.organization_id)
    for key, figures in pooled.items():
        figures.organizations = len(organizations[key])
    return pooled


@pytest.fixture
def setting(world):
    """Six annual indicators of every measure type, three partners, two categories."""
    initiative = world.initiative
    _user, third = member_of(initiative, Participation.Role.PARTNER, "partner_third")
    partners = [world.partner_org, world.partner_other_org, third]
    age = DimensionFactory(initiative=initiative, code="age")
    CategoryFactory(dimension=age, code="young", order=0)
    CategoryFactory(dimension=age, code="old", order=1)
    ready = IndicatorFactory(initiative=initiative, code="R1", measure_type="percentage", frequency="annual")
    made = {
        "R1": ready,
        "C1": IndicatorFactory(
            initiative=initiative, code="C1", level="contributing", outcome=ready, frequency="annual"
        ),
        "C2": IndicatorFactory(
            initiative=initiative,
            code="C2",
            level="contributing",
            outcome=ready,
            frequency="annual",
            accumulation="cumulative",
        ),
        "R2": IndicatorFactory(
            initiative=initiative, code="R2", measure_type="rate", multiplier=D(1000), frequency="annual"
        ),
        "M1": IndicatorFactory(
            initiative=initiative, code="M1", measure_type="mean", direction="decrease", frequency="annual"
        ),
        "S1": IndicatorFactory(initiative=initiative, code="S1", measure_type="single", frequency="annual"),
    }
    for code in ("R1", "C1", "M1"):
        made[code].dimensions.add(age)
    for code in ("R1", "C1", "C2", "M1"):
        made[code].reporting_organizations.add(*partners)
    made["R2"].reporting_organizations.add(*partners[:2])
    made["S1"].reporting_organizations.add(partners[0])
    Baseline.objects.create(indicator=ready, period="2022", value=D(50))
    Target.objects.create(indicator=ready, period="2027", value=D(70))
    Baseline.objects.create(indicator=made["M1"], period="2022", value=D(40))
    Target.objects.create(indicator=made["M1"], period="2027", value=D(30))
    Baseline.objects.create(indicator=made["C2"], period="2022", value=D(0))
    world.partners, world.indicators = partners, made
    world.membership = get_membership(world.coordinator, initiative.slug)
    return world


amounts = st.decimals(min_value=0, max_value=1000, places=2)


@st.composite
def figures(draw, indicator):
    """One row's figures, valid for the indicator's measure type (or not available)."""
    if draw(st.integers(0, 5)) == 0:
        return {"not_available": True, "not_available_reason": "Closed"}
    measure = indicator.measure_type
    if measure == "percentage":
        denominator = draw(st.integers(1, 200))
        return {"numerator": D(draw(st.integers(0, denominator))), "denominator": D(denominator)}
    if measure == "rate":
        return {"numerator": D(draw(st.integers(0, 50))), "denominator": D(draw(st.integers(1, 5000)))}
    if measure == "mean":
        return {"value": draw(amounts), "denominator": D(draw(st.integers(1, 300)))}
    if measure == "count":
        return {"value": D(draw(st.integers(0, 300)))}
    return {"value": draw(amounts)}


def rows_of(draw, setting, organization):
    """Every row the organization is asked for: each indicator's total and categories."""
    rows = []
    for indicator in setting.indicators.values():
        if not indicator.reporting_organizations.filter(pk=organization.pk).exists():
            continue
        total = {"indicator": indicator, **draw(figures(indicator))}
        rows.append(total)
        for dimension in indicator.dimensions.all():
            for category in dimension.categories.all():
                part = draw(figures(indicator))
                if indicator.measure_type == "count" and "value" in part:
                    # The categories of a count add up to no more than its total.
                    part["value"] = min(part["value"], (total.get("value") or D(0)) // 2)
                rows.append({"indicator": indicator, "category": category, **part})
    return rows


def step(draw, setting, organization, period, move):
    """Move one report a step through the services.

    Forward: enter its figures, submit, approve, then reopen; back: change the figures of a draft
    or returned report, return a submitted one, reopen an approved one.
    """
    report = services.report_get_or_create(
        initiative=setting.initiative, organization=organization, period_key=period
    )
    kwargs = {"report": report, "membership": setting.membership, "user": setting.coordinator}
    editable = report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)
    if editable and (move == "back" or not report.values.exists()):
        values = rows_of(draw, setting, organization)
        services.report_values_save(**kwargs, values=values, version=report.version)
    elif editable:
        services.report_submit(**kwargs)
    elif report.status == ReportStatus.SUBMITTED and move == "forward":
        services.report_approve(**kwargs)
    elif report.status == ReportStatus.SUBMITTED:
        services.report_return(**kwargs, comment="Check the figures")
    else:
        services.report_reopen(**kwargs, reason="A late correction")


def pages(client, setting):
    """Every page that shows figures, as the coordinator and as the funder; CSRF tokens removed."""
    slug = setting.initiative.slug
    urls = [reverse(name, args=[slug]) for name in ("dashboard", "outcome_report", "report_csv")]
    urls += [reverse("indicator_detail", args=[slug, code]) for code in setting.indicators]
    shown = {}
    for user in (setting.coordinator, setting.funder):
        client.force_login(user)
        for url in urls:
            response = client.get(url, {"from": PERIODS[0]} if "report" in url else {})
            assert response.status_code == 200, url
            text = b"".join(response) if response.streaming else response.content
            shown[(user.username, url)] = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", text)
    return shown


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    history=st.lists(
        st.tuples(
            st.integers(0, 2),
            st.sampled_from(PERIODS),
            st.lists(st.sampled_from(MOVES), min_size=1, max_size=6),
        ),
        min_size=1,
        max_size=10,
    ),
    data=st.data(),
)
def test_rollups_and_pages_equal_the_engine_computed_from_the_values(
    setting, client, monkeypatch, history, data
):
    try:
        with transaction.atomic():
            for organization, period, moves in history:
                for move in moves:
                    step(data.draw, setting, setting.partners[organization], period, move)
                    assert rollups.differences(setting.initiative) == []
            from_rollups = {
                pending: outcomes.initiative_outcomes(setting.initiative, include_pending=pending)
                for pending in (False, True)
            }
            shown = pages(client, setting)
            with monkeypatch.context() as patched:
                patched.setattr(outcomes, "pooled_figures", pooled_from_values)
                for pending in (False, True):
                    expected = outcomes.initiative_outcomes(setting.initiative, include_pending=pending)
                    assert from_rollups[pending] == expected
                assert pages(client, setting) == shown
            raise Rollback
    except Rollback:
        pass


def only_asked(setting, *codes):
    """Ask the partners for these indicators only, so a report of them alone is complete."""
    for code, indicator in setting.indicators.items():
        if code not in codes:
            indicator.reporting_organizations.clear()


def test_the_rollups_of_a_period_hold_what_its_approved_reports_add_up_to(setting):
    """A hand-computed case: two partners, one approved then reopened, one pending."""
    only_asked(setting, "C2", "R2")
    served, ready = setting.indicators["C2"], setting.indicators["R2"]
    first, second = setting.partners[:2]
    kwargs = {"membership": setting.membership, "user": setting.coordinator}

    def submitted(organization, value, numerator, denominator):
        report = services.report_get_or_create(
            initiative=setting.initiative, organization=organization, period_key="2024"
        )
        rows = [
            {"indicator": served, "value": D(value)},
            {"indicator": ready, "numerator": D(numerator), "denominator": D(denominator)},
        ]
        report = services.report_values_save(report=report, values=rows, version=report.version, **kwargs)
        return services.report_submit(report=report, **kwargs)

    def rollup(indicator, status):
        return Rollup.objects.get(indicator=indicator, period="2024", category=None, status=status)

    approved = services.report_approve(report=submitted(first, 120, 3, 400), **kwargs)
    submitted(second, 80, 5, 600)
    assert (rollup(served, "approved").total, rollup(served, "submitted").total) == (120, 80)
    assert (rollup(ready, "approved").numerator, rollup(ready, "approved").denominator) == (3, 400)
    pooled = pooling.pooled_figures([served, ready], include_pending=True)
    assert pooled[(served.pk, "2024", None)].total == 200
    assert pooled[(ready.pk, "2024", None)].organizations == 2
    # 1000 × (3 + 5) / (400 + 600) per 1,000: pooled, not the mean of 7.5 and 8.33.
    assert pooling.combine(ready, pooled[(ready.pk, "2024", None)]) == 8
    services.report_reopen(report=approved, reason="Typo", **kwargs)
    assert not Rollup.objects.filter(status="approved").exists()
    assert pooling.pooled_figures([served, ready]) == {}


def submitted_five(setting):
    """The first partner's 2024 report, asked only C2 and giving 5, submitted; return the
    services' keyword arguments for it."""
    only_asked(setting, "C2")
    report = services.report_get_or_create(
        initiative=setting.initiative, organization=setting.partners[0], period_key="2024"
    )
    kwargs = {"report": report, "membership": setting.membership, "user": setting.coordinator}
    services.report_values_save(
        **kwargs, values=[{"indicator": setting.indicators["C2"], "value": D(5)}], version=report.version
    )
    services.report_submit(**kwargs)
    return kwargs


def test_the_command_finds_stale_rollups_and_rebuilds_them(setting):
    kwargs = submitted_five(setting)
    report = kwargs["report"]
    services.report_approve(**kwargs)
    DataValue.objects.filter(report=report).update(value=D(7))  # behind the services' back
    with pytest.raises(CommandError, match="stale"):
        call_command("rollups", "ready")
    call_command("rollups", "ready", "--rebuild")
    call_command("rollups", "ready")
    assert Rollup.objects.get(status="approved").total == 7


def test_a_status_change_that_fails_after_the_rollups_changed_leaves_them_as_they_were(setting, monkeypatch):
    """The rollups are rebuilt inside the approval's transaction: when a later step of it fails
    (here recording the event), the approval and the rebuilt rollups are undone together."""
    kwargs = submitted_five(setting)
    report = kwargs["report"]

    def broken(**fields):
        raise DatabaseError("the connection dropped")

    monkeypatch.setattr(ReportEvent.objects, "create", broken)
    with pytest.raises(DatabaseError):
        services.report_approve(**kwargs)
    assert list(Rollup.objects.values_list("status", "total")) == [("submitted", D(5))]
    assert PartnerReport.objects.get(pk=report.pk).status == "submitted"
