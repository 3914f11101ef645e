from django.urls import path

from dangvu.library import views

app_name = "library"
urlpatterns = [
    path("", views.library, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/shelf/", views.shelve, name="shelve"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("files/<int:pk>/", views.download, name="file"),
]
