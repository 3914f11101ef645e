from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "dangvu.reviews"
    label = "reviews"
    verbose_name = _("Yearly review")

    def ready(self) -> None:
        from dangvu.reviews import alerts  # noqa: F401  (registers the campaign deadlines)
