from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from impact.admin import ReadOnlyInline, SiteAdminOnly
from partners.models import Organization, OrganizationMember, Participation


class MemberInline(SiteAdminOnly, admin.TabularInline):
    model = OrganizationMember
    extra = 0
    autocomplete_fields = ["user", "organization"]


class OrganizationParticipationInline(ReadOnlyInline):
    model = Participation
    fields = ["initiative", "role"]


@admin.register(Organization)
class OrganizationAdmin(SiteAdminOnly, SimpleHistoryAdmin):
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


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class ConcertoUserAdmin(UserAdmin):
    """Django's user admin, with the user's organizations editable on the same page."""

    inlines = [*UserAdmin.inlines, MemberInline]
