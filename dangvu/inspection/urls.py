from django.urls import path

from dangvu.inspection import views

app_name = "inspection"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.activity, name="activity"),
]
