"""Picture the demo's main pages in both languages, on a phone and a desktop: docs/screenshots/.

`make screenshots` runs this. It builds a fresh demo in a throw-away SQLite database, serves it on
a free loopback port, and drives Debian's Chromium through Playwright as each demo person.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import django
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concerto.settings")
os.environ.setdefault("DEBUG", "1")
django.setup()  # the demo's password lives beside its models

from demo.seed import PASSWORD  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE  # noqa: E402
from tests.pages import MAIN_PAGES  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
PICTURED = [
    "login",
    "home-coordinator",
    "overview",
    "dashboard",
    "indicator",
    "review",
    "upload",
    "entry-form",
    "outcome-report",
]
SIZES = {"phone": PHONE, "desktop": DESKTOP}
LANGUAGES = {"en": "en-CA", "fr": "fr-CA"}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(database):
    """Migrate and seed a demo in ``database``, then serve it; return (process, base URL)."""
    env = os.environ | {"DEBUG": "1", "DATABASE_URL": f"sqlite:///{database}"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)
    subprocess.run([*manage, "seed_demo"], env=env, check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _attempt in range(100):
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1)
            return server, base
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("The demo server did not start.")


def picture(browser, base, language, size):
    pages = [page for page in MAIN_PAGES if page.name in PICTURED]
    contexts = {}
    try:
        for main_page in pages:
            if main_page.user not in contexts:
                context = browser.new_context(viewport=SIZES[size], locale=LANGUAGES[language])
                tab = context.new_page()
                if main_page.user:
                    tab.goto(f"{base}/accounts/login/")
                    tab.fill("#id_username", main_page.user)
                    tab.fill("#id_password", PASSWORD)
                    tab.click("main button[type=submit]")
                    tab.wait_for_url(lambda url: "/accounts/login/" not in url)
                contexts[main_page.user] = (context, tab)
            _context, tab = contexts[main_page.user]
            response = tab.goto(base + main_page.path)
            if not response.ok:
                raise SystemExit(f"{main_page.path} answered {response.status}: not pictured.")
            tab.wait_for_load_state("networkidle")
            target = OUT / f"{main_page.name}-{language}-{size}.png"
            tab.screenshot(path=str(target))
            print(target.relative_to(ROOT))
    finally:
        for context, _tab in contexts.values():
            context.close()


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        server, base = serve(Path(scratch) / "demo.sqlite3")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for language in LANGUAGES:
                    for size in SIZES:
                        picture(browser, base, language, size)
                browser.close()
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
