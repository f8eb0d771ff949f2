"""Who may see and change an indicator: through the initiative's access rules (impact/access.py)."""

from django.shortcuts import get_object_or_404

from impact.access import get_initiative_for_user
from indicators.models import Indicator


def get_indicator_for_user(user, slug, code, *, coordinator=False):
    """Return (membership, indicator) for an indicator of an initiative the user takes part in."""
    membership = get_initiative_for_user(user, slug, coordinator=coordinator)
    queryset = Indicator.objects.select_related("initiative", "outcome")
    indicator = get_object_or_404(queryset, initiative=membership.initiative, code=code)
    return membership, indicator
