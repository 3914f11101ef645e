from django.urls import path

from dangvu.targets import dashboard_views, provenance_views, reading_views, report_views, views

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
    path("resolutions/<int:pk>/reports/", report_views.index, name="reports"),
    path("resolutions/<int:pk>/reports/new/", report_views.create, name="report_new"),
    path("reports/<int:pk>/", report_views.detail, name="report"),
    path("reports/<int:pk>/progress/", report_views.progress, name="report_progress"),
    path("reports/<int:pk>/rebuild/", report_views.rebuild, name="report_rebuild"),
    path("reports/<int:pk>/file.<str:fmt>", report_views.download, name="report_file"),
]
