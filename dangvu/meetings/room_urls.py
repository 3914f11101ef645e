"""URLs of the live meeting room and the projector view, included into the `meetings` namespace by
dangvu/meetings/urls.py (`urlpatterns += room_urls.urlpatterns`)."""

from django.urls import path

from dangvu.meetings import projector_views, room_attendance
from dangvu.meetings import room_views as views

urlpatterns = [
    path("<int:pk>/room/", views.room, name="room"),
    path("<int:pk>/room/live/", views.room_live, name="room_live"),
    path("<int:pk>/room/check-in/", views.check_in, name="room_check_in"),
    path("<int:pk>/room/speak/", views.speak, name="room_speak"),
    path("<int:pk>/room/speak/withdraw/", views.withdraw, name="room_withdraw"),
    path("<int:pk>/room/votes/<int:vote_pk>/cast/", views.cast, name="room_cast"),
    path("<int:pk>/room/open/", views.open_meeting, name="room_open"),
    path("<int:pk>/room/close/", views.close_meeting, name="room_close"),
    path("<int:pk>/room/attendance/<int:invitation_pk>/", room_attendance.mark, name="room_mark"),
    path("<int:pk>/room/attendance/all-present/", room_attendance.mark_all_present, name="room_mark_all"),
    path("<int:pk>/room/absence/", room_attendance.absence, name="room_absence"),
    path("<int:pk>/room/next-speaker/", views.next_speaker, name="room_next_speaker"),
    path("<int:pk>/room/votes/new/", views.create_vote, name="room_vote_create"),
    path("<int:pk>/room/votes/<int:vote_pk>/open/", views.open_vote, name="room_vote_open"),
    path("<int:pk>/room/votes/<int:vote_pk>/close/", views.close_vote, name="room_vote_close"),
    path("<int:pk>/projector/", projector_views.projector, name="projector"),
    path("<int:pk>/projector/live/", projector_views.projector_live, name="projector_live"),
]
