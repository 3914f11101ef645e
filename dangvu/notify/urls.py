from django.urls import path

from dangvu.notify import views

app_name = "notify"

urlpatterns = [
    path("", views.index, name="index"),
    path("bell/", views.bell, name="bell"),
    path("read-all/", views.read_all, name="read_all"),
    path("<int:pk>/read/", views.read, name="read"),
    path("preferences/", views.preferences, name="preferences"),
    path("questions/", views.questions, name="questions"),
    path("questions/new/", views.ask, name="ask"),
    path("questions/statistics/", views.question_stats, name="question_stats"),
    path("questions/<int:pk>/", views.question, name="question"),
    path("questions/<int:pk>/answer/", views.answer, name="answer"),
    path("questions/<int:pk>/close/", views.close, name="close"),
    path("adoption/", views.adoption, name="adoption"),
]
