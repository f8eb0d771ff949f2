"""Home, health check, and the initiative's own pages: overview, settings, population, dimensions."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.db.models import ProtectedError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from exchange import definition
from impact import selectors, services
from impact.access import get_initiative_for_user
from impact.forms import (
    CategoryFormSet,
    DimensionForm,
    InitiativeCreateForm,
    InitiativeForm,
    PopulationForm,
)
from impact.models import Dimension, TargetPopulation
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


@login_not_required
@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


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
def initiative_create(request):
    organizations = _creatable_backbones(request.user)
    if not organizations.exists():
        raise PermissionDenied
    form = InitiativeCreateForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        initiative = services.initiative_create(form=form, backbone=form.cleaned_data["backbone"])
        messages.success(request, _("The initiative is created. Describe its target population next."))
        return redirect("population_edit", initiative.slug)
    return render(request, "impact/initiative_create.html", {"form": form})


@require_GET
def initiative_overview(request, slug):
    membership = get_initiative_for_user(request.user, slug)
    overview = selectors.initiative_overview(membership.initiative)
    return render(
        request,
        "impact/overview.html",
        {"membership": membership, "initiative": membership.initiative, "overview": overview},
    )


@require_http_methods(["GET", "POST"])
def initiative_edit(request, slug):
    membership = get_initiative_for_user(request.user, slug, coordinator=True)
    form = InitiativeForm(request.POST or None, instance=membership.initiative)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The initiative is saved."))
        return redirect("initiative_overview", slug)
    return render(
        request,
        "impact/initiative_form.html",
        {"membership": membership, "initiative": membership.initiative, "form": form},
    )


@require_http_methods(["GET", "POST"])
def population_edit(request, slug):
    membership = get_initiative_for_user(request.user, slug, coordinator=True)
    initiative = membership.initiative
    population = TargetPopulation.objects.filter(initiative=initiative).first()
    population = population or TargetPopulation(initiative=initiative)
    form = PopulationForm(request.POST or None, instance=population)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The target population is saved."))
        return redirect("initiative_overview", slug)
    return render(
        request,
        "impact/population_form.html",
        {"membership": membership, "initiative": initiative, "form": form},
    )


@require_GET
def dimension_list(request, slug):
    membership = get_initiative_for_user(request.user, slug, coordinator=True)
    dimensions = membership.initiative.dimensions.prefetch_related("categories")
    return render(
        request,
        "impact/dimension_list.html",
        {"membership": membership, "initiative": membership.initiative, "dimensions": dimensions},
    )


@require_http_methods(["GET", "POST"])
def dimension_create(request, slug):
    return _dimension_form(request, slug, code=None)


@require_http_methods(["GET", "POST"])
def dimension_edit(request, slug, code):
    return _dimension_form(request, slug, code=code)


def _dimension_form(request, slug, code):
    membership = get_initiative_for_user(request.user, slug, coordinator=True)
    initiative = membership.initiative
    if code is None:
        dimension = Dimension(initiative=initiative)
    else:
        dimension = get_object_or_404(Dimension, initiative=initiative, code=code)
    data = request.POST or None
    form = DimensionForm(data, instance=dimension, initiative=initiative)
    categories = CategoryFormSet(data, instance=dimension, prefix="categories")
    if request.method == "POST" and form.is_valid() and categories.is_valid():
        try:
            services.dimension_save(form=form, categories=categories)
        except ProtectedError:
            messages.error(
                request,
                _("A category you removed is used by reported values or baselines; nothing was changed."),
            )
        else:
            messages.success(request, _("The dimension and its categories are saved."))
            return redirect("dimension_list", slug)
    return render(
        request,
        "impact/dimension_form.html",
        {
            "membership": membership,
            "initiative": initiative,
            "form": form,
            "categories": categories,
            "dimension": dimension,
        },
    )


@require_POST
def dimension_delete(request, slug, code):
    membership = get_initiative_for_user(request.user, slug, coordinator=True)
    dimension = get_object_or_404(Dimension, initiative=membership.initiative, code=code)
    if dimension.indicators.exists():
        messages.error(
            request, _("Indicators are disaggregated by this dimension; remove it from them first.")
        )
        return redirect("dimension_edit", slug, code)
    try:
        dimension.delete()
    except ProtectedError:
        messages.error(
            request, _("Reported values or baselines use this dimension's categories; it was kept.")
        )
        return redirect("dimension_edit", slug, code)
    messages.success(request, _("The dimension is deleted."))
    return redirect("dimension_list", slug)


@require_GET
def definition_export(request, slug):
    membership = get_initiative_for_user(request.user, slug, coordinator=True)
    document = definition.export_definition(membership.initiative)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{slug}-definition.json"'
    return response
