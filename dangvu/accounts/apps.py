from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "dangvu.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from dangvu.accounts import passwords  # noqa: F401  (registers the password requests' alert source)
        from dangvu.accounts.middleware import stamp_on_login

        user_logged_in.connect(stamp_on_login, dispatch_uid="dangvu.accounts.session_stamp")
