from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdmissionConfig(AppConfig):
    name = "dangvu.admission"
    label = "admission"
    verbose_name = _("Admission")

    def ready(self) -> None:
        from dangvu.admission import services
        from dangvu.rules import dues

        dues.register(services.refresh_open_dues)  # open files follow a rule set when it is saved
