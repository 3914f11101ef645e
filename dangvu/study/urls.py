from django.urls import path

from dangvu.study import views, views_commitments, views_training

app_name = "study"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.campaign, name="campaign"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/attendance/<int:org>/", views.attendance, name="attendance"),
    path("<int:pk>/masses/", views.masses, name="masses"),
    path("courses/", views_training.courses, name="courses"),
    path("courses/new/", views_training.create_course, name="create_course"),
    path("courses/<int:pk>/", views_training.course, name="course"),
    path("courses/<int:pk>/enrol/", views_training.enrol, name="enrol"),
    path("enrolments/<int:pk>/complete/", views_training.complete, name="complete"),
    path("commitment/", views_commitments.commitment, name="commitment"),
    path("models/", views_commitments.register, name="models"),
    path("models/new/", views_commitments.recognise, {"what": "model"}, name="new_model"),
    path("commendations/new/", views_commitments.recognise, {"what": "commendation"}, name="new_commendation"),
]
