from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "dangvu.letters"
    label = "letters"
    verbose_name = _("Letters")

    def ready(self) -> None:
        from dangvu.letters import alerts  # noqa: F401  (registers the handling deadlines)
