from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyInline, SiteAdminOnly
from impact.access import get_membership
from indicators.models import (
    Baseline,
    DataValue,
    Indicator,
    Narrative,
    PartnerReport,
    Reminder,
    ReportEvent,
    ReportStatus,
    Target,
)
from indicators.reporting import services


class BaselineInline(ReadOnlyInline):
    """Baselines and targets change on the indicator's page, which asks for a reason."""

    model = Baseline
    fields = ["category", "period", "value", "note"]


class TargetInline(ReadOnlyInline):
    model = Target
    fields = ["category", "period", "value", "note"]


@admin.register(Indicator)
class IndicatorAdmin(SiteAdminOnly, SimpleHistoryAdmin):
    list_display = [
        "code",
        "name_en",
        "initiative",
        "level",
        "measure_type",
        "frequency",
        "accumulation",
    ]
    list_filter = ["initiative", "level", "measure_type", "frequency", "accumulation", "direction"]
    search_fields = ["code", "name_en", "name_fr"]
    filter_horizontal = ["dimensions", "reporting_organizations"]
    inlines = [BaselineInline, TargetInline]

    def get_readonly_fields(self, request, obj=None):
        if obj and obj.values.exists():
            return ["initiative", "measure_type", "frequency"]  # reported values rest on them
        return ["initiative"] if obj else []


class ValueInline(SiteAdminOnly, admin.TabularInline):
    """Values are read here; they change only through the reporting pages, which keep the locks."""

    model = DataValue
    extra = 0
    can_delete = False
    fields = [
        "indicator",
        "category",
        "value",
        "numerator",
        "denominator",
        "not_available",
        "comment",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class EventInline(SiteAdminOnly, admin.TabularInline):
    model = ReportEvent
    extra = 0
    can_delete = False
    fields = ["at", "action", "from_status", "to_status", "user", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


def _run_transition(modeladmin, request, queryset, service, **kwargs):
    """Run a report service on each selected report; those it refuses are listed with its reason."""
    done = 0
    for report in queryset.select_related("initiative"):
        # Only site admins reach the admin (SiteAdminOnly): their membership is a coordinator's.
        membership = get_membership(request.user, report.initiative.slug)
        try:
            service(report=report, membership=membership, user=request.user, **kwargs)
        except ValidationError as error:
            modeladmin.message_user(request, f"{report}: {' '.join(error.messages)}", messages.WARNING)
        else:
            done += 1
    message = ngettext("%(count)s report changed.", "%(count)s reports changed.", done) % {"count": done}
    modeladmin.message_user(request, message, messages.SUCCESS if done else messages.INFO)


@admin.action(description=_("Approve the selected submitted reports"))
def approve_reports(modeladmin, request, queryset):
    _run_transition(modeladmin, request, queryset, services.report_approve)


@admin.register(PartnerReport)
class PartnerReportAdmin(SiteAdminOnly, SimpleHistoryAdmin):
    """Status changes go through the report services (the action below), never a field edit."""

    list_display = [
        "organization",
        "initiative",
        "period",
        "status",
        "due_date",
        "submitted_at",
        "version",
    ]
    list_filter = ["status", "initiative", "period"]
    search_fields = ["organization__name_en", "organization__name_fr", "period"]
    readonly_fields = [
        "initiative",
        "organization",
        "period",
        "status",
        "version",
        "submitted_at",
        "submitted_by",
        "reviewed_at",
        "reviewed_by",
        "review_comment",
        "created_at",
        "updated_at",
    ]
    inlines = [ValueInline, EventInline]
    actions = [approve_reports]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return obj is None or (obj.status == ReportStatus.DRAFT and not obj.values.exists())


@admin.register(Narrative)
class NarrativeAdmin(SiteAdminOnly, SimpleHistoryAdmin):
    list_display = ["indicator", "period", "status", "author", "updated_at"]
    list_filter = ["status", "indicator__initiative"]
    search_fields = ["indicator__code", "story_en", "story_fr"]


@admin.register(Reminder)
class ReminderAdmin(SiteAdminOnly, admin.ModelAdmin):
    list_display = ["organization", "initiative", "period", "kind", "sent_at"]
    list_filter = ["kind", "initiative"]
    search_fields = ["organization__name_en", "organization__name_fr", "period"]
