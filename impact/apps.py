from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImpactConfig(AppConfig):
    name = "impact"
    verbose_name = _("Initiatives")

    def ready(self):
        from impact import languages  # noqa: F401  (connects the login signal)
