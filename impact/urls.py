"""Home, the language switch, and an initiative's own pages: overview, settings, dimensions, organizations."""

from django.urls import include, path

from impact.views import dimensions, initiatives, languages, participants

initiative_patterns = [
    path("", initiatives.initiative_overview, name="initiative_overview"),
    path("edit/", initiatives.initiative_edit, name="initiative_edit"),
    path("population/", initiatives.population_edit, name="population_edit"),
    path("dimensions/", dimensions.dimension_list, name="dimension_list"),
    path("dimensions/new/", dimensions.dimension_create, name="dimension_create"),
    path("dimensions/<str:code>/", dimensions.dimension_edit, name="dimension_edit"),
    path("dimensions/<str:code>/delete/", dimensions.dimension_delete, name="dimension_delete"),
    path("organizations/", participants.participant_list, name="participant_list"),
    path("organizations/add/", participants.participant_add, name="participant_add"),
    path("organizations/new/", participants.organization_create, name="organization_create"),
    path("organizations/<slug:organization>/role/", participants.participant_role, name="participant_role"),
    path(
        "organizations/<slug:organization>/remove/",
        participants.participant_remove,
        name="participant_remove",
    ),
]

urlpatterns = [
    path("", initiatives.home, name="home"),
    path("language/", languages.switch_language, name="set_language"),
    path("initiatives/new/", initiatives.initiative_create, name="initiative_create"),
    path("i/<slug:slug>/", include(initiative_patterns)),
]
