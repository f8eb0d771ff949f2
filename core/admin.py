"""Admin helpers: Concerto's data is for site admins only, and some of it is read-only here."""

from django.contrib import admin


class SiteAdminOnly:
    """Concerto's data spans every initiative, so only site admins (superusers) work on it here.

    Staff users with model permissions would otherwise see other initiatives' reports.
    """

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


class ReadOnlyInline(SiteAdminOnly, admin.TabularInline):
    """Shown for reference; changed through the pages that check the rules (and ask for reasons)."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False
