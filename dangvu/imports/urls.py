from django.urls import path

from dangvu.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("template.<str:fmt>", views.template, name="template"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/apply/", views.apply, name="apply"),
    path("<int:pk>/errors.csv", views.errors_csv, name="errors_csv"),
]
