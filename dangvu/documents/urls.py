from django.urls import path

from dangvu.documents import views

app_name = "documents"

urlpatterns = [
    path("admission/<int:pk>.docx", views.admission_step, name="admission_step"),
]
