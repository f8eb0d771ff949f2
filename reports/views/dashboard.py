"""The initiative's dashboard: its population-level outcomes against baselines and targets."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from impact.access import get_initiative_for_user
from reports.selectors.dashboard import build_dashboard


@require_GET
def dashboard(request, slug):
    """Every member sees approved data; a coordinator may preview submitted reports too."""
    membership = get_initiative_for_user(request.user, slug)
    initiative = membership.initiative
    preview = membership.is_coordinator and request.GET.get("preview") == "1"
    board = build_dashboard(
        initiative, today=timezone.localdate(), preview=preview, for_coordinator=membership.is_coordinator
    )
    return render(
        request,
        "reports/dashboard.html",
        {"membership": membership, "initiative": initiative, "board": board},
    )
