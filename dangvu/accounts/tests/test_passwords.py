"""Forgotten passwords (issue 9 item 17, dangvu.accounts.passwords): a request from the log-in page that
does not tell whether a username exists and is throttled per address, a task for the office of the user's
committee, a temporary password set by that office only (audited), which must be changed at the next log-in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dangvu import testing
from dangvu.accounts import passwords
from dangvu.accounts.models import ApiToken, PasswordEvent, PasswordRequest, Role
from dangvu.alerts.sources import due_items

pytestmark = pytest.mark.django_db
FORGOT = reverse("accounts:password_forgot")
REQUESTS = reverse("accounts:password_requests")
CHANGE = reverse("accounts:password_change")


def ask(client, username: str, address: str = "10.0.0.1"):
    return client.post(FORGOT, {"username": username, "contact": "0901 234 567"}, REMOTE_ADDR=address)


def reset(client, user, confirmed: bool = True):
    data = {"user": user.pk, "action": "reset", **({"confirmed": "reset_password"} if confirmed else {})}
    return client.post(REQUESTS, data)


def test_the_log_in_page_links_to_the_forgotten_password_page(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert f'href="{FORGOT}"' in page and "Quên mật khẩu?" in page
    page = client.get(FORGOT).content.decode()
    assert "văn phòng" in page and 'id="forgot-form"' in page


def test_the_answer_is_the_same_whether_or_not_the_user_exists(client, cast):
    known, unknown = ask(client, "member"), ask(client, "khong-co-ai")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == f"{FORGOT}?sent=1"
    assert 'id="request-sent"' in client.get(known["Location"]).content.decode()
    rows = {r.username: r for r in PasswordRequest.objects.all()}
    assert rows["member"].user == cast.member and rows["member"].organisation == cast.member.member.organisation
    assert rows["khong-co-ai"].user is None  # kept for the throttle, never shown to anyone
    assert list(PasswordEvent.objects.values_list("user__username", "kind")) == [("member", "requested")]


def test_requests_are_throttled_per_address_for_any_username(client, cast, settings):
    settings.DANGVU_PASSWORD_REQUESTS_PER_HOUR = 2
    assert ask(client, "member").status_code == 302 and ask(client, "khong-co-ai").status_code == 302
    for username in ("member", "khong-co-ai"):
        response = ask(client, username)
        assert response.status_code == 429 and "Quá nhiều yêu cầu" in response.content.decode()
    assert PasswordRequest.objects.count() == 2
    assert ask(client, "member", address="10.0.0.2").status_code == 302  # another address


def test_the_request_is_a_task_for_the_office_of_the_users_committee(client, cast):
    ask(client, "member")
    alerts = {
        role: [a for a in due_items(getattr(cast, role)) if a.kind == passwords.KIND]
        for role in ("office", "admin", "outsider", "leader", "secretary")
    }
    assert [a.subject for a in alerts["office"]] == ["member"] and alerts["office"][0].url == REQUESTS
    assert len(alerts["admin"]) == 1
    assert alerts["outsider"] == alerts["leader"] == alerts["secretary"] == []


@pytest.mark.parametrize(
    ("role", "status", "listed"),
    [("office", 200, True), ("admin", 200, True), ("outsider", 200, False), ("leader", 403, False)],
)
def test_the_requests_page_per_role(client, cast, role, status, listed):
    ask(client, "member")
    client.force_login(getattr(cast, role))
    response = client.get(REQUESTS)
    assert response.status_code == status
    assert ('data-user="member"' in response.content.decode()) is listed


def test_page_refused_to_members_and_anonymous(client, cast):
    client.force_login(cast.member)
    assert client.get(REQUESTS).status_code == 403
    client.logout()
    assert client.get(REQUESTS).status_code == 302


def test_the_office_sets_a_temporary_password_once_confirmed(client, cast):
    member = cast.member
    ask(client, "member")
    token, _key = ApiToken.issue(member)
    client.force_login(cast.office)
    assert reset(client, member, confirmed=False).status_code == 409  # asked first: nothing changed
    member.refresh_from_db()
    assert member.check_password(testing.PASSWORD) and not member.must_change_password
    response = reset(client, member)
    assert response.status_code == 200
    temporary = response.context["issued"]["password"]
    assert temporary in response.content.decode()
    member.refresh_from_db()
    assert member.check_password(temporary) and not member.check_password(testing.PASSWORD)
    assert member.must_change_password
    request = PasswordRequest.objects.get(user=member)
    assert (request.outcome, request.handled_by) == ("reset", cast.office)
    assert PasswordEvent.objects.filter(user=member, kind="temporary", actor=cast.office).count() == 1
    token.refresh_from_db()
    assert not ApiToken.authenticate(_key)  # the API tokens end with the old password
    assert 'data-user="member"' not in client.get(REQUESTS).content.decode()  # the task is done


def test_the_office_cannot_reach_beyond_its_subtree(client, cast, people, tree):
    em = testing.user("em", Role.MEMBER, tree.c3, member_record=people["em"])  # committee B
    both = testing.user("both", Role.LEADER, tree.b, member_record=people["duc"])  # cell in A, role in B
    colleague = testing.user("colleague", Role.OFFICE, tree.a)
    client.force_login(cast.office)
    for target in (em, both, cast.admin, cast.outsider, cast.office):
        before = target.password
        assert reset(client, target).status_code == 404, target.username
        target.refresh_from_db()
        assert target.password == before and not target.must_change_password
    assert reset(client, colleague).status_code == 200  # an office user of the same committee: within reach
    client.force_login(cast.outsider)
    assert reset(client, cast.member).status_code == 404
    assert reset(client, em).status_code == 200
    assert PasswordEvent.objects.filter(kind="temporary").count() == 2
    client.force_login(cast.admin)
    assert reset(client, both).status_code == 200


def test_the_office_resets_by_username_within_its_reach(client, cast, people, tree):
    testing.user("em", Role.MEMBER, tree.c3, member_record=people["em"])
    client.force_login(cast.office)
    data = {"action": "reset", "confirmed": "reset_password"}
    for username in ("em", "khong-co-ai"):  # out of reach and unknown: the same message beside the field
        response = client.post(REQUESTS, {**data, "username": username})
        assert response.status_code == 200
        assert response.context["form"].errors["username"] == [
            "Không có người dùng nào có tên đăng nhập này mà bạn được đặt mật khẩu."
        ]
    response = client.post(REQUESTS, {**data, "username": "secretary"})
    assert response.context["issued"]["user"] == cast.secretary


def test_dismiss_closes_the_request_without_changing_the_password(client, cast):
    ask(client, "member")
    client.force_login(cast.office)
    response = client.post(REQUESTS, {"user": cast.member.pk, "action": "dismiss"})
    assert response.status_code == 302
    assert PasswordRequest.objects.get(user=cast.member).outcome == "dismissed"
    cast.member.refresh_from_db()
    assert cast.member.check_password(testing.PASSWORD)
    client.force_login(cast.outsider)
    assert client.post(REQUESTS, {"user": cast.member.pk, "action": "dismiss"}).status_code == 404


def test_the_temporary_password_must_be_changed_at_the_next_log_in(client, cast):
    temporary = passwords.set_temporary_password(cast.office, cast.member)
    signed_in = client.post(reverse("accounts:login"), {"username": "member", "password": temporary})
    assert signed_in.status_code == 302
    home = client.get(reverse("web:home"))
    assert home.status_code == 302 and home["Location"] == CHANGE
    assert client.get(reverse("meetings:list"))["Location"] == CHANGE
    page = client.get(CHANGE).content.decode()
    assert 'id="password-forced"' in page
    new = "Mat-khau-moi-2026!"
    bad = client.post(CHANGE, {"old_password": "sai", "new_password1": new, "new_password2": new})
    assert bad.status_code == 200 and "old_password" in bad.context["form"].errors
    response = client.post(CHANGE, {"old_password": temporary, "new_password1": new, "new_password2": new})
    assert response.status_code == 302
    cast.member.refresh_from_db()
    assert cast.member.check_password(new) and not cast.member.must_change_password
    assert PasswordEvent.objects.filter(user=cast.member, kind="changed").count() == 1
    assert client.get(reverse("web:home")).status_code in (200, 302)
    assert client.get(reverse("web:home")).get("Location") != CHANGE  # still signed in, no longer sent back


def test_the_api_gives_no_token_for_a_temporary_password(client, cast):
    temporary = passwords.set_temporary_password(cast.office, cast.member)
    response = client.post(
        "/api/v1/auth/token", {"username": "member", "password": temporary}, content_type="application/json"
    )
    assert response.status_code == 401 and "mật khẩu mới" in response.json()["detail"]


def test_old_requests_of_unknown_names_and_old_addresses_are_forgotten(client, cast):
    import datetime as dt

    from django.utils import timezone

    from dangvu.accounts import jobs
    from dangvu.tasks.jobs import SCHEDULES

    ask(client, "member")
    ask(client, "khong-co-ai")
    now = timezone.now()
    assert jobs.forget_password_requests.call(scheduled_for=now.isoformat()) == 0  # nothing old yet
    PasswordRequest.objects.update(requested_at=now - dt.timedelta(days=31))
    assert jobs.forget_password_requests.call(scheduled_for=now.isoformat()) == 1
    kept = PasswordRequest.objects.get()
    assert (kept.username, kept.address) == ("member", None)  # the office's task stays, the address goes
    assert any(s.task is jobs.forget_password_requests for s in SCHEDULES.values())


def test_the_requests_page_costs_the_same_for_any_number_of_requests(client, cast, tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(REQUESTS).status_code == 200
        return len(captured)

    for n in range(2):
        person = testing.member(tree.c1, f"Người Thử {n}")
        testing.user(f"nguoi{n}", Role.MEMBER, tree.c1, member_record=person)
        ask(client, f"nguoi{n}", address=f"10.0.1.{n}")
    client.force_login(cast.office)
    few = queries()
    for n in range(2, 12):
        person = testing.member(tree.c2, f"Người Thử {n}")
        testing.user(f"nguoi{n}", Role.CELL_SECRETARY, tree.c2, member_record=person)
        ask(client, f"nguoi{n}", address=f"10.0.1.{n}")
    client.force_login(cast.office)
    assert queries() == few
    assert client.get(REQUESTS).content.decode().count("data-user=") == 12
