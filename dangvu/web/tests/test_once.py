"""One-time form tokens (issue 16 item 11): a double click on "create meeting" made two meetings with their
invitations. Every creating page renders a token that the first post spends in the transaction of its
creation; a second post of it creates nothing and is sent to what the first one created."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from django.contrib.messages import get_messages
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dangvu.admission.models import Candidate
from dangvu.meetings.models import Invitation, Meeting
from dangvu.meetings.tests.test_concurrency import run_at_once
from dangvu.meetings.tests.test_views import _create_data
from dangvu.members.models import Member
from dangvu.tasks.jobs import SCHEDULES
from dangvu.web import jobs, once
from dangvu.web.models import SpentFormToken

TOKEN = re.compile(r'name="once_token" value="([^"]+)"')


def token_of(response) -> str:
    found = TOKEN.findall(response.content.decode())
    assert found, "the page renders no one-time token"
    return found[0]


def plan_url(tree) -> str:
    return f"{reverse('meetings:create')}?organisation={tree.c1.pk}"


def plan_data(people, **changes) -> dict:
    soon = timezone.localdate() + dt.timedelta(days=7)
    return _create_data(people, **{"date": f"{soon:%d/%m/%Y}", **changes})


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def aged_token(user, seconds: int) -> str:
    """A token as the page would have issued it `seconds` ago."""

    class Then(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - seconds)

    return Then(salt=once.SALT).sign(f"{user.pk}.aged{seconds}")


@pytest.mark.django_db
def test_double_post_of_the_meeting_form_creates_one_meeting(client, cast, tree, people):
    client.force_login(cast.secretary)
    token = token_of(client.get(plan_url(tree)))
    data = {**plan_data(people), once.FIELD: token}
    first = client.post(plan_url(tree), data)
    meeting = Meeting.objects.get()
    assert first.status_code == 302 and first["Location"] == reverse("meetings:detail", args=[meeting.pk])
    invitations = Invitation.objects.filter(meeting=meeting).count()
    assert invitations > 0

    second = client.post(plan_url(tree), data)  # the double click
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert Meeting.objects.count() == 1 and Invitation.objects.count() == invitations
    assert any("đã được gửi" in m for m in messages_of(second)), messages_of(second)
    assert SpentFormToken.objects.filter(user=cast.secretary, location=first["Location"]).count() == 1

    # A fresh page is a fresh token: planning a second meeting on purpose still works.
    again = {**plan_data(people), once.FIELD: token_of(client.get(plan_url(tree)))}
    assert client.post(plan_url(tree), again).status_code == 302
    assert Meeting.objects.count() == 2


@pytest.mark.django_db
def test_a_refused_form_does_not_spend_its_token(client, cast, tree, people):
    client.force_login(cast.secretary)
    token = token_of(client.get(plan_url(tree)))
    too_old = timezone.localdate() - dt.timedelta(days=400)  # beyond meeting.record_past_days
    refused = client.post(plan_url(tree), {**plan_data(people, date=f"{too_old:%d/%m/%Y}"), once.FIELD: token})
    assert refused.status_code == 200 and refused.context["form"].errors["date"]
    assert not Meeting.objects.exists() and not SpentFormToken.objects.exists()
    corrected = client.post(plan_url(tree), {**plan_data(people), once.FIELD: token})
    assert corrected.status_code == 302 and Meeting.objects.count() == 1


@pytest.mark.django_db
def test_forged_foreign_or_expired_tokens_are_refused(client, cast, tree, people, settings):
    client.force_login(cast.secretary)
    data = plan_data(people)
    forged = token_of(client.get(plan_url(tree)))[:-2] + "xx"
    foreign = aged_token(cast.office, 0)  # issued to someone else
    hours = settings.DANGVU_ONCE_HOURS
    expired = aged_token(cast.secretary, hours * 3600 + 60)
    for value in (forged, foreign, expired):
        response = client.post(plan_url(tree), {**data, once.FIELD: value})
        assert response.status_code == once.STATUS_REFUSED
        assert "Không thể gửi biểu mẫu này nữa" in response.content.decode()
    assert not Meeting.objects.exists() and not SpentFormToken.objects.exists()
    # Just inside the age limit: accepted.
    fresh_enough = aged_token(cast.secretary, hours * 3600 - 60)
    assert client.post(plan_url(tree), {**data, once.FIELD: fresh_enough}).status_code == 302
    assert Meeting.objects.count() == 1


@pytest.mark.django_db
def test_double_post_of_the_member_and_admission_forms(client, cast, tree):
    client.force_login(cast.office)
    member = {
        "full_name": "Huỳnh Thị Một Lần",
        "sex": "F",
        "birth_date": "12/09/1995",
        "ethnicity": "Kinh",
        "cell": tree.c1.pk,
        "admission_date": "03/02/2023",
        "official_date": "",
    }
    member[once.FIELD] = token_of(client.get(reverse("members:create")))
    first = client.post(reverse("members:create"), member)
    assert first.status_code == 302, first.context["form"].errors if first.context else first
    second = client.post(reverse("members:create"), member)
    assert second["Location"] == first["Location"]
    assert Member.objects.filter(full_name="Huỳnh Thị Một Lần").count() == 1

    client.force_login(cast.secretary)
    candidate = {
        "full_name": "Võ Văn Một Hồ Sơ",
        "sex": "M",
        "birth_date": "01/01/2000",
        "ethnicity": "Kinh",
        "cell": tree.c1.pk,
        "date": f"{timezone.localdate():%d/%m/%Y}",
    }
    candidate[once.FIELD] = token_of(client.get(reverse("admission:create")))
    first = client.post(reverse("admission:create"), candidate)
    assert first.status_code == 302, first.context["form"].errors if first.context else first
    assert client.post(reverse("admission:create"), candidate)["Location"] == first["Location"]
    assert Candidate.objects.filter(full_name="Võ Văn Một Hồ Sơ").count() == 1


@pytest.mark.django_db
def test_every_creating_page_renders_the_token(client, cast, tree, people):
    pages = {
        cast.secretary: [plan_url(tree), reverse("admission:create")],
        cast.office: [
            reverse("members:create"),
            reverse("members:record_event", args=[people["an"].pk]),
            reverse("transfers:issue", args=[people["an"].pk]),
            reverse("transfers:receive"),
            reverse("imports:index"),
            reverse("orgs:reorganise_kind", args=["rename"]) + f"?org={tree.c1.pk}",
        ],
        cast.admin: [reverse("rules:create")],
        cast.inspector: [reverse("inspection:new"), reverse("inspection:new_programme")],
    }
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            token_of(response)


@pytest.mark.django_db
def test_cleanup_forgets_tokens_that_can_no_longer_be_posted(cast, settings):
    now = timezone.now()
    limit = dt.timedelta(hours=settings.DANGVU_ONCE_HOURS)
    old = SpentFormToken.objects.create(user=cast.office, token="old", issued_at=now - limit - dt.timedelta(minutes=1))
    kept = SpentFormToken.objects.create(
        user=cast.office, token="kept", issued_at=now - limit + dt.timedelta(minutes=1)
    )
    assert jobs.forget_form_tokens.call(scheduled_for=now.isoformat()) == 1
    assert list(SpentFormToken.objects.all()) == [kept] and old.pk != kept.pk
    assert any(s.task is jobs.forget_form_tokens and s.every == dt.timedelta(hours=1) for s in SCHEDULES.values())


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submission_creates_one_meeting(cast, tree, people):
    """Two connections post the same form at the same moment (PostgreSQL: real threads; SQLite: in turn)."""
    clients = [Client(), Client()]
    for c in clients:
        c.force_login(cast.secretary)
    data = {**plan_data(people), once.FIELD: token_of(clients[0].get(plan_url(tree)))}
    results = run_at_once([lambda c=c: c.post(plan_url(tree), data) for c in clients])
    assert all(not isinstance(r, Exception) for r in results), results
    meeting = Meeting.objects.get()
    detail = reverse("meetings:detail", args=[meeting.pk])
    assert [r.status_code for r in results] == [302, 302] and {r["Location"] for r in results} == {detail}
    assert Invitation.objects.exclude(meeting=meeting).count() == 0
