from django.urls import path

from dangvu.congress import views

app_name = "congress"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/delegates/", views.delegates, name="delegates"),
    path("<int:pk>/elections/", views.add_election, name="add_election"),
    path("delegates/<int:pk>/excused/", views.excuse, name="excuse"),
    path("elections/<int:pk>/", views.election, name="election"),
    path("rounds/<int:pk>/", views.round_page, name="round"),
    path("rounds/<int:pk>/announce/", views.announce, name="announce"),
    path("rounds/<int:pk>/addenda/", views.addendum, name="addendum"),
    path("rounds/<int:pk>/teams/<int:team>/", views.tally, name="tally"),
    path("rounds/<int:pk>/<str:which>.docx", views.document, name="document"),
]
