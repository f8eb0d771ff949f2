"""`make bench` keeps working and measures without changing what it measures (no timings asserted)."""

import pytest
from django.urls import reverse

from demo import benchmark
from indicators.models import DataValue, PartnerReport

pytestmark = pytest.mark.django_db

TINY = benchmark.Size("T", organizations=2, months=3, indicators=10, import_rows=200)


def test_the_benchmark_generates_its_shape_and_measures_every_page_leaving_the_data_alone():
    benchmark.generate(TINY, log=lambda line: None)
    values = DataValue.objects.filter(report__initiative__slug=TINY.slug)
    assert values.count() == TINY.values == 2 * 3 * 10 * 5
    before = (values.count(), PartnerReport.objects.count())

    figures = benchmark.measure(TINY, runs=2, log=lambda line: None)

    assert [figure.page for figure in figures] == [
        "dashboard",
        "indicator page",
        "funder report",
        "CSV export",
        "XLSX export",
        "partner form",
        "partner form save",
        "review page",
        "import 200 rows",
    ]
    assert all(figure.queries > 0 and figure.median_ms > 0 for figure in figures)
    assert (values.count(), PartnerReport.objects.count()) == before  # saves and imports rolled back


def test_the_measured_save_is_a_real_save_of_the_whole_form():
    initiative = benchmark.generate(TINY, log=lambda line: None)
    partner = benchmark.logged_in(f"{TINY.slug}-partner")
    period = benchmark.month_keys(TINY.months + 1)[-1]
    url = reverse("report_page", args=[TINY.slug, f"{TINY.slug}-p000", period])
    response = partner.post(url, benchmark.form_post(initiative))
    assert response.status_code == 302
    saved = DataValue.objects.filter(report__period=period, report__initiative=initiative)
    assert saved.count() == TINY.indicators * 5


def test_a_rebuild_replaces_the_initiative():
    benchmark.generate(TINY, log=lambda line: None)
    benchmark.generate(TINY, log=lambda line: None)
    assert DataValue.objects.filter(report__initiative__slug=TINY.slug).count() == TINY.values
