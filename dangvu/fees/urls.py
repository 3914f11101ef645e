from django.urls import path

from dangvu.fees import views, views_import, views_reports

app_name = "fees"

urlpatterns = [
    path("", views.index, name="index"),
    path("me/", views.me, name="me"),
    path("orgs/<int:pk>/", views.sheet, name="sheet"),
    path("orgs/<int:pk>/run/", views.run, name="run"),
    path("orgs/<int:pk>/arrears/", views.arrears, name="arrears"),
    path("members/<int:pk>/", views.member, name="member"),
    path("members/<int:pk>/basis/", views.set_basis, name="basis"),
    path("members/<int:pk>/relief/", views.grant_relief, name="relief"),
    path("members/<int:pk>/pay/", views.record_payment, name="pay"),
    path("members/<int:pk>/reliefs/<int:relief>/end/", views.end_relief, name="end_relief"),
    path("members/<int:pk>/payments/<int:payment>/annul/", views.annul_payment, name="annul_payment"),
]
urlpatterns += views_reports.urlpatterns + views_import.urlpatterns
