"""Tokens: issue (with and without two-factor), revoke, expiry, unknown tokens; GET /me."""

import datetime as dt

import pytest
from django.test import RequestFactory
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangvu.accounts.models import ApiToken
from dangvu.api.auth import TokenAuth
from dangvu.testing import PASSWORD

pytestmark = pytest.mark.django_db


def issue(api, username, password=PASSWORD, otp=None):
    payload = {"username": username, "password": password}
    if otp is not None:
        payload["otp"] = otp
    return api().post("/auth/token", payload)


def test_token_without_two_factor_gives_access(api, cast, settings):
    settings.TWO_FACTOR_REQUIRED = False
    response = issue(api, "office")
    assert response.status_code == 200
    key = response.json()["token"]
    assert dt.datetime.fromisoformat(response.json()["expires_at"]) > timezone.now()
    me = api(key=key).get("/me")
    assert me.status_code == 200 and me.json()["username"] == "office"
    # Only a hash is stored.
    assert not ApiToken.objects.filter(key_hash=key).exists()


def test_wrong_password_is_401(api, cast, settings):
    settings.TWO_FACTOR_REQUIRED = False
    response = issue(api, "office", password="wrong-password-1")
    assert response.status_code == 401
    assert ApiToken.objects.count() == 0


def test_staff_needs_a_totp_code_when_two_factor_is_required(api, cast, settings):
    settings.TWO_FACTOR_REQUIRED = True
    # No device yet, no code: refused.
    assert issue(api, "office").status_code == 401
    device = TOTPDevice.objects.create(user=cast.office, name="phone", confirmed=True)
    assert issue(api, "office").status_code == 401
    code = f"{totp(device.bin_key):06d}"
    response = issue(api, "office", otp=code)
    assert response.status_code == 200
    assert api(key=response.json()["token"]).get("/me").status_code == 200
    # A wrong code, and the same code twice, are refused.
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    assert issue(api, "office", otp=wrong).status_code == 401
    assert issue(api, "office", otp=code).status_code == 401
    assert ApiToken.objects.filter(user=cast.office).count() == 1


def test_plain_member_needs_no_totp_code(api, cast, settings):
    settings.TWO_FACTOR_REQUIRED = True
    response = issue(api, "member")
    assert response.status_code == 200
    assert api(key=response.json()["token"]).get("/me").json()["member_id"] == cast.member.member_id


def test_missing_unknown_expired_and_revoked_tokens_are_401(api, cast):
    assert api().get("/me").status_code == 401
    assert api(key="not-a-token").get("/me").status_code == 401

    expired, key = ApiToken.issue(cast.office)
    expired.expires_at = timezone.now() - dt.timedelta(seconds=1)
    expired.save()
    assert api(key=key).get("/me").status_code == 401

    client = api(cast.office)
    other = api(cast.office)
    assert client.get("/me").status_code == 200
    assert client.post("/auth/revoke").status_code == 204
    assert client.get("/me").status_code == 401
    assert client.post("/auth/revoke").status_code == 401
    # Only the token used was revoked; the row is kept.
    assert other.get("/me").status_code == 200
    assert ApiToken.objects.filter(user=cast.office).count() == 3


def test_inactive_user_token_is_401(api, cast):
    client = api(cast.office)
    cast.office.is_active = False
    cast.office.save()
    assert client.get("/me").status_code == 401


def test_me_tells_roles_and_scopes(api, cast, tree):
    office = api(cast.office).get("/me").json()
    assert [(r["role"], r["organisation_code"]) for r in office["roles"]] == [("office", "A")]
    scopes = {s["capability"]: s for s in office["scopes"]}
    assert {"orgs.view", "members.view", "members.edit", "orgs.reorganise"} <= set(scopes)
    assert [o["code"] for o in scopes["members.view"]["organisations"]] == ["A"]
    assert not scopes["members.view"]["everything"]

    secretary = {s["capability"]: s for s in api(cast.secretary).get("/me").json()["scopes"]}
    assert [o["code"] for o in secretary["members.view"]["organisations"]] == ["A1-C1"]
    assert "members.edit" not in secretary

    admin = {s["capability"]: s for s in api(cast.admin).get("/me").json()["scopes"]}
    assert admin["members.edit"]["everything"] and admin["orgs.view"]["everything"]

    member = api(cast.member).get("/me").json()
    assert member["member_id"] == cast.member.member_id
    assert member["scopes"] == [
        {"capability": "members.view", "everything": False, "organisations": [], "own_record_only": True}
    ]

    nobody = api(cast.nobody).get("/me").json()
    assert nobody["roles"] == [] and nobody["scopes"] == []


def test_token_auth_sets_request_user_for_the_audit_trail(cast):
    _token, key = ApiToken.issue(cast.secretary)
    request = RequestFactory().get("/api/v1/me", headers={"Authorization": f"Bearer {key}"})
    assert TokenAuth()(request) == cast.secretary
    assert request.user == cast.secretary  # simple-history's middleware reads request.user when saving
    anonymous = RequestFactory().get("/api/v1/me", headers={"Authorization": "Bearer nope"})
    assert TokenAuth()(anonymous) is None and not hasattr(anonymous, "user")
