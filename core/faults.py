"""When the database fails in the middle of a request: a 503 page saying nothing was saved.

Every write runs in one transaction (each app's services), so a database that stops answering
part-way leaves nothing half-written; what the user needs to know is that and to try again, not a
bare "server error". Operators still get the exception, logged at error level by ``django.request``.
"""

import sys

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.log import log_response
from django.views import defaults

# The database is down, restarting or unreachable; not a bad query (ProgrammingError, DataError,
# IntegrityError are bugs or data problems, and keep their 500 or their view's own handling).
DATABASE_FAULTS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 10


class DatabaseFaultMiddleware:
    """Answer a view's OperationalError or InterfaceError with the 503 page; other exceptions pass."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_FAULTS):
            return None
        response = database_unavailable(request)
        log_response(
            "Database unavailable: %s",
            request.path,
            response=response,
            request=request,
            exception=exception,
        )
        return response


def server_error(request, template_name="500.html"):
    """``handler500``: a database fault outside any view (reading the session in a middleware, say)
    gets the 503 page too; Django has already logged it."""
    if isinstance(sys.exc_info()[1], DATABASE_FAULTS):
        return database_unavailable(request)
    return defaults.server_error(request, template_name)


def database_unavailable(request):
    """Return the 503 page: nothing was saved, try again, and a way back to where the user was."""
    context = {"back": _back_url(request)}
    try:
        response = render(request, "503.html", context, status=503)
    except DatabaseError:
        # The page's user menu or messages needed the database: the page without them.
        response = HttpResponse(render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def _back_url(request):
    """The page the user came from if it is ours, the page itself for a GET, else the home page."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    return reverse("home")
