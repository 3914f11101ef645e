from django.urls import path

from dangvu.inspection import views, views_write

app_name = "inspection"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views_write.new_activity, name="new"),
    path("programmes/new/", views_write.new_programme, name="new_programme"),
    path("programmes/<int:pk>/", views.programme, name="programme"),
    path("<int:pk>/", views.activity, name="activity"),
    path("<int:pk>/team/", views_write.team, name="team"),
    path("<int:pk>/subjects/", views_write.subjects, name="subjects"),
    path("<int:pk>/conclusion/", views_write.conclude, name="conclude"),
    path("<int:pk>/remediation/", views_write.add_remediation, name="add_remediation"),
    path("<int:pk>/remediation/<int:item_pk>/close/", views_write.close_remediation, name="close_remediation"),
]
