from django.urls import path

from dangvu.targets import dashboard_views, provenance_views, reading_views, views

app_name = "targets"

urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("resolutions/<int:pk>/", views.resolution, name="resolution"),
    path("resolutions/<int:pk>/targets/", views.add_target, name="add"),
    path("<int:pk>/values/", views.record_value, name="value"),
    path("<int:pk>/records/<str:label>/", provenance_views.records, name="records"),
    path("resolutions/<int:pk>/read/", reading_views.read, name="read"),
    path("resolutions/<int:pk>/read/confirm/", reading_views.confirm, name="confirm"),
]
