from django.urls import path

from dangvu.imports import views

app_name = "imports"
urlpatterns = [path("", views.index, name="index")]
