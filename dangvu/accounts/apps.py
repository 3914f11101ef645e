from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "dangvu.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from dangvu.accounts import passwords  # noqa: F401  (registers the password requests' alert source)
