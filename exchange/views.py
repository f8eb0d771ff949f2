"""The initiative definition as a download, for coordinators."""

import json

from django.views.decorators.http import require_GET

from core.downloads import attachment
from exchange import definition
from impact.access import get_initiative_for_user


@require_GET
def download_definition(request, slug):
    membership = get_initiative_for_user(request.user, slug, coordinator=True)
    document = definition.export_definition(membership.initiative)
    return attachment(json.dumps(document, ensure_ascii=False, indent=2), f"{slug}-definition.json")
