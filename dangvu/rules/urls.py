from django.urls import path

from dangvu.rules import calendar_views, views

app_name = "rules"

urlpatterns = [
    path("", views.rule_list, name="list"),
    path("new/", views.create, name="create"),
    path("calendar/", calendar_views.calendar, name="calendar"),
    path("calendar/new/", calendar_views.calendar_create, name="calendar_create"),
    path("calendar/<int:pk>/edit/", calendar_views.calendar_edit, name="calendar_edit"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
]
