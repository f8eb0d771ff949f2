"""The initiative definition as a download."""

from django.urls import path

from exchange import views

urlpatterns = [
    path("i/<slug:slug>/definition.json", views.download_definition, name="definition_export"),
]
