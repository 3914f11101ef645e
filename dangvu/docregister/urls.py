from django.urls import path

from dangvu.docregister import views

app_name = "docregister"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/files/", views.add_file, name="add_file"),
    path("<int:pk>/links/", views.add_link, name="add_link"),
    path("files/<int:pk>/", views.download, name="file"),
]
