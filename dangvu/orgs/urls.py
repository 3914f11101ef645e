from django.urls import path

from dangvu.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/children/", views.children, name="children"),
    path("<int:pk>/members-on/", views.count_on, name="count_on"),
    path("reorganise/", views.reorganise, name="reorganise"),
    path("reorganise/<slug:kind>/", views.reorganise_kind, name="reorganise_kind"),
]
