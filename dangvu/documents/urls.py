from django.urls import path

from dangvu.documents import views

app_name = "documents"

urlpatterns = [
    path("admission/<int:pk>.docx", views.admission_step, name="admission_step"),
    path("meetings/<int:pk>/minutes.docx", views.meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:pk>/resolution.docx", views.meeting_resolution, name="meeting_resolution"),
    path("members/<int:pk>/record.docx", views.member_record, name="member_record"),
    path("transfers/<int:pk>/letter.docx", views.transfer_letter, name="transfer_letter"),
]
