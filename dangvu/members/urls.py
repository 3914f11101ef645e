from django.urls import path

from dangvu.members import views

app_name = "members"
urlpatterns = [
    path("<int:pk>/", views.detail, name="detail"),
]
