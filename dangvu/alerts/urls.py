from django.urls import path

from dangvu.alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.alert_list, name="list"),
]
