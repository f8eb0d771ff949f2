from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from impact.models import Category, Dimension, Initiative, TargetPopulation
from partners.models import Participation


class PopulationInline(admin.StackedInline):
    model = TargetPopulation
    can_delete = False


class DimensionInline(admin.TabularInline):
    model = Dimension
    extra = 0
    show_change_link = True


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(Initiative)
class InitiativeAdmin(SimpleHistoryAdmin):
    list_display = ["slug", "name_en", "name_fr", "status", "start_date", "fiscal_year_start_month"]
    list_filter = ["status", "fiscal_year_start_month"]
    search_fields = ["slug", "name_en", "name_fr", "geography_en", "geography_fr"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [PopulationInline, ParticipationInline, DimensionInline]

    def get_readonly_fields(self, request, obj=None):
        # The slug is in every address and export; changing it would break links people keep.
        return [*self.readonly_fields, "slug"] if obj else self.readonly_fields


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0


@admin.register(Dimension)
class DimensionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_fr", "initiative", "order"]
    list_filter = ["initiative"]
    search_fields = ["code", "name_en", "name_fr"]
    inlines = [CategoryInline]
