from django.urls import include, path

urlpatterns = [
    path("accounts/", include("dangvu.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("dangvu.api.urls")),
    path("orgs/", include("dangvu.orgs.urls")),
    path("members/", include("dangvu.members.urls")),
    path("imports/", include("dangvu.imports.urls")),
    path("", include("dangvu.web.urls")),
]
