"""Concerto's URLs: accounts, the health check, and everything under an initiative's slug."""

from django.contrib import admin
from django.urls import include, path

from impact import languages
from impact.views import initiatives as impact_views
from impact.views import participants as partner_views
from indicators.reporting.views import reports as report_views
from indicators.views import indicators as indicator_views
from indicators.views import stories as narrative_views
from reports.views import dashboard as dashboard_views
from reports.views import outcome_report as report_pages

initiative_patterns = [
    path("", impact_views.initiative_overview, name="initiative_overview"),
    path("edit/", impact_views.initiative_edit, name="initiative_edit"),
    path("population/", impact_views.population_edit, name="population_edit"),
    path("definition.json", impact_views.definition_export, name="definition_export"),
    path("dimensions/", impact_views.dimension_list, name="dimension_list"),
    path("dimensions/new/", impact_views.dimension_create, name="dimension_create"),
    path("dimensions/<str:code>/", impact_views.dimension_edit, name="dimension_edit"),
    path("dimensions/<str:code>/delete/", impact_views.dimension_delete, name="dimension_delete"),
    path("organizations/", partner_views.participant_list, name="participant_list"),
    path("organizations/add/", partner_views.participant_add, name="participant_add"),
    path("organizations/new/", partner_views.organization_create, name="organization_create"),
    path(
        "organizations/<slug:organization>/role/",
        partner_views.participant_role,
        name="participant_role",
    ),
    path(
        "organizations/<slug:organization>/remove/",
        partner_views.participant_remove,
        name="participant_remove",
    ),
    path("indicators/new/", indicator_views.indicator_create, name="indicator_create"),
    path("indicators/<str:code>/", indicator_views.indicator_detail, name="indicator_detail"),
    path("indicators/<str:code>/edit/", indicator_views.indicator_edit, name="indicator_edit"),
    path(
        "indicators/<str:code>/targets/",
        indicator_views.indicator_milestones,
        name="indicator_milestones",
    ),
    path(
        "indicators/<str:code>/story/<str:period>/",
        narrative_views.narrative_edit,
        name="narrative_edit",
    ),
    path(
        "indicators/<str:code>/story/<str:period>/publish/",
        narrative_views.narrative_publish,
        name="narrative_publish",
    ),
    path(
        "indicators/<str:code>/story/<str:period>/unpublish/",
        narrative_views.narrative_unpublish,
        name="narrative_unpublish",
    ),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("report/", report_pages.outcome_report, name="outcome_report"),
    path("report.csv", dashboard_views.report_export, {"extension": "csv"}, name="report_csv"),
    path("report.xlsx", dashboard_views.report_export, {"extension": "xlsx"}, name="report_xlsx"),
    path("review/", report_views.review_queue, name="review_queue"),
    path("upload/", report_views.values_upload, name="values_upload"),
    path(
        "upload/template.csv", report_views.upload_template, {"extension": "csv"}, name="upload_template_csv"
    ),
    path(
        "upload/template.xlsx",
        report_views.upload_template,
        {"extension": "xlsx"},
        name="upload_template_xlsx",
    ),
    path("values.csv", report_views.values_download, {"extension": "csv"}, name="values_csv"),
    path("values.xlsx", report_views.values_download, {"extension": "xlsx"}, name="values_xlsx"),
    path("reports/", report_views.reporting_home, name="reporting_home"),
    path("reports/<slug:organization>/", report_views.organization_reports, name="organization_reports"),
    path("reports/<slug:organization>/<str:period>/", report_views.report_page, name="report_page"),
    path(
        "reports/<slug:organization>/<str:period>/submit/", report_views.report_submit, name="report_submit"
    ),
    path(
        "reports/<slug:organization>/<str:period>/approve/",
        report_views.report_approve,
        name="report_approve",
    ),
    path(
        "reports/<slug:organization>/<str:period>/return/", report_views.report_return, name="report_return"
    ),
    path(
        "reports/<slug:organization>/<str:period>/reopen/", report_views.report_reopen, name="report_reopen"
    ),
    path(
        "reports/<slug:organization>/<str:period>/history/",
        report_views.report_history_page,
        name="report_history",
    ),
]

urlpatterns = [
    path("", impact_views.home, name="home"),
    path("healthz", impact_views.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("language/", languages.switch_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("initiatives/new/", impact_views.initiative_create, name="initiative_create"),
    path("i/<slug:slug>/", include(initiative_patterns)),
]

# A database that stops answering outside any view (reading the session) gets the 503 page too.
handler500 = "core.faults.server_error"
