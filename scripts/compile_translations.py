"""Compile the translations (locale/*/LC_MESSAGES/*.po) into the .mo files Django reads.

Django's own ``compilemessages`` needs GNU gettext's msgfmt, which a fresh Debian machine lacks;
polib writes the same files in pure Python, so ``make run`` works without it. A catalogue with a
fuzzy or missing translation is still compiled (English shows for that string) but is reported.
"""

import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def main():
    for source in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        catalogue = polib.pofile(str(source))
        target = source.with_suffix(".mo")
        catalogue.save_as_mofile(str(target))
        missing = len(catalogue.untranslated_entries()) + len(catalogue.fuzzy_entries())
        note = f", {missing} not translated" if missing else ""
        print(f"{target.relative_to(LOCALE.parent)}: {catalogue.percent_translated()}% translated{note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
