"""The benchmark behind `make bench`: initiatives of three sizes, and what their pages cost.

Each size is an initiative whose every organization reports every indicator each month, a total
and four categories: S ≈ 10,000 values, M ≈ 100,000, L ≈ 1,000,000. They are generated once with
bulk inserts and kept (``--rebuild`` makes them again). Pages are requested in process through
Django's test client; writes (the partner's save, the import) run inside a transaction that is
rolled back, so every run measures the same data.
"""

import csv
import datetime
import io
import os
import platform
import random
import resource
import statistics
import time
import tracemalloc
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, reset_queries, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from impact.models import Category, Dimension, Initiative
from indicators.models import Baseline, DataValue, Indicator, PartnerReport, ReportStatus, Target
from indicators.outcomes import rollups
from partners.models import Organization, OrganizationMember, Participation


@dataclass(frozen=True)
class Size:
    name: str
    organizations: int
    months: int
    indicators: int = 40
    categories: int = 4
    import_rows: int = 10_000

    @property
    def values(self):
        return self.organizations * self.months * self.indicators * (1 + self.categories)

    @property
    def slug(self):
        return f"bench-{self.name.lower()}"


SIZES = {
    "S": Size("S", organizations=5, months=10),
    "M": Size("M", organizations=25, months=20),
    "L": Size("L", organizations=100, months=50),
}
START = datetime.date(2021, 1, 1)
OUTCOMES = 8  # of the 40 indicators; the others are contributing measures, 4 to an outcome
MEASURES = ["count", "percentage", "mean", "amount"]
PASSWORD = "bench-password"


def month_keys(count, start=START):
    keys = []
    year, month = start.year, start.month
    for _index in range(count):
        keys.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


def month_end(key):
    year, month = (int(part) for part in key.split("-"))
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def figures(measure, rng, base):
    """A total's figures and its four categories', which add up (counts, amounts, percentages)."""
    if measure == "percentage":
        denominators = [rng.randint(20, 60) for _ in range(4)]
        numerators = [rng.randint(d // 3, d) for d in denominators]
        parts = [{"numerator": n, "denominator": d} for n, d in zip(numerators, denominators, strict=True)]
        return {"numerator": sum(numerators), "denominator": sum(denominators)}, parts
    if measure == "mean":
        sizes = [rng.randint(10, 40) for _ in range(4)]
        means = [Decimal(rng.randint(20, 60)) / 10 for _ in range(4)]
        total_n = sum(sizes)
        mean = sum(m * n for m, n in zip(means, sizes, strict=True)) / total_n
        parts = [{"value": m, "denominator": n} for m, n in zip(means, sizes, strict=True)]
        return {"value": mean.quantize(Decimal("0.0001")), "denominator": total_n}, parts
    counts = [rng.randint(base // 8, base // 4) for _ in range(4)]
    if measure == "amount":
        counts = [count * 100 for count in counts]
    return {"value": sum(counts)}, [{"value": count} for count in counts]


@transaction.atomic
def generate(size, *, log=print):
    """Create the initiative of ``size`` with bulk inserts, all or nothing; return it."""
    rng = random.Random(size.name)
    started = time.perf_counter()
    DataValue.objects.filter(report__initiative__slug=size.slug).delete()
    PartnerReport.objects.filter(initiative__slug=size.slug).delete()
    Indicator.objects.filter(initiative__slug=size.slug, level=Indicator.Level.CONTRIBUTING).delete()
    Initiative.objects.filter(slug=size.slug).delete()
    initiative = Initiative.objects.create(
        slug=size.slug,
        name_en=f"Benchmark {size.name}",
        name_fr=f"Banc d'essai {size.name}",
        issue_en="A generated initiative for measuring pages.",
        start_date=START,
        fiscal_year_start_month=1,
    )
    User = get_user_model()
    for role in (Participation.Role.BACKBONE, Participation.Role.FUNDER):
        organization, _ = Organization.objects.get_or_create(
            slug=f"{size.slug}-{role}", defaults={"name_en": f"{size.name} {role}", "sector": "non_profit"}
        )
        Participation.objects.create(initiative=initiative, organization=organization, role=role)
        user, _ = User.objects.get_or_create(username=f"{size.slug}-{role}")
        user.set_password(PASSWORD)
        user.save()
        OrganizationMember.objects.get_or_create(user=user, organization=organization)
    slugs = [f"{size.slug}-p{index:03d}" for index in range(size.organizations + 1)]  # the last imports
    Organization.objects.bulk_create(
        [Organization(slug=slug, name_en=f"Partner {slug[-3:]}", sector="non_profit") for slug in slugs],
        update_conflicts=True,
        unique_fields=["slug"],
        update_fields=["name_en"],
    )
    partners = list(Organization.objects.filter(slug__in=slugs).order_by("slug"))
    Participation.objects.bulk_create(
        [
            Participation(initiative=initiative, organization=o, role=Participation.Role.PARTNER)
            for o in partners
        ]
    )
    organizations = partners[: size.organizations]
    partner_user, _ = User.objects.get_or_create(username=f"{size.slug}-partner")
    partner_user.set_password(PASSWORD)
    partner_user.save()
    OrganizationMember.objects.get_or_create(user=partner_user, organization=partners[0])
    coordinator = User.objects.get(username=f"{size.slug}-backbone")
    importer, _ = User.objects.get_or_create(username=f"{size.slug}-importer")
    importer.set_password(PASSWORD)
    importer.save()
    OrganizationMember.objects.get_or_create(user=importer, organization=partners[-1])

    dimension = Dimension.objects.create(initiative=initiative, code="age", name_en="Age group")
    categories = Category.objects.bulk_create(
        [
            Category(dimension=dimension, code=f"a{index}", name_en=f"Age {index}", order=index)
            for index in range(size.categories)
        ]
    )

    def indicator(index, outcome=None):
        return Indicator(
            initiative=initiative,
            code=f"{'C' if outcome else 'R'}{index + 1}",
            name_en=f"Indicator {index + 1}",
            level=Indicator.Level.CONTRIBUTING if outcome else Indicator.Level.OUTCOME,
            outcome=outcome,
            measure_type=MEASURES[index % len(MEASURES)],
            frequency="monthly",
            decimals=1,
            order=index,
        )

    outcomes = Indicator.objects.bulk_create([indicator(index) for index in range(OUTCOMES)])
    measures = Indicator.objects.bulk_create(
        [indicator(index, outcomes[index % OUTCOMES]) for index in range(OUTCOMES, size.indicators)]
    )
    indicators = outcomes + measures
    Indicator.dimensions.through.objects.bulk_create(
        [Indicator.dimensions.through(indicator=i, dimension=dimension) for i in indicators]
    )
    Indicator.reporting_organizations.through.objects.bulk_create(
        [
            Indicator.reporting_organizations.through(indicator=i, organization=o)
            for i in indicators
            for o in [*organizations, partners[-1]]
        ]
    )
    keys = month_keys(size.months)
    baselines, targets = [], []
    for indicator in indicators:
        level = {"count": 40, "percentage": 60, "mean": 4, "amount": 4000}[indicator.measure_type]
        scale = size.organizations if indicator.measure_type in ("count", "amount") else 1
        baselines.append(Baseline(indicator=indicator, period=keys[0], value=level * scale))
        targets.append(Target(indicator=indicator, period=keys[-1], value=Decimal(level * scale) * 5 / 4))
    Baseline.objects.bulk_create(baselines)
    Target.objects.bulk_create(targets)

    now = datetime.datetime.now(datetime.UTC)
    reports = PartnerReport.objects.bulk_create(
        [
            PartnerReport(
                initiative=initiative,
                organization=organization,
                period=key,
                status=ReportStatus.APPROVED,
                due_date=month_end(key) + datetime.timedelta(days=30),
                submitted_at=now,
                submitted_by=partner_user,
                reviewed_at=now,
                reviewed_by=coordinator,
            )
            for organization in organizations
            for key in keys
        ],
        batch_size=2000,
    )
    # The partner's latest month is submitted, not yet approved: the review page's report.
    last = next(r for r in reports if r.organization_id == partners[0].pk and r.period == keys[-1])
    PartnerReport.objects.filter(pk=last.pk).update(status=ReportStatus.SUBMITTED)
    log(f"  {size.name}: {len(reports):,} reports, writing {size.values:,} values…")
    batch = []
    written = 0
    for report in reports:
        for indicator in indicators:
            total, parts = figures(indicator.measure_type, rng, 200)
            batch.append(DataValue(report=report, indicator=indicator, category=None, **total))
            batch.extend(
                DataValue(report=report, indicator=indicator, category=category, **part)
                for category, part in zip(categories, parts, strict=True)
            )
        if len(batch) >= 20_000:
            DataValue.objects.bulk_create(batch, batch_size=5000)
            written += len(batch)
            batch = []
    DataValue.objects.bulk_create(batch, batch_size=5000)
    written += len(batch)
    rollups.rebuild(initiative)  # the bulk inserts went around the services
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    log(f"  {size.name}: {written:,} values in {time.perf_counter() - started:.0f} s")
    return initiative


@dataclass
class Figure:
    page: str
    median_ms: float
    p95_ms: float
    queries: int


# Unmeasured requests first: the first one of a process loads templates, translations and caches,
# which a running server has done long before.
WARM_UP = 2


def timed(client, method, url, *, runs, data=None, rollback=False, prepare=None):
    """Request ``url`` ``runs`` times after WARM_UP unmeasured ones; return (times in ms, queries of
    the last run, response)."""
    times = []
    queries = 0
    response = None
    for run in range(WARM_UP + runs):
        payload = prepare() if prepare else data
        reset_queries()  # the query log is bounded: a full one would count nothing
        with transaction.atomic():
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = getattr(client, method)(url, payload) if payload else getattr(client, method)(url)
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
                if run >= WARM_UP:
                    times.append((time.perf_counter() - started) * 1000)
            queries = len(captured)
            if response.status_code >= 400:
                raise RuntimeError(f"{method.upper()} {url} answered {response.status_code}")
            if rollback:
                transaction.set_rollback(True)
    return times, queries, response


def summary(page, times, queries):
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return Figure(page, statistics.median(ordered), p95, queries)


def logged_in(username):
    client = Client(HTTP_HOST="localhost")  # a host every ALLOWED_HOSTS of ours admits
    client.force_login(get_user_model().objects.get(username=username))
    return client


def form_post(initiative):
    """The partner's whole form filled in, as the browser sends it: 40 indicators × 5 rows."""
    categories = list(Category.objects.filter(dimension__initiative=initiative))
    inputs = {
        "count": ("value",),
        "amount": ("value",),
        "percentage": ("numerator", "denominator"),
        "mean": ("value", "denominator"),
    }
    small = {"value": "5", "numerator": "5", "denominator": "10"}
    data = {"version": "0"}  # a report nobody has started
    for indicator in initiative.indicators.all():
        for name in inputs[indicator.measure_type]:
            data[f"i{indicator.pk}-total-{name}"] = str(int(small[name]) * len(categories))
            for category in categories:
                data[f"i{indicator.pk}-{category.pk}-{name}"] = small[name]
    return data


def import_file(size, initiative):
    """A CSV for the spare partner (10,000 rows): every indicator, total and categories, each month."""
    indicators = list(initiative.indicators.order_by("order"))
    categories = list(Category.objects.filter(dimension__initiative=initiative).order_by("order"))
    rng = random.Random(7)
    rows = []
    months = month_keys(size.import_rows // (len(indicators) * (1 + len(categories))) + 1)
    for key in months:
        for indicator in indicators:
            total, parts = figures(indicator.measure_type, rng, 200)
            for category, figure in [(None, total), *zip(categories, parts, strict=True)]:
                rows.append(
                    [
                        indicator.code,
                        key,
                        "age" if category else "",
                        category.code if category else "",
                        figure.get("value", ""),
                        figure.get("numerator", ""),
                        figure.get("denominator", ""),
                    ]
                )
    rows = rows[: size.import_rows]
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(
        ["indicator_code", "period", "dimension", "category", "value", "numerator", "denominator"]
    )
    writer.writerows(rows)
    return text.getvalue().encode()


def measure(size, *, runs=20, log=print):
    """Measure every page of the initiative of ``size``; return [Figure]."""
    initiative = Initiative.objects.get(slug=size.slug)
    slug = initiative.slug
    coordinator = logged_in(f"{slug}-backbone")
    funder = logged_in(f"{slug}-funder")
    partner = logged_in(f"{slug}-partner")
    partner_slug = f"{slug}-p000"
    last = month_keys(size.months)[-1]
    open_key = month_keys(size.months + 1)[-1]  # the month after: a report not started yet
    results = []

    def run(page, client, url, **options):
        times, queries, response = timed(client, options.pop("method", "get"), url, runs=runs, **options)
        results.append(summary(page, times, queries))
        log(f"  {size.name} {page}: median {results[-1].median_ms:.0f} ms, {queries} queries")
        return response

    run("dashboard", coordinator, reverse("dashboard", args=[slug]))
    run("indicator page", coordinator, reverse("indicator_detail", args=[slug, "R1"]))
    run("funder report", funder, reverse("outcome_report", args=[slug]))
    run("CSV export", funder, reverse("report_csv", args=[slug]))
    run("XLSX export", funder, reverse("report_xlsx", args=[slug]))
    form_url = reverse("report_page", args=[slug, partner_slug, open_key])
    run("partner form", partner, form_url)
    run(
        "partner form save",
        partner,
        form_url,
        method="post",
        rollback=True,
        data=form_post(initiative),
    )
    run("review page", coordinator, reverse("report_page", args=[slug, partner_slug, last]))
    data = import_file(size, initiative)
    upload = reverse("values_upload", args=[slug])
    importer = logged_in(f"{slug}-importer")

    def upload_form():
        return {"file": _named(data, "values.csv")}

    run(
        f"import {size.import_rows:,} rows",
        importer,
        upload,
        method="post",
        rollback=True,
        prepare=upload_form,
    )
    return results


def _named(data, name):
    return SimpleUploadedFile(name, data, content_type="text/csv")


def export_memory(size):
    """Peak Python memory (tracemalloc) while the funder downloads the L exports, in MB."""
    funder = logged_in(f"{size.slug}-funder")
    peaks = {}
    for name in ("report_csv", "report_xlsx"):
        tracemalloc.start()
        response = funder.get(reverse(name, args=[size.slug]))
        if hasattr(response, "streaming_content"):
            for _chunk in response.streaming_content:
                pass
        peaks[name] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return peaks


def machine():
    cores = len(os.sched_getaffinity(0))
    memory = "?"
    try:
        with open("/proc/meminfo") as meminfo:
            memory = f"{int(meminfo.readline().split()[1]) / 2**20:.0f} GiB"
    except OSError:
        pass
    model = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            model = next(
                (line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), model
            )
    except OSError:
        pass
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        database = cursor.fetchone()[0].split(" on ")[0]
    return f"{model}, {cores} cores, {memory} RAM; Python {platform.python_version()}; {database}"


def max_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
