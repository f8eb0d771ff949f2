import json

from django.core.management.base import BaseCommand, CommandError

from exchange.definition import export_definition
from impact.models import Initiative


class Command(BaseCommand):
    help = (
        "Write an initiative's framework (population, dimensions, partners, indicators, baselines, "
        "targets) as JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")

    def handle(self, *args, slug, output=None, **options):
        initiative = Initiative.objects.filter(slug=slug).first()
        if initiative is None:
            raise CommandError(f"No initiative “{slug}”.")
        text = json.dumps(export_definition(initiative), ensure_ascii=False, indent=2) + "\n"
        if output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(text)
            self.stderr.write(f"Wrote {output}.")
        else:
            self.stdout.write(text, ending="")
