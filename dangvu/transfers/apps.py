from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransfersConfig(AppConfig):
    name = "dangvu.transfers"
    label = "transfers"
    verbose_name = _("Transfers")

    def ready(self) -> None:
        from dangvu.rules import dues
        from dangvu.transfers import services

        dues.register(services.refresh_open_dues)  # letters in transit follow a rule set when it is saved
