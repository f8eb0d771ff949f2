"""In French, no English is left behind: every main page of the demo, each as its role reads it.

A string marked for translation that shows in English on a French page (a missing or stale
translation, a label computed outside the reader's language) is found by its English text.
"""

import html
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import translation

from tests.pages import MAIN_PAGES

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
# Words French shares with English, and data-format names shown as they are.
SAME_IN_BOTH = {"Total", "Source", "Date", "Note", "Notes", "Version", "Action", "Actions", "Description"}


@pytest.fixture(scope="module")
def english_texts():
    """The English texts of the catalogue that French writes differently, as word-bounded patterns."""
    texts = set()
    for entry in polib.pofile(str(CATALOGUE)):
        for english, french in [(entry.msgid, entry.msgstr), (entry.msgid_plural, "")]:
            # Only the literal parts of a text with placeholders can show on a page.
            for part in re.split(r"%\(\w+\)[sd]|%[sd]|\{\w+\}|<[^>]+>", english or ""):
                part = part.strip(" .,:;()—-\n")
                if len(part) >= 4 and part not in SAME_IN_BOTH and part != french and " " in part:
                    texts.add(part)
    return [re.compile(r"(?<![\w'])" + re.escape(text) + r"(?![\w'])") for text in sorted(texts)]


@pytest.fixture(scope="module")
def english_words():
    """Single English words the catalogue translates (Draft, Approve, Dashboard…)."""
    words = set()
    for entry in polib.pofile(str(CATALOGUE)):
        text = entry.msgid.strip()
        if re.fullmatch(r"[A-Z][a-z]{3,}", text) and text not in SAME_IN_BOTH and entry.msgstr != text:
            words.add(text)
    return words


@pytest.fixture
def demo_data(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())


def readable_text(page_html):
    """What a reader meets: the text, the attributes read aloud or shown, and the charts' labels."""
    attributes = re.findall(r'(?:aria-label|title|placeholder|alt)="([^"]*)"', page_html)
    text = re.sub(r"<style.*?</style>", " ", page_html, flags=re.S)
    # A form shows both languages' fields of what people wrote: the English one is content.
    text = re.sub(r"<textarea.*?</textarea>", " ", text, flags=re.S)
    text = re.sub(r'<script(?![^>]*id="chart-data")[^>]*>.*?</script>', " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return html.unescape(" ".join([text, *attributes]))


@pytest.mark.parametrize("page", MAIN_PAGES, ids=lambda page: page.name)
def test_a_french_page_has_no_english_text_left(demo_data, client, page, english_texts, english_words):
    if page.user:
        client.force_login(get_user_model().objects.get(username=page.user))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get(page.path)
    assert response.status_code == 200, page.path
    body = response.content.decode()
    assert '<html lang="fr"' in body
    text = readable_text(body)
    left = {match.group(0) for pattern in english_texts for match in pattern.finditer(text)}
    # A single word is looked for where labels stand alone: buttons, headers, badges, links, options
    # (not in an element that says it is in another language, as the switch's "English" is).
    labels = re.findall(
        r"<(?:button|th|option|label|a|span|li)\b(?![^>]*\blang=)[^>]*>\s*([^<]{1,40}?)\s*<", body
    )
    left |= {label for label in labels if label in english_words}
    assert sorted(left) == [], f"{page.path} shows English in French: {sorted(left)}"


def test_the_french_catalogue_is_whole_and_compiled():
    entries = polib.pofile(str(CATALOGUE))
    missing = [entry.msgid for entry in entries if not entry.translated()]
    assert missing == [], f"{len(missing)} strings have no French translation: {missing[:10]}"
    with translation.override("fr"):
        assert translation.gettext("Log in") != "Log in", "the catalogue is not compiled (make install)"


def test_the_french_catalogue_keeps_every_placeholder():
    """GNU gettext's own check: a msgstr losing or renaming a %(name)s would fail only in French."""
    checked = subprocess.run(
        ["msgfmt", "--check", "-o", os.devnull, str(CATALOGUE)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr


def test_every_string_of_the_code_is_in_the_french_catalogue(tmp_path):
    """Extract the strings again (GNU gettext's xgettext) from a copy of the code and compare."""
    root = Path(settings.BASE_DIR)
    ours = [app for app in settings.INSTALLED_APPS if (root / app).is_dir()]
    for name in [*ours, "concerto", "templates", "static"]:
        shutil.copytree(root / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(root / "manage.py", tmp_path)
    (tmp_path / "locale" / "fr" / "LC_MESSAGES").mkdir(parents=True)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "fr", "--no-location"],
        cwd=tmp_path,
        env=os.environ | {"DEBUG": "1", "DJANGO_SETTINGS_MODULE": "concerto.settings"},
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(tmp_path / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    extracted = {(e.msgctxt, e.msgid) for e in fresh}
    catalogued = {(e.msgctxt, e.msgid) for e in polib.pofile(str(CATALOGUE)) if not e.obsolete}
    new = sorted(msgid for _context, msgid in extracted - catalogued)
    assert new == [], f"strings not in the French catalogue (run `make messages` and translate): {new[:10]}"
