"""The initiative definition as a download, for coordinators."""

import json

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from exchange import definition
from impact.access import get_initiative_for_user


@require_GET
def download_definition(request, slug):
    membership = get_initiative_for_user(request.user, slug, coordinator=True)
    document = definition.export_definition(membership.initiative)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{slug}-definition.json"'
    return response
