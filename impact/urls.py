"""Home, the language switch, and an initiative's own pages: overview, settings, dimensions, organizations."""

from django.urls import include, path

from impact.views import dimensions, initiatives, languages, participants

initiative_patterns = [
    path("", initiatives.initiative_overview, name="initiative_overview"),
    path("edit/", initiatives.edit_initiative, name="initiative_edit"),
    path("population/", initiatives.edit_population, name="population_edit"),
    path("dimensions/", dimensions.dimension_list, name="dimension_list"),
    path("dimensions/new/", dimensions.create_dimension, name="dimension_create"),
    path("dimensions/<str:code>/", dimensions.edit_dimension, name="dimension_edit"),
    path("dimensions/<str:code>/delete/", dimensions.delete_dimension, name="dimension_delete"),
    path("organizations/", participants.participant_list, name="participant_list"),
    path("organizations/add/", participants.add_participant, name="participant_add"),
    path("organizations/new/", participants.create_organization, name="organization_create"),
    path(
        "organizations/<slug:organization>/role/",
        participants.change_participant_role,
        name="participant_role",
    ),
    path(
        "organizations/<slug:organization>/remove/",
        participants.remove_participant,
        name="participant_remove",
    ),
]

urlpatterns = [
    path("", initiatives.home, name="home"),
    path("language/", languages.switch_language, name="set_language"),
    path("initiatives/new/", initiatives.create_initiative, name="initiative_create"),
    path("i/<slug:slug>/", include(initiative_patterns)),
]
