from django.urls import path

from dangvu.transfers import views

app_name = "transfers"

urlpatterns = [
    path("", views.transfer_list, name="list"),
    path("cells/", views.cells, name="cells"),
    path("new-from-outside/", views.receive, name="receive"),
    path("members/<int:member_pk>/new/", views.issue, name="issue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/end/", views.end_temporary, name="end"),
]
