from __future__ import annotations

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login

from dangvu.accounts import enrolment_views
from dangvu.accounts.twofactor import confirmed_device, needs_two_factor
from dangvu.api.errors import json_error
from dangvu.lib.urls import safe_next


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("6-digit code"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("Enter the 6 digits shown by the app.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


@login_required
def two_factor(request):
    """Verify a TOTP code, or enrol an authenticator app on first use (with an enrolment code)."""
    if not needs_two_factor(request.user) or request.user.is_verified():
        return redirect("web:home")
    device = confirmed_device(request.user)
    if device is None:  # first enrolment: only with an enrolment code from the office (issue 16 item 8)
        return enrolment_views.enrol(request, TokenForm)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            return redirect(safe_next(request, request.GET.get("next")))
        form.add_error("token", _("The code is wrong or has expired."))
    return render(request, "accounts/two_factor.html", {"form": form, "enrolling": False})


LOCKED = _("This account is locked for a while from your address. Try again later or contact the committee office.")


def locked(request, credentials=None, *args, **kwargs):
    """django-axes lock-out: a page for the log-in form, the API's JSON error for POST /api/v1/auth/token."""
    if request.path.startswith("/api/"):
        return json_error(429, str(LOCKED))
    return render(request, "accounts/locked.html", status=429)
