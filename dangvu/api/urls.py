from django.urls import path

from dangvu.api.api import api

urlpatterns = [path("", api.urls)]
