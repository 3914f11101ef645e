from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisciplineConfig(AppConfig):
    name = "dangvu.discipline"
    label = "discipline"
    verbose_name = _("Discipline")

    def ready(self) -> None:
        from dangvu.discipline import alerts  # noqa: F401  (registers the appeal and limitation deadlines)
