from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import seed as demo


class Command(BaseCommand):
    help = "Create the demo initiative 'early-years' with its organizations, logins and three years of data."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (the demo logins share one known password).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to create demo logins with a known password while DEBUG is off. "
                "Use --force if this really is a demonstration server."
            )
        initiative, created = demo.seed_demo()
        if created:
            self.stdout.write(self.style.SUCCESS(f"Created the demo initiative “{initiative.slug}”."))
        else:
            self.stdout.write(f"The demo initiative “{initiative.slug}” is already there; logins were reset.")
        self.stdout.write(f"Log in at http://127.0.0.1:8000/ with any of these (password: {demo.PASSWORD}):")
        for username, first, last, _email, organization in demo.USERS:
            where = organization or "site admin"
            self.stdout.write(f"  {username:<12} {first} {last} ({where})")
