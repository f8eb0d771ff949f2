from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from core import security
from core.admin import ReadOnlyInline, SiteAdminOnly
from partners.models import Organization, OrganizationMember, Participation

# What a person may do comes from their organizations' participations: who belongs to which
# organization, which organization takes part in which initiative, and who is a site admin are
# all changes of access, and each change made here goes to the security log like the pages' own.
ACCESS_FIELDS = ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")


def record_membership(request, event, member, **details):
    security.record(
        request,
        event,
        person=member.user.get_username(),
        organization=member.organization.slug,
        via="admin",
        **details,
    )


class LoggedMemberInlines:
    """Log the people added to, moved between or removed from organizations on an inline."""

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is not OrganizationMember:
            return
        for member in formset.new_objects:
            record_membership(request, "membership_added", member)
        for member, _fields in formset.changed_objects:
            record_membership(request, "membership_changed", member)
        for member in formset.deleted_objects:
            record_membership(request, "membership_removed", member)


class MemberInline(SiteAdminOnly, admin.TabularInline):
    model = OrganizationMember
    extra = 0
    autocomplete_fields = ["user", "organization"]


class OrganizationParticipationInline(ReadOnlyInline):
    model = Participation
    fields = ["initiative", "role"]


@admin.register(Organization)
class OrganizationAdmin(LoggedMemberInlines, SiteAdminOnly, SimpleHistoryAdmin):
    list_display = ["slug", "name_en", "name_fr", "sector"]
    list_filter = ["sector"]
    search_fields = ["slug", "name_en", "name_fr"]
    inlines = [MemberInline, OrganizationParticipationInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Participation)
class ParticipationAdmin(SiteAdminOnly, SimpleHistoryAdmin):
    """Adds participations; roles change and organizations leave on the initiative's Organizations page.

    That page keeps a backbone in every initiative and stops expecting reports from funders.
    """

    list_display = ["organization", "initiative", "role"]
    list_filter = ["role", "initiative"]
    search_fields = ["organization__name_en", "organization__name_fr", "initiative__slug"]
    autocomplete_fields = ["organization"]

    def get_readonly_fields(self, request, obj=None):
        return ["organization", "initiative", "role"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        security.record(
            request,
            "participation_added",
            initiative=obj.initiative.slug,
            organization=obj.organization.slug,
            role=obj.role,
            via="admin",
        )


@admin.register(OrganizationMember)
class OrganizationMemberAdmin(SiteAdminOnly, SimpleHistoryAdmin):
    list_display = ["user", "organization", "joined_at"]
    list_filter = ["organization"]
    search_fields = [
        "user__username",
        "user__email",
        "organization__name_en",
        "organization__name_fr",
    ]
    autocomplete_fields = ["user", "organization"]

    def save_model(self, request, obj, form, change):
        before = (
            OrganizationMember.objects.select_related("user", "organization").get(pk=obj.pk)
            if change
            else None
        )
        super().save_model(request, obj, form, change)
        if before is None:
            record_membership(request, "membership_added", obj)
        elif (before.user_id, before.organization_id) != (obj.user_id, obj.organization_id):
            record_membership(
                request,
                "membership_changed",
                obj,
                person_before=before.user.get_username(),
                organization_before=before.organization.slug,
            )

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        record_membership(request, "membership_removed", obj)

    def delete_queryset(self, request, queryset):
        members = list(queryset.select_related("user", "organization"))
        super().delete_queryset(request, queryset)
        for member in members:
            record_membership(request, "membership_removed", member)


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class ConcertoUserAdmin(LoggedMemberInlines, UserAdmin):
    """Django's user admin, with the user's organizations editable on the same page."""

    inlines = [*UserAdmin.inlines, MemberInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # groups and permissions are saved here
        user = form.instance
        if not change:
            security.record(request, "user_created", person=user.get_username(), via="admin")
        changed = [name for name in ACCESS_FIELDS if name in form.changed_data]
        if changed:
            now = {
                name: getattr(user, name)
                if name.startswith("is_")
                else sorted(str(item) for item in getattr(user, name).all())
                for name in changed
            }
            security.record(request, "user_access_changed", person=user.get_username(), via="admin", **now)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            person = User.objects.get(pk=id).get_username()
            security.record(request, "password_set", person=person, via="admin")
        return response
