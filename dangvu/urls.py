from django.urls import include, path

from dangvu.ops.views import health

urlpatterns = [
    path("health/", health, name="health"),
    path("accounts/", include("dangvu.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("dangvu.api.urls")),
    path("orgs/", include("dangvu.orgs.urls")),
    path("members/", include("dangvu.members.urls")),
    path("imports/", include("dangvu.imports.urls")),
    path("admission/", include("dangvu.admission.urls")),
    path("transfers/", include("dangvu.transfers.urls")),
    path("meetings/", include("dangvu.meetings.urls")),
    path("reviews/", include("dangvu.reviews.urls")),
    path("discipline/", include("dangvu.discipline.urls")),
    path("inspection/", include("dangvu.inspection.urls")),
    path("letters/", include("dangvu.letters.urls")),
    path("fees/", include("dangvu.fees.urls")),
    path("register/", include("dangvu.docregister.urls")),
    path("targets/", include("dangvu.targets.urls")),
    path("study/", include("dangvu.study.urls")),
    path("congress/", include("dangvu.congress.urls")),
    path("library/", include("dangvu.library.urls")),
    path("alerts/", include("dangvu.alerts.urls")),
    path("notifications/", include("dangvu.notify.urls")),
    path("documents/", include("dangvu.documents.urls")),
    path("rules/", include("dangvu.rules.urls")),
    path("", include("dangvu.web.urls")),
]

# Error pages in the site's layout (JSON under /api/): dangvu.web.errors.
handler400 = "dangvu.web.errors.bad_request"
handler403 = "dangvu.web.errors.permission_denied"
handler404 = "dangvu.web.errors.page_not_found"
handler500 = "dangvu.web.errors.server_error"
