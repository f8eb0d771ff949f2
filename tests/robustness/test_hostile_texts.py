"""HTML and script typed into every text field: stored as text, shown as text, never run.

An initiative is set up through its own forms with names, definitions, units, stories and
comments that are HTML; every page that shows them must show them escaped, and the chart JSON
embedded in a page must not let them out of their <script> element.
"""

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from impact.access import get_membership
from impact.models import Category, Dimension
from indicators.models import Indicator
from indicators.reporting import services
from partners.models import Organization
from reports.charts import category_figure, contribution_figure, outcome_figure
from tests.factories import BaselineFactory, OrganizationFactory, TargetFactory

SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
RAW = ("<script>alert", "<img src=x")
CHART_DATA = re.compile(r'<script id="chart-data" type="application/json">(.*?)</script>', re.S)


def posted(client, url, data):
    response = client.post(url, data)
    assert response.status_code == 302, (url, response.content.decode()[:3000])
    return response


@pytest.fixture
def hostile(world, client_for):
    """An initiative whose every name and text is HTML, set up through its forms."""
    initiative = world.initiative
    client = client_for(world.coordinator)
    slug = initiative.slug
    posted(
        client,
        reverse("initiative_edit", args=[slug]),
        {
            "name_en": SCRIPT,
            "name_fr": IMAGE,
            "issue_en": IMAGE,
            "agenda_en": SCRIPT,
            "geography_en": IMAGE,
            "start_date": "2024-04-01",
            "fiscal_year_start_month": "4",
            "report_due_days": "30",
            "small_cell_threshold": "5",
            "status": "active",
        },
    )
    posted(
        client,
        reverse("population_edit", args=[slug]),
        {"description_en": SCRIPT, "area_en": IMAGE, "estimated_size": "1200", "size_source_en": SCRIPT},
    )
    posted(
        client,
        reverse("dimension_create", args=[slug]),
        {
            "code": "age",
            "name_en": SCRIPT,
            "name_fr": IMAGE,
            "order": "0",
            "categories-TOTAL_FORMS": "2",
            "categories-INITIAL_FORMS": "0",
            "categories-0-code": "young",
            "categories-0-name_en": IMAGE,
            "categories-0-order": "0",
            "categories-1-code": "old",
            "categories-1-name_en": SCRIPT,
            "categories-1-order": "1",
        },
    )
    posted(
        client,
        reverse("organization_create", args=[slug]),
        {
            "new-name_en": IMAGE,
            "new-name_fr": SCRIPT,
            "new-slug": "evil",
            "new-sector": "non_profit",
            "new-role": "partner",
        },
    )
    joining = OrganizationFactory(slug="joining", name_en=SCRIPT)
    posted(client, reverse("participant_add", args=[slug]), {"organization": joining.pk, "role": "partner"})
    age = Dimension.objects.get(initiative=initiative, code="age")
    evil = Organization.objects.get(slug="evil")
    indicator = {
        "order": "0",
        "name_en": SCRIPT,
        "name_fr": IMAGE,
        "definition_en": IMAGE,
        "definition_fr": SCRIPT,
        "level": "outcome",
        "measure_type": "count",
        "direction": "increase",
        "frequency": "quarterly",
        "accumulation": "per_period",
        "unit_en": SCRIPT,
        "decimals": "0",
        "data_source_en": IMAGE,
        "dimensions": [age.pk],
        "reporting_organizations": [world.partner_org.pk, evil.pk],
    }
    posted(client, reverse("indicator_create", args=[slug]), {"code": "R1", **indicator})
    outcome = Indicator.objects.get(initiative=initiative, code="R1")
    posted(
        client,
        reverse("indicator_create", args=[slug]),
        {**indicator, "code": "C1", "level": "contributing", "outcome": outcome.pk, "name_en": IMAGE},
    )
    posted(
        client, reverse("indicator_edit", args=[slug, "R1"]), {"code": "R1", **indicator, "unit_en": IMAGE}
    )
    BaselineFactory(indicator=outcome, period="2024-Q1", value=Decimal(10), note=SCRIPT)
    TargetFactory(indicator=outcome, period="2026-Q4", value=Decimal(50), note=IMAGE)
    posted(
        client,
        reverse("narrative_edit", args=[slug, "R1", "2025-Q1"]),
        {"story_en": SCRIPT, "partners_en": IMAGE, "next_steps_en": SCRIPT},
    )
    posted(
        client,
        reverse("narrative_publish", args=[slug, "R1", "2025-Q1"]),
        {"story_en": SCRIPT, "partners_en": IMAGE, "next_steps_en": SCRIPT},
    )
    # The partner's figures, with HTML comments: one quarter approved, one waiting for review.
    coordinator = get_membership(world.coordinator, slug)
    partner = get_membership(world.partner, slug)
    young, old = Category.objects.get(code="young"), Category.objects.get(code="old")
    for period, approve in (("2025-Q1", True), ("2025-Q2", False)):
        report = services.report_get_or_create(
            initiative=initiative, organization=world.partner_org, period_key=period
        )
        values = [
            {"indicator": indicator, "category": category, "value": Decimal(value), "comment": SCRIPT}
            for indicator in initiative.indicators.all()
            for category, value in ((None, 30), (young, 12), (old, 18))
        ]
        report = services.report_values_save(
            report=report, membership=partner, user=world.partner, values=values, version=report.version
        )
        report = services.report_submit(report=report, membership=partner, user=world.partner)
        if approve:
            services.report_approve(report=report, membership=coordinator, user=world.coordinator)
    return world


PAGES = [
    ("initiative_overview", []),
    ("dashboard", []),
    ("indicator_detail", ["R1"]),
    ("indicator_detail", ["C1"]),
    ("outcome_report", []),
    ("review_queue", []),
    ("participant_list", []),
    ("dimension_list", []),
    ("dimension_edit", ["age"]),
    ("indicator_edit", ["R1"]),
    ("indicator_milestones", ["R1"]),
    ("narrative_edit", ["R1", "2025-Q1"]),
    ("reporting_home", []),
    ("organization_reports", ["partner-org"]),
    ("report_page", ["partner-org", "2025-Q1"]),
    ("report_page", ["partner-org", "2025-Q2"]),
    ("report_page", ["partner-org", "2025-Q3"]),
    ("report_history", ["partner-org", "2025-Q1"]),
    ("values_upload", []),
    ("initiative_edit", []),
    ("population_edit", []),
]


@pytest.mark.parametrize(("name", "args"), PAGES, ids=["-".join([name, *args]) for name, args in PAGES])
def test_html_typed_into_the_forms_is_shown_as_text_on_every_page(hostile, client_for, name, args):
    response = client_for(hostile.coordinator).get(reverse(name, args=["ready", *args]))
    assert response.status_code == 200
    page = response.content.decode()
    for raw in RAW:
        assert raw not in page, f"{raw} unescaped on {name}"
    assert escape(SCRIPT) in page or escape(IMAGE) in page


@pytest.mark.parametrize(
    "name",
    ["initiative_overview", "dashboard", "indicator_detail", "outcome_report", "review_queue"],
)
def test_both_hostile_texts_appear_escaped_on_the_main_pages(hostile, client_for, name):
    args = ["ready", "R1"] if name == "indicator_detail" else ["ready"]
    page = client_for(hostile.coordinator).get(reverse(name, args=args)).content.decode()
    assert escape(SCRIPT) in page and SCRIPT not in page
    if name != "review_queue":  # the queue names reports, not initiatives' texts in French
        assert escape(IMAGE) in page and IMAGE not in page


@pytest.mark.parametrize("name", ["dashboard", "indicator_detail", "outcome_report"])
def test_chart_json_cannot_close_its_script_element(hostile, client_for, name):
    args = ["ready", "R1"] if name == "indicator_detail" else ["ready"]
    page = client_for(hostile.coordinator).get(reverse(name, args=args)).content.decode()
    embedded = CHART_DATA.search(page)
    assert embedded, "the page embeds its charts with json_script"
    text = embedded.group(1)
    assert "<" not in text and ">" not in text
    figures = json.loads(text)
    # The names reach the charts, as text plotly.js shows (it would read <b>… as markup).
    shown = json.dumps(figures)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown or "&lt;img src=x" in shown


def texts_of(figure):
    """Every string plotly.js would draw as text: trace names, hover texts, node labels."""
    for trace in figure["data"]:
        if trace.get("name"):
            yield trace["name"]
        yield from trace.get("hovertext") or []
        yield from (trace.get("node") or {}).get("label") or []


def test_chart_texts_are_escaped_for_plotly_which_reads_tags_in_them(hostile):
    from indicators.outcomes.engine import initiative_outcomes
    from reports.selectors.dashboard import contribution_links

    initiative = hostile.initiative
    outcomes = initiative_outcomes(initiative)
    outcome = next(o for o in outcomes.values() if o.indicator.code == "R1")
    links = contribution_links(initiative)
    organizations = sorted({organization for organization, _measure in links}, key=lambda o: o.pk)
    figures = [
        outcome_figure(outcome),
        category_figure(outcome, Dimension.objects.get(code="age")),
        contribution_figure(organizations, links, [outcome.indicator]),
    ]
    texts = [text for figure in figures for text in texts_of(figure)]
    assert texts
    for text in texts:
        assert "<" not in text and ">" not in text, text
    assert any("&lt;img src=x" in text for text in texts)


def test_a_line_break_in_a_name_cannot_break_or_stop_an_emails_subject(
    world, django_capture_on_commit_callbacks
):
    from django.core import mail

    from tests.factories import IndicatorFactory

    world.partner_org.name_en = "Maison\r\nBcc: everyone@example.org"
    world.partner_org.save()
    indicator = IndicatorFactory(initiative=world.initiative, code="C1")
    indicator.reporting_organizations.add(world.partner_org)
    partner = get_membership(world.partner, "ready")
    report = services.report_get_or_create(
        initiative=world.initiative, organization=world.partner_org, period_key="2025-Q1"
    )
    values = [{"indicator": indicator, "category": None, "value": Decimal(5)}]
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit_values(
            report=report, membership=partner, user=world.partner, values=values, version=report.version
        )
    [message] = mail.outbox  # to the coordinator: sent, not refused as a header injection
    assert message.subject == (
        "[Concerto] Maison Bcc: everyone@example.org submitted its report for 2025–26 Q1"
    )
    assert message.bcc == []
