from django.urls import path

from dangvu.admission import views

app_name = "admission"

urlpatterns = [
    path("", views.board, name="board"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.candidate, name="candidate"),
    path("<int:pk>/record/", views.record, name="record"),
    path("<int:pk>/annul/<int:step_pk>/", views.annul, name="annul"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("file/<int:step_pk>/", views.step_file, name="file"),
]
