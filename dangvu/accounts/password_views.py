"""Pages of forgotten passwords (issue 9 item 17, dangvu.accounts.passwords): the request from the log-in
page, the office's page of requests and temporary passwords, and the change of a temporary password."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from dangvu.accounts import passwords
from dangvu.accounts.scope import has_capability
from dangvu.accounts.twofactor import needs_two_factor
from dangvu.lib.errors import DomainError
from dangvu.web.confirm import confirmation_needed
from dangvu.web.forms import Form


class RequestForm(Form):
    username = forms.CharField(
        label=gettext_lazy("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    contact = forms.CharField(
        label=gettext_lazy("How the office can reach you"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "For example a telephone number: the office gives temporary passwords in person or by telephone."
        ),
    )


class UserForm(Form):
    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)


@never_cache
@require_http_methods(["GET", "POST"])
def forgot(request: HttpRequest) -> HttpResponse:
    """The same answer whether or not the username exists; throttled per address for any username."""
    form = RequestForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        address = request.META.get("REMOTE_ADDR")
        if passwords.throttled(address):
            form.add_error(None, _("Too many requests from your address: try again in an hour."))
            status = 429
        else:
            data = form.cleaned_data
            passwords.request_password(data["username"], data["contact"], address)
            return redirect(f"{request.path}?sent=1")
    sent = request.method == "GET" and request.GET.get("sent") == "1"
    return render(request, "accounts/forgot.html", {"form": form, "sent": sent}, status=status)


def _target(request: HttpRequest):
    """The user of a request row (by id) within the actor's reach; anyone else is a 404, as if absent."""
    from django.contrib.auth import get_user_model

    value = str(request.POST.get("user", ""))
    user = get_user_model().objects.filter(pk=int(value)).first() if value.isdigit() and len(value) < 12 else None
    if user is None or not passwords.may_reset(request.user, user):
        raise Http404
    return user


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def requests(request: HttpRequest) -> HttpResponse:
    if not (request.user.is_superuser or has_capability(request.user, passwords.CAPABILITY)):
        raise PermissionDenied
    if needs_two_factor(request.user) and not request.user.is_verified():
        return redirect("accounts:two_factor")
    issued = None
    form = UserForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in {"reset", "dismiss"}:
            raise Http404
        if "username" in request.POST:  # someone asked in person or by telephone
            form = UserForm(request.POST)
            target = passwords.user_to_reset(request.user, form.data["username"]) if form.is_valid() else None
            if target is None:
                if form.is_valid():  # unknown and out of reach look the same
                    form.add_error("username", _("No user whose password you may set has this username."))
                context = {"rows": passwords.open_requests(request.user), "issued": None, "form": form}
                return render(request, "accounts/password_requests.html", context)
        else:
            target = _target(request)
        if action == "reset":
            if asked := confirmation_needed(request, "reset_password"):
                return asked
            try:
                issued = {"user": target, "password": passwords.set_temporary_password(request.user, target)}
            except DomainError:  # pragma: no cover - _target already checked the reach
                raise Http404 from None
        else:
            passwords.dismiss(request.user, target)
            messages.success(request, _("The request of %(user)s was dismissed.") % {"user": target.username})
            return redirect("accounts:password_requests")
    context = {"rows": passwords.open_requests(request.user), "issued": issued, "form": form}
    return render(request, "accounts/password_requests.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def change(request: HttpRequest) -> HttpResponse:
    """Change one's password; after a temporary password every page leads here until it is done."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save(commit=False)
        passwords.password_changed(user)
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password was changed."))
        return redirect("web:home")
    return render(request, "accounts/password_change.html", {"form": form, "forced": request.user.must_change_password})
