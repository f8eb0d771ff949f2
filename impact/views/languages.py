"""The language switch in every page's header."""

from django.conf.urls.i18n import set_language
from django.contrib.auth.decorators import login_not_required

from impact.languages import remember_language


@login_not_required
def switch_language(request):
    """Django's language switch (a cookie), also remembered for a logged-in person's emails."""
    response = set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        remember_language(request.user, request.POST.get("language"))
    return response
