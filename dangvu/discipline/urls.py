from django.urls import path

from dangvu.discipline import views

app_name = "discipline"

urlpatterns = [
    path("", views.index, name="index"),
    path("open/", views.open_case, name="open"),
    path("notices/new/", views.notice, name="notice"),
    path("statistics/", views.statistics, name="stats"),
    path("statistics.xlsx", views.statistics_xlsx, name="stats_xlsx"),
    path("<int:pk>/", views.case, name="case"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/drop/", views.drop, name="drop"),
    path("<int:pk>/appeal/", views.appeal, name="appeal"),
    path("<int:pk>/settle/", views.settle, name="settle"),
    path("<int:pk>/decision.docx", views.decision_docx, name="decision_docx"),
]
