"""The language each person reads Concerto in, remembered for the emails written to them."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation

from impact.models import Profile

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def remember_language(user, language):
    """Record ``language`` as the one ``user`` reads in, if it is one of ours."""
    language = (language or "").split("-")[0].lower()
    if language in LANGUAGE_CODES:
        Profile.objects.update_or_create(user=user, defaults={"language": language})


def language_of(user):
    """The language to write to ``user`` in: the one they last used, else the site's default."""
    try:
        return user.profile.language or settings.LANGUAGE_CODE
    except Profile.DoesNotExist:
        return settings.LANGUAGE_CODE


@receiver(user_logged_in)
def remember_login_language(sender, request, user, **kwargs):
    """A first login records the language it was made in (chosen, or the browser's).

    Later logins leave it alone: on a shared computer the language cookie is the last person's,
    and only the person's own switch changes what their emails are written in.
    """
    if request is not None and not Profile.objects.filter(user=user).exists():
        remember_language(user, translation.get_language_from_request(request))
