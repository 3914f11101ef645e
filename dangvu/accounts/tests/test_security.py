"""Log-in, two-factor authentication, throttling, session expiry, security headers, deploy checks."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangvu.accounts import enrolment
from dangvu.testing import PASSWORD

pytestmark = pytest.mark.django_db
HOME = "/"


def _login(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_page_and_redirect_for_anonymous(client):
    assert client.get(reverse("accounts:login")).status_code == 200
    response = client.get(HOME)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_wrong_password_is_refused(client, cast):
    response = _login(client, "office", "wrong-password")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_staff_must_enrol_and_verify_totp_when_required(client, cast, settings):
    settings.TWO_FACTOR_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp delays retries after a failure; not under test here
    assert _login(client, "office").status_code == 302
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:two_factor")
    code, _row = enrolment.issue_code(cast.office, cast.admin)  # the office's code (issue 16 item 8)
    client.post(reverse("accounts:two_factor"), {"code": code})
    page = client.get(reverse("accounts:two_factor"))
    assert page.status_code == 200 and b"<svg" in page.content  # enrolment shows a QR code
    device = TOTPDevice.objects.get(user=cast.office, confirmed=False)
    assert (
        client.post(
            reverse("accounts:two_factor"), {"token": "000000" if totp(device.bin_key) != 0 else "111111"}
        ).status_code
        == 200
    )
    assert client.get(HOME).status_code == 302  # still gated after a wrong code
    client.post(reverse("accounts:two_factor"), {"token": f"{totp(device.bin_key):06d}"})
    assert client.get(HOME).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_plain_member_is_not_asked_for_totp(client, cast, settings):
    settings.TWO_FACTOR_REQUIRED = True
    _login(client, "member")
    response = client.get(HOME)
    # not sent to the two-factor page: the member's own home (issue 9 item 6) opens at once
    assert response.status_code == 200 and b'id="home-links"' in response.content


def test_two_factor_off_lets_demo_logins_in(client, cast, settings):
    settings.TWO_FACTOR_REQUIRED = False
    _login(client, "office")
    assert client.get(HOME).status_code == 200


def test_login_throttling_locks_after_repeated_failures(client, cast, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "office", "wrong-password")
    response = _login(client, "office")  # even the right password is refused now
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_session_expires(client, cast):
    _login(client, "office")
    assert client.get(HOME).status_code == 200
    session = client.session
    session.set_expiry(-1)
    session.save()
    response = client.get(HOME)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_security_headers(client):
    response = client.get(reverse("accounts:login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_deploy_check_is_clean_with_production_settings(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = "x" * 30 + "production-secret-key-with-enough-entropy-0123456789"
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    call_command("check", "--deploy", "--fail-level", "WARNING")


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/x", "//evil.example/", "///evil.example/", "\\\\evil.example/", "javascript:alert(1)"],
)
def test_two_factor_step_does_not_redirect_off_site(client, cast, settings, target):
    """Issue 16 item 7: `next` after the two-factor step is followed only to this site."""
    settings.TWO_FACTOR_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = TOTPDevice.objects.create(user=cast.office, name="app", confirmed=True)
    _login(client, "office")
    url = reverse("accounts:two_factor")
    response = client.post(f"{url}?next={target}", {"token": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_two_factor_step_follows_a_same_site_next(client, cast, settings):
    settings.TWO_FACTOR_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = TOTPDevice.objects.create(user=cast.office, name="app", confirmed=True)
    _login(client, "office")
    response = client.post(reverse("accounts:two_factor") + "?next=/members/", {"token": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 302 and response["Location"] == "/members/"
