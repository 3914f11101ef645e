import importlib.util

from django.urls import path

from dangvu.meetings import document_views, views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.create, name="create"),
    path("regularity/", views.regularity, name="regularity"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/rsvp/", views.rsvp, name="rsvp"),
    path("<int:pk>/open/", views.open_meeting, name="open"),
    path("<int:pk>/close/", views.close_meeting, name="close"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/minutes.docx", views.minutes_file, name="minutes_file"),
    path("<int:pk>/addendum/", views.addendum, name="addendum"),
    path("<int:pk>/speakers/<int:request_pk>/", views.speech, name="speech"),
    path("<int:pk>/documents/new/", document_views.document_add, name="document_add"),
    path("documents/<int:pk>/", document_views.document_file, name="document"),
    path("documents/<int:pk>/v<int:number>/", document_views.document_file, name="document"),
    path("documents/<int:pk>/preview/", document_views.document_preview, name="document_preview"),
    path("documents/<int:pk>/v<int:number>/preview/", document_views.document_preview, name="document_preview"),
    path("documents/<int:pk>/versions/new/", document_views.version_add, name="version_add"),
    path("documents/<int:pk>/note/", document_views.note, name="note"),
]

# The meeting room and projector views (dangvu/meetings/room_views.py) declare their own routes; an error
# inside that module is not hidden (only its absence is tolerated).
if importlib.util.find_spec("dangvu.meetings.room_urls") is not None:
    from dangvu.meetings import room_urls

    urlpatterns += room_urls.urlpatterns
