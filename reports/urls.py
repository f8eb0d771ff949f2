"""Every read-only output: the indicator page, the dashboard, the outcome report and its export."""

from django.urls import include, path

from reports.views import dashboard, indicator_page, outcome_report

initiative_patterns = [
    path("indicators/<str:code>/", indicator_page.indicator_detail, name="indicator_detail"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("report/", outcome_report.outcome_report, name="outcome_report"),
    path("report.csv", outcome_report.download_outcome_report, {"extension": "csv"}, name="report_csv"),
    path("report.xlsx", outcome_report.download_outcome_report, {"extension": "xlsx"}, name="report_xlsx"),
]

urlpatterns = [
    path("i/<slug:slug>/", include(initiative_patterns)),
]
