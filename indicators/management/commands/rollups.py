"""`manage.py rollups`: check the pooled figures against the values, or rebuild them."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from impact.models import Initiative
from indicators.outcomes import rollups


class Command(BaseCommand):
    help = (
        "Compare each initiative's rollups (the pooled figures pages read) with its values; "
        "--rebuild recomputes them, after a restore or a bulk load that went around the services."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="initiatives (default: all)")
        parser.add_argument("--rebuild", action="store_true", help="recompute the rollups from the values")

    def handle(self, *args, slugs, rebuild, **options):
        initiatives = Initiative.objects.order_by("slug")
        if slugs:
            initiatives = initiatives.filter(slug__in=slugs)
            unknown = set(slugs) - {initiative.slug for initiative in initiatives}
            if unknown:
                raise CommandError(f"No initiative {', '.join(sorted(unknown))}.")
        stale = 0
        for initiative in initiatives:
            if rebuild:
                with transaction.atomic():
                    rollups.rebuild(initiative)
                self.stdout.write(f"{initiative.slug}: rebuilt")
                continue
            with transaction.atomic():
                found = rollups.differences(initiative)
            stale += bool(found)
            self.stdout.write(f"{initiative.slug}: {len(found)} rollups differ from the values")
            for line in found[:20]:
                self.stdout.write(f"  {line}")
        if stale:
            raise CommandError(f"{stale} initiative(s) with stale rollups: run manage.py rollups --rebuild.")
