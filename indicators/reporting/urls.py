"""Partner reporting: what is due, each report's form, review, history, and spreadsheets."""

from django.urls import include, path

from indicators.reporting.views import files, reports, review

REPORT = "reports/<slug:organization>/<str:period>/"

initiative_patterns = [
    path("review/", review.review_queue, name="review_queue"),
    path("upload/", files.upload_values, name="values_upload"),
    path(
        "upload/template.csv",
        files.download_upload_template,
        {"extension": "csv"},
        name="upload_template_csv",
    ),
    path(
        "upload/template.xlsx",
        files.download_upload_template,
        {"extension": "xlsx"},
        name="upload_template_xlsx",
    ),
    path("values.csv", files.download_values, {"extension": "csv"}, name="values_csv"),
    path("values.xlsx", files.download_values, {"extension": "xlsx"}, name="values_xlsx"),
    path("reports/", reports.reporting_home, name="reporting_home"),
    path("reports/<slug:organization>/", reports.organization_reports, name="organization_reports"),
    path(REPORT, reports.report_page, name="report_page"),
    path(f"{REPORT}submit/", reports.submit_report, name="report_submit"),
    path(f"{REPORT}approve/", review.approve_report, name="report_approve"),
    path(f"{REPORT}return/", review.return_report, name="report_return"),
    path(f"{REPORT}reopen/", review.reopen_report, name="report_reopen"),
    path(f"{REPORT}history/", reports.report_history, name="report_history"),
]

urlpatterns = [
    path("i/<slug:slug>/", include(initiative_patterns)),
]
