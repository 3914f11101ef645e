from django.urls import path

from dangvu.reviews import meeting_views, org_views, views

app_name = "reviews"

urlpatterns = [
    path("", views.index, name="index"),
    path("open/", views.open_campaign, name="open"),
    path("<int:pk>/", views.campaign, name="campaign"),
    path("<int:pk>/decide/<int:org>/", views.decide, name="decide"),
    path("<int:pk>/meeting/<int:meeting>/", meeting_views.review_meeting, name="meeting"),
    path("<int:pk>/meeting/<int:meeting>/minutes.docx", meeting_views.minutes, name="minutes"),
    path("<int:pk>/results.xlsx", views.export, name="export"),
    path("report/<int:org>/<int:year>/", views.report, name="report"),
    path("review/<int:pk>/", views.review, name="review"),
    path("organisation/<int:pk>/", org_views.org_review, name="org"),
    path("review/<int:pk>/self/", views.self_assessment, name="self"),
    path("review/<int:pk>/form.docx", views.review_form, name="form"),
    path("review/<int:pk>/send-back/", views.send_back, name="send_back"),
    path("review/<int:pk>/correct/", views.correct, name="correct"),
]
