"""The security log (logger ``concerto.security``): who tried what, when, and from where.

Failed logins, answers of 403 (a permission refused, a failed CSRF check), and every change of
which organizations take part in an initiative and in which role. Each line names the event, the
user (or "anonymous"), the source address and the details; the time is the log record's.
"""

import logging

from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

log = logging.getLogger("concerto.security")


def source(request):
    """The client's address; behind a reverse proxy, the addresses it says it forwarded for too."""
    if request is None:
        return "-"
    remote = request.META.get("REMOTE_ADDR") or "-"
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").strip()
    return f"{remote} (forwarded for {forwarded})" if forwarded else remote


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
