from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "dangvu.tasks"
    label = "tasks"
    verbose_name = _("Background work")

    def ready(self) -> None:
        # Modules that declare jobs and schedules: imported here so that every process (web and worker)
        # knows the same jobs and the worker's schedule is complete.
        from dangvu.tasks import jobs

        jobs.autodiscover()
