from django.urls import path

from dangvu.members import views

app_name = "members"
urlpatterns = [
    path("", views.detail, name="list"),  # replaced by the member list page
    path("<int:pk>/", views.detail, name="detail"),
]
