from django.urls import path

from dangvu.web import choosers, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("choices/organisations/", choosers.organisations, name="choose_organisations"),
    path("choices/members/", choosers.members, name="choose_members"),
]
