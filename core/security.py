"""The security log (logger ``concerto.security``): who tried what, when, and from where.

Failed logins and lockouts, answers of 403 (a permission refused, a failed CSRF check), and every
change of which organizations take part in an initiative and in which role. Each line names the
event, the user (or "anonymous"), the source address and the details; the time is the record's.
"""

import logging

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.shortcuts import render

log = logging.getLogger("concerto.security")


def client_address(request):
    """The address the request came from: behind ``TRUSTED_PROXIES`` proxies, the one the outermost saw.

    Each proxy appends the address it received from to X-Forwarded-For, so with n trusted proxies
    the n-th entry from the right is the client's; entries further left are the client's own
    claims, which anyone can forge.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    if not settings.TRUSTED_PROXIES:
        return remote
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [entry for entry in forwarded if entry]
    if len(forwarded) < settings.TRUSTED_PROXIES:
        return remote
    return forwarded[-settings.TRUSTED_PROXIES]


def source(request):
    """The client's address, then the X-Forwarded-For header as received, quoted (it is forgeable)."""
    if request is None:
        return "'-'"
    text = repr(client_address(request) or "-")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return f"{text} forwarded_for={forwarded!r}" if forwarded else text


def user_of(request):
    user = getattr(request, "user", None)
    return user.get_username() if user is not None and user.is_authenticated else "anonymous"


def record(request, event, *, level=logging.INFO, **details):
    """Log one security event of ``request`` with its details (key=value, values quoted)."""
    described = " ".join(f"{name}={str(value)!r}" for name, value in details.items())
    log.log(level, "%s user=%r address=%s %s", event, user_of(request), source(request), described)


@receiver(user_login_failed)
def login_failed(sender, credentials, request=None, **kwargs):
    # Django hides the password in ``credentials``; only the name tried is logged.
    record(request, "login_failed", level=logging.WARNING, username=credentials.get("username", ""))


@receiver(user_locked_out)
def locked_out_logged(sender, request=None, username=None, ip_address=None, **kwargs):
    record(request, "login_locked_out", level=logging.WARNING, username=username or "")


def locked_out(request, original_response=None, credentials=None):
    """The page a locked-out login gets (429): what happened, for how long, and what to do."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


class SecurityLogMiddleware:
    """Log every 403 answer: a view's refusal, the funders' read-only rule, a failed CSRF check."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            record(
                request, "permission_denied", level=logging.WARNING, method=request.method, path=request.path
            )
        return response
