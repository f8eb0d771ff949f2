"""The coordinator's page of participating organizations and its actions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core import security
from core.forms import model_fields
from impact.access import get_initiative_for_user
from partners import services
from partners.forms import OrganizationCreateForm, ParticipationAddForm, ParticipationRoleForm
from partners.models import Participation


def _participants_page(request, membership, *, add_form=None, create_form=None, status=200):
    initiative = membership.initiative
    participations = (
        initiative.participations.select_related("organization")
        .annotate(
            member_count=Count("organization__members", distinct=True),
            indicator_count=Count(
                "organization__assigned_indicators",
                filter=Q(organization__assigned_indicators__initiative=initiative),
                distinct=True,
            ),
        )
        .order_by("role", "organization__name_en")
    )
    add_form = add_form or ParticipationAddForm(initiative=initiative)
    add_form.helper.form_action = reverse("participant_add", args=[initiative.slug])
    create_form = create_form or OrganizationCreateForm()
    create_form.helper.form_action = reverse("organization_create", args=[initiative.slug])
    return render(
        request,
        "impact/participant_list.html",
        {
            "membership": membership,
            "initiative": initiative,
            "participations": participations,
            "roles": Participation.Role.choices,
            "add_form": add_form,
            "create_form": create_form,
        },
        status=status,
    )


@require_GET
def participant_list(request, slug):
    membership = get_initiative_for_user(request.user, slug, coordinator=True)
    return _participants_page(request, membership)


@require_POST
def add_participant(request, slug):
    membership = get_initiative_for_user(request.user, slug, coordinator=True)
    form = ParticipationAddForm(request.POST, initiative=membership.initiative)
    if not form.is_valid():
        return _participants_page(request, membership, add_form=form, status=400)
    participation = services.participation_add(
        initiative=membership.initiative,
        organization=form.cleaned_data["organization"],
        role=form.cleaned_data["role"],
    )
    security.record(
        request,
        "participation_added",
        initiative=slug,
        organization=participation.organization.slug,
        role=participation.role,
    )
    messages.success(
        request,
        _("%(organization)s joined the initiative.") % {"organization": participation.organization},
    )
    return redirect("participant_list", slug)


@require_POST
def create_organization(request, slug):
    membership = get_initiative_for_user(request.user, slug, coordinator=True)
    form = OrganizationCreateForm(request.POST)
    if not form.is_valid():
        return _participants_page(request, membership, create_form=form, status=400)
    participation = services.organization_create(
        fields=model_fields(form), initiative=membership.initiative, role=form.cleaned_data["role"]
    )
    security.record(
        request,
        "participation_added",
        initiative=slug,
        organization=participation.organization.slug,
        role=participation.role,
        new_organization=True,
    )
    messages.success(
        request,
        _("%(organization)s is registered and joined the initiative.")
        % {"organization": participation.organization},
    )
    return redirect("participant_list", slug)


@require_POST
def change_participant_role(request, slug, organization):
    membership = get_initiative_for_user(request.user, slug, coordinator=True)
    participation = get_object_or_404(
        Participation, initiative=membership.initiative, organization__slug=organization
    )
    form = ParticipationRoleForm(request.POST, instance=Participation(role=participation.role))
    if not form.is_valid():
        messages.error(request, _("Choose a role from the list."))
        return redirect("participant_list", slug)
    before = participation.role
    try:
        services.participation_change_role(participation=participation, role=form.cleaned_data["role"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        security.record(
            request,
            "participation_role_changed",
            initiative=slug,
            organization=organization,
            role_before=before,
            role=participation.role,
        )
        messages.success(
            request,
            _("%(organization)s is now: %(role)s.")
            % {
                "organization": participation.organization,
                "role": participation.get_role_display(),
            },
        )
    return redirect("participant_list", slug)


@require_POST
def remove_participant(request, slug, organization):
    membership = get_initiative_for_user(request.user, slug, coordinator=True)
    participation = get_object_or_404(
        Participation.objects.select_related("organization", "initiative"),
        initiative=membership.initiative,
        organization__slug=organization,
    )
    try:
        services.participation_remove(participation=participation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        security.record(
            request,
            "participation_removed",
            initiative=slug,
            organization=organization,
            role=participation.role,
        )
        messages.success(
            request,
            _("%(organization)s left the initiative.") % {"organization": participation.organization},
        )
    return redirect("participant_list", slug)
