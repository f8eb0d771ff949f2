"""An initiative's dimensions (how results are disaggregated) and their categories, for coordinators."""

from django.contrib import messages
from django.db.models import ProtectedError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import formset_changes, model_fields
from impact import services
from impact.access import get_initiative_for_user
from impact.forms import CategoryFormSet, DimensionForm
from impact.models import Dimension


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
def create_dimension(request, slug):
    return _dimension_form(request, slug, code=None)


@require_http_methods(["GET", "POST"])
def edit_dimension(request, slug, code):
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
            services.dimension_save(
                dimension=dimension, fields=model_fields(form), categories=formset_changes(categories)
            )
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
def delete_dimension(request, slug, code):
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
