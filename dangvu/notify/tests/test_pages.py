"""The bell, the notifications page (mark read, mark all read) and the preferences: a user sees and changes
only their own notifications (another's is a 404)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dangvu.notify import services
from dangvu.notify.models import ActiveDay, Kind, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def notes(cast):
    mine = services.notify([cast.member], Kind.GENERAL, "Thông báo của An", "Nội dung", "/meetings/", key="a")
    services.notify([cast.member], Kind.GENERAL, "Thông báo thứ hai", key="b")
    theirs = services.notify([cast.secretary], Kind.GENERAL, "Thông báo của bí thư", key="a")
    return mine[0], theirs[0]


def test_the_bell_counts_my_unread_notifications_in_one_query(client, cast, notes, django_assert_max_num_queries):
    client.force_login(cast.member)
    client.get(reverse("notify:bell"))  # the day's activity mark is written once
    with django_assert_max_num_queries(4):  # session, user, the count (the mark is cached for the day)
        response = client.get(reverse("notify:bell"))
    assert response.status_code == 200 and 'id="bell-count">2<' in response.content.decode()
    assert ActiveDay.objects.filter(user=cast.member).count() == 1
    client.force_login(cast.office)
    assert "bell-count" not in client.get(reverse("notify:bell")).content.decode()


def test_the_header_loads_the_bell(client, cast):
    client.force_login(cast.member)
    assert reverse("notify:bell") in client.get(reverse("notify:index")).content.decode()


def test_i_see_only_my_notifications_and_mark_them_read(client, cast, notes):
    mine, theirs = notes
    client.force_login(cast.member)
    page = client.get(reverse("notify:index")).content.decode()
    assert "Thông báo của An" in page and "Thông báo của bí thư" not in page
    # Another user's notification: 404, and it stays unread.
    assert client.post(reverse("notify:read", args=[theirs.pk])).status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    response = client.post(reverse("notify:read", args=[mine.pk]), {"go": "1"})
    assert response.status_code == 302 and response["Location"] == "/meetings/"
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    client.post(reverse("notify:read_all"))
    assert not Notification.objects.filter(recipient=cast.member, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None  # the secretary's is untouched


def test_preferences_page_refuses_a_bad_number_beside_the_field(client, cast):
    client.force_login(cast.member)
    response = client.post(reverse("notify:preferences"), {"email": "on", "sms": "on", "phone": "abc"})
    assert response.status_code == 200
    assert 'id="id_phone_error"' in response.content.decode()
    assert services.preference(cast.member).pk is None
    response = client.post(reverse("notify:preferences"), {"sms": "on", "phone": "0912345678"})
    assert response.status_code == 302
    pref = services.preference(cast.member)
    assert (pref.email, pref.push, pref.sms, pref.phone) == (False, False, True, "0912345678")


def test_anonymous_users_are_sent_to_log_in(client):
    for name in ("notify:index", "notify:bell", "notify:preferences"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
