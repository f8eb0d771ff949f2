"""Concerto's URLs: each app's own, the accounts and the Django admin."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("impact.urls")),
    path("", include("core.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("exchange.urls")),
    # Before reports: "indicators/new/" would otherwise read as the page of an indicator "new".
    path("", include("indicators.urls")),
    path("", include("reports.urls")),
]

# A database that stops answering outside any view (reading the session) gets the 503 page too.
handler500 = "core.faults.server_error"
