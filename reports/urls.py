"""Every read-only output: the indicator page, the dashboard, the outcome report and its export."""

from django.urls import include, path

from reports.views import dashboard, indicators, outcome_report

initiative_patterns = [
    path("indicators/<str:code>/", indicators.indicator_detail, name="indicator_detail"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("report/", outcome_report.outcome_report, name="outcome_report"),
    path("report.csv", dashboard.report_export, {"extension": "csv"}, name="report_csv"),
    path("report.xlsx", dashboard.report_export, {"extension": "xlsx"}, name="report_xlsx"),
]

urlpatterns = [
    path("i/<slug:slug>/", include(initiative_patterns)),
]
