"""Pages, downloads and command outputs of the demo as every login sees them, to compare two
versions of the code: the check that a change of layout changed no page (issue 15).

    cp demo.sqlite3 run.sqlite3   # one demo database for both runs, so the dates it holds agree
    DATABASE_URL=sqlite:///$PWD/run.sqlite3 DJANGO_SETTINGS_MODULE=concerto.test_settings \\
        .venv/bin/python scripts/page_snapshots.py take OUT
    python3 scripts/page_snapshots.py compare BEFORE AFTER [N]   # print N differences

`take` renders every URL pattern (filled with the demo's codes, periods and organizations, plus
a few query strings) and every registered admin page, as each demo login and as nobody, in
English and French, then runs the export commands and a refused import. CSRF tokens and the
definition's "exported_at" are masked; XLSX files are compared by their sheets. `compare` counts
what is the same byte for byte and what differs only in whitespace HTML collapses (runs of it,
and any beside block-level tags) or in how a quote is written, shows what differs otherwise, and
exits 1 if anything does. It only reads (GET): writes are for the test suite to check.
"""

import difflib
import hashlib
import html
import io
import json
import os
import re
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

SLUG = "early-years"
USERS = [None, "admin", "coordinator", "partner", "partner2", "funder"]
LANGUAGES = ["en", "fr"]
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')
EXPORTED_AT = re.compile(r'("exported_at": ")[^"]+(")')
SAMPLE_PERIODS = {"monthly": ["2026-03"], "quarterly": ["2026-Q1", "2026-Q2", "2025-Q4"], "annual": ["2025"]}
NOT_REPORTED = ("2026-Q3", "2026-Q2", "2026", "2025", "2026-08")  # forms of reports not started
QUERIES = [
    "dashboard/?preview=1",
    "report/?from=2024&to=2026-Q2",
    "report/?from=2025-Q2",
    "report/?from=nonsense",
    "report/?from=2026&to=2020",
    "report.csv?from=2024&to=2026",
    "report.csv?from=2025-Q2",
    "report.xlsx?from=2024-Q1&to=2025-Q4",
    "report.csv?from=bad",
    "indicators/R1/?from=2020&to=2024",
    "indicators/C2/?from=2025-Q1",
    "indicators/new/?outcome=R1",
    "upload/template.csv?organization=maison-famille",
    "upload/template.xlsx?organization=maison-famille&period=2026-Q2",
    "upload/template.csv?organization=nobody",
    "reports/maison-famille/2026-Q3/?copy=previous",
]
BLOCK = (
    "html|head|body|title|meta|link|script|style|div|p|ul|ol|li|table|thead|tbody|tfoot|tr|td|th|"
    "caption|section|header|footer|nav|main|h[1-6]|form|fieldset|legend|select|option|details|"
    "summary|figure|figcaption|dl|dt|dd|br|hr|article|aside|noscript|!doctype"
)
AROUND_BLOCK = re.compile(rf"\s*(</?(?:{BLOCK})\b[^>]*>)\s*", re.I)


# Taking ----------------------------------------------------------------------------------------


def routes(patterns, prefix=""):
    from django.urls import URLPattern, URLResolver

    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if not str(pattern.pattern).startswith("admin/"):  # the admin: from its registry
                yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.name


def demo_values():
    """The demo's indicator codes, (code, story period), (organization, period), organizations, dimensions."""
    from django.apps import apps

    initiative = apps.get_model("impact", "Initiative").objects.get(slug=SLUG)
    indicators = list(apps.get_model("indicators", "Indicator").objects.filter(initiative=initiative))
    stories = {}
    for narrative in apps.get_model("indicators", "Narrative").objects.filter(
        indicator__initiative=initiative
    ):
        stories.setdefault(narrative.indicator.code, set()).add(narrative.period)
    story_periods = [
        (indicator.code, period)
        for indicator in sorted(indicators, key=lambda i: i.code)
        for period in sorted(set(SAMPLE_PERIODS[indicator.frequency]) | stories.get(indicator.code, set()))
    ]
    reports = apps.get_model("indicators", "PartnerReport").objects.filter(initiative=initiative)
    report_periods = sorted(set(reports.values_list("organization__slug", "period")))
    organizations = sorted(initiative.participations.values_list("organization__slug", flat=True))
    report_periods += [
        (organization, period)
        for organization in organizations
        for period in NOT_REPORTED
        if (organization, period) not in report_periods
    ]
    dimensions = sorted(initiative.dimensions.values_list("code", flat=True))
    codes = sorted(indicator.code for indicator in indicators) + ["NOPE"]
    return codes, story_periods, report_periods, organizations, dimensions


def fill(route, **values):
    path = "/" + route
    for key, value in values.items():
        path = re.sub(rf"<(?:\w+:)?{key}>", value, path)
    return path


def addresses():
    from django.contrib import admin
    from django.urls import get_resolver

    codes, stories, reports, organizations, dimensions = demo_values()
    found = []
    for route, name in routes(get_resolver().url_patterns):
        params = set(re.findall(r"<(?:\w+:)?(\w+)>", route))
        if not params:
            found.append(fill(route))
        elif params == {"uidb64", "token"}:
            found.append(fill(route, uidb64="MQ", token="set-password"))
        elif params == {"slug"}:
            found += [fill(route, slug=SLUG), fill(route, slug="no-such-initiative")]
        elif params == {"slug", "code"}:
            values = dimensions + ["nope"] if "dimension" in (name or "") else codes
            found += [fill(route, slug=SLUG, code=code) for code in values]
        elif params == {"slug", "code", "period"}:
            found += [fill(route, slug=SLUG, code=code, period=period) for code, period in stories]
            found.append(fill(route, slug=SLUG, code="R1", period="2026-Q9"))
        elif params == {"slug", "organization"}:
            found += [fill(route, slug=SLUG, organization=slug) for slug in organizations + ["nobody"]]
        elif params == {"slug", "organization", "period"}:
            if name in ("report_page", "report_history"):
                found += [fill(route, slug=SLUG, organization=o, period=p) for o, p in reports]
            else:  # POST-only actions: one of each is enough
                found.append(fill(route, slug=SLUG, organization=reports[0][0], period=reports[0][1]))
        else:
            raise SystemExit(f"no values for {route} ({params})")
    found += [f"/i/{SLUG}/{query}" for query in QUERIES]
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        found += [base, f"{base}add/"]
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            found += [f"{base}{first.pk}/change/", f"{base}{first.pk}/history/"]
    found += ["/admin/", "/admin/impact/"]
    return list(dict.fromkeys(found))


def sheets(content):
    """The parts of an XLSX file that say what it holds (not when it was written)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = sorted(n for n in archive.namelist() if not n.startswith("docProps/"))
        return "\n".join(f"== {n}\n{archive.read(n).decode('utf-8', errors='replace')}" for n in names)


def normalized(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in response.get("Content-Type", ""):
        return sheets(content)
    text = CSRF.sub(r"\1CSRF\2", content.decode("utf-8", errors="replace"))
    return EXPORTED_AT.sub(r"\1TIME\2", text)


def save(out, key, status, headers, body):
    digest = hashlib.sha1(key.encode()).hexdigest()[:16]
    (out / "bodies" / f"{digest}.txt").write_text(body)
    return {"key": key, "status": status, "headers": headers, "body": digest}


def pages(out):
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.test import Client

    User = get_user_model()
    access_log = apps.get_model("axes", "AccessLog")
    paths = addresses()
    print(f"{len(paths)} addresses", file=sys.stderr)
    index = []
    for username in USERS:
        client = Client()
        if username:
            user = User.objects.get(username=username)
            stored = user.last_login
            client.force_login(user)
            # Logging in writes the time: put the stored one back, so two runs see the same pages.
            User.objects.filter(pk=user.pk).update(last_login=stored)
            access_log.objects.all().delete()
        for language in LANGUAGES:
            client.cookies["django_language"] = language
            for path in paths:
                if language == "fr" and path.startswith("/admin/"):
                    continue
                response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
                headers = {
                    name: response[name]
                    for name in ("Content-Type", "Location", "Content-Disposition")
                    if name in response
                }
                key = f"{username} {language} GET {path}"
                index.append(save(out, key, response.status_code, headers, normalized(response)))
    return index


def commands(out):
    from django.core.management import call_command
    from django.utils import translation

    folder = Path(tempfile.gettempdir()) / "concerto-snapshot-files"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    bad = folder / "bad.csv"
    bad.write_text("indicator_code,period,value\nR9,2026-Q1,12\nC1,2031-Q7,x\n")
    runs = [
        ("seed_demo", []),
        ("rollups", []),
        ("export_initiative", [SLUG, "-o", f"{folder}/definition.json"]),
        ("export_report", [SLUG, "-o", f"{folder}/report.csv"]),
        ("export_report", [SLUG, "--from", "2024", "--to", "2026", "-o", f"{folder}/range.csv"]),
        ("export_report", [SLUG, "--format", "xlsx", "-o", f"{folder}/report.xlsx"]),
        ("export_values", [SLUG, "-o", f"{folder}/values.csv"]),
        ("export_values", [SLUG, "--format", "xlsx", "-o", f"{folder}/values.xlsx"]),
        ("import_values", ["--initiative", SLUG, "--organization", "maison-famille", str(bad)]),
    ]
    index = []
    for name, args in runs:
        stdout, stderr = io.StringIO(), io.StringIO()
        try:
            with translation.override("en"):
                call_command(name, *args, stdout=stdout, stderr=stderr)
            outcome = "ok"
        except BaseException as error:  # CommandError, SystemExit
            outcome = f"{type(error).__name__}: {error}"
        body = f"{outcome}\n--- stdout\n{stdout.getvalue()}\n--- stderr\n{stderr.getvalue()}"
        for produced in sorted(folder.iterdir()):
            if produced != bad:
                data = produced.read_bytes()
                text = sheets(data) if produced.suffix == ".xlsx" else data.decode("utf-8")
                body += f"\n--- {produced.name}\n{text}"
                produced.unlink()
        index.append(save(out, f"command {name} {' '.join(args)}", 0, {}, EXPORTED_AT.sub(r"\1TIME\2", body)))
    return index


def take(out):
    sys.path.insert(0, os.getcwd())
    import django

    django.setup()
    (out / "bodies").mkdir(parents=True, exist_ok=True)
    index = pages(out) + commands(out)
    (out / "index.json").write_text(json.dumps(index, indent=1, ensure_ascii=False))
    print(f"{len(index)} snapshots in {out}", file=sys.stderr)


# Comparing -------------------------------------------------------------------------------------


QUOTES = re.compile(r"&(?:#x27|#39|quot|#34);")


def loose(text):
    """The document as HTML reads it: whitespace collapsed, none beside block-level tags, quotes
    written as entities read as quotes. Other entities stay, so a text no longer escaped
    (``&lt;`` turned ``<``) still counts as a difference."""
    text = QUOTES.sub(lambda match: html.unescape(match.group(0)), text)
    return AROUND_BLOCK.sub(r"\1", re.sub(r"\s+", " ", text))


def compare(before, after, show=3):
    old = {e["key"]: e for e in json.loads((before / "index.json").read_text())}
    new = {e["key"]: e for e in json.loads((after / "index.json").read_text())}
    same, whitespace, different = 0, 0, 0
    for key in sorted(old.keys() | new.keys()):
        a, b = old.get(key), new.get(key)
        if a is None or b is None:
            print("only", "after" if a is None else "before", key)
            different += 1
            continue
        if (a["status"], a["headers"]) != (b["status"], b["headers"]):
            print("status or headers", key, a["status"], b["status"], a["headers"], b["headers"])
            different += 1
        text_a = (before / "bodies" / f"{a['body']}.txt").read_text()
        text_b = (after / "bodies" / f"{b['body']}.txt").read_text()
        if text_a == text_b:
            same += 1
        elif loose(text_a) == loose(text_b):
            whitespace += 1
        else:
            different += 1
            print("body", key)
            if show:
                show -= 1
                lines_a = loose(text_a).replace("><", ">\n<").splitlines(True)
                lines_b = loose(text_b).replace("><", ">\n<").splitlines(True)
                sys.stdout.writelines(list(difflib.unified_diff(lines_a, lines_b, n=1))[:40])
    print(f"{len(old)} and {len(new)} snapshots: {same} the same, {whitespace} differ only in whitespace,")
    print(f"{different} differ otherwise")
    return 1 if different else 0


if __name__ == "__main__":
    if sys.argv[1] == "take":
        take(Path(sys.argv[2]))
    else:
        sys.exit(compare(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) > 4 else 3))
