"""Restoring: the demo initiative rebuilt in an empty database from its definition export and its
values export gives the same outcome report, and a pg_dump of the database restored into another
one gives the same export (the backup drill of docs/operations.md).
"""

import io
import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from demo import seed as demo
from exchange.definition import export_definition
from impact.models import Initiative
from indicators.models import ReportStatus
from indicators.reporting.backup import value_rows
from partners.models import Organization, OrganizationMember
from reports.exports import report_csv

SLUG = demo.SLUG
ROOT = Path(__file__).resolve().parents[2]


class ReportText(HTMLParser):
    """The text of the report's article (not the page's header: who is logged in), and its charts."""

    def __init__(self):
        super().__init__()
        self.parts, self.charts, self.script, self.depth = [], None, None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.script = attrs.get("id") or tag
        elif tag == "article" or (self.depth and tag not in VOID):
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "script":
            self.script = None
        elif self.depth and tag not in VOID:
            self.depth -= 1

    def handle_data(self, data):
        if self.script == "chart-data":
            self.charts = json.loads(data)
        elif self.depth and self.script is None and data.strip():
            self.parts.append(" ".join(data.split()))


VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "col"}


def outcome_report(client, user):
    """The outcome report page as ``user`` reads it: its text and its charts, keyed by codes, not ids."""
    client.force_login(user)
    response = client.get(reverse("outcome_report", args=[SLUG]))
    assert response.status_code == 200
    page = ReportText()
    page.feed(response.content.decode())
    initiative = Initiative.objects.get(slug=SLUG)
    indicators = {str(i.pk): i.code for i in initiative.indicators.all()}
    dimensions = {str(d.pk): d.code for d in initiative.dimensions.all()}

    def by_codes(name):  # outcome-<indicator id>[-dimension-<dimension id>]
        parts = name.split("-")
        parts[1] = indicators[parts[1]]
        if len(parts) == 4:
            parts[3] = dimensions[parts[3]]
        return "-".join(parts)

    charts = {by_codes(name): figure for name, figure in page.charts.items()}
    return " | ".join(page.parts), charts


def snapshot(client):
    """Everything the restore must give back: the exports, the report pages, the reports and values."""
    initiative = Initiative.objects.get(slug=SLUG)
    users = get_user_model().objects
    coordinator, funder = users.get(username="coordinator"), users.get(username="funder")
    client.force_login(funder)
    funder_csv = client.get(reverse("report_csv", args=[SLUG])).content
    return {
        "csv": report_csv(initiative),
        "funder_csv": funder_csv,
        "coordinator_page": outcome_report(client, coordinator),
        "funder_page": outcome_report(client, funder),
        "statuses": Counter(initiative.reports.values_list("organization__slug", "period", "status")),
        "due_dates": set(initiative.reports.values_list("organization__slug", "period", "due_date")),
        "values": list(value_rows(initiative)),
        "definition": {**export_definition(initiative), "exported_at": None},
    }


LOST = [
    # Nothing exported holds these; the restored page says so in their place.
    (r"Last figures received on [^|]*?\d{4}\.", "Last figures received on …."),
    (r"were submitted on [^|]*?\d{4}\.", "were submitted on …."),
]


def without_what_is_lost(text):
    for pattern, replacement in LOST:
        text = re.sub(pattern, replacement, text)
    return text


def account_made_again(username, organization_slug):
    """Accounts are in no export: the operator makes them again (the Django admin) and joins them
    to their organization."""
    user = get_user_model().objects.create_user(username=username, password="a-long-test-password")
    OrganizationMember.objects.create(
        user=user, organization=Organization.objects.get(slug=organization_slug)
    )
    return user


@pytest.mark.django_db
def test_an_initiative_restored_from_its_definition_and_values_gives_the_same_report(client, tmp_path):
    demo.seed_demo()
    before = snapshot(client)
    assert {status for *_key, status in before["statuses"]} == set(ReportStatus.values)
    call_command("export_initiative", SLUG, "-o", str(tmp_path / "definition.json"), stderr=io.StringIO())
    call_command("export_values", SLUG, "-o", str(tmp_path / "values.csv"), stderr=io.StringIO())

    # An empty database: no initiative, organization, account or value left. (PostgreSQL truncates
    # only once the foreign keys checked at commit are checked; the test's transaction has not ended.)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    ContentType.objects.clear_cache()
    assert not Organization.objects.exists() and not get_user_model().objects.exists()

    call_command("import_initiative", str(tmp_path / "definition.json"), stdout=io.StringIO())
    account_made_again("coordinator", "reseau-petite-enfance")
    account_made_again("funder", "fondation-horizon")
    restored = io.StringIO()
    call_command(
        "import_values",
        str(tmp_path / "values.csv"),
        "--initiative",
        SLUG,
        "--restore",
        "--user",
        "coordinator",
        stdout=restored,
    )
    assert f"Restored {len(before['values'])} values" in restored.getvalue()
    call_command("rollups", stdout=io.StringIO())  # raises when they disagree with the values

    after = snapshot(client)
    assert after["csv"] == before["csv"]
    assert after["funder_csv"] == before["funder_csv"]
    assert after["statuses"] == before["statuses"]
    assert after["due_dates"] == before["due_dates"]
    assert after["values"] == before["values"]
    assert after["definition"] == before["definition"]
    for reader in ("coordinator_page", "funder_page"):
        text_before, charts_before = before[reader]
        text_after, charts_after = after[reader]
        assert charts_after == charts_before
        assert without_what_is_lost(text_after) == without_what_is_lost(text_before)
        # The stories behind the curves come back with the definition.
        assert "What is driving the curve" in text_before


def postgres_tools_missing():
    missing = [tool for tool in ("pg_dump", "pg_restore", "createdb", "dropdb") if not shutil.which(tool)]
    return f"{', '.join(missing)} not installed" if missing else None


@pytest.mark.skipif(bool(postgres_tools_missing()), reason=postgres_tools_missing() or "")
@pytest.mark.django_db(transaction=True)  # pg_dump reads from its own connection: the demo must be committed
def test_backup_drill_a_pg_dump_restored_into_a_scratch_database_gives_the_same_export(tmp_path):
    """The backup drill of docs/operations.md: pg_dump -Fc, pg_restore into a new database, then the
    commands an operator runs against it answer as the original does."""
    if connection.vendor != "postgresql":
        pytest.skip("the drill is for PostgreSQL")
    initiative, _created = demo.seed_demo()
    database = connection.settings_dict
    names = {"PGHOST": "HOST", "PGPORT": "PORT", "PGUSER": "USER", "PGPASSWORD": "PASSWORD"}
    libpq = {key: str(database[name]) for key, name in names.items() if database.get(name)}
    environment = {**os.environ, **libpq}
    scratch = f"concerto_drill_{uuid.uuid4().hex[:12]}"
    dump = tmp_path / "concerto.dump"

    def run(*command, **extra):
        done = subprocess.run(command, env={**environment, **extra}, capture_output=True, cwd=ROOT)
        if done.returncode:
            pytest.fail(f"{' '.join(command)} exited with {done.returncode}:\n{done.stderr.decode()}")
        return done

    run("pg_dump", "--format=custom", "--file", str(dump), database["NAME"])
    run("createdb", scratch)
    try:
        run("pg_restore", "--no-owner", "--exit-on-error", "--dbname", scratch, str(dump))
        app = {
            "DATABASE_URL": f"postgres:///{scratch}",
            "DJANGO_SETTINGS_MODULE": "concerto.settings",
            "SECRET_KEY": "backup-drill",
            "DEBUG": "",
        }
        manage = (sys.executable, "manage.py")
        run(*manage, "migrate", "--check", **app)  # every migration of this release is applied
        rollups = run(*manage, "rollups", **app)  # exits 1 when they disagree with the values
        assert f"{SLUG}: 0 rollups differ" in rollups.stdout.decode()
        restored = run(*manage, "export_report", SLUG, **app).stdout
        assert restored == report_csv(initiative)
        assert restored.count(b"\r\n") > 100
    finally:
        subprocess.run(("dropdb", "--if-exists", scratch), env=environment, capture_output=True, check=False)
