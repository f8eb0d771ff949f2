"""Funders read, whatever a view forgets: a guard in front of every page of an initiative."""

from django.core.exceptions import PermissionDenied

from impact.access import get_membership

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
INITIATIVE_ROUTE = "i/<slug:slug>/"


class ReadOnlyMembersMiddleware:
    """Answer 403 to any change asked of an initiative by a member who may only read it (a funder).

    Views check roles too (impact/access.py); this is the second lock, so that a new view that
    forgets ``write=True`` still can't let a funder change anything. Outsiders still get 404.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in SAFE_METHODS or not request.user.is_authenticated:
            return None
        match = request.resolver_match
        if match is None or not match.route.startswith(INITIATIVE_ROUTE):
            return None
        if not get_membership(request.user, view_kwargs["slug"]).can_write:
            raise PermissionDenied
        return None
