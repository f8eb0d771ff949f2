import json

from django.core.management.base import BaseCommand, CommandError

from exchange.definition import DefinitionError, import_definition


class Command(BaseCommand):
    help = "Create an initiative from a definition file written by export_initiative (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--slug",
            help="Create it under this slug instead of the file's (to copy an initiative).",
        )

    def handle(self, *args, file, slug=None, **options):
        try:
            with open(file, encoding="utf-8-sig") as handle:
                document = json.load(handle)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise CommandError(f"{file} is not valid JSON: {error}.") from error
        except RecursionError as error:
            raise CommandError(f"{file} nests lists or objects too deeply to be a definition.") from error
        try:
            initiative = import_definition(document, slug=slug)
        except DefinitionError as error:
            problems = "\n".join(f"  - {message}" for message in error.messages)
            raise CommandError(f"{file} was not imported; nothing was created:\n{problems}") from error
        self.stdout.write(self.style.SUCCESS(f"Created the initiative “{initiative.slug}”."))
