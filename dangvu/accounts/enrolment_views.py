"""Pages of two-factor enrolment (issue 16 item 8, dangvu.accounts.enrolment): the staff member's first
enrolment (`enrol`, called by the two-factor page) and the administrator's page of enrolment codes and
device resets (`/accounts/two-factor/codes/`)."""

from __future__ import annotations

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangvu.accounts import enrolment
from dangvu.accounts.models import STAFF_ROLES, EnrolmentCode, RoleAssignment
from dangvu.accounts.twofactor import needs_two_factor, pending_device
from dangvu.lib.urls import safe_next
from dangvu.web.confirm import confirmation_needed

SESSION_CODE = "dangvu_enrolment_code"
LIST_LIMIT = 100


class EnrolmentCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Enrolment code"),
        max_length=32,
        help_text=gettext_lazy("The code the committee office or the administrator gave you, e.g. ABCD-EFGH-JKLM."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True, "spellcheck": "false"}),
    )


def enrol(request: HttpRequest, token_form_class) -> HttpResponse:
    """First enrolment: the enrolment code, then the QR code and the app's first 6-digit code."""
    user = request.user
    code_id = request.session.get(SESSION_CODE)
    code = EnrolmentCode.objects.filter(pk=code_id, user=user).first() if code_id else None
    if code is None or not code.usable:
        request.session.pop(SESSION_CODE, None)
        form = EnrolmentCodeForm(request.POST or None)
        status = 200
        if request.method == "POST" and form.is_valid():
            if enrolment.throttled(user):
                form.add_error("code", _("Too many wrong codes: wait a quarter of an hour and try again."))
                status = 429
            elif (found := enrolment.check_code(user, form.cleaned_data["code"])) is None:
                form.add_error(
                    "code",
                    _("This code is wrong, has expired or was already used. Ask the administrator for a new one."),
                )
            else:
                request.session[SESSION_CODE] = found.pk
                return redirect(request.get_full_path())
        return render(request, "accounts/two_factor_code.html", {"form": form}, status=status)

    device = pending_device(user)
    form = token_form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if enrolment.enrol(user, code.pk, device):
                request.session.pop(SESSION_CODE, None)
                otp_login(request, device)
                return redirect(safe_next(request, request.GET.get("next")))
            return redirect(request.get_full_path())  # the code was revoked meanwhile: ask for one again
        form.add_error("token", _("The code is wrong or has expired."))
    context = {
        "form": form,
        "enrolling": True,
        "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=4),
        "secret": device.config_url.split("secret=")[1].split("&")[0],
    }
    return render(request, "accounts/two_factor.html", context)


# --- The administrator's page -------------------------------------------------------------------------


def _staff_users(q: str):
    User = get_user_model()
    staff = RoleAssignment.objects.current().filter(user=OuterRef("pk"), role__in=STAFF_ROLES)
    users = User.objects.filter(is_active=True).filter(Q(is_superuser=True) | Exists(staff))
    if q:
        users = users.filter(Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q))
    enrolled = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return users.annotate(enrolled=Exists(enrolled)).order_by("username")


def _target(request: HttpRequest):
    value = str(request.POST.get("user", ""))
    user = _staff_users("").filter(pk=int(value)).first() if value.isdigit() and len(value) < 12 else None
    if user is None:
        raise Http404
    return user


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def codes(request: HttpRequest) -> HttpResponse:
    if not enrolment.may_manage(request.user):
        raise PermissionDenied
    if needs_two_factor(request.user) and not request.user.is_verified():
        return redirect("accounts:two_factor")
    issued = None
    if request.method == "POST":
        target = _target(request)
        action = request.POST.get("action")
        if action == "issue":
            code, row = enrolment.issue_code(target, request.user)
            issued = {"user": target, "code": code, "expires_at": row.expires_at}
        elif action == "reset":
            if asked := confirmation_needed(request, "reset_two_factor"):
                return asked
            enrolment.reset_device(target, request.user)
            messages.success(
                request,
                _("The authenticator app of %(user)s was reset: issue an enrolment code for the new one.")
                % {"user": target.username},
            )
            return redirect("accounts:two_factor_codes")
        else:
            raise Http404
    q = str(request.GET.get("q", ""))[:100]
    users = list(_staff_users(q)[:LIST_LIMIT])
    pending = {
        c.user_id: c
        for c in EnrolmentCode.objects.filter(user__in=users, used_at__isnull=True, revoked_at__isnull=True).order_by(
            "issued_at"
        )
        if c.usable
    }
    rows = [{"user": u, "enrolled": u.enrolled, "pending": pending.get(u.pk)} for u in users]
    context = {
        "rows": rows,
        "q": q,
        "issued": issued,
        "limit": LIST_LIMIT,
        "hours": settings.DANGVU_ENROLMENT_CODE_HOURS,
    }
    return render(request, "accounts/two_factor_codes.html", context)
