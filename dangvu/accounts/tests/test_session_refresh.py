"""Sessions written again at most every SESSION_REFRESH_SECONDS (dangvu.accounts.middleware.SessionRefreshMiddleware,
issue 10 item 5) instead of on every request, with the idle expiry kept. Time is moved with the session's stamp
and the stored expiry, not by sleeping."""

import datetime as dt
import time

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from dangvu.accounts.middleware import SESSION_STAMP, refresh_window
from dangvu.testing import PASSWORD

pytestmark = pytest.mark.django_db
HOME = "/"


@pytest.fixture
def logged_in(client, cast, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"  # the stored row shows each write
    settings.SESSION_COOKIE_AGE = 8 * 3600
    settings.SESSION_REFRESH_SECONDS = 300
    before = int(time.time())
    response = client.post(reverse("accounts:login"), {"username": "office", "password": PASSWORD})
    assert response.status_code == 302
    row = stored(client)
    assert before <= row.get_decoded()[SESSION_STAMP] <= time.time()  # stamped at log-in
    return client


def stored(client) -> Session:
    return Session.objects.get(session_key=client.cookies["sessionid"].value)


def move_stamp(client, seconds_ago: int, expires_in: dt.timedelta | None = None) -> Session:
    """As if the session was last written `seconds_ago` (and expires `expires_in` from now)."""
    session = client.session
    session[SESSION_STAMP] = int(time.time()) - seconds_ago
    session.save()
    if expires_in is not None:
        Session.objects.filter(session_key=session.session_key).update(expire_date=timezone.now() + expires_in)
    return stored(client)


def test_not_written_within_the_window(logged_in):
    row = stored(logged_in)
    for _ in range(3):
        assert logged_in.get(HOME).status_code == 200
    again = stored(logged_in)
    assert (again.session_data, again.expire_date) == (row.session_data, row.expire_date)
    before = move_stamp(logged_in, 240)  # a minute short of the window
    assert logged_in.get(HOME).status_code == 200
    after = stored(logged_in)
    assert (after.session_data, after.expire_date) == (before.session_data, before.expire_date)


def test_written_after_the_window(logged_in):
    before = move_stamp(logged_in, 300, expires_in=dt.timedelta(hours=1))
    asked = time.time()
    assert logged_in.get(HOME).status_code == 200
    after = stored(logged_in)
    assert after.get_decoded()[SESSION_STAMP] >= int(asked)
    # The expiry moved from an hour away to the full age (8 h) from now.
    assert after.expire_date - before.expire_date > dt.timedelta(hours=6)
    assert after.expire_date >= timezone.now() + dt.timedelta(seconds=8 * 3600 - 60)


def test_idle_expiry_still_works(logged_in):
    # A session in use within its last minute is kept: the request after the window writes it again.
    move_stamp(logged_in, 301, expires_in=dt.timedelta(seconds=30))
    assert logged_in.get(HOME).status_code == 200
    assert stored(logged_in).expire_date > timezone.now() + dt.timedelta(hours=7)
    # Idle past the age since the last write: the store's expiry is over, the next request must log in again.
    Session.objects.filter(session_key=stored(logged_in).session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = logged_in.get(HOME)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_session_without_a_stamp_is_written_and_stamped(logged_in):
    session = logged_in.session
    del session[SESSION_STAMP]
    session.save()
    assert logged_in.get(HOME).status_code == 200
    assert isinstance(stored(logged_in).get_decoded()[SESSION_STAMP], int)


def test_anonymous_requests_write_no_session(client, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    for _ in range(2):
        client.get(reverse("accounts:login"))
        client.get(HOME)
    assert Session.objects.count() == 0


def test_window_never_outruns_a_short_age(settings):
    settings.SESSION_REFRESH_SECONDS = 300
    settings.SESSION_COOKIE_AGE = 8 * 3600
    assert refresh_window() == 300
    settings.SESSION_COOKIE_AGE = 600  # a quarter of the age at most
    assert refresh_window() == 150
    settings.SESSION_REFRESH_SECONDS = 0  # 0: written on every request, as before
    assert refresh_window() == 0
