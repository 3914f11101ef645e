from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionConfig(AppConfig):
    name = "dangvu.inspection"
    label = "inspection"
    verbose_name = _("Inspection and supervision")

    def ready(self) -> None:
        from dangvu.inspection import alerts  # noqa: F401  (registers the remediation and suggestion deadlines)
