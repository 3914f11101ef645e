from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    name = "dangvu.targets"
    label = "targets"
    verbose_name = _("Resolution targets")

    def ready(self) -> None:
        from dangvu.targets import alerts, indicators  # noqa: F401  (alerts: registers the early warnings)

        indicators.autodiscover()  # each module's indicators.py registers its indicators
