"""`make bench`: generate the S, M and L initiatives (once) and measure their pages."""

import datetime
import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from demo import benchmark
from impact.models import Initiative

TARGETS = {
    "dashboard": "≤ 300 ms at L, ≤ 1.5 × S",
    "indicator page": "≤ 300 ms at L, ≤ 1.5 × S",
    "funder report": "≤ 300 ms at L, ≤ 1.5 × S",
    "partner form save": "≤ 30 queries",
    "import 10,000 rows": "≤ 5 s",
}


class Command(BaseCommand):
    help = "Measure the pages of generated initiatives of 10k, 100k and 1M values (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="S,M,L", help="which sizes, e.g. S,M")
        parser.add_argument("--runs", type=int, default=20, help="requests per page (default 20)")
        parser.add_argument("--rebuild", action="store_true", help="generate the initiatives again")
        parser.add_argument("--output", default="docs/benchmarks.md", help="where to write the table")
        parser.add_argument(
            "--generate-only", action="store_true", help="make the initiatives, measure nothing"
        )

    def handle(self, *args, sizes, runs, rebuild, output, generate_only, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL.")
        chosen = [benchmark.SIZES[name.strip().upper()] for name in sizes.split(",") if name.strip()]
        log = self.stdout.write
        results = {}
        for size in chosen:
            if rebuild or not Initiative.objects.filter(slug=size.slug).exists():
                log(f"Generating {size.name} ({size.values:,} values)…")
                benchmark.generate(size, log=log)
            if generate_only:
                continue
            log(f"Measuring {size.name} ({runs} requests a page)…")
            results[size.name] = {
                figure.page: figure for figure in benchmark.measure(size, runs=runs, log=log)
            }
        if generate_only:
            return
        memory = benchmark.export_memory(benchmark.SIZES["L"]) if "L" in results else {}
        table = self.table(results, memory)
        log("")
        log(table)
        header = [
            "# Benchmarks",
            "",
            f"`make bench` on {datetime.date.today():%Y-%m-%d}, {benchmark.machine()}.",
            "Sizes: " + "; ".join(self.shape(size) for size in chosen) + ".",
            f"Times are the median and 95th percentile of {runs} requests through Django's test client "
            f"(after {benchmark.WARM_UP} unmeasured ones), in process, with DEBUG "
            f"{'on' if settings.DEBUG else 'off'}; queries are one request's.",
            "",
        ]
        kept = ""  # the sections after the table (the load test's figures, the analysis) stay
        if os.path.exists(output):
            with open(output) as previous:
                text = previous.read()
            if "\n## " in text:
                kept = text[text.index("\n## ") :]
        with open(output, "w") as written:
            written.write("\n".join(header) + table + "\n" + kept)
        log(f"\nWritten to {output}.")

    @staticmethod
    def shape(size):
        return (
            f"{size.name} = {size.organizations} organizations × {size.indicators} indicators × "
            f"{size.months} months × 5 rows ≈ {size.values:,} values"
        )

    def table(self, results, memory):
        sizes = list(results)
        pages = list(next(iter(results.values()))) if results else []
        lines = [
            "",
            "| page | " + " | ".join(f"{s} median / p95 ms | {s} queries" for s in sizes) + " | target |",
            "|---|" + "---|---|" * len(sizes) + "---|",
        ]
        for page in pages:
            cells = []
            for size in sizes:
                figure = results[size][page]
                cells += [f"{figure.median_ms:,.0f} / {figure.p95_ms:,.0f}", str(figure.queries)]
            target = TARGETS.get(page, "same queries at every size")
            lines.append(f"| {page} | " + " | ".join(cells) + f" | {target} |")
        if "S" in results and "L" in results:
            lines.append("")
            for page in ("dashboard", "indicator page", "funder report"):
                ratio = results["L"][page].median_ms / max(results["S"][page].median_ms, 0.001)
                lines.append(f"- {page}: L / S = {ratio:.1f} (target ≤ 1.5)")
        if memory:
            lines.append("")
            lines += [
                f"- peak memory of the L {name.split('_')[1].upper()} export: {mb:.0f} MB (target ≤ 200 MB)"
                for name, mb in memory.items()
            ]
        lines.append(f"- the benchmark process's peak resident memory: {benchmark.max_rss_mb():.0f} MB")
        return "\n".join(lines)
