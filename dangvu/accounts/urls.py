from django.contrib.auth import views as auth_views
from django.urls import path

from dangvu.accounts import enrolment_views, password_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/codes/", enrolment_views.codes, name="two_factor_codes"),
    path("password/forgot/", password_views.forgot, name="password_forgot"),
    path("password/change/", password_views.change, name="password_change"),
    path("password/requests/", password_views.requests, name="password_requests"),
]
