from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from core.spreadsheets import ImportRefused
from impact.access import Membership, get_membership
from impact.models import Initiative
from indicators.reporting.backup import restore_values
from indicators.reporting.imports import import_values
from partners.models import Organization


class Command(BaseCommand):
    help = (
        "Import reported values from a CSV or XLSX file (DESIGN.md's import format), all or nothing. "
        "Exits with status 1 and lists every bad row when the file is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--initiative", required=True, help="The initiative's slug.")
        parser.add_argument(
            "--organization", help="The organization's short name, when the file has no organization column."
        )
        parser.add_argument(
            "--submit", action="store_true", help="Submit the reports for review once imported."
        )
        parser.add_argument(
            "--restore",
            action="store_true",
            help="The file is a values export (export_values): give each report the status it had "
            "(submitted, approved and returned through the review services, as --user).",
        )
        parser.add_argument(
            "--user",
            help="Record the import as this user's (they need the right to report for the organizations); "
            "without it the import is recorded as the site's own.",
        )

    def handle(
        self, *args, file, initiative, organization=None, submit=False, restore=False, user=None, **options
    ):
        if restore and (submit or organization):
            raise CommandError("--restore takes the statuses and organizations from the file.")
        target = Initiative.objects.filter(slug=initiative).first()
        if target is None:
            raise CommandError(f"No initiative “{initiative}”.")
        for_organization = None
        if organization:
            for_organization = Organization.objects.filter(
                slug=organization, participations__initiative=target
            ).first()
            if for_organization is None:
                raise CommandError(f"No organization “{organization}” takes part in “{initiative}”.")
        account = None
        if user:
            account = get_user_model().objects.filter(username=user).first()
            if account is None:
                raise CommandError(f"No user “{user}”.")
            try:
                membership = get_membership(account, target.slug)
            except Http404 as error:
                raise CommandError(f"{user} takes no part in “{initiative}”.") from error
        else:
            membership = Membership(initiative=target, is_site_admin=True)
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        try:
            if restore:
                restored = restore_values(
                    initiative=target, membership=membership, user=account, data=data, filename=file
                )
                self.stdout.write(
                    self.style.SUCCESS(f"Restored {restored} values with their reports' statuses.")
                )
                return
            result = import_values(
                initiative=target,
                membership=membership,
                user=account,
                data=data,
                filename=file,
                organization=for_organization,
                submit=submit,
            )
        except ImportRefused as refused:
            lines = "\n".join(
                f"  line {line}: {message}" if line else f"  {message}" for line, message in refused.errors
            )
            raise CommandError(f"{file} was not imported; nothing was written:\n{lines}") from refused
        submitted = f", {result.submitted} submitted" if submit else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.values} values into {len(result.reports)} reports{submitted}."
            )
        )
