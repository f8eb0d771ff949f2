"""Faults: a database that fails part-way through a write leaves nothing half-written and tells the
user to try again; after a database restart or a killed worker the next request works, and
nothing committed is lost."""

import http.cookiejar
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import closing, contextmanager
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.db import InterfaceError, OperationalError, ProgrammingError, connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from indicators.models import DataValue, PartnerReport, ReportEvent, Rollup
from tests.factories import PASSWORD
from tests.indicators.reporting import test_imports
from tests.indicators.reporting.test_imports import FRENCH_CSV
from tests.indicators.reporting.views import test_reports
from tests.indicators.reporting.views.test_reports import figures, report_of, url

# The upload and report pages' fixtures, shared.
importing = test_imports.importing
reporting = test_reports.reporting


NOTHING_SAVED = "Nothing was saved. Please try again in a moment."
WRITTEN = (
    PartnerReport,
    PartnerReport.history.model,
    DataValue,
    DataValue.history.model,
    ReportEvent,
    Rollup,
)


def snapshot():
    """Every row an upload, a save or a review writes: reports, values, their history, events, rollups."""
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in WRITTEN}


def connection_params():
    names = {"dbname": "NAME", "user": "USER", "password": "PASSWORD", "host": "HOST", "port": "PORT"}
    return {
        key: connection.settings_dict[name] for key, name in names.items() if connection.settings_dict[name]
    }


def terminate(pid):
    """End a backend from another connection, as a restart of PostgreSQL does, and wait until it is gone."""
    with closing(psycopg2.connect(**connection_params())) as other:
        other.autocommit = True
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
            assert cursor.fetchone()[0], f"backend {pid} did not end"


@contextmanager
def database_fails_at(statement, error=OperationalError, kill=False, once=True):
    """Make the database fail when a statement starting with ``statement`` is sent.

    Everything before it runs for real. With ``kill``, the connection's backend is terminated
    then and the statement is sent, so the error is PostgreSQL's own; otherwise ``error`` is raised,
    at the first such statement only unless ``once`` is false.
    Yields what happened: the statements run before, and whether a transaction was open.
    """
    seen = {"before": [], "in_transaction": None}

    def fail(execute, sql, params, many, context):
        failed = seen["in_transaction"] is not None
        if not sql.startswith(statement) or (once and failed):
            if not failed:
                seen["before"].append(sql)
            return execute(sql, params, many, context)
        seen["in_transaction"] = connection.in_atomic_block
        if kill:
            terminate(connection.connection.info.backend_pid)
            return execute(sql, params, many, context)
        raise error("server closed the connection unexpectedly")

    with connection.execute_wrapper(fail):
        yield seen


def written_before(seen):
    """The writes sent before the failure, as 'INSERT INTO "table"' and the like."""
    writes = (re.match(r'(INSERT INTO|UPDATE|DELETE FROM) "\w+"', sql) for sql in seen["before"])
    return [write.group() for write in writes if write]


def assert_the_503_page(response, back):
    assert response.status_code == 503
    assert response["Retry-After"]
    html = response.content.decode()
    assert translation.gettext(NOTHING_SAVED) in html
    assert f'href="{back}"' in html


# 1. The database fails in the middle of a write: nothing is half-written, the user is told ----------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("statement", "error", "submit"),
    [
        ('INSERT INTO "indicators_historicaldatavalue"', OperationalError, False),
        ('UPDATE "indicators_partnerreport"', InterfaceError, False),
        ('INSERT INTO "indicators_reportevent"', OperationalError, True),
    ],
    ids=["value-history", "report-version", "submit-event"],
)
def test_an_upload_cut_off_by_the_database_writes_nothing_and_says_try_again(
    importing, client_for, statement, error, submit
):
    client = client_for(importing.partner)
    upload_url = reverse("values_upload", args=["ready"])
    before = snapshot()
    upload = FRENCH_CSV.encode("cp1252")
    with database_fails_at(statement, error) as seen:
        response = client.post(
            upload_url,
            {"file": _file(upload), **({"submit": "on"} if submit else {})},
            HTTP_REFERER=f"http://testserver{upload_url}",
        )
    assert seen["in_transaction"], f"the database never failed at {statement}"
    assert 'INSERT INTO "indicators_datavalue"' in written_before(seen)
    assert_the_503_page(response, f"http://testserver{upload_url}")
    assert snapshot() == before
    assert mail.outbox == []
    # The same file goes in once the database answers again.
    retry = client.post(upload_url, {"file": _file(upload), **({"submit": "on"} if submit else {})})
    assert retry.status_code == 302
    assert DataValue.objects.count() == 4


def _file(content, name="valeurs.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.fixture
def approved_elsewhere(reporting, client_for):
    """Another organization's 2025-Q1 report of the same indicators approved: rollups exist."""
    for indicator in (reporting.families, reporting.share, reporting.reading):
        indicator.reporting_organizations.add(reporting.partner_other_org)
    other = url("report_submit", organization="partner_other-org")
    assert client_for(reporting.users["partner_other"]).post(other, figures(reporting)).status_code == 302
    approve_other = url("report_approve", organization="partner_other-org")
    assert client_for(reporting.coordinator).post(approve_other).status_code == 302
    assert Rollup.objects.filter(status="approved").exists()
    mail.outbox.clear()
    return reporting


@pytest.fixture
def reviewing(approved_elsewhere, client_for):
    """The partner's 2025-Q1 report submitted, next to another organization's approved one."""
    world = approved_elsewhere
    assert client_for(world.partner).post(url("report_submit"), figures(world)).status_code == 302
    mail.outbox.clear()
    return world


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("statement", "kill"),
    [
        ('INSERT INTO "indicators_rollup"', False),
        ('INSERT INTO "indicators_reportevent"', False),
        ('INSERT INTO "indicators_reportevent"', True),
    ],
    ids=["rollups", "event", "event-backend-killed"],
)
def test_an_approval_cut_off_by_the_database_changes_nothing_and_says_try_again(
    reviewing, client_for, statement, kill
):
    client = client_for(reviewing.coordinator)
    page = f"http://testserver{url('report_page')}"
    before = snapshot()
    with database_fails_at(statement, kill=kill) as seen:
        response = client.post(url("report_approve"), HTTP_REFERER=page)
    assert seen["in_transaction"]
    assert 'UPDATE "indicators_partnerreport"' in written_before(seen)
    assert 'DELETE FROM "indicators_rollup"' in written_before(seen)
    assert_the_503_page(response, page)
    assert snapshot() == before
    assert report_of(reviewing).status == "submitted"
    assert mail.outbox == []
    # Trying again works, on a new connection when the old one died.
    assert client.post(url("report_approve")).status_code == 302
    assert report_of(reviewing).status == "approved"


@pytest.mark.django_db(transaction=True)
def test_a_save_and_submit_cut_off_by_the_database_keeps_the_draft_as_it_was(reporting, client_for):
    client = client_for(reporting.partner)
    assert client.post(url("report_page"), figures(reporting)).status_code == 302  # a draft, saved
    version = report_of(reporting).version
    before = snapshot()
    changed = figures(reporting, families__value="120", young__value="60") | {"version": str(version)}
    with database_fails_at('INSERT INTO "indicators_reportevent"') as seen:
        response = client.post(url("report_submit"), changed, HTTP_ACCEPT_LANGUAGE="fr")
    assert 'UPDATE "indicators_datavalue"' in written_before(seen)
    assert 'DELETE FROM "indicators_rollup"' in written_before(seen)
    with translation.override("fr"):
        assert_the_503_page(response, reverse("home"))  # no page to go back to: home
    assert '<html lang="fr"' in response.content.decode()
    assert snapshot() == before
    assert report_of(reporting).status == "draft"
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_a_first_save_and_submit_cut_off_by_the_database_leaves_no_report_behind(reporting, client_for):
    client = client_for(reporting.partner)
    before = snapshot()
    with database_fails_at('INSERT INTO "indicators_reportevent"'):
        response = client.post(url("report_submit"), figures(reporting))
    assert response.status_code == 503
    assert snapshot() == before
    assert client.post(url("report_submit"), figures(reporting)).status_code == 302


def test_the_fault_is_logged_for_operators(reporting, client_for, caplog):
    client = client_for(reporting.partner)
    with caplog.at_level(logging.ERROR), database_fails_at('INSERT INTO "indicators_partnerreport"'):
        response = client.post(url("report_page"), figures(reporting))
    assert response.status_code == 503
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.ERROR
    assert record.exc_info[0] is OperationalError
    assert record.getMessage() == f"Database unavailable: {url('report_page')}"


def test_other_exceptions_are_not_turned_into_the_503_page(reporting, client_for):
    client = client_for(reporting.partner)
    with (
        pytest.raises(ProgrammingError),
        database_fails_at('INSERT INTO "indicators_partnerreport"', ProgrammingError),
    ):
        client.post(url("report_page"), figures(reporting))
    client.raise_request_exception = False
    with database_fails_at('INSERT INTO "indicators_partnerreport"', ProgrammingError):
        assert client.post(url("report_page"), figures(reporting)).status_code == 500


def test_a_fault_before_the_view_gets_the_503_page_too(world, client_for):
    """Reading the session happens in a middleware, where only handler500 sees the error."""
    client = client_for(world.partner)
    client.raise_request_exception = False
    with database_fails_at('SELECT "django_session"', once=False):  # the page can't read it either
        response = client.get(reverse("home"))
    assert_the_503_page(response, reverse("home"))


# 2. PostgreSQL restarted while the server runs: the next request works ----------------------------


def served(client, path):
    """GET ``path`` the way gunicorn does, through Django's WSGI handler: its request_started and
    request_finished signals close connections that broke or aged (the test client skips them)."""
    factory = RequestFactory()
    factory.cookies = client.cookies
    environ = factory.get(path).environ
    status = []
    body = WSGIHandler()(environ, lambda line, headers, exc_info=None: status.append(line))
    try:
        content = b"".join(body).decode()
    finally:
        body.close()
    return int(status[0].split()[0]), content


def saved_value(world, value):
    pk = world.families.pk
    return f'name="i{pk}-total-value" id="id_i{pk}-total-value" value="{value}"'


@pytest.mark.django_db(transaction=True)
def test_the_first_request_after_a_database_restart_works(reporting, client_for):
    assert connection.settings_dict["CONN_MAX_AGE"] > 0 and connection.settings_dict["CONN_HEALTH_CHECKS"]
    client = client_for(reporting.partner)
    client.post(url("report_page"), figures(reporting))
    status, page = served(client, url("report_page"))
    assert status == 200 and saved_value(reporting, "100") in page
    old = connection.connection.info.backend_pid  # kept open between requests
    terminate(old)
    status, page = served(client, url("report_page"))
    assert status == 200 and saved_value(reporting, "100") in page
    assert connection.connection.info.backend_pid != old


@pytest.mark.django_db(transaction=True)
def test_a_request_cut_off_by_a_database_restart_gets_the_503_page_and_the_next_one_works(
    reporting, client_for
):
    client = client_for(reporting.partner)
    client.post(url("report_page"), figures(reporting))
    with database_fails_at('SELECT "indicators_datavalue"', kill=True) as seen:
        status, page = served(client, url("report_page"))
    assert seen["in_transaction"] is False  # a page, not a write: the query itself failed
    assert status == 503 and NOTHING_SAVED in page
    status, page = served(client, url("report_page"))
    assert status == 200 and saved_value(reporting, "100") in page


# 3. Workers killed, the server restarted: nothing committed is lost, sessions survive --------------

GUNICORN = Path(sys.executable).parent / "gunicorn"


class Server:
    """The app under gunicorn (2 sync workers) on a free loopback port, with the test database."""

    def __init__(self, database, log):
        self.log = log
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = os.environ | {
            # The test settings: plain static files (no collectstatic manifest needed) and the
            # fast password hasher the factories used; DEBUG off as in production.
            "DJANGO_SETTINGS_MODULE": "concerto.test_settings",
            "DEBUG": "0",
            "SECRET_KEY": "faults-test-secret-key",
            "SECURE_SSL_REDIRECT": "0",
            "CONN_MAX_AGE": "60",
            "PGAPPNAME": SERVER_APPLICATION,  # to tell its connections from this test's own
            "DATABASE_URL": f"postgres:///{database['NAME']}",
            **{env: str(database[name]) for env, name in _LIBPQ.items() if database[name]},
        }
        self.process = None

    def start(self):
        with open(self.log, "a") as log:
            self.process = self._spawn(log)
        self.wait_for_workers(2)

    def _spawn(self, log):
        return subprocess.Popen(
            [GUNICORN, "concerto.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{self.port}"]
            + ["--timeout", "30", "--graceful-timeout", "2", "--log-level", "warning"],
            cwd=settings.BASE_DIR,
            env=self.env,
            start_new_session=True,  # its own process group, to kill it with its workers
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def workers(self):
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rpartition(")")[2].split()[1]) == self.process.pid:
                    pids.append(int(entry.name))
        return pids

    def wait_for_workers(self, count, replacing=()):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"gunicorn exited: {self.log.read_text()[-2000:]}"
            workers = [pid for pid in self.workers() if pid not in replacing]
            if len(workers) >= count:
                try:
                    with urllib.request.urlopen(f"{self.base}/healthz", timeout=5) as response:
                        if response.status == 200:
                            return workers
                except OSError:
                    pass
            time.sleep(0.2)
        raise AssertionError(f"gunicorn was not ready in 30 s: {self.log.read_text()[-2000:]}")

    def kill_workers(self):
        killed = self.workers()
        for pid in killed:
            os.kill(pid, signal.SIGKILL)
        return killed

    def stop(self):
        """Kill gunicorn and its workers at once, as a crash or a host restart would."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)


SERVER_APPLICATION = "concerto-faults-gunicorn"
_LIBPQ = {"PGHOST": "HOST", "PGPORT": "PORT", "PGUSER": "USER", "PGPASSWORD": "PASSWORD"}


def _free_port():
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """A cookie-keeping HTTP client that posts forms with their CSRF token, as a browser does."""

    def __init__(self, base):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path):
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.status, response.url, response.read().decode()

    def post(self, path, data, form_page=None):
        _status, _url, page = self.get(form_page or path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode(data | {"csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(self.base + path, body, headers={"Referer": self.base + path})
        with self.opener.open(request, timeout=30) as response:
            return response.status, response.url, response.read().decode()

    def cookie(self, name):
        return next(cookie.value for cookie in self.cookies if cookie.name == name)


def server_backends():
    """The database connections of the gunicorn this test started: pid, what it waits for, whether
    its transaction has written anything (a transaction id), and its query."""
    with closing(psycopg2.connect(**connection_params())) as other:
        other.autocommit = True
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT pid, wait_event_type, backend_xid IS NOT NULL, query FROM pg_stat_activity"
                " WHERE datname = %s AND application_name = %s",
                [connection.settings_dict["NAME"], SERVER_APPLICATION],
            )
            return cursor.fetchall()


def wait_for(condition, message, seconds=15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(message)


@pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed")
@pytest.mark.django_db(transaction=True)
def test_killed_workers_and_a_restarted_server_lose_nothing_committed_nor_the_session(
    approved_elsewhere, tmp_path
):
    world = approved_elsewhere
    server = Server(connection.settings_dict, tmp_path / "gunicorn.log")
    locker = None
    try:
        server.start()
        browser = Browser(server.base)
        status, landed, _page = browser.post(
            reverse("login"), {"username": "partner", "password": PASSWORD}, form_page=reverse("login")
        )
        assert status == 200 and "/accounts/login/" not in landed
        session = browser.cookie("sessionid")
        status, _url, _page = browser.post(url("report_page"), figures(world, families__value="101"))
        version = report_of(world).version
        assert (
            status == 200
            and report_of(world).values.get(category=None, indicator=world.families).value == 101
        )
        committed = snapshot()

        # A worker killed in the middle of a submission: its transaction waits on a rollup row
        # locked here, after it has written the values and the report's new status.
        locker = psycopg2.connect(**connection_params())
        with locker.cursor() as cursor:
            cursor.execute("SELECT 1 FROM indicators_rollup FOR UPDATE")
        submission = figures(world, families__value="102") | {"version": str(version)}
        outcome = {}

        def submit():
            try:
                outcome["status"] = browser.post(url("report_submit"), submission, url("report_page"))[0]
            except (OSError, urllib.error.URLError) as error:
                outcome["error"] = error

        thread = threading.Thread(target=submit, daemon=True)
        thread.start()
        (blocked,) = wait_for(
            lambda: [row for row in server_backends() if row[1] == "Lock"],
            "the submission never reached the locked rollups",
        )
        _pid, _wait, has_written, query = blocked
        assert has_written and query.startswith('DELETE FROM "indicators_rollup"')
        killed = server.kill_workers()
        thread.join(30)
        assert "status" not in outcome, outcome  # the browser got no answer
        locker.rollback()
        wait_for(
            lambda: blocked[0] not in [row[0] for row in server_backends()],
            "the killed worker's transaction did not end",
        )
        assert snapshot() == committed  # the draft as it was committed, nothing of the submission
        server.wait_for_workers(2, replacing=killed)
        status, _url, page = browser.get(url("report_page"))
        assert status == 200 and saved_value(world, "101") in page

        # The whole server restarted: the same session cookie still logs the partner in.
        server.stop()
        server.start()
        fresh = Browser(server.base)
        fresh.cookies.set_cookie(_cookie("sessionid", session))
        status, landed, page = fresh.get(url("report_page"))
        assert status == 200 and landed.endswith(url("report_page"))
        assert saved_value(world, "101") in page
        status, _url, _page = fresh.post(url("report_submit"), submission, url("report_page"))
        assert status == 200 and report_of(world).status == "submitted"
    finally:
        if locker is not None:
            locker.close()
        server.stop()
        # The killed workers' backends must be gone before the test database is flushed and dropped.
        deadline = time.monotonic() + 15
        while server_backends() and time.monotonic() < deadline:
            time.sleep(0.1)
        for pid, *_rest in server_backends():
            terminate(pid)


def _cookie(name, value):
    return http.cookiejar.Cookie(
        0, name, value, None, False, "127.0.0.1", False, False, "/", True, False, None, False, None, None, {}
    )
