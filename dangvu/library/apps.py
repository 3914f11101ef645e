from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "dangvu.library"
    label = "library"
    verbose_name = _("Document library")

    def ready(self) -> None:
        from dangvu.library import signals  # noqa: F401  (keeps the search index in step with the register)
