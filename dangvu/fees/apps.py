from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeesConfig(AppConfig):
    name = "dangvu.fees"
    label = "fees"
    verbose_name = _("Party fees")

    def ready(self) -> None:
        from dangvu.fees import alerts  # noqa: F401  (registers the unpaid-months alert)
