from django.urls import path

from dangvu.letters import views

app_name = "letters"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.receive, name="receive"),
    path("statistics/", views.statistics, name="stats"),
    path("statistics.xlsx", views.statistics_xlsx, name="stats_xlsx"),
    path("heads/", views.heads, name="heads"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/screen/", views.screen, name="screen"),
    path("<int:pk>/route/", views.route, name="route"),
    path("<int:pk>/extend/", views.extend, name="extend"),
    path("<int:pk>/conclude/", views.conclude, name="conclude"),
    path("<int:pk>/sender-views/", views.sender_views, name="sender_views"),
]
urlpatterns += [
    path("<int:pk>/receipt.docx", views.receipt_docx, name="receipt_docx"),
    path("<int:pk>/extension.docx", views.extension_docx, name="extension_docx"),
    path("<int:pk>/result.docx", views.result_docx, name="result_docx"),
]
