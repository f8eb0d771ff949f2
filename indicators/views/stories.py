"""The story behind the curve: coordinators write it per indicator and period, then publish it.

The form has one button per action, each posting the texts to its own view (``formaction``), so
publishing or taking back never loses what was just typed.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import model_fields
from indicators import services
from indicators.access import get_indicator_for_user
from indicators.forms import NarrativeForm
from indicators.models import Narrative, NarrativeStatus
from indicators.periods import PeriodError, parse_period

HISTORY_SHOWN = 20
# What a version of a story changed, as its history says it.
CHANGED_FIELDS = {
    "story_en": gettext_lazy("story (English)"),
    "story_fr": gettext_lazy("story (French)"),
    "partners_en": gettext_lazy("partners (English)"),
    "partners_fr": gettext_lazy("partners (French)"),
    "next_steps_en": gettext_lazy("next steps (English)"),
    "next_steps_fr": gettext_lazy("next steps (French)"),
    "status": gettext_lazy("status"),
    "published_at": gettext_lazy("publication"),
}


def _narrative_for(request, slug, code, period_key):
    """Return (membership, indicator, period, narrative or None) for a coordinator."""
    membership, indicator = get_indicator_for_user(request.user, slug, code, coordinator=True)
    try:
        period = parse_period(period_key, membership.initiative.fiscal_year_start_month)
    except PeriodError as error:
        raise Http404("No such period.") from error
    if period.key != period_key or period.frequency != indicator.frequency:
        raise Http404("Not a period of this indicator.")
    narrative = Narrative.objects.filter(indicator=indicator, period=period.key).first()
    return membership, indicator, period, narrative


def _versions(narrative):
    """The newest versions of a story, each with the fields it changed (their labels)."""
    if narrative is None:
        return []
    records = list(narrative.history.select_related("history_user")[: HISTORY_SHOWN + 1])
    versions = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        changed = []
        if older:
            fields = newer.diff_against(older, excluded_fields=["updated_at", "author"]).changed_fields
            changed = [CHANGED_FIELDS.get(name, name) for name in fields]
        versions.append({"record": newer, "changed": changed})
    return versions[:HISTORY_SHOWN]


def _save(request, slug, code, period, *, status, done):
    """Validate the posted texts and save them (publishing or taking back with ``status``)."""
    membership, indicator, period, narrative = _narrative_for(request, slug, code, period)
    form = NarrativeForm(request.POST or None, instance=narrative)
    if request.method == "POST" and form.is_valid():
        saved = services.narrative_save(
            narrative=narrative,
            indicator=indicator,
            period_key=period.key,
            fields=model_fields(form),
            user=request.user,
            status=status,
        )
        messages.success(request, done[saved.status])
        return redirect("narrative_edit", slug, indicator.code, period.key)
    return render(
        request,
        "indicators/narrative_form.html",
        {
            "membership": membership,
            "initiative": membership.initiative,
            "indicator": indicator,
            "period": period,
            "narrative": narrative,
            "form": form,
            "history": _versions(narrative),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def edit_story(request, slug, code, period):
    done = {
        NarrativeStatus.DRAFT: _(
            "The story is saved as a draft. Publish it to show it in the outcome report."
        ),
        NarrativeStatus.PUBLISHED: _("The story is saved; the outcome report shows the new text."),
    }
    return _save(request, slug, code, period, status=None, done=done)


@require_POST
def publish_story(request, slug, code, period):
    done = {NarrativeStatus.PUBLISHED: _("The story is published: the outcome report shows it.")}
    return _save(request, slug, code, period, status=NarrativeStatus.PUBLISHED, done=done)


@require_POST
def unpublish_story(request, slug, code, period):
    done = {NarrativeStatus.DRAFT: _("The story is back to a draft: the outcome report no longer shows it.")}
    return _save(request, slug, code, period, status=NarrativeStatus.DRAFT, done=done)
