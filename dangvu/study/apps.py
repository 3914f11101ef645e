from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudyConfig(AppConfig):
    name = "dangvu.study"
    label = "study"
    verbose_name = _("Study, training and commitments")

    def ready(self) -> None:
        from dangvu.study import alerts  # noqa: F401  (registers the study deadlines as alert sources)
