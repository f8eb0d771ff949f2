import sys

from django.core.management.base import BaseCommand, CommandError

from impact.models import Initiative
from indicators.reporting.backup import values_csv, values_xlsx


class Command(BaseCommand):
    help = (
        "Write every value reported to an initiative, in the import format plus each report's status "
        "(docs/export-format.md); `import_values --restore` reads it back, statuses included."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")

    def handle(self, *args, slug, format="csv", output=None, **options):
        initiative = Initiative.objects.filter(slug=slug).first()
        if initiative is None:
            raise CommandError(f"No initiative “{slug}”.")
        if format == "xlsx" and not output:
            raise CommandError("Give -o FILE for XLSX: it is not text.")
        chunks = [values_xlsx(initiative)] if format == "xlsx" else values_csv(initiative)
        if output:
            with open(output, "wb") as file:
                file.writelines(chunks)
            self.stderr.write(f"Wrote {output}.")
        else:
            sys.stdout.buffer.writelines(chunks)
