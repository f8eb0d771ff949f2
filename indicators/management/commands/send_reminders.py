from django.core.management.base import BaseCommand
from django.utils import timezone

from impact.models import Initiative, InitiativeStatus
from indicators.reporting.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Email partners whose reports are due within N days or late. Each report is reminded of once "
        "as due soon and once as late, so running it daily (cron) never repeats itself."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=7, help="Remind of reports due within this many days (7)."
        )

    def handle(self, *args, days=7, **options):
        today = timezone.localdate()
        total = 0
        for initiative in Initiative.objects.filter(status=InitiativeStatus.ACTIVE):
            sent = send_reminders(initiative, today, days)
            total += sent
            if sent:
                self.stdout.write(f"{initiative.slug}: {sent} organization(s) reminded.")
        self.stdout.write(self.style.SUCCESS(f"{total} organization(s) reminded."))
