"""Two-factor enrolment needs a code from the office (issue 16 item 8): after a password-only log-in a staff
member who never enrolled is asked for an enrolment code, never shown the QR code; the administrator issues
codes (shown once, stored hashed, 72 hours, single use) and resets devices; wrong codes are throttled."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangvu.accounts import enrolment
from dangvu.accounts.models import EnrolmentCode, TwoFactorEvent
from dangvu.testing import PASSWORD

pytestmark = pytest.mark.django_db
HOME = "/"
TWO_FACTOR = reverse("accounts:two_factor")
CODES = reverse("accounts:two_factor_codes")


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own delay after a wrong TOTP; not under test here


def login(client, username: str) -> None:
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302


def enrol_with(client, user, code: str) -> TOTPDevice:
    """Enter the code, see the QR code, confirm with the app's first code."""
    assert client.post(TWO_FACTOR, {"code": code})["Location"] == TWO_FACTOR
    page = client.get(TWO_FACTOR)
    assert page.status_code == 200 and b"<svg" in page.content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(TWO_FACTOR, {"token": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 302 and response["Location"] == HOME
    device.refresh_from_db()
    return device


def test_the_password_alone_never_shows_the_qr_code(client, cast, required):
    login(client, "office")
    assert client.get(HOME)["Location"] == TWO_FACTOR
    page = client.get(TWO_FACTOR)
    text = page.content.decode()
    assert page.status_code == 200 and "<svg" not in text and "secret" not in text.lower()
    assert "mã đăng ký" in text  # asks for the enrolment code, in Vietnamese
    assert not TOTPDevice.objects.filter(user=cast.office).exists()  # no secret was even generated
    refused = client.post(TWO_FACTOR, {"code": "ABCD-EFGH-JKLM"})
    assert refused.status_code == 200 and "<svg" not in refused.content.decode()
    assert "không đúng, đã hết hạn hoặc đã được dùng" in refused.content.decode()
    # A TOTP code posted without an enrolment code does not enrol anything either.
    client.post(TWO_FACTOR, {"token": "123456"})
    assert not TOTPDevice.objects.filter(user=cast.office).exists()
    assert client.get(HOME).status_code == 302


def test_a_valid_code_leads_to_the_qr_code_and_enrolment(client, cast, required):
    code, row = enrolment.issue_code(cast.office, cast.admin)
    assert row.code_hash == enrolment.code_hash(code) and code not in row.code_hash  # stored hashed only
    login(client, "office")
    device = enrol_with(client, cast.office, code.lower().replace("-", " "))  # typed loosely: accepted
    assert device.confirmed and client.get(HOME).status_code == 200
    row.refresh_from_db()
    assert row.used_at is not None
    kinds = list(TwoFactorEvent.objects.filter(user=cast.office).order_by("at", "pk").values_list("kind", flat=True))
    assert kinds == [TwoFactorEvent.Kind.CODE_ISSUED, TwoFactorEvent.Kind.ENROLLED]
    # Next log-in: the usual 6-digit check, no code asked.
    other = Client()
    login(other, "office")
    page = other.get(TWO_FACTOR).content.decode()
    assert "<svg" not in page and 'name="token"' in page and 'name="code"' not in page


def test_a_code_works_once(client, cast, required):
    code, _row = enrolment.issue_code(cast.office, cast.admin)
    login(client, "office")
    enrol_with(client, cast.office, code)
    enrolment.reset_device(cast.office, cast.admin)
    again = Client()
    login(again, "office")
    refused = again.post(TWO_FACTOR, {"code": code})
    assert refused.status_code == 200 and "<svg" not in refused.content.decode()
    assert not TOTPDevice.objects.filter(user=cast.office).exists()


def test_a_code_is_refused_once_expired(client, cast, required):
    code, row = enrolment.issue_code(cast.office, cast.admin)
    assert row.expires_at - row.issued_at == dt.timedelta(hours=72)
    login(client, "office")
    EnrolmentCode.objects.filter(pk=row.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.post(TWO_FACTOR, {"code": code}).status_code == 200  # refused
    EnrolmentCode.objects.filter(pk=row.pk).update(expires_at=timezone.now() + dt.timedelta(minutes=1))
    assert client.post(TWO_FACTOR, {"code": code})["Location"] == TWO_FACTOR  # accepted just before


def test_a_code_expiring_between_the_two_steps_does_not_enrol(client, cast, required):
    code, row = enrolment.issue_code(cast.office, cast.admin)
    login(client, "office")
    client.post(TWO_FACTOR, {"code": code})
    assert client.get(TWO_FACTOR).status_code == 200  # the QR code
    device = TOTPDevice.objects.get(user=cast.office, confirmed=False)
    EnrolmentCode.objects.filter(pk=row.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.post(TWO_FACTOR, {"token": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 200 and b'name="code"' in response.content  # asked for a code again
    device.refresh_from_db()
    assert not device.confirmed and client.get(HOME).status_code == 302


def test_a_new_code_revokes_the_older_one(client, cast, required):
    first, _row = enrolment.issue_code(cast.office, cast.admin)
    second, _row = enrolment.issue_code(cast.office, cast.admin)
    login(client, "office")
    assert client.post(TWO_FACTOR, {"code": first}).status_code == 200  # refused
    assert client.post(TWO_FACTOR, {"code": second})["Location"] == TWO_FACTOR


def test_wrong_codes_are_throttled(client, cast, required, settings):
    code, _row = enrolment.issue_code(cast.office, cast.admin)
    login(client, "office")
    for _ in range(settings.DANGVU_ENROLMENT_ATTEMPTS):
        assert client.post(TWO_FACTOR, {"code": "WRONG-CODE-0000"}).status_code == 200
    blocked = client.post(TWO_FACTOR, {"code": code})  # even the right code, while blocked
    assert blocked.status_code == 429 and "mười lăm phút" in blocked.content.decode()
    # Once the window has passed, the refusals no longer count.
    window = dt.timedelta(minutes=settings.DANGVU_ENROLMENT_WINDOW_MINUTES, seconds=1)
    TwoFactorEvent.objects.filter(kind=TwoFactorEvent.Kind.REFUSED).update(at=timezone.now() - window)
    assert client.post(TWO_FACTOR, {"code": code})["Location"] == TWO_FACTOR


def test_a_reset_forces_enrolment_again(client, cast, required):
    code, _row = enrolment.issue_code(cast.office, cast.admin)
    login(client, "office")
    enrol_with(client, cast.office, code)
    assert client.get(HOME).status_code == 200

    admin = Client()
    admin.force_login(cast.admin)
    admin_code, _row = enrolment.issue_code(cast.admin)
    enrol_with(admin, cast.admin, admin_code)
    asked = admin.post(CODES, {"user": cast.office.pk, "action": "reset"})
    assert asked.status_code == 409 and TOTPDevice.objects.filter(user=cast.office).exists()  # confirm first
    done = admin.post(CODES, {"user": cast.office.pk, "action": "reset", "confirmed": "reset_two_factor"})
    assert done.status_code == 302 and not TOTPDevice.objects.filter(user=cast.office).exists()
    assert TwoFactorEvent.objects.filter(user=cast.office, kind=TwoFactorEvent.Kind.RESET, actor=cast.admin).exists()
    # The office's verified session is verified no more, and the page asks for a new code.
    assert client.get(HOME)["Location"] == TWO_FACTOR
    page = client.get(TWO_FACTOR).content
    assert b'name="code"' in page and b"<svg" not in page


def test_the_codes_page_is_for_administrators_only(client, cast):
    assert client.get(CODES).status_code == 302  # to the log-in page
    for name in ("office", "inspector", "leader", "secretary", "member", "outsider", "nobody"):
        client.force_login(getattr(cast, name))
        assert client.get(CODES).status_code == 403, name
        assert client.post(CODES, {"user": cast.office.pk, "action": "issue"}).status_code == 403, name
    assert not EnrolmentCode.objects.exists()
    client.force_login(cast.admin)
    page = client.get(CODES)
    assert page.status_code == 200 and "office" in page.content.decode()
    assert "Chưa đăng ký" in page.content.decode()


def test_the_administrator_issues_a_code_shown_once(client, cast):
    client.force_login(cast.admin)
    response = client.post(CODES, {"user": cast.office.pk, "action": "issue"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    code = response.context["issued"]["code"]
    assert code in response.content.decode()
    row = EnrolmentCode.objects.get(user=cast.office)
    assert row.issued_by == cast.admin and row.code_hash == enrolment.code_hash(code)
    again = client.get(CODES).content.decode()
    assert code not in again and "Đã cấp mã" in again
    assert client.post(CODES, {"user": 999999, "action": "issue"}).status_code == 404
    assert client.post(CODES, {"user": cast.member.pk, "action": "issue"}).status_code == 404  # not staff


def test_an_unverified_administrator_must_pass_two_factor_first(client, cast, required):
    login(client, "admin")
    assert client.get(CODES)["Location"] == TWO_FACTOR
    assert client.post(CODES, {"user": cast.admin.pk, "action": "issue"})["Location"] == TWO_FACTOR
    assert not EnrolmentCode.objects.exists()  # the password alone cannot issue a code to oneself


def test_the_first_administrator_uses_the_command(client, cast, required):
    out = StringIO()
    call_command("two_factor", "issue", "admin", stdout=out)
    code = out.getvalue().split("Enrolment code for admin: ")[1].split()[0]
    row = EnrolmentCode.objects.get(user=cast.admin)
    assert row.issued_by is None and row.code_hash == enrolment.code_hash(code)
    login(client, "admin")
    enrol_with(client, cast.admin, code)
    assert client.get(CODES).status_code == 200
    out = StringIO()
    call_command("two_factor", "reset", "admin", stdout=out)
    assert "1 authenticator device(s) removed" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=cast.admin).exists()
    with pytest.raises(CommandError):
        call_command("two_factor", "issue", "no-such-user", stdout=StringIO())
