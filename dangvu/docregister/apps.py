from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocRegisterConfig(AppConfig):
    name = "dangvu.docregister"
    label = "docregister"
    verbose_name = _("Documents register")
