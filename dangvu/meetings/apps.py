from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "dangvu.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from dangvu.meetings import alerts  # noqa: F401  (registers the meeting alert sources)
