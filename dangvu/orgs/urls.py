from django.urls import path

from dangvu.orgs import views

app_name = "orgs"
urlpatterns = [path("", views.tree, name="tree")]
