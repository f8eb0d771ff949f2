"""Texts users read are stored in both languages and shown in the reader's, falling back to the other.

A model declares ``name_en`` and ``name_fr`` fields and ``name = Translated()``; ``obj.name`` then
gives the text in the active language, or the other language's when that one is empty. Plain
columns keep queries, forms, the admin and the JSON exchange format simple and explicit.
"""

from django.utils.translation import get_language

LANGUAGE_CODES = ("en", "fr")


def reader_language():
    """Return 'en' or 'fr', the language of the current request (English outside a request)."""
    language = (get_language() or "en")[:2]
    return language if language in LANGUAGE_CODES else "en"


def other_language(language):
    return "fr" if language == "en" else "en"


class Translated:
    """Read-only attribute giving the reader's-language variant of a pair of ``_en``/``_fr`` fields."""

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return pick(instance, self.name)


def pick(instance, field, language=None):
    """Return ``field`` of ``instance`` in ``language`` (default: the reader's), else the other one."""
    language = language or reader_language()
    text = getattr(instance, f"{field}_{language}", "")
    return text or getattr(instance, f"{field}_{other_language(language)}", "") or ""


def pair(field):
    """Return the two column names of a bilingual field: ('name_en', 'name_fr')."""
    return tuple(f"{field}_{code}" for code in LANGUAGE_CODES)
