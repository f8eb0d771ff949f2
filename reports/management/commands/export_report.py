import sys

from django.core.management.base import BaseCommand, CommandError

from impact.models import Initiative
from indicators.periods import PeriodError, parse_period
from reports.exports import report_csv, report_xlsx


class Command(BaseCommand):
    help = (
        "Write an initiative's outcome export (approved data; DESIGN.md's format) as CSV or XLSX; "
        "the CSV is byte for byte the one the site gives."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--from", dest="first", help="First period, e.g. 2024 or 2024-Q1.")
        parser.add_argument("--to", dest="last", help="Last period, e.g. 2026 or 2026-Q2.")
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")

    def handle(self, *args, slug, format="csv", first=None, last=None, output=None, **options):
        initiative = Initiative.objects.filter(slug=slug).first()
        if initiative is None:
            raise CommandError(f"No initiative “{slug}”.")
        try:
            bounds = {
                name: parse_period(key, initiative.fiscal_year_start_month) if key else None
                for name, key in (("first", first), ("last", last))
            }
        except PeriodError as error:
            raise CommandError(str(error)) from error
        if format == "xlsx" and not output:
            raise CommandError("Give -o FILE for XLSX: it is not text.")
        content = (report_xlsx if format == "xlsx" else report_csv)(initiative, **bounds)
        if output:
            with open(output, "wb") as file:
                file.write(content)
            self.stderr.write(f"Wrote {output}.")
        else:
            sys.stdout.buffer.write(content)
