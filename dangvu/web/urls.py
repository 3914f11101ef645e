from django.urls import path

from dangvu.web import choosers, pwa, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
    path("choices/organisations/", choosers.organisations, name="choose_organisations"),
    path("choices/members/", choosers.members, name="choose_members"),
]
