from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyInline, SiteAdminOnly
from impact.models import Category, Dimension, Initiative, TargetPopulation
from partners.models import Participation


class PopulationInline(SiteAdminOnly, admin.StackedInline):
    model = TargetPopulation
    can_delete = False


class DimensionInline(SiteAdminOnly, admin.TabularInline):
    model = Dimension
    extra = 0
    show_change_link = True


class ParticipationInline(ReadOnlyInline):
    """Roles change on the initiative's Organizations page, which keeps a backbone and reassigns reporting."""

    model = Participation
    fields = ["organization", "role"]


@admin.register(Initiative)
class InitiativeAdmin(SiteAdminOnly, SimpleHistoryAdmin):
    list_display = ["slug", "name_en", "name_fr", "status", "start_date", "fiscal_year_start_month"]
    list_filter = ["status", "fiscal_year_start_month"]
    search_fields = ["slug", "name_en", "name_fr", "geography_en", "geography_fr"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [PopulationInline, ParticipationInline, DimensionInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        # The slug is in every address and export; changing it would break links people keep.
        fixed = ["slug"]
        if obj.reports.exists():
            fixed.append("fiscal_year_start_month")  # it gives every reported period its meaning
        return [*self.readonly_fields, *fixed]


class CategoryInline(SiteAdminOnly, admin.TabularInline):
    model = Category
    extra = 0


@admin.register(Dimension)
class DimensionAdmin(SiteAdminOnly, admin.ModelAdmin):
    list_display = ["code", "name_en", "name_fr", "initiative", "order"]
    list_filter = ["initiative"]
    search_fields = ["code", "name_en", "name_fr"]
    inlines = [CategoryInline]
