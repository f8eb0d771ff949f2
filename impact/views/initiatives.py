"""Home, and the initiative's own pages: a new initiative, its overview, settings and population."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import model_fields
from impact import selectors, services
from impact.access import get_initiative_for_user
from impact.forms import (
    InitiativeCreateForm,
    InitiativeForm,
    PopulationForm,
)
from impact.models import TargetPopulation
from partners.models import Organization, Participation


@require_GET
def home(request):
    """The user's initiatives; a funder of a single initiative goes straight to its outcome report."""
    initiatives = selectors.home_initiatives(request.user)
    funder_only = [Participation.Role.FUNDER]
    if len(initiatives) == 1 and initiatives[0][1] == funder_only and not request.user.is_superuser:
        return redirect("outcome_report", initiatives[0][0].slug)
    can_create = _creatable_backbones(request.user).exists()
    return render(
        request,
        "impact/home.html",
        {"initiatives": initiatives, "can_create": can_create, "funder_only": funder_only},
    )


def _creatable_backbones(user):
    """Organizations the user may make the backbone of a new initiative.

    A backbone team may start another initiative; a first one is set up by a site admin, who may
    choose any organization. Partners and funders don't start initiatives of their own here.
    """
    if user.is_superuser:
        return Organization.objects.all()
    return Organization.objects.filter(
        members__user=user, participations__role=Participation.Role.BACKBONE
    ).distinct()


@require_http_methods(["GET", "POST"])
def create_initiative(request):
    organizations = _creatable_backbones(request.user)
    if not organizations.exists():
        raise PermissionDenied
    form = InitiativeCreateForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        initiative = services.initiative_create(
            fields=model_fields(form), backbone=form.cleaned_data["backbone"]
        )
        messages.success(request, _("The initiative is created. Describe its target population next."))
        return redirect("population_edit", initiative.slug)
    return render(request, "impact/initiative_create.html", {"form": form})


@require_GET
def initiative_overview(request, slug):
    membership = get_initiative_for_user(request.user, slug)
    overview = selectors.initiative_summary(membership.initiative)
    return render(
        request,
        "impact/overview.html",
        {"membership": membership, "initiative": membership.initiative, "overview": overview},
    )


@require_http_methods(["GET", "POST"])
def edit_initiative(request, slug):
    membership = get_initiative_for_user(request.user, slug, coordinator=True)
    form = InitiativeForm(request.POST or None, instance=membership.initiative)
    if request.method == "POST" and form.is_valid():
        services.initiative_update(initiative=membership.initiative, fields=model_fields(form))
        messages.success(request, _("The initiative is saved."))
        return redirect("initiative_overview", slug)
    return render(
        request,
        "impact/initiative_form.html",
        {"membership": membership, "initiative": membership.initiative, "form": form},
    )


@require_http_methods(["GET", "POST"])
def edit_population(request, slug):
    membership = get_initiative_for_user(request.user, slug, coordinator=True)
    initiative = membership.initiative
    population = TargetPopulation.objects.filter(initiative=initiative).first()
    population = population or TargetPopulation(initiative=initiative)
    form = PopulationForm(request.POST or None, instance=population)
    if request.method == "POST" and form.is_valid():
        services.population_save(population=population, fields=model_fields(form))
        messages.success(request, _("The target population is saved."))
        return redirect("initiative_overview", slug)
    return render(
        request,
        "impact/population_form.html",
        {"membership": membership, "initiative": initiative, "form": form},
    )
