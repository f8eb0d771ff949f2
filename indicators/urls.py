"""Setting up indicators (creation, edits, baselines and targets, stories), then partner reporting."""

from django.urls import include, path

from indicators.views import indicators, stories

STORY = "indicators/<str:code>/story/<str:period>/"

initiative_patterns = [
    path("indicators/new/", indicators.create_indicator, name="indicator_create"),
    path("indicators/<str:code>/edit/", indicators.edit_indicator, name="indicator_edit"),
    path("indicators/<str:code>/targets/", indicators.edit_milestones, name="indicator_milestones"),
    path("indicators/<str:code>/story/<str:period>/", stories.edit_story, name="narrative_edit"),
    path(
        "indicators/<str:code>/story/<str:period>/publish/",
        stories.publish_story,
        name="narrative_publish",
    ),
    path(
        "indicators/<str:code>/story/<str:period>/unpublish/",
        stories.unpublish_story,
        name="narrative_unpublish",
    ),
]

urlpatterns = [
    path("i/<slug:slug>/", include(initiative_patterns)),
    path("", include("indicators.reporting.urls")),
]
